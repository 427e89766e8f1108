-- school_summary(A, S, E): one row per school (学校档案): its hazards open as of A (whenever
-- found), the hazards found in [S, E] and how many of them are rectified as of A, its
-- inspections in [S, E] and the date of the latest of them (the same inspections that are
-- counted: same period, categories and units; null when none), its 法治教育 visits in [S, E].
create or replace macro school_summary(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with chosen as (
    select sc.*, t.town_name
    from schools sc
    left join towns t using (town_code)
    where in_list(towns, sc.town_code) and in_list(school_types, sc.school_type)
),
hazard_counts as (
    select school_code,
           count(*) filter (where is_open) as open_hazards,
           count(*) filter (where is_open and is_grave(level)) as grave_open,
           count(*) filter (where is_overdue) as overdue_open,
           sum(risk) as risk,
           count(*) filter (where found_date between period_start(a, s) and period_end(a, e)) as hazards_found,
           count(*) filter (where found_date between period_start(a, s) and period_end(a, e) and is_rectified)
               as hazards_rectified
    from hazard_states(a, towns := towns, school_types := school_types, categories := categories,
                       depts := depts, rules := rules)
    group by school_code
),
visit_counts as (
    select school_code,
           count(*) filter (where counted) as inspections,
           max(inspection_date) filter (where counted) as last_inspection_date,
           count(*) filter (where inspection_date >= period_start(a, s) and inspection_type = legal_education_type())
               as legal_education_visits
    from (
        -- the inspections counted: in [S, E], of the chosen categories (an inspection with no
        -- category counts under any), by the chosen units
        select *, inspection_date >= period_start(a, s) and (category is null or in_list(categories, category)) as counted
        from inspections
        where inspection_date <= period_end(a, e) and in_list(depts, dept_code)
    )
    group by school_code
),
final as (
    select c.school_code, c.school_name, c.school_type, c.ownership, c.town_code, c.town_name,
           c.village_code, c.students, c.lat, c.lon,
           coalesce(h.open_hazards, 0)::integer as open_hazards,
           coalesce(h.grave_open, 0)::integer as grave_open,
           coalesce(h.overdue_open, 0)::integer as overdue_open,
           coalesce(h.risk, 0)::double as risk,
           coalesce(h.hazards_found, 0)::integer as hazards_found,
           coalesce(h.hazards_rectified, 0)::integer as hazards_rectified,
           coalesce(v.inspections, 0)::integer as inspections,
           v.last_inspection_date,
           coalesce(v.legal_education_visits, 0)::integer as legal_education_visits
    from chosen c
    left join hazard_counts h using (school_code)
    left join visit_counts v using (school_code)
)
select * from final order by town_code, school_code
