-- One row per rejected row (or per file rejected whole: row and column null).
with source as (select * from raw_rejected_rows),
final as (select ingest_id, file, sheet, "row", "column", reason, raw from source)
select * from final
