-- dept_scores(A, S, E): the evaluation (考核) of every member unit, one row per department, over
-- the hazards it is responsible for found in [S, E] (state as of A), with the weights and
-- thresholds of the rules (SPEC §3). For each indicator: value, 0–100 score, weight, has_data;
-- an indicator without data scores 100. score = Σ score × weight / Σ weight, rounded to
-- rules.score_decimals; rank 1 is best, ties share a rank (rank()).
--   rectification_rate      dept_closure()                  score = 100 × rate
--   on_time_rate            dept_closure()                  score = 100 × rate
--   overdue_open            dept_closure()                  score = max(0, 100 − points × count)
--   meeting_attendance      dept_meeting_attendance()       score = 100 × share
--   median_days_to_rectify  dept_closure()                  score = 100 at ≤ full_at_days, 0 at ≥ zero_at_days,
--                                                            linear between
-- Every department is ranked among all departments under the other filters; `depts` then
-- keeps rows.
create or replace macro dept_scores(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with closure as (
    select * from dept_closure(a, s := s, e := e, towns := towns, school_types := school_types,
                               categories := categories, rules := rules)
),
attendance as (
    select dept_code, meeting_attendance from dept_meeting_attendance(a, s := s, e := e)
),
w as (
    select rules['dept']['rectification_rate']['weight']::double as rectification_rate,
           rules['dept']['on_time_rate']['weight']::double as on_time_rate,
           rules['dept']['overdue_open']['weight']::double as overdue_open,
           rules['dept']['overdue_open']['points_per_unit']::double as overdue_points,
           rules['dept']['meeting_attendance']['weight']::double as meeting_attendance,
           rules['dept']['median_days_to_rectify']['weight']::double as median_days_to_rectify,
           rules['dept']['median_days_to_rectify']['full_at_days']::double as full_at_days,
           rules['dept']['median_days_to_rectify']['zero_at_days']::double as zero_at_days
),
scored as (
    select c.dept_code, c.dept_name, c.total as hazards,
           c.rectification_rate, c.on_time_rate, c.overdue_open, att.meeting_attendance, c.median_days_to_rectify,
           rate_score(c.rectification_rate) as rectification_rate_score,
           w.rectification_rate as rectification_rate_weight,
           c.rectification_rate is not null as rectification_rate_has_data,
           rate_score(c.on_time_rate) as on_time_rate_score,
           w.on_time_rate as on_time_rate_weight,
           c.on_time_rate is not null as on_time_rate_has_data,
           per_unit_score(c.overdue_open, c.total > 0, w.overdue_points) as overdue_open_score,
           w.overdue_open as overdue_open_weight,
           c.total > 0 as overdue_open_has_data,
           rate_score(att.meeting_attendance) as meeting_attendance_score,
           w.meeting_attendance as meeting_attendance_weight,
           att.meeting_attendance is not null as meeting_attendance_has_data,
           days_score(c.median_days_to_rectify, w.full_at_days, w.zero_at_days) as median_days_to_rectify_score,
           w.median_days_to_rectify as median_days_to_rectify_weight,
           c.median_days_to_rectify is not null as median_days_to_rectify_has_data
    from closure c
    left join attendance att using (dept_code)
    cross join w
),
totals as (
    select *,
           weighted_score(rectification_rate_score * rectification_rate_weight
                          + on_time_rate_score * on_time_rate_weight
                          + overdue_open_score * overdue_open_weight
                          + meeting_attendance_score * meeting_attendance_weight
                          + median_days_to_rectify_score * median_days_to_rectify_weight,
                          rectification_rate_weight + on_time_rate_weight + overdue_open_weight
                          + meeting_attendance_weight + median_days_to_rectify_weight,
                          rules['score_decimals']::integer) as score
    from scored
),
final as (
    select dept_code, dept_name, rectification_rate, on_time_rate, overdue_open, meeting_attendance,
           median_days_to_rectify, score, rank() over (order by score desc)::integer as rank,
           * exclude (dept_code, dept_name, rectification_rate, on_time_rate, overdue_open, meeting_attendance,
                      median_days_to_rectify, score)
    from totals
)
select * from final where in_list(depts, dept_code) order by rank, dept_code
