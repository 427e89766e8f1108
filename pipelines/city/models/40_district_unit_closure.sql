-- district_unit_closure (a city table): member-unit (成员单位) closure by district as of D, one row
-- per district × member unit that the district's dept_closure.parquet lists (every member unit,
-- as SPEC §5) — dept_closure's figures counted again from the district's hazards for which the
-- unit is responsible, found in the partition's period: total, rectified, closed, their rates,
-- on_time_rate (effective deadline), overdue_open, median_days_to_rectify, open, risk (city
-- weights), from unit_closure_found. Member-unit codes are the district's own: compare across
-- districts by name.
select d.district, p.district_name, d.as_of, d.dept_code, d.dept_name,
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
from dept_closure d
join rollup r on r.as_of = d.as_of
join partitions p on p.district = d.district and p.as_of = d.as_of
left join unit_closure_found f on f.district = d.district and f.as_of = d.as_of and f.dept_code = d.dept_code
    and not f.whole_district
order by d.district, d.dept_code
