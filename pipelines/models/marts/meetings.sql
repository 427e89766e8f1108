-- One row per meeting (会议): district plenaries, topical meetings and town monthly meetings.
with meetings as (select * from int_meetings_deduped),
log as (select ingest_id, file from stg_ingest_log),
final as (
    select m.meeting_id, m.title, m.meeting_type, m.level, m.town_code, m.meeting_date, m.chair, m.attendees,
           m.topics, m.decisions, len(m.attendee_codes) as attendee_count,
           m.invited, m.invited_codes,
           m.ingest_id, log.file as source_file, m.sheet, m."row"
    from meetings m left join log using (ingest_id)
)
select * from final
