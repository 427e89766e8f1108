-- district_totals: one row per district × as-of — its total (weighted_score(): Σ score × weight /
-- Σ weight, rounded to the city's rules' decimals; null when no indicator applies) and rank
-- (competition ranking among the districts of that as-of with a total: 1, 1, 3; 1 is best), as
-- 36_score_units.sql totals and ranks the towns. Grades: district_grades (14).
with sums as (
    select district, district_name, as_of, sum(score * weight) as score_weight, sum(weight) as weight
    from district_scored
    group by district, district_name, as_of
),
totals as (
    select s.district, s.district_name, s.as_of, weighted_score(s.score_weight, s.weight, r.score_decimals) as score
    from sums s
    cross join rollup r
)
select district, district_name, as_of, score,
       cast(case when score is not null
                 then rank() over (partition by as_of, score is not null order by score desc)
            end as integer) as rank
from totals
