-- One row per village row loaded.
with source as (select * from raw_villages),
final as (
    select ingest_id, sheet_index, "row", trim(village_code) as village_code, trim(village_name) as village_name,
           trim(town_code) as town_code, principal
    from source
)
select * from final
