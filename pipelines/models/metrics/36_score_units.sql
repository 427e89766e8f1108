-- score_units(TIER, VALS, RULES): the evaluation (考核, SPEC §3 Evaluation v2) of one tier, written
-- once for both (town_scores, dept_scores, their breakdowns and unit_indicators read it). VALS is
-- the tier's indicator values as a list, `(select list(v) from town_indicator_values(...) v)` (a
-- table macro cannot take a table): rows {unit_code, unit_name, indicator, value, has_data,
-- measurable, ...the tier's extras}. Each row is joined to its indicator's spec in
-- rules.indicators (tier, position, weight, points_per_unit, full_at_days, zero_at_days, duty)
-- and, per unit × indicator (03_scoring.sql):
--   status       indicator_status(): 有数据 / 不适用 / 未报送. A unit is on a duty list when its
--                code equals an entry or its name contains one.
--   base_weight  the rules' weight
--   weight       rescaled_weight(): base_weight × 100 / Σ base weights of the unit's applicable
--                (not 不适用) indicators; 0 when 不适用
--   score        indicator_score(): 0–100; null when 不适用, 0 when 未报送
--   points       indicator_points(): its part of the unit's total (0 when 不适用)
-- and per unit: total_score = weighted_score() (Σ score × weight / Σ weight, rounded to
-- rules.score_decimals; null when no indicator applies); ranked = has a total and an applicable
-- indicator other than meeting_attendance (a unit that only attended meetings is 不参与排名);
-- rank = competition rank (1, 1, 3; 1 is best) among the ranked units, null for the others;
-- grade = the first band of rules.grades (best first) whose min the total reaches, else
-- rules.grade_below; null without a total. Out: the rows of VALS with these columns.
create or replace macro score_units(of_tier, vals, rules) as table
with measured as (
    select unnest(v, recursive := true) from (select unnest(vals) as v)
),
specs as (
    select spec.indicator, spec.position::integer as position, spec.weight::double as base_weight,
           spec.points_per_unit, spec.full_at_days, spec.zero_at_days, spec.duty
    from (select unnest(rules['indicators']) as spec)
    where spec.tier = of_tier
),
judged as (
    select m.*, sp.position, sp.base_weight,
           indicator_status(m.measurable, m.has_data, sp.duty is not null,
                            len(list_filter(coalesce(sp.duty, []::varchar[]),
                                            lambda d: d = m.unit_code or contains(m.unit_name, d))) > 0) as status,
           sp.points_per_unit, sp.full_at_days, sp.zero_at_days
    from measured m
    join specs sp using (indicator)
),
scored as (
    select * exclude (points_per_unit, full_at_days, zero_at_days),
           rescaled_weight(status, base_weight,
                           sum(base_weight) filter (where status <> not_applicable_status()) over (partition by unit_code)) as weight,
           indicator_score(status, value, points_per_unit, full_at_days, zero_at_days) as score
    from judged
),
totals as (
    -- what decides an indicator's part in the total (its status and weight) is decided in
    -- `scored` once, for the total and the breakdowns alike.
    select unit_code,
           weighted_score(sum(score * weight), sum(weight), rules['score_decimals']::integer) as total_score,
           count(*) filter (where status <> not_applicable_status() and indicator <> 'meeting_attendance') > 0 as beyond_attendance
    from scored
    group by unit_code
),
ranked as (
    select unit_code, total_score, total_score is not null and beyond_attendance as ranked
    from totals
),
ranks as (
    select unit_code, total_score, ranked,
           case when ranked then rank() over (partition by ranked order by total_score desc) end::integer as rank,
           case when total_score is not null
                then coalesce(list_filter(rules['grades'], lambda g: total_score >= g.min)[1].grade, rules['grade_below'])
           end::varchar as grade
    from ranked
)
select s.*, indicator_points(s.score, s.weight, sum(s.weight) over (partition by s.unit_code)) as points,
       r.total_score, r.ranked, r.rank, r.grade
from scored s
join ranks r using (unit_code)
