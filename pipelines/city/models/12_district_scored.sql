-- district_scored: the city's evaluation of the districts, one row per district × as-of ×
-- indicator — 36_score_units.sql's steps with the district as the unit and the CITY's rules
-- (rule_indicators: the [town.*] specs of the city's rules file; the districts' own weights play
-- no part), through the same scoring formulas (03_scoring.sql):
--   status  indicator_status(): 有数据 / 不适用 / 未报送 (a duty entry names a district by its code
--           or a part of its name)
--   weight  rescaled_weight(): the rules' weight × 100 / Σ the applicable weights; 0 when 不适用
--   score   indicator_score(): 0–100; null when 不适用, 0 when 未报送
--   points  indicator_points(): its part of the district's total
-- The totals, ranks and grades: district_totals (13).
with on_duty as (
    select p.district, p.as_of, d.indicator
    from partitions p
    join rule_duties d on d.entry = p.district or contains(p.district_name, d.entry)
    group by p.district, p.as_of, d.indicator
),
judged as (
    select v.district, v.district_name, v.as_of, v.indicator, v.value, v.has_data, v.measurable,
           r.position, r.weight as base_weight, r.points_per_unit, r.full_at_days, r.zero_at_days,
           indicator_status(v.measurable, v.has_data, r.has_duty, u.indicator is not null) as status
    from district_indicator_values v
    join rule_indicators r on r.indicator = v.indicator
    left join on_duty u on u.district = v.district and u.as_of = v.as_of and u.indicator = v.indicator
),
scored as (
    select district, district_name, as_of, indicator, position, value, has_data, status, base_weight,
           rescaled_weight(status, base_weight,
                           sum(case when status <> not_applicable_status() then base_weight end)
                               over (partition by district, as_of)) as weight,
           indicator_score(status, value, points_per_unit, full_at_days, zero_at_days) as score
    from judged
)
select district, district_name, as_of, indicator, position, value, has_data, status, base_weight, weight, score,
       cast(indicator_points(score, weight, sum(weight) over (partition by district, as_of)) as double) as points
from scored
