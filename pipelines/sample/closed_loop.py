"""The closed loop of SPEC §2.2 in the standard district's ledgers.

Each hazard gets a 责任人; some get an extension (延期至, once or twice); some rectifications
fail their verification (验收结果 不通过: the hazard is back 整改中 in the next ledgers, then
rectified again and passed); rectified hazards are verified (验收人, 验收日期, 通过) before they
are struck off, except a few struck off without one; 重大 hazards are mostly 区级挂牌 and some
long-overdue ones 镇级挂牌, each with its 整改通知书编号.

Ledgers carry the §2.2 columns from the office's new template on (`cutover`: the second school
year of the sample); earlier ledgers have 责任人 only, as many offices' did.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.sample.periods import Calendar
from pipelines.sample.registry import Registry, person_names

CUTOVER_MONTHS = 12        # months of ledgers before the new template
_NEVER = np.datetime64("NaT", "D")
DISTRICT_SUPERVISION, TOWN_SUPERVISION = "区级挂牌", "镇级挂牌"
PASS, FAIL = "通过", "不通过"
LOOP_COLUMNS = ("supervision", "notice_no", "extended_deadline", "verifier", "verified_date",
                "verification")


def cutover(cal: Calendar) -> int:
    """The first month index whose ledger carries the §2.2 columns."""
    return CUTOVER_MONTHS if cal.n_months > CUTOVER_MONTHS + 6 else 0


def _days(x) -> np.ndarray:
    return np.asarray(np.round(x)).astype(np.int64).astype("timedelta64[D]")


def _dates(frame: pl.DataFrame, col: str) -> np.ndarray:
    return frame[col].to_numpy().astype("datetime64[D]")


def _notice_numbers(issuer: pl.Series, day: np.ndarray, on: np.ndarray) -> pl.Series:
    """〔year〕第N号 numbers, N counting each issuer's notices of a year in date order."""
    frame = pl.DataFrame({"issuer": issuer, "day": pl.Series(day).cast(pl.Date),
                          "on": on, "row": np.arange(len(on))})
    year = pl.col("day").dt.year()
    numbered = frame.filter("on").sort("day", "row").with_columns(
        k=pl.int_range(pl.len()).over("issuer", year) + 1,
    ).select("row", notice=pl.format("{}〔{}〕第{}号", "issuer", year, "k"))
    return frame.join(numbered, on="row", how="left").sort("row")["notice"]


def add_closed_loop(hazards: pl.DataFrame, reg: Registry, cal: Calendar,
                    rng: np.random.Generator) -> pl.DataFrame:
    """The hazards with the dates and words of their closed loop (columns used by
    `report_states`): person, ext1/ext2 (+ _granted), first_fix, fail_date, repeat_fail,
    verified_date, verifier, unverified, supervision, supervision_from, notice_no."""
    n = hazards.height
    found, deadline = _dates(hazards, "found_date"), _dates(hazards, "deadline")
    rectified, closed = _dates(hazards, "rectified_date"), _dates(hazards, "closed_date")
    level = hazards["level"].to_numpy()
    open_ = np.isnat(rectified)
    cut = cutover(cal)

    # 责任人: two people per responsible unit, one of them named on each hazard.
    units, inv = np.unique(hazards["responsible"].to_numpy().astype(str), return_inverse=True)
    pool = person_names(rng, 2 * len(units)).to_numpy()
    person = pool[2 * inv + rng.integers(0, 2, n)]

    # Extensions: asked for shortly before the deadline by hazards that would miss it.
    late = open_ | (rectified > deadline)
    ext = late & (rng.random(n) < np.where(level == "一般", 0.12, 0.4))
    granted1 = np.maximum(deadline - _days(rng.integers(1, 6, n)), found)
    ext1 = deadline + _days(rng.integers(15, 61, n))
    second = ext & (open_ | (rectified > ext1)) & (rng.random(n) < 0.35)
    granted2 = ext1 - _days(rng.integers(1, 6, n))
    ext2 = ext1 + _days(rng.integers(15, 46, n))

    # A failed verification: a first rectification is rejected; the hazard is worked on again
    # and rectified (the hazard's rectified_date) at least two ledgers later.
    span = (rectified - found).astype(np.int64)
    first_fix = found + _days(np.where(open_, 0, span) * 0.45)
    fail = first_fix + _days(rng.integers(3, 9, n))
    fail_month = cal.report_month_of(np.where(open_, found, fail))
    fix_month = cal.report_month_of(np.where(open_, found, rectified))
    fails = (~open_ & (span >= 25) & (fail_month >= cut) & (fix_month >= fail_month + 2)
             & (rng.random(n) < 0.12))

    # The passing verification, between rectification and closure.
    wait = np.where(np.isnat(closed), rng.integers(3, 15, n),
                    (closed - np.where(open_, closed, rectified)).astype(np.int64) * 0.6)
    verified = np.where(open_, _NEVER, rectified + _days(np.floor(wait)))
    verifiers = person_names(rng, 10).to_numpy()
    verifier = verifiers[rng.integers(0, len(verifiers), n)]
    unverified = ~np.isnat(closed) & (rng.random(n) < 0.02)

    # 挂牌督办: most 重大 hazards by the district when found, some long-overdue ones by their
    # town; a 挂牌 only while the hazard is still open.
    final = np.where(second, ext2, np.where(ext, ext1, deadline))
    district_from = found + _days(rng.integers(2, 8, n))
    district = (level == "重大") & (rng.random(n) < 0.75) & (open_ | (rectified > district_from))
    town_from = final + _days(rng.integers(31, 45, n))
    town = ~district & (level != "重大") & (open_ | (rectified > town_from + 7)) \
        & (rng.random(n) < 0.45)
    sup_from = np.where(district, district_from, np.where(town, town_from, _NEVER))
    short = reg.district_name[0]
    town_short = hazards["town_code"].replace_strict(
        dict(reg.towns.select("town_code", pl.col("town_name").str.slice(0, 2)).rows()))
    issuer = pl.select(pl.when(pl.Series(district)).then(pl.lit(f"{short}教安督"))
                       .otherwise(town_short + "安督")).to_series()

    date = lambda a: pl.Series(a).cast(pl.Date)  # noqa: E731
    return hazards.with_columns(
        person=pl.Series(person),
        ext1_granted=date(np.where(ext, granted1, _NEVER)), ext1=date(np.where(ext, ext1, _NEVER)),
        ext2_granted=date(np.where(second, granted2, _NEVER)),
        ext2=date(np.where(second, ext2, _NEVER)),
        first_fix=date(np.where(fails, first_fix, _NEVER)),
        fail_date=date(np.where(fails, fail, _NEVER)),
        fail_month=pl.Series(np.where(fails, fail_month, -1)),
        repeat_fail=pl.Series(rng.random(n) < 0.5),
        verified_date=date(verified), verifier=pl.Series(verifier),
        unverified=pl.Series(unverified),
        supervision=pl.select(pl.when(pl.Series(district)).then(pl.lit(DISTRICT_SUPERVISION))
                              .when(pl.Series(town)).then(pl.lit(TOWN_SUPERVISION))).to_series(),
        supervision_from=date(sup_from),
        notice_no=_notice_numbers(issuer, sup_from, district | town),
    )


def report_states(reports: pl.DataFrame, cal: Calendar) -> pl.DataFrame:
    """Status, dates and §2.2 columns of each monthly report (reports: one row per hazard per
    report, with the hazard's own dates and `add_closed_loop`'s columns)."""
    rd = pl.col("report_date")
    by = lambda c: pl.col(c).is_not_null() & (pl.col(c) <= rd)  # noqa: E731
    failed = by("fail_date") & ~by("rectified_date")
    fail_month = pl.col("month_idx") == pl.col("fail_month")
    claimed = by("first_fix") & ~by("rectified_date") & (~by("fail_date") | fail_month)
    shows_fail = failed & (fail_month | pl.col("repeat_fail"))
    passed = by("verified_date") & ~pl.col("unverified")
    new_template = pl.col("month_idx") >= cutover(cal)
    loop = {
        "extended_deadline": pl.when(by("ext2_granted")).then("ext2")
        .when(by("ext1_granted")).then("ext1"),
        "supervision": pl.when(by("supervision_from")).then("supervision"),
        "notice_no": pl.when(by("supervision_from")).then("notice_no"),
        "verification": pl.when(shows_fail).then(pl.lit(FAIL))
        .when(by("rectified_date") & passed).then(pl.lit(PASS)),
        "verified_date": pl.when(shows_fail).then("fail_date")
        .when(by("rectified_date") & passed).then("verified_date"),
    }
    loop["verifier"] = pl.when(loop["verification"].is_not_null()).then("verifier")
    return reports.with_columns(
        status=pl.when(by("closed_date")).then(pl.lit("已销号"))
        .when(by("rectified_date") | claimed).then(pl.lit("已整改"))
        .when(pl.col("start_date") <= rd).then(pl.lit("整改中"))
        .otherwise(pl.lit("未整改")),
        rectified_date=pl.when(by("rectified_date")).then("rectified_date")
        .when(claimed).then("first_fix"),
        closed_date=pl.when(by("closed_date")).then("closed_date"),
        **{c: pl.when(new_template).then(e) for c, e in loop.items()},
    ).drop("start_date", "ext1_granted", "ext1", "ext2_granted", "ext2", "first_fix",
           "fail_date", "fail_month", "repeat_fail", "unverified", "supervision_from")


def missing_ledger(reg: Registry, cal: Calendar) -> tuple[str, int] | None:
    """(town_code, month index) of the one monthly ledger a town never sent: a lagging town's,
    four months before the sample's last (so that the last year shows it)."""
    lagging = reg.towns.filter("lagging")["town_code"]
    if lagging.is_empty() or cal.n_months < 6:
        return None
    return lagging[-1], cal.n_months - 5
