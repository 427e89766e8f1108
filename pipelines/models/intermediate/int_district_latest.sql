-- The registry's district: one row: the district as last loaded (a later load supersedes an earlier one).
with loaded as (select * from stg_district),
ranked as (
    select *, row_number() over (order by ingest_id desc, sheet_index desc, "row" desc) as recency
    from loaded
),
final as (select * exclude (recency, ingest_id, sheet_index, "row") from ranked where recency = 1)
select * from final
