-- The scoring formulas of the evaluation (考核, SPEC §3 Evaluation v2; docs/metrics.md), written
-- once for both tiers (town_scores, dept_scores). Plain scalar SQL, like 02_formulas.sql.
-- An indicator a unit has no data for is not scored here at all: indicator_status() makes it
-- 不适用 (left out, the other weights rescaled) or 未报送 (a duty with no data: 0).

-- A rate indicator's score: 100 × rate.
create or replace macro rate_score(rate) as (100 * rate)::double;

-- A count indicator's score: 100 less points_per_unit per unit counted, never below 0.
create or replace macro per_unit_score(value, points_per_unit) as
    greatest(0, 100 - points_per_unit * value)::double;

-- A days indicator's score: 100 up to full_at days, 0 from zero_at days, linear between.
create or replace macro days_score(days, full_at, zero_at) as
    (case when days <= full_at then 100
          when days >= zero_at then 0
          else 100 * (zero_at - days) / (zero_at - full_at)
     end)::double;

-- An indicator's status for one unit (SPEC §3 v2): 不适用 when it cannot be measured for anyone
-- in the period, or it has a duty list the unit is not on, or (no duty list) the unit has no data;
-- 未报送 when the unit is on its duty list and has no data; else 有数据.
create or replace macro indicator_status(measurable, has_data, has_duty, on_duty) as
    case when not measurable then not_applicable_status()
         when has_duty and not on_duty then not_applicable_status()
         when has_data then with_data_status()
         when has_duty then not_reported_status()
         else not_applicable_status()
    end;

-- An indicator's score by its status and the kind of its spec (a row of rules.indicators): null
-- when 不适用, 0 when 未报送; else a count indicator (points_per_unit) by per_unit_score(), a days
-- indicator (zero_at_days) by days_score(), any other as a rate. score_units() calls it.
create or replace macro indicator_score(status, value, points_per_unit, full_at_days, zero_at_days) as
    case when status = not_applicable_status() then null
         when status = not_reported_status() then 0.0
         when points_per_unit is not null then per_unit_score(value, points_per_unit)
         when zero_at_days is not null then days_score(value, full_at_days, zero_at_days)
         else rate_score(value)
    end::double;

-- An indicator's weight after rescaling (SPEC §3 v2: the unit's applicable weights sum to 100):
-- base_weight × 100 / Σ the base weights of the unit's applicable indicators; 0 when 不适用 (or
-- when every applicable base weight is 0).
create or replace macro rescaled_weight(status, base_weight, applicable_base_weight) as
    case when status = not_applicable_status() then 0.0
         else coalesce(base_weight * 100 / nullif(applicable_base_weight, 0), 0.0)
    end::double;

-- The total: the weighted mean of the indicator scores (sum of score × weight / sum of weights),
-- rounded twice: first to 9 decimals, so that equal scores reached by different sums
-- (floating-point noise) tie, then to the rules' decimals. Null when every weight is 0 (no
-- applicable indicator).
create or replace macro weighted_score(sum_score_weight, sum_weight, decimals) as
    round(round(sum_score_weight / nullif(sum_weight, 0), 9), decimals);

-- An indicator's part of its unit's total (a breakdown's `points`): score × weight / Σ the unit's
-- weights, so a unit's points add up to its total before rounding; 0 when the indicator is
-- 不适用 (score null). Null when the unit has no applicable indicator.
create or replace macro indicator_points(score, weight, sum_weight) as
    coalesce(score, 0) * weight / nullif(sum_weight, 0);
