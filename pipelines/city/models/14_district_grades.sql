-- district_grades: district_totals with each district's grade (等次): the first band of
-- rule_grades (best first) whose min the total reaches, else rollup.grade_below; null without a
-- total (36_score_units.sql's grade).
with bands as (
    select t.district, t.as_of, g.grade,
           row_number() over (partition by t.district, t.as_of order by g.position) as band
    from district_totals t
    join rule_grades g on t.score >= g.min_score
)
select t.district, t.district_name, t.as_of, t.score, t.rank,
       case when t.score is not null then coalesce(b.grade, r.grade_below) end as grade
from district_totals t
cross join rollup r
left join bands b on b.district = t.district and b.as_of = t.as_of and b.band = 1
