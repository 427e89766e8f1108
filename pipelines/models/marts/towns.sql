-- One row per town (镇), with its principal-in-chief (镇级安全总校长).
with towns as (select * from int_towns_latest),
final as (select town_code, town_name, principal from towns)
select * from final
