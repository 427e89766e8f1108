-- One row per inspection (检查记录). A self-check (the school inspected itself) is kept and shown;
-- it does not count toward inspection coverage, which measures supervision (SPEC §2.1).
with inspections as (select * from int_inspections_deduped),
log as (select ingest_id, file from stg_ingest_log),
final as (
    select i.inspection_id, i.inspection_date, i.dept_code, i.school_code, i.town_code, i.inspection_type,
           i.category, i.inspectors, i.hazards_found, i.score, i.ingest_id, log.file as source_file, i.sheet, i."row",
           i.inspector_kind, i.inspector_code, i.self_check, i.derived
    from inspections i left join log using (ingest_id)
)
select * from final
