-- One row per warning of a load (an attendee that looks like a unit and is not in the registry,
-- a checklist answer whose sense depends on its question …): loaded rows that deserve a look,
-- with the file they came from and its sender.
with warnings as (select * from stg_warnings),
log as (select ingest_id, batch_id, file, sender_kind, sender_code, sender_name from stg_ingest_log),
final as (
    select w.ingest_id, l.batch_id, l.file, l.sender_kind, l.sender_code, l.sender_name,
           w.sheet, w."row", w."column", w.message, w.value
    from warnings w left join log l using (ingest_id)
)
select * from final
