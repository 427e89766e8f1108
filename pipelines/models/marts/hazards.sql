-- One row per hazard: its latest report (the current state when no as-of date is asked).
-- For the state as of a date, use the metric macro hazards_as_of(A).
-- The latest report is the one with no next report; its report_seq is the number of reports.
-- reports is not materialized: each reading then scans only the columns and rows it needs (the
-- first reports three columns, the latest the rows with no next report), not a copy of all.
with reports as not materialized (select * from hazard_reports),
first_reports as (
    select hazard_id, report_date as first_report_date from reports where report_seq = 1
),
final as (
    select reports.*, first_reports.first_report_date, reports.report_seq as report_count
    from reports join first_reports using (hazard_id)
    where reports.next_report_date is null
)
select * from final
