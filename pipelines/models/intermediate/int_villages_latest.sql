-- The registry's villages: one row per village_code, its latest load (a later load supersedes an earlier one).
with loaded as (select * from stg_villages),
ranked as (
    select *, row_number() over (partition by village_code order by ingest_id desc, sheet_index desc, "row" desc) as recency
    from loaded
),
final as (select * exclude (recency, ingest_id, sheet_index, "row") from ranked where recency = 1)
select * from final
