-- One row per accepted hazard-ledger row (a hazard as one report saw it).
with source as (select * from raw_hazard_reports),
final as (
    select ingest_id, sheet_index, sheet, "row",
           trim(hazard_id) as hazard_id, report_date, school_code, town_code, category, level, description,
           found_date, found_by_code, responsible_dept_code, deadline, measures, status,
           rectified_date, closed_date
    from source
)
select * from final
