-- One row per member unit (成员单位), with its member (成员) and liaison (联络员).
with departments as (select * from int_departments_latest),
final as (select dept_code, dept_name, member, liaison, phone from departments)
select * from final
