-- One row per hazard per report (隐患台账的每一次填报): the full history of every hazard.
with reports as (select * from int_hazard_reports_deduped),
log as (select ingest_id, file from stg_ingest_log),
final as (
    select r.hazard_id, r.report_date, r.report_seq, r.next_report_date, r.school_code, r.town_code, r.category, r.level,
           r.description, r.found_date, r.found_by_code, r.responsible_dept_code, r.deadline, r.measures,
           r.status, r.rectified_date, r.closed_date,
           r.responsible_kind, r.responsible_code, r.responsible_person, r.supervision, r.notice_no,
           r.extended_deadline, r.verifier, r.verified_date, r.verification, r.derived,
           r.ingest_id, log.file as source_file, r.sheet, r."row"
    from reports r left join log using (ingest_id)
)
select * from final
