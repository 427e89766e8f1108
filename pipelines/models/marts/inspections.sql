-- One row per inspection (检查记录).
with inspections as (select * from int_inspections_deduped),
log as (select ingest_id, file from stg_ingest_log),
final as (
    select i.inspection_id, i.inspection_date, i.dept_code, i.school_code, i.town_code, i.inspection_type,
           i.category, i.inspectors, i.hazards_found, i.score, i.ingest_id, log.file as source_file, i.sheet, i."row"
    from inspections i left join log using (ingest_id)
)
select * from final
