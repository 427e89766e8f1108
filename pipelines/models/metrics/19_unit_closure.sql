-- unit_closure(A, S, E): one row per responsible unit of every kind (SPEC §2.2: a member unit, a
-- town, a village or a school named as 责任单位) with dept_closure's figures over the hazards it
-- is responsible for found in [S, E], their state as of A:
--   responsible_kind (department / town / village / school), responsible_code, name, town_code
--   (the unit's town: a town's own code, a village's or a school's town; null for a member unit);
--   total, rectified, rectification_rate, closed, closure_rate, on_time_rate (against the
--   effective deadline), overdue_open, median_days_to_rectify, rectified_on_time, open, risk.
-- Every member unit is listed (as in dept_closure); a town, village or school when it is
-- responsible for a hazard found in [S, E]. Filters: towns, school_types, categories apply to
-- the hazards (a hazard's town is its school's, whoever is responsible); depts names units of
-- any kind by code (responsible_code). A rate with no data is null.
create or replace macro unit_closure(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with found as (
    select *
    from hazard_states(a, towns := towns, school_types := school_types, categories := categories, rules := rules)
    where found_date between period_start(a, s) and period_end(a, e) and in_list(depts, responsible_code)
),
per_unit as (
    select responsible_kind, responsible_code,
           count(*) as total,
           count(*) filter (where is_rectified) as rectified,
           count(*) filter (where is_closed) as closed,
           count(*) filter (where on_time(is_rectified, rectified_date, effective_deadline)) as rectified_on_time,
           count(*) filter (where is_overdue) as overdue_open,
           count(*) filter (where is_open) as open,
           sum(risk) as risk,
           median(date_diff('day', found_date, rectified_date)) filter (where is_rectified) as median_days_to_rectify
    from found
    group by responsible_kind, responsible_code
),
units as (  -- every unit that can be responsible, with its name and town
    select 'department' as responsible_kind, dept_code as responsible_code, dept_name as name, null::varchar as town_code
    from departments
    union all
    select 'town', town_code, town_name, town_code from towns
    union all
    select 'village', village_code, village_name, town_code from villages
    union all
    select 'school', school_code, school_name, town_code from schools
),
final as (
    select u.responsible_kind, u.responsible_code, u.name, u.town_code,
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
    from units u
    left join per_unit p using (responsible_kind, responsible_code)
    where (u.responsible_kind = 'department' or p.total > 0) and in_list(depts, u.responsible_code)
)
select * from final
order by list_position(['department', 'town', 'village', 'school'], responsible_kind), responsible_code
