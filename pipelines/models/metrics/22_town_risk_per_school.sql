-- town_risk_per_school(A): one row per town: the summed risk of its hazards open as of A
-- (whenever found) divided by its number of schools (of the chosen school types).
create or replace macro town_risk_per_school(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with open_hazards as (
    select town_code, count(*) as open_hazards, sum(risk) as risk
    from hazard_states(a, towns := towns, school_types := school_types, categories := categories,
                       depts := depts, rules := rules)
    where is_open
    group by town_code
),
school_counts as (
    select town_code, count(*) as schools
    from schools
    where in_list(school_types, school_type)
    group by town_code
),
final as (
    select t.town_code, t.town_name,
           coalesce(c.schools, 0)::integer as schools,
           coalesce(h.open_hazards, 0)::integer as open_hazards,
           coalesce(h.risk, 0)::double as risk,
           case when c.schools > 0 then coalesce(h.risk, 0) / c.schools end as risk_per_school
    from towns t
    left join school_counts c using (town_code)
    left join open_hazards h using (town_code)
    where in_list(towns, t.town_code)
)
select * from final order by town_code
