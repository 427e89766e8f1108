-- district_score_trend (a city table): every district at every as-of date in the lake up to D,
-- scored and ranked among the districts of that date by the city's rules: score, rank, grade,
-- the rates, hazards found, overdue open, open hazards and risk (city weights).
select t.as_of, t.district, t.district_name, t.score, t.rank, t.grade,
       c.hazards, c.rectified, c.overdue_open, c.open_hazards, c.risk,
       cast(rate(c.rectified, c.hazards) as double) as rectification_rate,
       cast(rate(c.rectified_on_time, c.rectified) as double) as on_time_rate
from district_grades t
join partition_counts c on c.district = t.district and c.as_of = t.as_of
order by t.as_of, t.rank nulls last, t.district
