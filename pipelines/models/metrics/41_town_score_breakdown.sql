-- town_score_breakdown(A, S, E): town_scores in long form, one row per town and indicator:
-- value, score (0–100), weight, points (= score × weight / Σ weights, its part of the total),
-- has_data. `position` orders the indicators as the rules list them.
create or replace macro town_score_breakdown(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with scores as (
    select * from town_scores(a, s := s, e := e, towns := towns, school_types := school_types,
                              categories := categories, depts := depts, rules := rules)
),
long as (
    select town_code, town_name, score as total_score, rank,
           unnest([
               {'position': 1, 'indicator': 'rectification_rate', 'value': rectification_rate::double,
                'score': rectification_rate_score, 'weight': rectification_rate_weight, 'has_data': rectification_rate_has_data},
               {'position': 2, 'indicator': 'on_time_rate', 'value': on_time_rate::double,
                'score': on_time_rate_score, 'weight': on_time_rate_weight, 'has_data': on_time_rate_has_data},
               {'position': 3, 'indicator': 'inspection_coverage', 'value': inspection_coverage::double,
                'score': inspection_coverage_score, 'weight': inspection_coverage_weight, 'has_data': inspection_coverage_has_data},
               {'position': 4, 'indicator': 'meeting_compliance', 'value': meeting_compliance::double,
                'score': meeting_compliance_score, 'weight': meeting_compliance_weight, 'has_data': meeting_compliance_has_data},
               {'position': 5, 'indicator': 'overdue_open_per_school', 'value': overdue_open_per_school::double,
                'score': overdue_open_per_school_score, 'weight': overdue_open_per_school_weight,
                'has_data': overdue_open_per_school_has_data}
           ], recursive := true)
    from scores
),
final as (
    select *, score * weight / nullif(sum(weight) over (partition by town_code), 0) as points
    from long
)
select * from final order by rank, town_code, position
