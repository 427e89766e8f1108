-- town_scores(A, S, E): the evaluation (考核) of every town, one row per town, over the hazards
-- found in [S, E] (state as of A), with the weights and thresholds of the rules (SPEC §3).
-- For each indicator: its value, its 0–100 score, its weight and whether it had data; an
-- indicator without data scores 100 (has_data false). score = Σ score × weight / Σ weight,
-- rounded to rules.score_decimals; rank 1 is best, ties share a rank (rank()).
--   rectification_rate      rectified / hazards found              score = 100 × rate
--   on_time_rate            rectified by deadline / rectified      score = 100 × rate
--   inspection_coverage     inspection_coverage()                  score = 100 × share
--   meeting_compliance      meeting_compliance()                   score = 100 × share
--   overdue_open_per_school overdue open / schools                 score = max(0, 100 − points × value)
-- Every town is ranked among all towns under the other filters; `towns` then keeps rows.
create or replace macro town_scores(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with found as (
    select town_code,
           count(*) as hazards,
           count(*) filter (where is_rectified) as rectified,
           count(*) filter (where on_time(is_rectified, rectified_date, deadline)) as rectified_on_time,
           count(*) filter (where is_overdue) as overdue_open
    from hazard_states(a, school_types := school_types, categories := categories, depts := depts, rules := rules)
    where found_date between period_start(a, s) and period_end(a, e)
    group by town_code
),
coverage as (
    select town_code, schools, inspection_coverage
    from inspection_coverage(a, s := s, e := e, school_types := school_types, categories := categories, depts := depts)
),
compliance as (
    select town_code, meeting_compliance from meeting_compliance(a, s := s, e := e)
),
indicator_values as (
    select t.town_code, t.town_name,
           coalesce(c.schools, 0)::integer as schools,
           coalesce(f.hazards, 0)::integer as hazards,
           coalesce(f.overdue_open, 0)::integer as overdue_open,
           rate(f.rectified, f.hazards) as rectification_rate,
           rate(f.rectified_on_time, f.rectified) as on_time_rate,
           c.inspection_coverage,
           m.meeting_compliance,
           case when c.schools > 0 then coalesce(f.overdue_open, 0) / c.schools end as overdue_open_per_school,
           coalesce(f.hazards, 0) > 0 and coalesce(c.schools, 0) > 0 as overdue_has_data
    from towns t
    left join found f using (town_code)
    left join coverage c using (town_code)
    left join compliance m using (town_code)
),
w as (
    select rules['town']['rectification_rate']['weight']::double as rectification_rate,
           rules['town']['on_time_rate']['weight']::double as on_time_rate,
           rules['town']['inspection_coverage']['weight']::double as inspection_coverage,
           rules['town']['meeting_compliance']['weight']::double as meeting_compliance,
           rules['town']['overdue_open_per_school']['weight']::double as overdue_open_per_school,
           rules['town']['overdue_open_per_school']['points_per_unit']::double as overdue_points
),
scored as (
    select v.*,
           rate_score(v.rectification_rate) as rectification_rate_score,
           w.rectification_rate as rectification_rate_weight,
           v.rectification_rate is not null as rectification_rate_has_data,
           rate_score(v.on_time_rate) as on_time_rate_score,
           w.on_time_rate as on_time_rate_weight,
           v.on_time_rate is not null as on_time_rate_has_data,
           rate_score(v.inspection_coverage) as inspection_coverage_score,
           w.inspection_coverage as inspection_coverage_weight,
           v.inspection_coverage is not null as inspection_coverage_has_data,
           rate_score(v.meeting_compliance) as meeting_compliance_score,
           w.meeting_compliance as meeting_compliance_weight,
           v.meeting_compliance is not null as meeting_compliance_has_data,
           per_unit_score(v.overdue_open_per_school, v.overdue_has_data, w.overdue_points)
               as overdue_open_per_school_score,
           w.overdue_open_per_school as overdue_open_per_school_weight,
           v.overdue_has_data as overdue_open_per_school_has_data
    from indicator_values v cross join w
),
totals as (
    select * exclude (overdue_has_data),
           weighted_score(rectification_rate_score * rectification_rate_weight
                          + on_time_rate_score * on_time_rate_weight
                          + inspection_coverage_score * inspection_coverage_weight
                          + meeting_compliance_score * meeting_compliance_weight
                          + overdue_open_per_school_score * overdue_open_per_school_weight,
                          rectification_rate_weight + on_time_rate_weight + inspection_coverage_weight
                          + meeting_compliance_weight + overdue_open_per_school_weight,
                          rules['score_decimals']::integer) as score
    from scored
),
final as (
    select town_code, town_name, rectification_rate, on_time_rate, inspection_coverage, meeting_compliance,
           overdue_open_per_school, score, rank() over (order by score desc)::integer as rank,
           * exclude (town_code, town_name, rectification_rate, on_time_rate, inspection_coverage,
                      meeting_compliance, overdue_open_per_school, score)
    from totals
)
select * from final where in_list(towns, town_code) order by rank, town_code
