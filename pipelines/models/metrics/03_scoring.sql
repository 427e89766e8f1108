-- The scoring formulas of the evaluation (考核, SPEC §3; docs/metrics.md), written once for both
-- tiers (town_scores, dept_scores). Plain scalar SQL, like 02_formulas.sql.

-- A rate indicator's score: 100 × rate; 100 without data (the rate is null).
create or replace macro rate_score(rate) as coalesce(100 * rate, 100)::double;

-- A count indicator's score: 100 less points_per_unit per unit counted, never below 0; 100
-- without data.
create or replace macro per_unit_score(value, has_data, points_per_unit) as
    (case when has_data then greatest(0, 100 - points_per_unit * value) else 100 end)::double;

-- A days indicator's score: 100 up to full_at days, 0 from zero_at days, linear between; 100
-- without data (days is null).
create or replace macro days_score(days, full_at, zero_at) as
    (case when days is null then 100
          when days <= full_at then 100
          when days >= zero_at then 0
          else 100 * (zero_at - days) / (zero_at - full_at)
     end)::double;

-- The total: the weighted mean of the indicator scores (sum of score × weight / sum of weights),
-- rounded twice: first to 9 decimals, so that equal scores reached by different sums
-- (floating-point noise) tie, then to the rules' decimals. Null when every weight is 0.
create or replace macro weighted_score(sum_score_weight, sum_weight, decimals) as
    round(round(sum_score_weight / nullif(sum_weight, 0), 9), decimals);

-- An indicator's part of its unit's total (a breakdown's `points`): score × weight / Σ the unit's
-- weights, so a unit's points add up to its total before rounding. Null when every weight is 0.
create or replace macro indicator_points(score, weight, sum_weight) as
    score * weight / nullif(sum_weight, 0);

-- An indicator's score by the kind of its spec (a row of rules.indicators): a count indicator
-- has points_per_unit, a days indicator zero_at_days, any other is a rate. score_units() calls it.
create or replace macro indicator_score(value, has_data, points_per_unit, full_at_days, zero_at_days) as
    case when points_per_unit is not null then per_unit_score(value, has_data, points_per_unit)
         when zero_at_days is not null then days_score(value, full_at_days, zero_at_days)
         else rate_score(value)
    end;
