-- legal_education_by_semester(A, S, E): 法治教育 coverage of every school in view per school
-- semester touched by [S, E], the latest first: legal_education_coverage's town rows summed
-- (schools, visited_schools) and their rate.
create or replace macro legal_education_by_semester(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with per_town as (
    select *
    from legal_education_coverage(a, s := s, e := e, towns := towns, school_types := school_types,
                                  categories := categories, depts := depts, rules := rules)
),
final as (
    select semester_start, any_value(semester_end) as semester_end, any_value(term) as term,
           sum(schools)::integer as schools, sum(visited_schools)::integer as visited_schools,
           rate(sum(visited_schools), sum(schools)) as legal_education_coverage
    from per_town
    group by semester_start
)
select * from final order by semester_start desc
