-- town_meeting_months(A, S, E): the meeting grid, one row per town and calendar month touched
-- by [S, E]: how many 例会 (town monthly meetings) the town held that month, on or before A,
-- and whether it held at least one.
create or replace macro town_meeting_months(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with months as (
    select month from period_months(a, s, e)
),
held as (
    select town_code, date_trunc('month', meeting_date)::date as month, count(*) as meetings
    from meetings
    where meeting_type = town_meeting_type() and level = town_level() and meeting_date <= a::date
      and meeting_date >= date_trunc('month', period_start(a, s))
    group by all
),
final as (
    select t.town_code, t.town_name, m.month,
           coalesce(h.meetings, 0)::integer as meetings,
           h.meetings is not null as met
    from towns t
    cross join months m
    left join held h on h.town_code = t.town_code and h.month = m.month
    where in_list(towns, t.town_code)
)
select * from final order by town_code, month
