-- dept_score_breakdown(A, S, E): dept_scores in long form, one row per department and
-- indicator: value, score (0–100), weight, points (its part of the total), has_data.
create or replace macro dept_score_breakdown(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with scores as (
    select * from dept_scores(a, s := s, e := e, towns := towns, school_types := school_types,
                              categories := categories, depts := depts, rules := rules)
),
long as (
    select dept_code, dept_name, score as total_score, rank,
           unnest([
               {'position': 1, 'indicator': 'rectification_rate', 'value': rectification_rate::double,
                'score': rectification_rate_score, 'weight': rectification_rate_weight, 'has_data': rectification_rate_has_data},
               {'position': 2, 'indicator': 'on_time_rate', 'value': on_time_rate::double,
                'score': on_time_rate_score, 'weight': on_time_rate_weight, 'has_data': on_time_rate_has_data},
               {'position': 3, 'indicator': 'overdue_open', 'value': overdue_open::double,
                'score': overdue_open_score, 'weight': overdue_open_weight, 'has_data': overdue_open_has_data},
               {'position': 4, 'indicator': 'meeting_attendance', 'value': meeting_attendance::double,
                'score': meeting_attendance_score, 'weight': meeting_attendance_weight, 'has_data': meeting_attendance_has_data},
               {'position': 5, 'indicator': 'median_days_to_rectify', 'value': median_days_to_rectify::double,
                'score': median_days_to_rectify_score, 'weight': median_days_to_rectify_weight,
                'has_data': median_days_to_rectify_has_data}
           ], recursive := true)
    from scores
),
final as (
    select *, score * weight / nullif(sum(weight) over (partition by dept_code), 0) as points
    from long
)
select * from final order by rank, dept_code, position
