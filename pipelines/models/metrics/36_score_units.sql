-- score_units(TIER, VALS, RULES): the evaluation (考核) of one tier, written once for both
-- (town_scores, dept_scores and their breakdowns read it). VALS is the tier's indicator values
-- as a list, `(select list(v) from town_indicator_values(...) v)` (a table macro cannot take a
-- table): rows {unit_code, unit_name, indicator, value, has_data, ...the tier's extras}. Each
-- row is joined to its indicator's spec in rules.indicators (tier, position, weight,
-- points_per_unit, full_at_days, zero_at_days), scored 0–100 by indicator_score(), and each
-- unit totalled by weighted_score() = Σ score × weight / Σ weight, rounded to
-- rules.score_decimals; rank 1 is best, ties share a rank (rank(): 1, 1, 3). Out: the rows of
-- VALS with position, weight, score, points, total_score and rank, one row per unit × indicator;
-- points = indicator_points() (03_scoring.sql: the indicator's part of its unit's total), given
-- here once for both breakdowns.
-- A unit's total reads its rows of `scored`: what decides an indicator's part in the total (its
-- weight today) is decided there once, for the total and the breakdowns alike.
create or replace macro score_units(of_tier, vals, rules) as table
with measured as (
    select unnest(v, recursive := true) from (select unnest(vals) as v)
),
specs as (
    select unnest(spec, recursive := true)
    from (select unnest(rules['indicators']) as spec)
    where spec.tier = of_tier
),
scored as (
    select m.*, sp.position::integer as position, sp.weight,
           indicator_score(m.value, m.has_data, sp.points_per_unit, sp.full_at_days, sp.zero_at_days) as score
    from measured m
    join specs sp using (indicator)
),
totals as (
    select unit_code, weighted_score(sum(score * weight), sum(weight), rules['score_decimals']::integer) as total_score
    from scored
    group by unit_code
),
ranked as (
    select unit_code, total_score, rank() over (order by total_score desc)::integer as rank from totals
)
select s.*, indicator_points(s.score, s.weight, sum(s.weight) over (partition by s.unit_code)) as points,
       r.total_score, r.rank
from scored s
join ranked r using (unit_code)
