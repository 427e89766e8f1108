-- headline(A, S, E): the overview's figures, one row:
--   open_hazards, grave_open (重大), overdue_open, open_risk — hazards open as of A, whenever found;
--   hazards_found, rectified, closed, rectification_rate, closure_rate, on_time_rate — hazards
--   found in [S, E], their state as of A (as dept_closure, over all departments; overdue and
--   on time against the effective deadline of SPEC §2.2);
--   inspection_coverage — schools with an inspection in [S, E] / schools (as inspection_coverage);
--   meeting_compliance — town-months with a 例会 / town-months touched by [S, E] (null under a
--     `depts` filter: 例会 are a town's record, not a member unit's);
--   plenary_held — the district's 全体成员单位会议 in the year of A (district_plenary).
create or replace macro headline(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with hazard_counts as (  -- one pass: open as of A (whenever found), and found in [S, E]
    select count(*) filter (where is_open)::integer as open_hazards,
           count(*) filter (where is_open and is_grave(level))::integer as grave_open,
           count(*) filter (where is_overdue)::integer as overdue_open,
           coalesce(sum(risk), 0)::double as open_risk,
           count(*) filter (where in_period)::integer as hazards_found,
           count(*) filter (where in_period and is_rectified)::integer as rectified,
           count(*) filter (where in_period and is_closed)::integer as closed,
           count(*) filter (where in_period and on_time(is_rectified, rectified_date, effective_deadline)) as rectified_on_time
    from (
        select *, found_date between period_start(a, s) and period_end(a, e) as in_period
        from hazard_states(a, towns := towns, school_types := school_types, categories := categories,
                           depts := depts, rules := rules)
    )
),
coverage as (
    select rate(sum(inspected_schools), sum(schools)) as inspection_coverage
    from inspection_coverage(a, s := s, e := e, towns := towns, school_types := school_types,
                             categories := categories, depts := depts)
),
compliance as (
    select rate(sum(months_met), sum(months)) as meeting_compliance
    from meeting_compliance(a, s := s, e := e, towns := if(len(depts) = 0, towns, ['']))
),
plenary as (
    select met as plenary_held from district_plenary(a)
),
final as (
    select a::date as as_of, period_start(a, s) as period_start, period_end(a, e) as period_end,
           h.open_hazards, h.grave_open, h.overdue_open, h.open_risk,
           h.hazards_found, h.rectified, h.closed,
           rate(h.rectified, h.hazards_found) as rectification_rate,
           rate(h.closed, h.hazards_found) as closure_rate,
           rate(h.rectified_on_time, h.rectified) as on_time_rate,
           c.inspection_coverage::double as inspection_coverage,
           m.meeting_compliance::double as meeting_compliance,
           p.plenary_held
    from hazard_counts h, coverage c, compliance m, plenary p
)
select * from final
