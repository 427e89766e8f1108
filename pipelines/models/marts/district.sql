-- One row: the district (区) and its principal-in-chief (区级安全总校长).
with district as (select * from int_district_latest),
final as (select district_name, principal from district)
select * from final
