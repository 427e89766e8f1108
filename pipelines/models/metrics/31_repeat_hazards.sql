-- repeat_hazards(A, S, E): one row per hazard found in [S, E] at a school that had rectified a
-- hazard of the same category within the previous `repeat_window_days` days (rectified_date
-- in [found_date − window, found_date], rectified as of A): 反复出现的隐患. The previous hazard
-- is the most recently rectified such one. Filters apply to the new hazard (depts: its
-- responsible unit); the earlier one may have been any unit's, and its id is given only where
-- the viewer may see that hazard: with depts (a department's view), when it was one of theirs
-- too (a town sees every hazard at its schools: the same school's). Its rectified date and the
-- days since are given either way.
create or replace macro repeat_hazards(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with known as (
    select *
    from hazard_states(a, towns := towns, school_types := school_types, categories := categories, rules := rules)
),
new_hazards as (
    select *
    from known
    where found_date between period_start(a, s) and period_end(a, e) and in_list(depts, responsible_dept_code)
),
rectified as (
    select hazard_id, school_code, category, rectified_date, responsible_dept_code from known where is_rectified
),
pairs as (
    select n.hazard_id, n.school_code, n.school_name, n.town_code, n.category, n.level, n.description,
           n.responsible_dept_code, n.found_date, n.status, n.is_open,
           case when in_list(depts, p.responsible_dept_code) then p.hazard_id end as previous_hazard_id,
           p.rectified_date as previous_rectified_date,
           date_diff('day', p.rectified_date, n.found_date)::integer as days_since_rectified
    from new_hazards n
    join rectified p
      on p.school_code = n.school_code and p.category = n.category and p.hazard_id <> n.hazard_id
     and p.rectified_date <= n.found_date
     and p.rectified_date >= n.found_date - rules['repeat_window_days']::integer
    qualify row_number() over (partition by n.hazard_id order by p.rectified_date desc, p.hazard_id) = 1
),
final as (
    select p.hazard_id, p.school_code, p.school_name, p.town_code, t.town_name, p.category, p.level,
           p.description, p.responsible_dept_code, d.dept_name, p.found_date, p.status, p.is_open,
           p.previous_hazard_id, p.previous_rectified_date, p.days_since_rectified
    from pairs p
    left join towns t on t.town_code = p.town_code
    left join departments d on d.dept_code = p.responsible_dept_code
)
select * from final order by town_code, school_code, found_date, hazard_id;

-- repeat_hazard_counts(A, S, E): repeat_hazards per town × category (those with any): `hazards`
-- how many were found in [S, E], `open` how many of them are open as of A.
create or replace macro repeat_hazard_counts(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
select town_code, town_name, category, count(*)::integer as hazards,
       count(*) filter (where is_open)::integer as open
from repeat_hazards(a, s := s, e := e, towns := towns, school_types := school_types, categories := categories,
                    depts := depts, rules := rules)
group by town_code, town_name, category
order by town_code, category
