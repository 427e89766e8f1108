-- headline_change(A, S, E): each headline figure now and at the end of the previous month
-- (A' = previous_month_end(A), same filters, period [S, min(E, A')], or the calendar year of A'
-- up to A' when S is not given), one row per figure: value, previous, change = value − previous.
create or replace macro headline_change(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with now_ as (
    select * from headline(a, s := s, e := e, towns := towns, school_types := school_types,
                           categories := categories, depts := depts, rules := rules)
),
before as (
    select * from headline(previous_month_end(a), s := s, e := e, towns := towns, school_types := school_types,
                           categories := categories, depts := depts, rules := rules)
),
figures as (  -- one row per figure and side, both sides read from the same headline macro
    select side, unnest([
        {'position': 1, 'metric': 'open_hazards', 'value': open_hazards::double},
        {'position': 2, 'metric': 'grave_open', 'value': grave_open::double},
        {'position': 3, 'metric': 'overdue_open', 'value': overdue_open::double},
        {'position': 4, 'metric': 'open_risk', 'value': open_risk::double},
        {'position': 5, 'metric': 'hazards_found', 'value': hazards_found::double},
        {'position': 6, 'metric': 'rectification_rate', 'value': rectification_rate::double},
        {'position': 7, 'metric': 'closure_rate', 'value': closure_rate::double},
        {'position': 8, 'metric': 'on_time_rate', 'value': on_time_rate::double},
        {'position': 9, 'metric': 'inspection_coverage', 'value': inspection_coverage::double},
        {'position': 10, 'metric': 'meeting_compliance', 'value': meeting_compliance::double}
    ], recursive := true)
    from (select 'now' as side, * from now_ union all select 'before' as side, * from before)
),
final as (
    select n.position, n.metric, n.value, b.value as previous, n.value - b.value as change,
           previous_month_end(a) as previous_as_of
    from figures n
    join figures b on b.metric = n.metric and b.side = 'before'
    where n.side = 'now'
)
select * from final order by position
