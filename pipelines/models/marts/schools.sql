-- One row per school or kindergarten (学校/幼儿园).
with schools as (select * from int_schools_latest),
final as (
    select school_code, school_name, school_type, ownership, town_code, village_code, students, lat, lon
    from schools
)
select * from final
