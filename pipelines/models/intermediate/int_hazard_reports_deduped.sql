-- One row per hazard per report date: when two loads report the same hazard on the same date,
-- the later load (then the later row) wins. report_seq numbers a hazard's reports in date order.
with reports as (select * from stg_hazard_reports),
latest_per_date as (
    select * from reports
    qualify row_number() over (partition by hazard_id, report_date order by ingest_id desc, sheet_index desc, "row" desc) = 1
),
final as (
    select *, row_number() over (partition by hazard_id order by report_date) as report_seq
    from latest_per_date
)
select * from final
