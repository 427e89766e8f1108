-- One row per accepted hazard-ledger row (a hazard as one report saw it), with the cross-report
-- parts of SPEC §2.1 settled for the values ingestion derived (listed in `derived`):
-- * a derived identity that is open again after an earlier report said 已销号 is a new hazard
--   (a repeat): its id gets the suffix -R<n>, n counting the reopenings, stable across rebuilds;
-- * a derived found date is the earliest found date over the hazard's reports, and a derived
--   deadline keeps its distance from it (found + the days the row's level gave);
-- * a derived rectified / closed date is the report date of the hazard's first report that says
--   so (never before the found date, the rectified date never after a typed closed date).
-- Typed values pass unchanged; only the hazards with a derived value anywhere go through the
-- window steps (a ledger that types everything costs a plain select).
with raw as (
    select *, trim(hazard_id) as hid, coalesce(derived, []::varchar[]) as derived_fields from raw_hazard_reports
),
touched_ids as (select distinct hid from raw where len(derived_fields) > 0),
plain as (select * from raw anti join touched_ids using (hid)),
source as (
    select * exclude (hid), list_contains(derived_fields, 'hazard_id') as id_derived
    from raw semi join touched_ids using (hid)
),
ordered as (
    select *,
           lag(status) over (partition by trim(hazard_id) order by report_date, ingest_id, sheet_index, "row") as previous_status
    from source
),
episodes as (
    select *,
           sum(case when id_derived and previous_status = '已销号' and status not in ('已整改', '已销号') then 1 else 0 end)
               over (partition by trim(hazard_id) order by report_date, ingest_id, sheet_index, "row"
                     rows between unbounded preceding and current row) as reopenings
    from ordered
),
identified as (
    select * exclude (hazard_id),
           case when reopenings > 0 then trim(hazard_id) || '-R' || reopenings::varchar else trim(hazard_id) end as hazard_id,
           found_date as row_found_date
    from episodes
),
settled as (
    select *,
           min(row_found_date) over (partition by hazard_id) as earliest_found,
           min(report_date) filter (where status in ('已整改', '已销号')) over (partition by hazard_id) as first_rectified_report,
           min(report_date) filter (where status = '已销号') over (partition by hazard_id) as first_closed_report
    from identified
),
dated as (
    select * exclude (found_date, deadline, rectified_date),
           case when list_contains(derived_fields, 'found_date') then earliest_found else row_found_date end as found_date,
           case when list_contains(derived_fields, 'deadline') and list_contains(derived_fields, 'found_date')
                then deadline - (row_found_date - earliest_found)::integer else deadline end as deadline,
           case when list_contains(derived_fields, 'rectified_date')
                then least(greatest(first_rectified_report,
                                    case when list_contains(derived_fields, 'found_date') then earliest_found else row_found_date end),
                           case when list_contains(derived_fields, 'closed_date') then null else closed_date end)
                else rectified_date end as rectified_date
    from settled
),
settled_all as (
    select ingest_id, sheet_index, sheet, "row", hazard_id, report_date, school_code, town_code, category, level,
           description, found_date, found_by_code, responsible_dept_code, deadline, measures, status, rectified_date,
           case when list_contains(derived_fields, 'closed_date') then greatest(first_closed_report, rectified_date)
                else closed_date end as closed_date,
           responsible_kind, responsible_code, responsible_person, supervision, notice_no, extended_deadline,
           verifier, verified_date, verification, derived_fields
    from dated
    union all by name
    select ingest_id, sheet_index, sheet, "row", hid as hazard_id, report_date, school_code, town_code, category, level,
           description, found_date, found_by_code, responsible_dept_code, deadline, measures, status, rectified_date,
           closed_date, responsible_kind, responsible_code, responsible_person, supervision, notice_no,
           extended_deadline, verifier, verified_date, verification, derived_fields
    from plain
),
final as (
    select ingest_id, sheet_index, sheet, "row",
           hazard_id, report_date, school_code, town_code, category, level, description,
           found_date, found_by_code, responsible_dept_code, deadline, measures, status,
           rectified_date, closed_date,
           coalesce(responsible_kind, 'department') as responsible_kind,
           coalesce(responsible_code, responsible_dept_code) as responsible_code,
           responsible_person, supervision, notice_no, extended_deadline, verifier, verified_date, verification,
           derived_fields as derived
    from settled_all
)
select * from final
