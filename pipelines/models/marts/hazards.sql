-- One row per hazard: its latest report (the current state when no as-of date is asked).
-- For the state as of a date, use the metric macro hazards_as_of(A).
with reports as (select * from hazard_reports),
history as (
    select hazard_id, min(report_date) as first_report_date, count(*) as report_count
    from reports group by hazard_id
),
final as (
    select reports.*, history.first_report_date, history.report_count
    from reports join history using (hazard_id)
    where reports.report_seq = history.report_count
)
select * from final
