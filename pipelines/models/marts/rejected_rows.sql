-- One row per rejected ledger row, or per file rejected whole (row and column null).
with rejected as (select * from stg_rejected_rows),
final as (select ingest_id, file, sheet, "row", "column", reason, raw from rejected)
select * from final
