-- One row per file offered to ingestion: what it was, what became of its rows.
with log as (select * from stg_ingest_log),
final as (select * from log)
select * from final
