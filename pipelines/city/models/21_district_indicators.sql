-- district_indicators (a city table): the breakdown of every district's score as of D, one row
-- per district × indicator (unit_indicators.parquet's columns, SPEC §5): value, score (null when
-- 不适用), weight (after rescaling; 0 when 不适用), base_weight (the city's rules), status
-- (有数据 / 不适用 / 未报送), points (its part of the total).
select s.district, s.district_name, s.as_of, s.indicator, s.position, s.value, s.score, s.weight,
       s.base_weight, s.status, s.points
from district_scored s
join rollup r on r.as_of = s.as_of
order by s.district, s.position
