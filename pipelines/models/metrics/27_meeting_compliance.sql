-- meeting_compliance(A, S, E): one row per town: the share of the calendar months touched by
-- [S, E] in which the town held at least one 例会 (SPEC §3), from town_meeting_months.
create or replace macro meeting_compliance(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with grid as (
    select * from town_meeting_months(a, s := s, e := e, towns := towns)
),
per_town as (
    select town_code, count(*) as months, count(*) filter (where met) as months_met, sum(meetings) as meetings
    from grid
    group by town_code
),
final as (
    select t.town_code, t.town_name,
           coalesce(p.months, 0)::integer as months,
           coalesce(p.months_met, 0)::integer as months_met,
           rate(p.months_met, p.months) as meeting_compliance,
           coalesce(p.meetings, 0)::integer as meetings
    from towns t
    left join per_town p using (town_code)
    where in_list(towns, t.town_code)
)
select * from final order by town_code
