-- One row per accepted inspection row. Rows without 检查编号 get a stable id from their content.
-- The inspecting unit is a member unit (dept_code), a town, a village, or the school itself (a
-- self-check, SPEC §2.1): inspector_kind + inspector_code always name it.
with source as (select * from raw_inspections),
final as (
    select ingest_id, sheet_index, sheet, "row",
           coalesce(trim(inspection_id), 'auto-' || left(md5(concat_ws('|', inspection_date, coalesce(dept_code, inspector_code), school_code,
                    inspection_type, category, inspectors, hazards_found, score)), 16)) as inspection_id,
           inspection_date, dept_code, school_code, town_code, inspection_type, category, inspectors,
           hazards_found, score,
           coalesce(inspector_kind, 'department') as inspector_kind,
           coalesce(inspector_code, dept_code) as inspector_code,
           coalesce(self_check, false) as self_check,
           coalesce(derived, []::varchar[]) as derived
    from source
)
select * from final
