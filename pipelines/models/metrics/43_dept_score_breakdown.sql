-- dept_score_breakdown(A, S, E): dept_scores in long form, the rows of score_units(), one row
-- per department and indicator: value, score (0–100; null when 不适用), weight (after rescaling; 0
-- when 不适用), base_weight (the rules' weight), status (有数据 / 不适用 / 未报送), points
-- (score_units(): its part of the total), has_data, and the unit's total_score, grade, ranked and
-- rank. `position` orders the indicators as the rules list them.
create or replace macro dept_score_breakdown(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with scored as (
    select * from score_units('dept', (select list(v) from dept_indicator_values(
        a, s := s, e := e, towns := towns, school_types := school_types, categories := categories,
        rules := rules) v), rules)
),
final as (
    select unit_code as dept_code, unit_name as dept_name, total_score, rank, position, indicator, value, score,
           weight, has_data, points, status, base_weight, grade, ranked
    from scored
)
select * from final where in_list(depts, dept_code) order by rank nulls last, dept_code, position
