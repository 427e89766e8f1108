-- headline_change(A, S, E): each headline figure now and at the end of the previous month
-- (A' = previous_month_end(A), same filters, period [S, min(E, A')], or the calendar year of A'
-- up to A' when S is not given), one row per figure: value, previous, change = value − previous.

-- headline_pairs(n, b): the ten figures of two headline rows (n now, b before), side by side.
create or replace macro headline_pairs(n, b) as [
    {'position': 1, 'metric': 'open_hazards', 'value': n.open_hazards::double, 'previous': b.open_hazards::double},
    {'position': 2, 'metric': 'grave_open', 'value': n.grave_open::double, 'previous': b.grave_open::double},
    {'position': 3, 'metric': 'overdue_open', 'value': n.overdue_open::double, 'previous': b.overdue_open::double},
    {'position': 4, 'metric': 'open_risk', 'value': n.open_risk::double, 'previous': b.open_risk::double},
    {'position': 5, 'metric': 'hazards_found', 'value': n.hazards_found::double, 'previous': b.hazards_found::double},
    {'position': 6, 'metric': 'rectification_rate', 'value': n.rectification_rate::double,
     'previous': b.rectification_rate::double},
    {'position': 7, 'metric': 'closure_rate', 'value': n.closure_rate::double, 'previous': b.closure_rate::double},
    {'position': 8, 'metric': 'on_time_rate', 'value': n.on_time_rate::double, 'previous': b.on_time_rate::double},
    {'position': 9, 'metric': 'inspection_coverage', 'value': n.inspection_coverage::double,
     'previous': b.inspection_coverage::double},
    {'position': 10, 'metric': 'meeting_compliance', 'value': n.meeting_compliance::double,
     'previous': b.meeting_compliance::double}
];

-- headline_rows(pairs, a): headline_pairs as rows with the change and the date compared with.
create or replace macro headline_rows(pairs, a) as table
select p.position, p.metric, p.value, p.previous, p.value - p.previous as change, previous_month_end(a) as previous_as_of
from (select unnest(pairs) as p)
order by p.position;

create or replace macro headline_change(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
select * from headline_rows(
    (select headline_pairs(n, b)
     from headline(a, s := s, e := e, towns := towns, school_types := school_types, categories := categories,
                   depts := depts, rules := rules) n,
          headline(previous_month_end(a), s := s, e := e, towns := towns, school_types := school_types,
                   categories := categories, depts := depts, rules := rules) b),
    a);
