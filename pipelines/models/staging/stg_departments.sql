-- One row per member-unit row loaded.
with source as (select * from raw_departments),
final as (
    select ingest_id, sheet_index, "row", trim(dept_code) as dept_code, trim(dept_name) as dept_name,
           member, liaison, phone
    from source
)
select * from final
