-- overdue_by_dept(A): the hazards open and overdue as of A per responsible unit and overdue
-- bucket (1–3), in one pass: for each unit, the figures overdue_buckets gives for that unit's
-- scope (hazards, grave_open = 重大 among them, risk).
create or replace macro overdue_by_dept(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
select responsible_dept_code as dept_code, overdue_bucket, count(*)::integer as hazards,
       count(*) filter (where is_grave(level))::integer as grave_open, sum(risk)::double as risk
from hazard_states(a, s := s, e := e, towns := towns, school_types := school_types, categories := categories,
                   depts := depts, rules := rules)
where is_overdue
group by responsible_dept_code, overdue_bucket
order by dept_code, overdue_bucket
