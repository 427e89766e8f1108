-- The 法治教育 visit, defined once (school_legal_education), and the towns' coverage built on it.
-- A visit is an inspection of type 法治教育 (e.g. by a police legal vice-principal) dated in a
-- school semester (学期) and on or before A; the semesters are those touched by [S, E], starting
-- on the 1st of the rules' spring and autumn months; term is spring/autumn. A member unit's
-- viewer (depts) counts its own visits only.

-- legal_education_semesters(A, S, E): one row per school semester touched by [S, E] (the filters
-- are the metric macros' call; a semester does not depend on them).
create or replace macro legal_education_semesters(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
select distinct semester_start(month, rules['semesters']['spring_start_month'],
                               rules['semesters']['autumn_start_month']) as semester_start
from period_months(a, s, e);

-- school_legal_education(A, S, E): one row per school (of the towns and school types asked) and
-- school semester touched by [S, E]: its 法治教育 visits in that semester up to A, the units that
-- made them (inspector_name, joined by 、) and the latest (last_inspection_date). A school with
-- no visit has 0 and nulls: not covered.
create or replace macro school_legal_education(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with semesters as (
    select semester_start from legal_education_semesters(a, s := s, e := e, rules := rules)
),
visits as (
    select i.school_code,
           semester_start(i.inspection_date, rules['semesters']['spring_start_month'],
                          rules['semesters']['autumn_start_month']) as semester_start,
           count(*)::integer as legal_education_visits,
           string_agg(distinct coalesce(d.dept_name, i.dept_code), '、'
                      order by coalesce(d.dept_name, i.dept_code)) as inspector_name,
           max(i.inspection_date) as last_inspection_date
    from inspections i left join departments d using (dept_code)
    where i.inspection_type = legal_education_type() and i.inspection_date <= a::date and in_list(depts, i.dept_code)
      and i.inspection_date >= (select min(semester_start) from semesters)
    group by all
),
final as (
    select sc.school_code, sc.school_name, sc.school_type, sc.town_code, t.town_name, m.semester_start,
           semester_end(m.semester_start, rules['semesters']['spring_start_month'],
                        rules['semesters']['autumn_start_month']) as semester_end,
           case when month(m.semester_start) = rules['semesters']['autumn_start_month'] then 'autumn' else 'spring' end
               as term,
           coalesce(v.legal_education_visits, 0)::integer as legal_education_visits,
           v.inspector_name, v.last_inspection_date
    from schools sc
    left join towns t using (town_code)
    cross join semesters m
    left join visits v on v.school_code = sc.school_code and v.semester_start = m.semester_start
    where in_list(towns, sc.town_code) and in_list(school_types, sc.school_type)
)
select * from final;

-- legal_education_coverage(A, S, E): one row per town and school semester touched by [S, E]: the
-- share of its schools that had at least one 法治教育 visit during that semester, on or before A
-- (school_legal_education's schools with a visit).
create or replace macro legal_education_coverage(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with semesters as (
    select semester_start from legal_education_semesters(a, s := s, e := e, rules := rules)
),
school_semesters as (
    select town_code, semester_start, school_code, legal_education_visits
    from school_legal_education(a, s := s, e := e, towns := towns, school_types := school_types, depts := depts,
                                rules := rules)
),
final as (
    select t.town_code, t.town_name, m.semester_start,
           semester_end(m.semester_start, rules['semesters']['spring_start_month'],
                        rules['semesters']['autumn_start_month']) as semester_end,
           case when month(m.semester_start) = rules['semesters']['autumn_start_month'] then 'autumn' else 'spring' end
               as term,
           count(ss.school_code)::integer as schools,
           count(ss.school_code) filter (where ss.legal_education_visits > 0)::integer as visited_schools,
           rate(count(ss.school_code) filter (where ss.legal_education_visits > 0), count(ss.school_code))
               as legal_education_coverage
    from towns t
    cross join semesters m
    left join school_semesters ss on ss.town_code = t.town_code and ss.semester_start = m.semester_start
    where in_list(towns, t.town_code)
    group by t.town_code, t.town_name, m.semester_start
)
select * from final order by town_code, semester_start
