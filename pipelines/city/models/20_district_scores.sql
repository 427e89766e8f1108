-- district_scores (a city table): the districts ranked as of D on the towns' indicators, the
-- city's rules — one row per district with any committed partition up to D. The columns of
-- town_scores.parquet (SPEC §5) with district for town: each indicator's value, <indicator>_score,
-- _weight and _status; score, rank (null without a score), grade; the counts behind the rates;
-- risk (city weights) and risk_per_school. reported is false for a district whose latest
-- partition is older than D (last_as_of): it is listed, without figures, and not ranked.
with latest as (
    select district, max(as_of) as last_as_of
    from partitions
    group by district
),
names as (
    select p.district, p.district_name, l.last_as_of
    from partitions p
    join latest l on l.district = p.district and l.last_as_of = p.as_of
),
wide as (
    select s.district, s.as_of,
           max(case when s.indicator = 'rectification_rate' then s.value end) as rectification_rate,
           max(case when s.indicator = 'on_time_rate' then s.value end) as on_time_rate,
           max(case when s.indicator = 'inspection_coverage' then s.value end) as inspection_coverage,
           max(case when s.indicator = 'meeting_compliance' then s.value end) as meeting_compliance,
           max(case when s.indicator = 'overdue_open_per_school' then s.value end) as overdue_open_per_school,
           max(case when s.indicator = 'reporting' then s.value end) as reporting,
           max(case when s.indicator = 'rectification_rate' then s.score end) as rectification_rate_score,
           max(case when s.indicator = 'rectification_rate' then s.weight end) as rectification_rate_weight,
           max(case when s.indicator = 'rectification_rate' then s.status end) as rectification_rate_status,
           max(case when s.indicator = 'on_time_rate' then s.score end) as on_time_rate_score,
           max(case when s.indicator = 'on_time_rate' then s.weight end) as on_time_rate_weight,
           max(case when s.indicator = 'on_time_rate' then s.status end) as on_time_rate_status,
           max(case when s.indicator = 'inspection_coverage' then s.score end) as inspection_coverage_score,
           max(case when s.indicator = 'inspection_coverage' then s.weight end) as inspection_coverage_weight,
           max(case when s.indicator = 'inspection_coverage' then s.status end) as inspection_coverage_status,
           max(case when s.indicator = 'meeting_compliance' then s.score end) as meeting_compliance_score,
           max(case when s.indicator = 'meeting_compliance' then s.weight end) as meeting_compliance_weight,
           max(case when s.indicator = 'meeting_compliance' then s.status end) as meeting_compliance_status,
           max(case when s.indicator = 'overdue_open_per_school' then s.score end) as overdue_open_per_school_score,
           max(case when s.indicator = 'overdue_open_per_school' then s.weight end) as overdue_open_per_school_weight,
           max(case when s.indicator = 'overdue_open_per_school' then s.status end) as overdue_open_per_school_status,
           max(case when s.indicator = 'reporting' then s.score end) as reporting_score,
           max(case when s.indicator = 'reporting' then s.weight end) as reporting_weight,
           max(case when s.indicator = 'reporting' then s.status end) as reporting_status
    from district_scored s
    join rollup r on r.as_of = s.as_of
    group by s.district, s.as_of
)
select n.district, n.district_name, r.as_of, n.last_as_of, n.last_as_of = r.as_of as reported,
       w.rectification_rate, w.on_time_rate, w.inspection_coverage, w.meeting_compliance,
       w.overdue_open_per_school, w.reporting, g.score, g.rank, g.grade,
       c.towns, c.schools, c.hazards, c.rectified, c.rectified_on_time, c.overdue_open, c.inspected_schools,
       c.town_months, c.town_months_met, c.open_hazards, c.risk,
       cast(case when c.schools > 0 then c.risk / c.schools end as double) as risk_per_school,
       c.period_start, c.period_end,
       w.rectification_rate_score, w.rectification_rate_weight, w.rectification_rate_status,
       w.on_time_rate_score, w.on_time_rate_weight, w.on_time_rate_status,
       w.inspection_coverage_score, w.inspection_coverage_weight, w.inspection_coverage_status,
       w.meeting_compliance_score, w.meeting_compliance_weight, w.meeting_compliance_status,
       w.overdue_open_per_school_score, w.overdue_open_per_school_weight, w.overdue_open_per_school_status,
       w.reporting_score, w.reporting_weight, w.reporting_status
from names n
cross join rollup r
left join wide w on w.district = n.district
left join district_grades g on g.district = n.district and g.as_of = r.as_of
left join partition_counts c on c.district = n.district and c.as_of = r.as_of
order by g.rank nulls last, n.district
