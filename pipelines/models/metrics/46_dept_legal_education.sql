-- dept_legal_education_semesters(A, S, E): one row per member unit and school semester (学期)
-- that BEGINS within [S, E] (the 1st of the rules' spring and autumn months, SPEC §3 v2): the
-- share of the district's schools with at least one 法治教育 inspection by that unit between the
-- semester's first day and the earlier of its last day and E (window_end). No row when no
-- semester begins in [S, E]. Filters as dept_duty_inspections: towns and school_types narrow
-- the schools, categories the visits (those of no stated category always count).
create or replace macro dept_legal_education_semesters(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with starts as (
    select unnest([make_date(y, rules['semesters']['spring_start_month']::integer, 1),
                   make_date(y, rules['semesters']['autumn_start_month']::integer, 1)]) as semester_start
    from (select unnest(range(year(period_start(a, s)), year(period_end(a, e)) + 1)) as y)
),
semesters as (
    select semester_start,
           least(semester_end(semester_start, rules['semesters']['spring_start_month'],
                              rules['semesters']['autumn_start_month']), period_end(a, e)) as window_end
    from starts
    where semester_start between period_start(a, s) and period_end(a, e)
),
district_schools as (
    select school_code
    from schools
    where in_list(towns, town_code) and in_list(school_types, school_type)
),
visits as (
    select m.semester_start, i.dept_code, count(*) as visits, count(distinct i.school_code) as visited_schools
    from inspections i
    semi join district_schools using (school_code)
    join semesters m on i.inspection_date between m.semester_start and m.window_end
    where i.dept_code is not null
      and i.inspection_type = legal_education_type()
      and (i.category is null or in_list(categories, i.category))
    group by all
),
final as (
    select d.dept_code, d.dept_name, m.semester_start, m.window_end,
           case when month(m.semester_start) = rules['semesters']['autumn_start_month'] then 'autumn' else 'spring' end
               as term,
           (select count(*) from district_schools)::integer as schools,
           coalesce(v.visited_schools, 0)::integer as visited_schools,
           coalesce(v.visits, 0)::integer as visits,
           rate(coalesce(v.visited_schools, 0), (select count(*) from district_schools)) as coverage
    from departments d
    cross join semesters m
    left join visits v on v.dept_code = d.dept_code and v.semester_start = m.semester_start
)
select * from final order by dept_code, semester_start;

-- dept_legal_education(A, S, E): one row per member unit: its 法治副校长 indicator (SPEC §3 v2):
-- legal_education_coverage = the mean over the semesters beginning within [S, E] of the
-- per-semester coverage (dept_legal_education_semesters); semesters = how many began; visits =
-- its 法治教育 visits in those windows. measurable is false (and the coverage null) when no
-- semester begins within [S, E] — or there is no school — : then nobody can be measured.
create or replace macro dept_legal_education(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with per_semester as (
    select * from dept_legal_education_semesters(a, s := s, e := e, towns := towns, school_types := school_types,
                                                 categories := categories, rules := rules)
),
per_unit as (
    select dept_code, count(*) as semesters, sum(visits) as visits, avg(coverage) as legal_education_coverage
    from per_semester
    group by dept_code
),
final as (
    select d.dept_code, d.dept_name,
           coalesce(p.semesters, 0)::integer as semesters,
           coalesce(p.visits, 0)::integer as visits,
           p.legal_education_coverage::double as legal_education_coverage,
           p.legal_education_coverage is not null as measurable
    from departments d
    left join per_unit p using (dept_code)
)
select * from final order by dept_code
