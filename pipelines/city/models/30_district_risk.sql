-- district_risk (a city table): the district × category heatmap as of D — every hazard open on
-- the district's as-of date, whenever found (SPEC §3 risk), risk = Σ hazard_risk() with the
-- CITY's risk weights; one row per district and category with an open hazard. risk_per_school:
-- risk / the district's schools.
select h.district, p.district_name, h.as_of, h.category,
       cast(sum(hazard_risk(h.level, h.is_open, h.is_overdue, r.risk_general, r.risk_major, r.risk_grave,
                            r.overdue_factor)) as double) as risk,
       cast(count(*) as integer) as open_hazards,
       cast(count(*) filter (where h.is_overdue) as integer) as overdue_open,
       cast(count(*) filter (where is_grave(h.level)) as integer) as grave_open,
       cast(sum(hazard_risk(h.level, h.is_open, h.is_overdue, r.risk_general, r.risk_major, r.risk_grave,
                            r.overdue_factor)) / nullif(max(c.schools), 0) as double) as risk_per_school
from hazards h
join rollup r on r.as_of = h.as_of
join partitions p on p.district = h.district and p.as_of = h.as_of
join partition_counts c on c.district = h.district and c.as_of = h.as_of
where h.is_open
group by h.district, p.district_name, h.as_of, h.category
order by h.district, h.category
