-- uninspected_schools(A, S, E): the schools of school_summary with no inspection in [S, E]
-- (未检查学校), the gap behind inspection coverage.
create or replace macro uninspected_schools(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
select *
from school_summary(a, s := s, e := e, towns := towns, school_types := school_types,
                    categories := categories, depts := depts, rules := rules)
where inspections = 0
order by town_code, school_code
