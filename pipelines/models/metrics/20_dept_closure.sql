-- dept_closure(A, S, E): one row per member unit (成员单位) as responsible department, over the
-- hazards found in [S, E], their state as of A (SPEC §3):
--   total; rectified; rectification_rate (整改率) = rectified / total; closed; closure_rate
--   (销号率) = closed / total; on_time_rate = rectified by the deadline / rectified;
--   overdue_open = not rectified and deadline < A; median_days_to_rectify over the rectified.
--   "Deadline" is the effective deadline as of A (the greatest 延期至 so far, SPEC §2.2), and a
--   hazard whose latest verification failed is not rectified (hazard_states).
-- A rate with no data is null. Also: open hazards of the period and their risk.
-- The member units' rows of unit_closure (19_unit_closure.sql), which computes these figures
-- once for responsible units of every kind; `depts` keeps member units by code.
create or replace macro dept_closure(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
select responsible_code as dept_code, name as dept_name, total, rectified, rectification_rate, closed, closure_rate,
       on_time_rate, overdue_open, median_days_to_rectify, rectified_on_time, open, risk
from unit_closure(a, s := s, e := e, towns := towns, school_types := school_types, categories := categories,
                  depts := depts, rules := rules)
where responsible_kind = 'department'
order by dept_code
