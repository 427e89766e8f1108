-- dept_closure(A, S, E): one row per member unit (成员单位) as responsible department, over the
-- hazards found in [S, E], their state as of A (SPEC §3):
--   total; rectified; rectification_rate (整改率) = rectified / total; closed; closure_rate
--   (销号率) = closed / total; on_time_rate = rectified by the deadline / rectified;
--   overdue_open = not rectified and deadline < A; median_days_to_rectify over the rectified.
--   "Deadline" is the effective deadline as of A (the greatest 延期至 so far, SPEC §2.2), and a
--   hazard whose latest verification failed is not rectified (hazard_states).
-- A rate with no data is null. Also: open hazards of the period and their risk.
create or replace macro dept_closure(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with found as (
    select *
    from hazard_states(a, towns := towns, school_types := school_types, categories := categories,
                       depts := depts, rules := rules)
    where found_date between period_start(a, s) and period_end(a, e)
),
per_dept as (
    select responsible_dept_code as dept_code,
           count(*) as total,
           count(*) filter (where is_rectified) as rectified,
           count(*) filter (where is_closed) as closed,
           count(*) filter (where on_time(is_rectified, rectified_date, effective_deadline)) as rectified_on_time,
           count(*) filter (where is_overdue) as overdue_open,
           count(*) filter (where is_open) as open,
           sum(risk) as risk,
           median(date_diff('day', found_date, rectified_date)) filter (where is_rectified) as median_days_to_rectify
    from found
    group by responsible_dept_code
),
final as (
    select d.dept_code, d.dept_name,
           coalesce(p.total, 0)::integer as total,
           coalesce(p.rectified, 0)::integer as rectified,
           rate(p.rectified, p.total) as rectification_rate,
           coalesce(p.closed, 0)::integer as closed,
           rate(p.closed, p.total) as closure_rate,
           rate(p.rectified_on_time, p.rectified) as on_time_rate,
           coalesce(p.overdue_open, 0)::integer as overdue_open,
           p.median_days_to_rectify::double as median_days_to_rectify,
           coalesce(p.rectified_on_time, 0)::integer as rectified_on_time,
           coalesce(p.open, 0)::integer as open,
           coalesce(p.risk, 0)::double as risk
    from departments d
    left join per_dept p using (dept_code)
    where in_list(depts, d.dept_code)
)
select * from final order by dept_code
