-- Each formula once: the words of the domain the metric macros test against, the rates and
-- predicates they share, and the risk index of one hazard. Plain scalar SQL only (case, nullif,
-- coalesce, comparisons, arithmetic): issue 17 expands these bodies into Spark SQL.

-- The words, each the value of its xiaoan.vocabulary constant (tests/test_metrics_formulas.py
-- keeps them equal): GRAVE_LEVEL, CLOSED_STATUS, RECTIFIED_STATUSES, LEGAL_EDUCATION,
-- TOWN_MEETING, PLENARY, DISTRICT_LEVEL, TOWN_LEVEL, INDICATOR_STATUSES; the level words of LEVEL_RISK_KEY in hazard_risk.
create or replace macro grave_level() as '重大';
create or replace macro closed_status() as '已销号';
-- A status that says the hazard is rectified (已整改, or 已销号 which implies it).
create or replace macro is_rectified_status(status) as status in ('已整改', closed_status());
create or replace macro legal_education_type() as '法治教育';   -- an inspection type
create or replace macro town_meeting_type() as '例会';          -- a meeting type: a town's monthly meeting
create or replace macro plenary_type() as '全体成员单位会议';     -- a meeting type: the district plenary
create or replace macro district_level() as '区';               -- a meeting level
create or replace macro town_level() as '镇';                   -- a meeting level
create or replace macro failed_verification() as '不通过';     -- a 验收结果 (vocabulary FAILED)
create or replace macro in_progress_status() as '整改中';      -- the status a failed verification gives back

-- The report's 验收结果 is 不通过: the hazard is not rectified as of that report (SPEC §2.2).
create or replace macro is_failed_verification(verification) as coalesce(verification = failed_verification(), false);
-- An indicator's status for a unit in the evaluation (SPEC §3 v2; vocabulary.INDICATOR_STATUSES).
create or replace macro with_data_status() as '有数据';
create or replace macro not_applicable_status() as '不适用';
create or replace macro not_reported_status() as '未报送';

-- A 重大 hazard.
create or replace macro is_grave(level) as level = grave_level();

-- A rate: n / d, null when d is 0 (no data, not a zero rate).
create or replace macro rate(n, d) as n / nullif(d, 0);

-- Rectified by its deadline (the numerator of on_time_rate, whose denominator is the rectified).
create or replace macro on_time(is_rectified, rectified_date, deadline) as is_rectified and rectified_date <= deadline;

-- The risk index (风险指数) of one hazard: its level's weight (rules [risk]: general, major,
-- grave) × overdue_factor when overdue, when open; 0 when rectified.
create or replace macro hazard_risk(level, is_open, is_overdue, general, major, grave, overdue_factor) as
    case when not is_open then 0.0
         else (case when is_grave(level) then grave when level = '较大' then major
                    when level = '一般' then general end)
              * (case when is_overdue then overdue_factor else 1.0 end)
    end;

-- Needs attention (需要关注): an open hazard that is overdue or 重大 — what the overview lists and
-- the briefing (report.html) prints, riskiest first (xiaoan.metrics HAZARD_ORDERS['attention']).
create or replace macro needs_attention(is_open, is_overdue, level) as is_open and (is_overdue or is_grave(level));
