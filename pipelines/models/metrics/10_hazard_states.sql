-- hazard_states(A): one row per hazard known on day A — its latest report with report_date ≤ A,
-- found on or before A — with its state as of A (SPEC §3 and §5 hazards.parquet):
--   is_rectified  status 已整改/已销号 and rectified_date ≤ A
--   is_closed     status 已销号 and closed_date ≤ A (销号)
--   is_open       not rectified as of A
--   is_overdue    open and deadline < A; days_overdue = A − deadline
--   overdue_bucket 0 open and not overdue, 1 overdue 1..short_days, 2 up to medium_days,
--                  3 beyond; null when rectified
--   risk          风险指数: level weight (× overdue factor when overdue) when open, else 0
-- Filters (empty list = all): towns, school_types, categories, depts (responsible unit). The
-- period s, e is accepted for a uniform call and not used: every hazard known on day A is here.
-- The lean core of the metric macros; hazards_as_of adds the names for ledgers and snapshots.
create or replace macro hazard_states(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with state as (  -- each hazard's report in force on day A (hazard_reports.next_report_date: its next one)
    select hazard_id, report_date, report_seq, school_code, town_code, category, level, description,
           found_date, found_by_code, responsible_dept_code, deadline, measures, status, rectified_date,
           closed_date, derived, responsible_kind, responsible_code, responsible_person, supervision,
           notice_no, extended_deadline, verification
    from hazard_reports
    where report_date <= a::date and (next_report_date is null or next_report_date > a::date)
),
filtered as (
    select s.*, sc.school_name, sc.school_type,
           coalesce(is_rectified_status(s.status) and s.rectified_date <= a::date, false) as is_rectified,
           coalesce(s.status = closed_status() and s.closed_date <= a::date, false) as is_closed
    from state s
    left join schools sc on sc.school_code = s.school_code
    where s.found_date <= a::date
      and in_list(towns, s.town_code)
      and in_list(school_types, sc.school_type)
      and in_list(categories, s.category)
      and in_list(depts, s.responsible_dept_code)
),
judged as (
    select *,
           not is_rectified as is_open,
           not is_rectified and deadline < a::date as is_overdue
    from filtered
),
final as (
    select hazard_id, school_code, school_name, school_type, town_code, category, level, description, responsible_dept_code,
           found_by_code, found_date, deadline, measures, status, rectified_date, closed_date, report_date,
           report_seq, is_rectified, is_closed, is_open, is_overdue, derived,
           responsible_kind, responsible_code, responsible_person, supervision, notice_no, extended_deadline,
           verification,
           case when is_overdue then date_diff('day', deadline, a::date) end as days_overdue,
           case
               when not is_open then null
               when not is_overdue then 0
               when date_diff('day', deadline, a::date) <= rules['overdue_buckets']['short_days'] then 1
               when date_diff('day', deadline, a::date) <= rules['overdue_buckets']['medium_days'] then 2
               else 3
           end as overdue_bucket,
           hazard_risk(level, is_open, is_overdue, rules['risk']['general'], rules['risk']['major'],
                       rules['risk']['grave'], rules['risk']['overdue_factor']) as risk
    from judged
)
select * from final
