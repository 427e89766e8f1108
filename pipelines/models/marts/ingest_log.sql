-- One row per file offered to ingestion: what it was, what became of its rows, who sent it
-- (sender_kind/sender_code: a registry unit; sender_name: as the file names it) and the office
-- mapping and rules it was read under (a file is the same file only under both: SPEC §2.1).
with log as (select * from stg_ingest_log),
final as (select * from log)
select * from final
