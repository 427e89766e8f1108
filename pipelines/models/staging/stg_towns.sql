-- One row per town row loaded.
with source as (select * from raw_towns),
final as (select ingest_id, sheet_index, "row", trim(town_code) as town_code, trim(town_name) as town_name, principal from source)
select * from final
