-- One row per accepted inspection row. Rows without 检查编号 get a stable id from their content.
with source as (select * from raw_inspections),
final as (
    select ingest_id, sheet_index, sheet, "row",
           coalesce(trim(inspection_id), 'auto-' || left(md5(concat_ws('|', inspection_date, dept_code, school_code,
                    inspection_type, category, inspectors, hazards_found, score)), 16)) as inspection_id,
           inspection_date, dept_code, school_code, town_code, inspection_type, category, inspectors,
           hazards_found, score
    from source
)
select * from final
