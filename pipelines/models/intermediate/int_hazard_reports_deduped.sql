-- One row per hazard per report date: when two loads report the same hazard on the same date,
-- the later load (then the later row) wins. report_seq numbers a hazard's reports in date order;
-- next_report_date is the date of the hazard's next report (null for its latest), so "the
-- report in force on date A" is a plain filter: report_date <= A < coalesce(next_report_date, ∞).
-- Repeated (hazard, date) pairs are rare: only they are resolved (arg_max over whole rows is
-- the costly step), the rest pass through (twice as fast at a million reports).
with reports as (select * from stg_hazard_reports),
repeated as (
    select hazard_id, report_date from reports group by hazard_id, report_date having count(*) > 1
),
winners as (
    select unnest(arg_max(r, (ingest_id, sheet_index, "row")))
    from reports r semi join repeated using (hazard_id, report_date)
    group by r.hazard_id, r.report_date
),
latest_per_date as (
    select * from reports anti join repeated using (hazard_id, report_date)
    union all
    select * from winners
),
final as (
    select *,
           row_number() over (partition by hazard_id order by report_date) as report_seq,
           lead(report_date) over (partition by hazard_id order by report_date) as next_report_date
    from latest_per_date
)
select * from final
