-- One row per file offered to ingestion.
with source as (select * from raw_ingest_log),
final as (
    select ingest_id, batch_id, file, sha256, kind, status, rows_in, loaded, skipped, rejected,
           message, report_date, started_at, finished_at,
           sender_kind, sender_code, sender_name, mapping_hash, rules_hash
    from source
)
select * from final
