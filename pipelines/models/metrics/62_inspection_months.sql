-- inspection_months(A, S, E): the inspections held in [S, E] per inspecting unit and calendar
-- month (YYYY-MM): member units, towns and villages that inspect (a school's self-check is not
-- supervision and is left out). Filters as inspections_in_period.
create or replace macro inspection_months(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
select coalesce(dept_code, inspector_code) as dept_code, inspector_name as dept_name, strftime(inspection_date, '%Y-%m') as month, count(*)::integer as inspections
from inspections_in_period(a, s := s, e := e, towns := towns, school_types := school_types,
                           categories := categories, depts := depts, rules := rules)
where not self_check
group by all
order by dept_code, month
