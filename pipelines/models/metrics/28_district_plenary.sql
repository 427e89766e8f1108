-- district_plenary(A): one row: whether the district held its 全体成员单位会议 (plenary of all
-- member units, level 区) in the calendar year of A, on or before A (SPEC §3).
create or replace macro district_plenary(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with plenaries as (
    select meeting_date
    from meetings
    where meeting_type = plenary_type() and level = district_level()
      and meeting_date between make_date(year(a::date), 1, 1) and a::date
),
held as (
    select count(*)::integer as plenaries, max(meeting_date) as last_plenary_date from plenaries
),
final as (
    select year(a::date)::integer as year, plenaries, last_plenary_date, plenaries > 0 as met
    from held
)
select * from final
