-- hazard_states(A): one row per hazard known on day A — its latest report with report_date ≤ A,
-- found on or before A — with its state as of A (SPEC §3, §2.2 and §5 hazards.parquet):
--   is_rectified  status 已整改/已销号 and rectified_date ≤ A, unless that report's 验收结果 is
--                 不通过 (then it is 整改中 again: status shows 整改中)
--   is_closed     status 已销号 and closed_date ≤ A (销号), unless that report's 验收结果 is 不通过
--   is_open       not rectified as of A; days_open = A − found_date when open, else null
--   effective_deadline  the greatest 延期至 among its reports ≤ A, else the 整改时限 (deadline
--                 stays the typed 整改时限); extensions = distinct raises of it up to A
--   is_overdue    open and effective_deadline < A; days_overdue = A − effective_deadline
--   overdue_bucket 0 open and not overdue, 1 overdue 1..short_days, 2 up to medium_days,
--                  3 beyond; null when rectified
--   risk          风险指数: level weight (× overdue factor when overdue) when open, else 0
--   rework        distinct failed verifications up to A (by 验收日期; a repeated row counts once)
--   verified      a passing verification among its reports ≤ A
--   closed_unverified  未经验收销号: closed, never verified, and some report ≤ A came from a
--                 sheet with a 验收结果 column (ledgers without one are not flagged)
--   supervision, notice_no  the 挂牌 standing on day A: the latest 督办级别 / 整改通知书编号 any report
--                 up to A gave (a later ledger without the column does not lift it)
--   supervision_in_force  挂牌 (督办级别 given) and open — or rectified while its latest
--                 verification failed
--   supervision_due  due for 挂牌督办 (rules supervision: open and level in `levels`, or
--                 days_overdue > `overdue_days`) and no 挂牌 in force
-- The closed-loop columns are hazard_reports' cumulative ones, read off the report in force.
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
           closed_date, derived, responsible_kind, responsible_code, responsible_person,
           -- the 挂牌 standing on day A: the latest 督办级别 given so far (hazard_reports.standing_*)
           standing_supervision as supervision, standing_notice_no as notice_no, extended_deadline, verification, effective_deadline, extensions, rework, verified,
           last_verification, any_verification_column,
           is_failed_verification(verification) as failed_verification
    from hazard_reports
    where report_date <= a::date and (next_report_date is null or next_report_date > a::date)
),
filtered as (
    select s.*, sc.school_name, sc.school_type,
           not s.failed_verification
               and coalesce(is_rectified_status(s.status) and s.rectified_date <= a::date, false) as is_rectified,
           not s.failed_verification
               and coalesce(s.status = closed_status() and s.closed_date <= a::date, false) as is_closed
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
           not is_rectified and effective_deadline < a::date as is_overdue
    from filtered
),
aged as (
    select *,
           case when is_overdue then date_diff('day', effective_deadline, a::date) end as days_overdue,
           supervision is not null and (is_open or is_failed_verification(last_verification)) as supervision_in_force
    from judged
),
final as (
    select hazard_id, school_code, school_name, school_type, town_code, category, level, description, responsible_dept_code,
           found_by_code, found_date, deadline, measures,
           case when failed_verification then in_progress_status() else status end as status,
           rectified_date, closed_date, report_date,
           report_seq, is_rectified, is_closed, is_open, is_overdue, derived,
           responsible_kind, responsible_code, responsible_person, supervision, notice_no, extended_deadline,
           verification, days_overdue,
           case
               when not is_open then null
               when not is_overdue then 0
               when days_overdue <= rules['overdue_buckets']['short_days'] then 1
               when days_overdue <= rules['overdue_buckets']['medium_days'] then 2
               else 3
           end as overdue_bucket,
           hazard_risk(level, is_open, is_overdue, rules['risk']['general'], rules['risk']['major'],
                       rules['risk']['grave'], rules['risk']['overdue_factor']) as risk,
           effective_deadline, extensions, rework, verified,
           is_closed and not verified and any_verification_column as closed_unverified,
           supervision_in_force,
           not supervision_in_force and is_open
               and (list_contains(rules['supervision']['levels'], level)
                    or coalesce(days_overdue > rules['supervision']['overdue_days'], false)) as supervision_due,
           case when is_open then date_diff('day', found_date, a::date) end as days_open
    from aged
)
select * from final
