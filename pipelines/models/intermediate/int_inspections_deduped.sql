-- One row per inspection id: a later load of the same inspection supersedes the earlier one.
with inspections as (select * from stg_inspections),
final as (
    select * from inspections
    qualify row_number() over (partition by inspection_id order by ingest_id desc, sheet_index desc, "row" desc) = 1
)
select * from final
