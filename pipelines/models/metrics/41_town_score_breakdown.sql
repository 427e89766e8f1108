-- town_score_breakdown(A, S, E): town_scores in long form, the rows of score_units(), one row
-- per town and indicator: value, score (0–100; null when 不适用), weight (after rescaling; 0
-- when 不适用), base_weight (the rules' weight), status (有数据 / 不适用 / 未报送), points
-- (score_units(): its part of the total), has_data, and the unit's total_score, grade, ranked and
-- rank. `position` orders the indicators as the rules list them.
create or replace macro town_score_breakdown(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with scored as (
    select * from score_units('town', (select list(v) from town_indicator_values(
        a, s := s, e := e, school_types := school_types, categories := categories, depts := depts,
        rules := rules) v), rules)
),
final as (
    select unit_code as town_code, unit_name as town_name, total_score, rank, position, indicator, value, score,
           weight, has_data, points, status, base_weight, grade, ranked
    from scored
)
select * from final where in_list(towns, town_code) order by rank nulls last, town_code, position
