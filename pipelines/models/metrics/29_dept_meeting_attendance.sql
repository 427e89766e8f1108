-- dept_meeting_attendance(A, S, E): one row per member unit: the share of the district-level
-- (区) meetings held in [S, E] whose attendee list (参会单位) names it (SPEC §3); null when
-- the district held no meeting in the period.
create or replace macro dept_meeting_attendance(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with district_meetings as (
    select meeting_id
    from meetings
    where level = district_level() and meeting_date between period_start(a, s) and period_end(a, e)
),
held as (
    select count(*) as district_meetings from district_meetings
),
attended as (
    select unit_code as dept_code, count(distinct meeting_id) as attended
    from meeting_attendance semi join district_meetings using (meeting_id)
    where unit_kind = 'department'
    group by unit_code
),
final as (
    select d.dept_code, d.dept_name,
           held.district_meetings::integer as district_meetings,
           coalesce(att.attended, 0)::integer as attended,
           rate(coalesce(att.attended, 0), held.district_meetings) as meeting_attendance
    from departments d
    cross join held
    left join attended att using (dept_code)
    where in_list(depts, d.dept_code)
)
select * from final order by dept_code
