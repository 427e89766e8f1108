-- One row per accepted meeting row. Rows without 会议编号 get a stable id from their content.
-- invited / invited_codes: 应到单位 as typed and the registry units it names (SPEC §3 v2; [] when none).
with source as (select * from raw_meetings),
final as (
    select ingest_id, sheet_index, sheet, "row",
           coalesce(trim(meeting_id), 'auto-' || left(md5(concat_ws('|', meeting_date, meeting_type, level, town_code,
                    title, chair)), 16)) as meeting_id,
           title, meeting_type, level, town_code, meeting_date, chair, attendees, attendee_codes, topics, decisions,
           invited, coalesce(invited_codes, []::varchar[]) as invited_codes
    from source
)
select * from final
