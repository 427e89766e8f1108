-- One row: the district (区), its principal-in-chief (区级安全总校长) and its 区代码 (the 6-digit
-- administrative code, null when the registry has none: SPEC §2).
with district as (select * from int_district_latest),
final as (select district_name, principal, district_code from district)
select * from final
