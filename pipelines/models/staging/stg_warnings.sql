-- One row per warning raised while a ledger was loaded (not a rejection: the row was loaded).
with source as (select * from raw_warnings),
final as (select ingest_id, sheet, "row", "column", message, value from source)
select * from final
