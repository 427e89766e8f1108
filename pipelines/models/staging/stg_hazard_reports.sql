-- One row per accepted hazard-ledger row (a hazard as one report saw it), with the cross-report
-- parts of SPEC §2.1 settled for the values ingestion derived (listed in `derived`):
-- * a derived identity that is open again after an earlier report said 已销号 is a new hazard
--   (a repeat): its id gets the suffix -R<n>, n counting the reopenings, stable across rebuilds;
-- * a derived found date is the earliest found date over the hazard's reports, and a derived
--   deadline keeps its distance from it (found + the days the row's level gave);
-- * a derived rectified / closed date is the report date of the hazard's first report that says
--   so (never before the found date, the rectified date never after a typed closed date).
-- Typed values pass unchanged. The costly steps run only where they can change something: the
-- ordered window (repeats) only over identities with a 已销号 report dated no later than an open
-- report of a derived id, the per-hazard minimums (one hash aggregate, joined back) only over
-- hazards with a derived date. Every other row is a plain select.
with raw as not materialized (
    select * exclude (hazard_id), trim(hazard_id) as hazard_id, coalesce(derived, []::varchar[]) as derived_fields
    from raw_hazard_reports
),
-- A repeat needs a 已销号 report followed by an open report of a derived id: a superset of the
-- identities where that can happen, found by one aggregate (dates only, so ties stay in).
reopen_candidates as materialized (
    select hazard_id from raw
    group by hazard_id
    having min(report_date) filter (where status = '已销号')
        <= max(report_date) filter (where list_contains(derived_fields, 'hazard_id') and status not in ('已整改', '已销号'))
),
ordered as (
    select *,
           lag(status) over (partition by hazard_id order by report_date, ingest_id, sheet_index, "row") as previous_status
    from raw semi join reopen_candidates using (hazard_id)
),
episodes as (
    select *,
           sum(case when list_contains(derived_fields, 'hazard_id') and previous_status = '已销号'
                         and status not in ('已整改', '已销号') then 1 else 0 end)
               over (partition by hazard_id order by report_date, ingest_id, sheet_index, "row"
                     rows between unbounded preceding and current row) as reopenings
    from ordered
),
identified as not materialized (
    select * exclude (hazard_id, previous_status, reopenings),
           case when reopenings > 0 then hazard_id || '-R' || reopenings::varchar else hazard_id end as hazard_id
    from episodes
    union all by name
    select * from raw anti join reopen_candidates using (hazard_id)
),
settled as (
    select hazard_id,
           min(found_date) as earliest_found,
           min(report_date) filter (where status in ('已整改', '已销号')) as first_rectified_report,
           min(report_date) filter (where status = '已销号') as first_closed_report
    from identified
    group by hazard_id
    having bool_or(list_has_any(derived_fields, ['found_date', 'rectified_date', 'closed_date']))
),
dated as (
    select i.* exclude (found_date, deadline, rectified_date),
           i.found_date as row_found_date, s.earliest_found, s.first_closed_report,
           case when list_contains(derived_fields, 'found_date') then s.earliest_found else i.found_date end as found_date,
           case when list_contains(derived_fields, 'deadline') and list_contains(derived_fields, 'found_date')
                then i.deadline - (i.found_date - s.earliest_found)::integer else i.deadline end as deadline,
           case when list_contains(derived_fields, 'rectified_date')
                then least(greatest(s.first_rectified_report,
                                    case when list_contains(derived_fields, 'found_date') then s.earliest_found else i.found_date end),
                           case when list_contains(derived_fields, 'closed_date') then null else i.closed_date end)
                else i.rectified_date end as rectified_date
    from identified i left join settled s using (hazard_id)
),
final as (
    select ingest_id, sheet_index, sheet, "row",
           hazard_id, report_date, school_code, town_code, category, level, description,
           found_date, found_by_code, responsible_dept_code, deadline, measures, status,
           rectified_date,
           case when list_contains(derived_fields, 'closed_date') then greatest(first_closed_report, rectified_date)
                else closed_date end as closed_date,
           coalesce(responsible_kind, 'department') as responsible_kind,
           coalesce(responsible_code, responsible_dept_code) as responsible_code,
           responsible_person, supervision, notice_no, extended_deadline, verifier, verified_date, verification,
           derived_fields as derived,
           coalesce(verification_column, false) as verification_column  -- null: loaded before the column existed
    from dated
)
select * from final
