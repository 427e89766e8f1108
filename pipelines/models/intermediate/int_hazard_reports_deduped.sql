-- One row per hazard per report date: when two loads report the same hazard on the same date,
-- the later load (then the later row) wins. report_seq numbers a hazard's reports in date order;
-- next_report_date is the date of the hazard's next report (null for its latest), so "the
-- report in force on date A" is a plain filter: report_date <= A < coalesce(next_report_date, ∞).
-- Repeated (hazard, date) pairs are rare: only they are resolved (arg_max over whole rows is
-- the costly step), the rest pass through (twice as fast at a million reports). The numbering
-- window sorts only the (hazard, date) pairs, one hash aggregate that also finds the repeated
-- ones, and joins back: a window over all 34 columns sorted them all (3× the time).
with reports as (select * from stg_hazard_reports),
dates as materialized (
    select hazard_id, report_date, count(*) as rows_on_date from reports group by hazard_id, report_date
),
repeated as (
    select hazard_id, report_date from dates where rows_on_date > 1
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
numbered as (
    select hazard_id, report_date,
           row_number() over (partition by hazard_id order by report_date) as report_seq,
           lead(report_date) over (partition by hazard_id order by report_date) as next_report_date
    from dates
),
final as (
    select latest_per_date.*, numbered.report_seq, numbered.next_report_date
    from latest_per_date join numbered using (hazard_id, report_date)
)
select * from final
