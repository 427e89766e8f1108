-- unit_indicators(A, S, E): every indicator of every evaluated unit, both tiers in long form
-- (SPEC §5 unit_indicators.parquet), one row per tier × unit × indicator: tier ('town' / 'dept'),
-- unit_code, unit_name, position, indicator (the column names of town_scores / dept_scores), value,
-- score (null when 不适用), weight (after rescaling; 0 when 不适用), status (有数据 / 不适用 /
-- 未报送), base_weight (the rules' weight), points (its part of the unit's total). The rows of
-- town_score_breakdown and dept_score_breakdown under the same filters (`towns` keeps town rows
-- and cuts the departments' hazards, `depts` keeps department rows and cuts the towns' hazards,
-- as in those macros).
create or replace macro unit_indicators(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with towns_part as (
    select 'town' as tier, town_code as unit_code, town_name as unit_name, position, indicator, value, score,
           weight, status, base_weight, points
    from town_score_breakdown(a, s := s, e := e, towns := towns, school_types := school_types,
                              categories := categories, depts := depts, rules := rules)
),
depts_part as (
    select 'dept' as tier, dept_code as unit_code, dept_name as unit_name, position, indicator, value, score,
           weight, status, base_weight, points
    from dept_score_breakdown(a, s := s, e := e, towns := towns, school_types := school_types,
                              categories := categories, depts := depts, rules := rules)
),
final as (
    select * from towns_part
    union all
    select * from depts_part
)
select * from final order by tier desc, unit_code, position
