-- One row per village or community (村/社区), with its principal-in-chief.
with villages as (select * from int_villages_latest),
final as (select village_code, village_name, town_code, principal from villages)
select * from final
