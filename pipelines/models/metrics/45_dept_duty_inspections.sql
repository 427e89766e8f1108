-- dept_duty_inspections(A, S, E): one row per member unit: its 履职检查 (duty inspections,
-- SPEC §3 v2): duty_inspection_coverage = the share of the district's schools with at least one
-- inspection by that unit in [S, E]; 法治教育 visits do not count here (46_dept_legal_education).
-- Filters as for the departments' other indicators: towns and school_types narrow the schools;
-- categories keep the inspections of those categories or of no stated category (as
-- inspection_coverage); every unit is listed whatever `depts` says (units are ranked among all).
-- inspections = the inspections that count; coverage is 0, not null, for a unit with none (a
-- duty with nothing done); null only when there is no school to cover.
create or replace macro dept_duty_inspections(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with district_schools as (
    select school_code
    from schools
    where in_list(towns, town_code) and in_list(school_types, school_type)
),
counted as (
    select i.dept_code, i.school_code
    from inspections i
    semi join district_schools using (school_code)
    where i.dept_code is not null
      and i.inspection_type <> legal_education_type()
      and i.inspection_date between period_start(a, s) and period_end(a, e)
      and (i.category is null or in_list(categories, i.category))
),
per_unit as (
    select dept_code, count(*) as inspections, count(distinct school_code) as inspected_schools
    from counted
    group by dept_code
),
final as (
    select d.dept_code, d.dept_name,
           (select count(*) from district_schools)::integer as schools,
           coalesce(p.inspected_schools, 0)::integer as inspected_schools,
           coalesce(p.inspections, 0)::integer as inspections,
           rate(coalesce(p.inspected_schools, 0), (select count(*) from district_schools)) as duty_inspection_coverage
    from departments d
    left join per_unit p using (dept_code)
)
select * from final order by dept_code
