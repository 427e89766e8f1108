-- One row per school row loaded.
with source as (select * from raw_schools),
final as (
    select ingest_id, sheet_index, "row", trim(school_code) as school_code, trim(school_name) as school_name,
           school_type, ownership, trim(town_code) as town_code, village_code,
           students, lat, lon
    from source
)
select * from final
