-- One row per meeting id: a later load of the same meeting supersedes the earlier one.
with meetings as (select * from stg_meetings),
final as (
    select * from meetings
    qualify row_number() over (partition by meeting_id order by ingest_id desc, sheet_index desc, "row" desc) = 1
)
select * from final
