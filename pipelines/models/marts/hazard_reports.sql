-- One row per hazard per report (隐患台账的每一次填报): the full history of every hazard, with
-- the closed loop of SPEC §2.2 as it stands after each report — cumulative over the hazard's
-- reports up to and including this one, in (report_date, report_seq) order — so that the state
-- as of A is a lookup of the report in force on A, with no aggregation per A:
--   effective_deadline      the greatest 延期至 so far, else this report's 整改时限
--   extensions              reports whose 延期至 raised the effective deadline above the one
--                           before (distinct raises: a repeated or a lower 延期至 is no raise)
--   rework                  distinct failed verifications (验收结果 不通过) so far, told apart by
--                           验收日期; without one, a 不通过 right after a 不通过 is the same failure
--                           repeated: a repeated failed row counts once
--   verified                a passing verification (通过) so far
--   last_verification       the latest 验收结果 so far (通过 / 不通过, null when none)
--   any_verification_column some report so far came from a sheet with a 验收结果 column
--   standing_supervision,   the latest 督办级别 / 整改通知书编号 given so far: a 挂牌 stands until the
--   standing_notice_no      hazard is rectified (SPEC §2.2), so a later ledger without the column
--                           (a town's monthly ledger, say) does not lift it
-- Only hazards with a 延期至, a 验收结果, a verification column or a 督办级别 run the windows; every
-- other report gets the values those windows would give (deadline, 0, 0, false, null, false, null, null).
-- reports is materialized: it is read three times (the loop hazards, their reports, the final
-- select), and each reading otherwise ran the staging and intermediate views again.
with reports as materialized (select * from int_hazard_reports_deduped),
log as (select ingest_id, file from stg_ingest_log),
-- The windows run over a narrow copy of the loop hazards' reports (the sorts carry 8 columns,
-- not 35), and their results join back by (hazard_id, report_date).
loop_reports as materialized (
    select hazard_id, report_date, report_seq, deadline, extended_deadline, verification, verification_column,
           supervision, notice_no,
           case when verification = '不通过' then verified_date end as failure
    from reports
    where hazard_id in (select hazard_id from reports
                        where extended_deadline is not null or verification is not null or verification_column
                              or supervision is not null)
),
-- each distinct dated failure (hazard, 验收日期) and the report that first says it: a repeated
-- failed row is not a new failure (a hash aggregate, not a third sort). A failure without a
-- 验收日期 is told apart by what came before it (windowed): it is new unless the report before
-- said 不通过 too (a monthly ledger repeating the failed row without a date).
failures as (
    select hazard_id, min(report_date) as report_date, true as new_failure
    from loop_reports where failure is not null
    group by hazard_id, failure
),
windowed as (
    select hazard_id, report_date, report_seq, deadline, extended_deadline,
           max(extended_deadline) over (w rows between unbounded preceding and current row) as running_extension,
           max(extended_deadline) over (w rows between unbounded preceding and 1 preceding) as previous_extension,
           lag(deadline) over w as previous_deadline,
           coalesce(bool_or(verification = '通过') over (w rows between unbounded preceding and current row), false)
               as verified,
           last_value(verification ignore nulls) over (w rows between unbounded preceding and current row)
               as last_verification,
           bool_or(verification_column) over (w rows between unbounded preceding and current row)
               as any_verification_column,
           last_value(supervision ignore nulls) over (w rows between unbounded preceding and current row)
               as standing_supervision,
           last_value(notice_no ignore nulls) over (w rows between unbounded preceding and current row)
               as standing_notice_no,
           coalesce(f.new_failure, false)
               or (verification = '不通过' and failure is null
                   and coalesce(lag(verification) over w, '') <> '不通过') as new_failure
    from loop_reports left join failures f using (hazard_id, report_date)
    window w as (partition by hazard_id order by report_date, report_seq)
),
looped as materialized (
    select hazard_id, report_date, verified, last_verification, any_verification_column,
           standing_supervision, standing_notice_no,
           coalesce(running_extension, deadline) as effective_deadline,
           sum((extended_deadline > coalesce(previous_extension, previous_deadline, deadline))::integer)
               over (w rows between unbounded preceding and current row) as extensions,
           sum(new_failure::integer) over (w rows between unbounded preceding and current row) as rework
    from windowed
    window w as (partition by hazard_id order by report_date, report_seq)
),
final as (
    select r.hazard_id, r.report_date, r.report_seq, r.next_report_date, r.school_code, r.town_code, r.category, r.level,
           r.description, r.found_date, r.found_by_code, r.responsible_dept_code, r.deadline, r.measures,
           r.status, r.rectified_date, r.closed_date,
           r.responsible_kind, r.responsible_code, r.responsible_person, r.supervision, r.notice_no,
           r.extended_deadline, r.verifier, r.verified_date, r.verification, r.derived,
           r.ingest_id, log.file as source_file, r.sheet, r."row",
           r.verification_column,
           coalesce(l.effective_deadline, r.deadline) as effective_deadline,
           coalesce(l.extensions, 0)::integer as extensions,
           coalesce(l.rework, 0)::integer as rework,
           coalesce(l.verified, false) as verified,
           l.last_verification,
           coalesce(l.any_verification_column, false) as any_verification_column,
           l.standing_supervision,
           l.standing_notice_no
    from reports r
    left join looped l using (hazard_id, report_date)
    left join log using (ingest_id)
)
select * from final
