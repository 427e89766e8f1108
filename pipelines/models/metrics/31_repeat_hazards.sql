-- repeat_hazards(A, S, E): one row per hazard found in [S, E] at a school that had rectified a
-- hazard of the same category within the previous `repeat_window_days` days (rectified_date
-- in [found_date − window, found_date], rectified as of A): 反复出现的隐患. The previous hazard
-- is the most recently rectified such one. Filters apply to the new hazard (depts: its
-- responsible unit); the earlier one may have been any unit's.
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
    select hazard_id, school_code, category, rectified_date from known where is_rectified
),
pairs as (
    select n.hazard_id, n.school_code, n.school_name, n.town_code, n.category, n.level, n.description,
           n.responsible_dept_code, n.found_date, n.status, n.is_open,
           p.hazard_id as previous_hazard_id, p.rectified_date as previous_rectified_date,
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
select * from final order by town_code, school_code, found_date, hazard_id
