-- One row per meeting and member unit (department or town) its attendee list names.
with meetings as (select * from int_meetings_deduped),
departments as (select dept_code from int_departments_latest),
units as (
    select meeting_id, meeting_date, level, meeting_type, unnest(attendee_codes) as unit_code
    from meetings
),
final as (
    select distinct u.meeting_id, u.meeting_date, u.level, u.meeting_type, u.unit_code,
           case when d.dept_code is not null then 'department' else 'town' end as unit_kind
    from units u left join departments d on d.dept_code = u.unit_code
)
select * from final
