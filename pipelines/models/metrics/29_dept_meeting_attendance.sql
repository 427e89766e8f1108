-- dept_meeting_attendance(A, S, E): one row per member unit: its attendance (参会率) at the
-- district-level (区) meetings held in [S, E] that it was invited to (应到, SPEC §3 v2; who is
-- invited: marts/meeting_attendance). district_meetings = the district-level meetings held in
-- [S, E]; invited = those the unit was invited to; attended = those of them whose attendee list
-- (参会单位) names it; meeting_attendance = attended / invited, null when invited to none.
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
invitations as (
    select unit_code as dept_code,
           count(distinct meeting_id) as invited,
           count(distinct meeting_id) filter (where attended) as attended
    from meeting_attendance semi join district_meetings using (meeting_id)
    where unit_kind = 'department' and invited
    group by unit_code
),
final as (
    select d.dept_code, d.dept_name,
           held.district_meetings::integer as district_meetings,
           coalesce(inv.attended, 0)::integer as attended,
           rate(coalesce(inv.attended, 0), coalesce(inv.invited, 0)) as meeting_attendance,
           coalesce(inv.invited, 0)::integer as invited
    from departments d
    cross join held
    left join invitations inv using (dept_code)
    where in_list(depts, d.dept_code)
)
select * from final order by dept_code
