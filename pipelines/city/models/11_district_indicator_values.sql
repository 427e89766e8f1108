-- district_indicator_values: what the city's evaluation measures, one row per district × as-of ×
-- indicator — the towns' indicators (SPEC §3, 34_town_indicator_values.sql) with the district as
-- the unit: value, has_data (false: no data for it, SPEC §3 v2) and measurable (false: 不适用 for
-- every district of that as-of).
--   rectification_rate      rectified / hazards found
--   on_time_rate            rectified by the effective deadline / rectified
--   inspection_coverage     schools inspected / schools (every town's)
--   meeting_compliance      town-months with a 例会 / town-months of the period
--   overdue_open_per_school overdue open / schools (has_data: hazards found and schools)
--   reporting               the towns' reporting (measurable and has_data: a month is due)
select district, district_name, as_of, 'rectification_rate' as indicator,
       cast(rate(rectified, hazards) as double) as value, hazards > 0 as has_data, true as measurable
from partition_counts
union all
select district, district_name, as_of, 'on_time_rate',
       cast(rate(rectified_on_time, rectified) as double), rectified > 0, true
from partition_counts
union all
select district, district_name, as_of, 'inspection_coverage',
       cast(rate(inspected_schools, schools) as double), schools > 0, true
from partition_counts
union all
select district, district_name, as_of, 'meeting_compliance',
       cast(rate(town_months_met, town_months) as double), town_months > 0, true
from partition_counts
union all
select district, district_name, as_of, 'overdue_open_per_school',
       cast(case when schools > 0 then overdue_open / schools end as double), hazards > 0 and schools > 0, true
from partition_counts
union all
select district, district_name, as_of, 'reporting',
       reporting, reporting_due, reporting_due
from partition_counts
