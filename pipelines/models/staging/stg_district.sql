-- One row per district row loaded.
with source as (select * from raw_district),
final as (select ingest_id, sheet_index, "row", trim(district_name) as district_name, principal, district_code from source)
select * from final
