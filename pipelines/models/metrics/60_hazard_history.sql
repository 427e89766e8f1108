-- hazard_history(hazard_id): every report of one hazard (隐患的历次填报), oldest first, with the
-- names of its school, town and responsible unit and the file each report came from, and the
-- closed loop as it stood after each report (effective_deadline, extensions, rework, verified:
-- cumulative, SPEC §2.2).
create or replace macro hazard_history(id) as table
select r.hazard_id, r.report_date, r.report_seq, r.status, r.rectified_date, r.closed_date, r.deadline,
       r.level, r.category, r.description, r.measures, r.school_code, sc.school_name, r.town_code, t.town_name,
       r.responsible_dept_code, d.dept_name, r.found_date, r.found_by_code, r.source_file, r.sheet, r."row",
       r.derived, r.responsible_kind, r.responsible_code,
       coalesce(d.dept_name, rt.town_name, rv.village_name, rs.school_name, r.responsible_code) as responsible_name,
       r.responsible_person, r.supervision, r.notice_no, r.extended_deadline, r.verifier, r.verified_date,
       r.verification, r.effective_deadline, r.extensions, r.rework, r.verified
from hazard_reports r
left join schools sc on sc.school_code = r.school_code
left join towns t on t.town_code = r.town_code
left join departments d on d.dept_code = r.responsible_dept_code
left join towns rt on r.responsible_kind = 'town' and rt.town_code = r.responsible_code
left join villages rv on r.responsible_kind = 'village' and rv.village_code = r.responsible_code
left join schools rs on r.responsible_kind = 'school' and rs.school_code = r.responsible_code
where r.hazard_id = id
order by r.report_date, r.report_seq
