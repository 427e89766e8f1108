-- legal_education_coverage(A, S, E): one row per town and school semester (学期) touched by
-- [S, E]: the share of its schools that had at least one 法治教育 visit (an inspection of type
-- 法治教育, e.g. by a police legal vice-principal) during that semester, on or before A.
-- Semesters start on the 1st of the rules' spring and autumn months; term is spring/autumn.
create or replace macro legal_education_coverage(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with months as (
    select month from period_months(a, s, e)
),
semesters as (
    select distinct semester_start(month, rules['semesters']['spring_start_month'],
                                   rules['semesters']['autumn_start_month']) as semester_start
    from months
),
town_schools as (
    select school_code, town_code
    from schools
    where in_list(towns, town_code) and in_list(school_types, school_type)
),
visits as (
    select distinct school_code,
           semester_start(inspection_date, rules['semesters']['spring_start_month'],
                          rules['semesters']['autumn_start_month']) as semester_start
    from inspections
    where inspection_type = legal_education_type() and inspection_date <= a::date and in_list(depts, dept_code)
      and inspection_date >= (select min(semester_start) from semesters)
),
final as (
    select t.town_code, t.town_name, m.semester_start,
           semester_end(m.semester_start, rules['semesters']['spring_start_month'],
                        rules['semesters']['autumn_start_month']) as semester_end,
           case when month(m.semester_start) = rules['semesters']['autumn_start_month'] then 'autumn' else 'spring' end
               as term,
           count(ts.school_code)::integer as schools,
           count(v.school_code)::integer as visited_schools,
           rate(count(v.school_code), count(ts.school_code)) as legal_education_coverage
    from towns t
    cross join semesters m
    left join town_schools ts on ts.town_code = t.town_code
    left join visits v on v.school_code = ts.school_code and v.semester_start = m.semester_start
    where in_list(towns, t.town_code)
    group by t.town_code, t.town_name, m.semester_start
)
select * from final order by town_code, semester_start
