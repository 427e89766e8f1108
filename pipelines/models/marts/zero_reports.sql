-- One row per zero report (零报告) per sender, kind and month: a sender said it had nothing to
-- report that month (counts as reported for 信息报送, SPEC §3), with the file that said so.
with zero as (select * from stg_zero_reports),
log as (select ingest_id, batch_id, file, sender_name from stg_ingest_log),
final as (
    select z.ingest_id, l.batch_id, l.file, z.sheet, z.kind, z.sender_kind, z.sender_code, l.sender_name,
           z.report_month
    from zero z left join log l using (ingest_id)
)
select * from final
