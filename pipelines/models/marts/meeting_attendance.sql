-- One row per meeting and unit (department or town) that the meeting invited (应到) or whose
-- attendee list (参会单位) names (SPEC §3 v2). Invited: every member unit (department of the
-- registry) to a 全体成员单位会议; to a 专题会议 the units of its 应到单位, or, when it names none,
-- the units that attended; to any other meeting the units that attended.
with meetings as (select * from int_meetings_deduped),
departments as (select dept_code from int_departments_latest),
attended as (
    select meeting_id, unnest(attendee_codes) as unit_code from meetings
),
invited as (
    select m.meeting_id, d.dept_code as unit_code
    from meetings m cross join departments d
    where m.meeting_type = '全体成员单位会议'
    union
    select meeting_id, unnest(invited_codes) as unit_code
    from meetings
    where meeting_type = '专题会议' and len(invited_codes) > 0
    union
    select a.meeting_id, a.unit_code
    from attended a join meetings m using (meeting_id)
    where m.meeting_type <> '全体成员单位会议' and not (m.meeting_type = '专题会议' and len(m.invited_codes) > 0)
),
units as (
    select meeting_id, unit_code, bool_or(is_invited) as invited, bool_or(is_attended) as attended
    from (select meeting_id, unit_code, false as is_invited, true as is_attended from attended
          union all
          select meeting_id, unit_code, true, false from invited)
    group by meeting_id, unit_code
),
final as (
    select m.meeting_id, m.meeting_date, m.level, m.meeting_type, u.unit_code,
           case when d.dept_code is not null then 'department' else 'town' end as unit_kind,
           u.invited, u.attended
    from units u
    join meetings m using (meeting_id)
    left join departments d on d.dept_code = u.unit_code
)
select * from final
