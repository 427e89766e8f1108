-- district_closure (a city table): the member units' closure summed per district as of D, one row
-- per district with a partition on D — over the hazards found in the period for which a member
-- unit is responsible: total, rectified, closed, their rates, on_time_rate, overdue_open,
-- median_days_to_rectify (over the district's rectified ones, not a median of medians), open,
-- risk (city weights), from unit_closure_found; units: the member units listed; units_overdue:
-- those with an overdue open.
with units as (
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
left join unit_closure_found f on f.district = p.district and f.as_of = p.as_of and f.whole_district
left join units u on u.district = p.district and u.as_of = p.as_of
order by p.district
