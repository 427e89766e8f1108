-- partition_counts: one row per committed partition used (district × as-of ≤ D), with the counts
-- the city's indicators divide — summed from the district's own snapshot tables, never averaged
-- rates (SPEC §3, pipelines/models/metrics/34_town_indicator_values.sql for the towns):
--   hazards, rectified, rectified_on_time, overdue_open   hazards.parquet: the hazards found in the
--       partition's period [period_start, period_end] (its manifest's), their state as of its as-of
--   towns, schools, inspected_schools    inspection_coverage.parquet summed over the towns
--   town_months, town_months_met         meeting_compliance.parquet summed over the towns
--   reporting, reporting_due             town_scores.parquet: the towns' reporting where due. Every
--       town of a district has the same months due, so their mean is Σ reported / Σ due exactly.
--   open_hazards, risk                   every hazard open as of the as-of (whenever found), its
--       risk weighed by the CITY's rules (rollup.risk_*), not the district's
-- Inputs: the lake views (each with district and as_of) and partitions, rollup (one row).
with found as (
    select h.district, h.as_of,
           count(*) as hazards,
           count(*) filter (where h.is_rectified) as rectified,
           count(*) filter (where on_time(h.is_rectified, h.rectified_date, h.effective_deadline)) as rectified_on_time,
           count(*) filter (where h.is_overdue) as overdue_open
    from hazards h
    join partitions p on p.district = h.district and p.as_of = h.as_of
    where h.found_date between p.period_start and p.period_end
    group by h.district, h.as_of
),
open_now as (
    select h.district, h.as_of,
           count(*) as open_hazards,
           sum(hazard_risk(h.level, h.is_open, h.is_overdue, r.risk_general, r.risk_major, r.risk_grave,
                           r.overdue_factor)) as risk
    from hazards h
    cross join rollup r
    where h.is_open
    group by h.district, h.as_of
),
coverage as (
    select district, as_of, count(*) as towns, sum(schools) as schools, sum(inspected_schools) as inspected_schools
    from inspection_coverage
    group by district, as_of
),
meetings as (
    select district, as_of, sum(months) as town_months, sum(months_met) as town_months_met
    from meeting_compliance
    group by district, as_of
),
reporting as (
    select district, as_of,
           avg(case when reporting_has_data then reporting end) as reporting,
           bool_or(reporting_has_data) as reporting_due
    from town_scores
    group by district, as_of
)
select p.district, p.district_name, p.as_of, p.period_start, p.period_end,
       cast(coalesce(c.towns, 0) as integer) as towns,
       cast(coalesce(c.schools, 0) as integer) as schools,
       cast(coalesce(c.inspected_schools, 0) as integer) as inspected_schools,
       cast(coalesce(f.hazards, 0) as integer) as hazards,
       cast(coalesce(f.rectified, 0) as integer) as rectified,
       cast(coalesce(f.rectified_on_time, 0) as integer) as rectified_on_time,
       cast(coalesce(f.overdue_open, 0) as integer) as overdue_open,
       cast(coalesce(m.town_months, 0) as integer) as town_months,
       cast(coalesce(m.town_months_met, 0) as integer) as town_months_met,
       cast(g.reporting as double) as reporting,
       coalesce(g.reporting_due, false) as reporting_due,
       cast(coalesce(o.open_hazards, 0) as integer) as open_hazards,
       cast(coalesce(o.risk, 0) as double) as risk
from partitions p
left join found f on f.district = p.district and f.as_of = p.as_of
left join open_now o on o.district = p.district and o.as_of = p.as_of
left join coverage c on c.district = p.district and c.as_of = p.as_of
left join meetings m on m.district = p.district and m.as_of = p.as_of
left join reporting g on g.district = p.district and g.as_of = p.as_of
