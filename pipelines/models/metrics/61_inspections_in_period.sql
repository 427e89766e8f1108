-- inspections_in_period(A, S, E): the inspections (检查记录) held in [S, E], with the names of
-- the school, town and inspecting unit (a member unit, a town, a village, or the school itself:
-- self_check). Filters as inspection_coverage.
create or replace macro inspections_in_period(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
select i.inspection_id, i.inspection_date, i.dept_code, d.dept_name, i.school_code, sc.school_name,
       sc.school_type, sc.town_code, t.town_name, i.inspection_type, i.category, i.inspectors,
       i.hazards_found, i.score, i.inspector_kind, i.inspector_code,
       coalesce(d.dept_name, it.town_name, v.village_name, isc.school_name, i.inspector_code) as inspector_name,
       i.self_check
from inspections i
join schools sc on sc.school_code = i.school_code
left join towns t on t.town_code = sc.town_code
left join departments d on d.dept_code = i.dept_code
left join towns it on i.inspector_kind = 'town' and it.town_code = i.inspector_code
left join villages v on i.inspector_kind = 'village' and v.village_code = i.inspector_code
left join schools isc on i.inspector_kind = 'school' and isc.school_code = i.inspector_code
where i.inspection_date between period_start(a, s) and period_end(a, e)
  and in_list(towns, sc.town_code) and in_list(school_types, sc.school_type) and in_list(depts, i.dept_code)
  and (i.category is null or in_list(categories, i.category))
order by i.inspection_date, i.school_code, i.inspection_id
