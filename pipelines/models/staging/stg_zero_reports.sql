-- One row per zero-report sheet (零报告: a ledger with its header and no data rows, or a line
-- 无隐患 / 本月无新增隐患): "no records" for its sender and month.
with source as (select * from raw_zero_reports),
final as (select ingest_id, sheet_index, sheet, kind, sender_kind, sender_code, report_month from source)
select * from final
