-- supervision_list(A): the 挂牌督办 list (SPEC §2.2), one row per hazard as of A that is due for
-- 挂牌 and has none in force (due: open and its level among the rules' supervision levels, or
-- overdue more than supervision.overdue_days) or has a 挂牌 in force (督办级别 given, open — or
-- rectified while its latest verification failed), with its notice number (整改通知书编号):
--   due, in_force, days_open (A − found_date while open), days_overdue (A − effective deadline
--   when overdue, else 0), and the hazard's place, unit, deadlines and rework.
-- Filters as hazards_as_of (depts: the responsible member unit). Most overdue first.
create or replace macro supervision_list(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with listed as (
    select *
    from hazards_as_of(a, towns := towns, school_types := school_types, categories := categories,
                       depts := depts, rules := rules)
    where supervision_due or supervision_in_force
),
final as (
    select hazard_id, school_code, school_name, town_code, town_name, category, level, description,
           responsible_kind, responsible_code, responsible_name, supervision, notice_no,
           supervision_due as due, supervision_in_force as in_force, found_date, effective_deadline,
           extensions, rework, days_open, coalesce(days_overdue, 0)::integer as days_overdue, status
    from listed
)
select * from final order by days_overdue desc, found_date, hazard_id
