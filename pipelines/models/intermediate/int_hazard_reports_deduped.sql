-- One row per hazard per report date: when two loads report the same hazard on the same date,
-- the later load (then the later row) wins. report_seq numbers a hazard's reports in date order;
-- next_report_date is the date of the hazard's next report (null for its latest), so "the
-- report in force on date A" is a plain filter: report_date <= A < coalesce(next_report_date, ∞).
with reports as (select * from stg_hazard_reports),
latest_per_date as (
    select unnest(arg_max(reports, (ingest_id, sheet_index, "row")))
    from reports
    group by hazard_id, report_date
),
final as (
    select *,
           row_number() over (partition by hazard_id order by report_date) as report_seq,
           lead(report_date) over (partition by hazard_id order by report_date) as next_report_date
    from latest_per_date
)
select * from final
