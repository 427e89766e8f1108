-- unit_closure_found: the closure counts of the hazards found in a partition's period for which a
-- member unit (成员单位) is responsible, as of D: per district × member unit (dept_code, whole_district
-- false) and per district over all of them (dept_code null, whole_district true; its median is over
-- the district's rectified hazards, not a median of medians): total, rectified, closed,
-- rectified_on_time (effective deadline), overdue_open, open, risk (city weights),
-- median_days_to_rectify. district_unit_closure and district_closure report them.
select h.district, h.as_of, h.responsible_code as dept_code,
       grouping(h.responsible_code) = 1 as whole_district,
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
group by grouping sets ((h.district, h.as_of, h.responsible_code), (h.district, h.as_of))
