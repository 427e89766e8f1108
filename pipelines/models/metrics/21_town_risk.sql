-- town_risk(A): the risk heatmap (风险热力图), one row per town and category with any hazard
-- open as of A, whenever it was found (SPEC §3): risk = sum of the open hazards' risk index.
create or replace macro town_risk(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with open_hazards as (
    select *
    from hazard_states(a, towns := towns, school_types := school_types, categories := categories,
                       depts := depts, rules := rules)
    where is_open
),
final as (
    select h.town_code, t.town_name, h.category,
           sum(h.risk)::double as risk,
           count(*)::integer as open_hazards,
           count(*) filter (where h.is_overdue)::integer as overdue_open,
           count(*) filter (where is_grave(h.level))::integer as grave_open
    from open_hazards h
    left join towns t using (town_code)
    group by h.town_code, t.town_name, h.category
)
select * from final order by town_code, category
