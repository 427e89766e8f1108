-- inspection_coverage(A, S, E): one row per town: the share of its schools with at least one
-- inspection (检查) in [S, E] (SPEC §3). Filters: school types; depts = the inspecting unit;
-- categories = inspections of those categories or of no stated category (a general one).
-- A school's self-check is not supervision: it does not count (SPEC §2.1).
create or replace macro inspection_coverage(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with town_schools as (
    select school_code, town_code
    from schools
    where in_list(towns, town_code) and in_list(school_types, school_type)
),
visits as (
    select school_code, count(*) as inspections
    from inspections
    where inspection_date between period_start(a, s) and period_end(a, e)
      and in_list(depts, dept_code)
      and not self_check
      and (category is null or in_list(categories, category))
    group by school_code
),
final as (
    select t.town_code, t.town_name,
           count(ts.school_code)::integer as schools,
           count(v.school_code)::integer as inspected_schools,
           rate(count(v.school_code), count(ts.school_code)) as inspection_coverage,
           coalesce(sum(v.inspections), 0)::integer as inspections
    from towns t
    left join town_schools ts using (town_code)
    left join visits v using (school_code)
    where in_list(towns, t.town_code)
    group by t.town_code, t.town_name
)
select * from final order by town_code
