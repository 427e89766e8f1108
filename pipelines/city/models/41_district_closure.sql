-- district_closure (a city table): the member units' closure summed per district as of D, one row
-- per district with a partition on D — over the hazards found in the period for which a member
-- unit is responsible: total, rectified, closed, their rates, on_time_rate, overdue_open,
-- median_days_to_rectify (over the district's rectified ones, not a median of medians), open,
-- risk (city weights); units: the member units listed; units_overdue: those with an overdue open.
with found as (
    select h.district, h.as_of,
           count(*) as total,
           count(*) filter (where h.is_rectified) as rectified,
           count(*) filter (where h.is_closed) as closed,
           count(*) filter (where on_time(h.is_rectified, h.rectified_date, h.effective_deadline)) as rectified_on_time,
           count(*) filter (where h.is_overdue) as overdue_open,
           count(*) filter (where h.is_open) as open,
           sum(hazard_risk(h.level, h.is_open, h.is_overdue, r.risk_general, r.risk_major, r.risk_grave,
                           r.overdue_factor)) as risk,
           median(date_diff('day', h.found_date, h.rectified_date)) filter (where h.is_rectified)
               as median_days_to_rectify
    from hazards h
    join rollup r on r.as_of = h.as_of
    join partitions p on p.district = h.district and p.as_of = h.as_of
    where h.responsible_kind = 'department' and h.found_date between p.period_start and p.period_end
    group by h.district, h.as_of
),
units as (
    select district, as_of, count(*) as units, count(*) filter (where overdue_open > 0) as units_overdue
    from district_unit_closure
    group by district, as_of
)
select p.district, p.district_name, p.as_of,
       cast(coalesce(u.units, 0) as integer) as units,
       cast(coalesce(u.units_overdue, 0) as integer) as units_overdue,
       cast(coalesce(f.total, 0) as integer) as total,
       cast(coalesce(f.rectified, 0) as integer) as rectified,
       cast(rate(f.rectified, f.total) as double) as rectification_rate,
       cast(coalesce(f.closed, 0) as integer) as closed,
       cast(rate(f.closed, f.total) as double) as closure_rate,
       cast(rate(f.rectified_on_time, f.rectified) as double) as on_time_rate,
       cast(coalesce(f.overdue_open, 0) as integer) as overdue_open,
       cast(f.median_days_to_rectify as double) as median_days_to_rectify,
       cast(coalesce(f.rectified_on_time, 0) as integer) as rectified_on_time,
       cast(coalesce(f.open, 0) as integer) as open,
       cast(coalesce(f.risk, 0) as double) as risk
from partitions p
join rollup r on r.as_of = p.as_of
left join found f on f.district = p.district and f.as_of = p.as_of
left join units u on u.district = p.district and u.as_of = p.as_of
order by p.district
