-- hazards_as_of(A): the state of every hazard known on day A (hazard_states) with the names of
-- its school, town and responsible unit (responsible_name: a member unit, town, village or the
-- school itself; dept_name: the member unit's, null for another kind) — the hazard ledger of the dashboard and the snapshot's
-- hazards.parquet — and the closed loop of SPEC §2.2 (effective_deadline, extensions, rework,
-- verified, closed_unverified, supervision_in_force, supervision_due, days_open: see hazard_states).
-- Unordered; sort as you need.
create or replace macro hazards_as_of(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with states as (
    select * from hazard_states(a, towns := towns, school_types := school_types, categories := categories,
                                depts := depts, rules := rules)
),
final as (
    select h.hazard_id, h.school_code, h.school_name, h.school_type, h.town_code, t.town_name, h.category,
           h.level, h.description, h.responsible_dept_code, d.dept_name, h.found_by_code, h.found_date,
           h.deadline, h.measures, h.status, h.rectified_date, h.closed_date, h.report_date, h.report_seq,
           h.is_rectified, h.is_closed, h.is_open, h.is_overdue, h.days_overdue, h.overdue_bucket, h.risk,
           h.derived, h.responsible_kind, h.responsible_code,
           coalesce(d.dept_name, rt.town_name, rv.village_name, rs.school_name, h.responsible_code) as responsible_name,
           h.responsible_person, h.supervision, h.notice_no, h.extended_deadline, h.verification,
           h.effective_deadline, h.extensions, h.rework, h.verified, h.closed_unverified,
           h.supervision_in_force, h.supervision_due, h.days_open
    from states h
    left join towns t on t.town_code = h.town_code
    left join departments d on d.dept_code = h.responsible_dept_code
    left join towns rt on h.responsible_kind = 'town' and rt.town_code = h.responsible_code
    left join villages rv on h.responsible_kind = 'village' and rv.village_code = h.responsible_code
    left join schools rs on h.responsible_kind = 'school' and rs.school_code = h.responsible_code
)
select * from final
