"""The knobs of each sample scale."""

from __future__ import annotations

from dataclasses import dataclass, replace

from pipelines.sample import names


@dataclass(frozen=True)
class ScaleParams:
    """How big and how busy a synthetic district is.

    The standard scale has the fixed eight towns of `names.STANDARD_TOWNS` and a curated
    school list; the large scale draws `n_towns` towns with about `schools_per_town` schools.
    """

    name: str
    district: str
    prefix: str
    n_towns: int
    villages_per_town: int
    schools_per_town: float
    lagging_share: float           # share of towns that lag (large scale)
    routine_rate: float            # monthly chance of a routine inspection (日常检查) per school
    campaign_share: float          # share of schools a campaign (专项/节假日/联合…) visits
    hazards_per_inspection: float  # mean hazards found per ordinary inspection
    bad_row_rate: float            # share of hazard reports made deliberately invalid
    district_code: str | None = None  # the registry's 区代码 (SPEC §2), when it has one

    @property
    def curated(self) -> bool:
        """The standard district: fixed towns, curated school names, messy hand-made files."""
        return self.name == "standard"


SCALES: dict[str, ScaleParams] = {
    "standard": ScaleParams(
        name="standard", district=names.STANDARD_DISTRICT, prefix=names.STANDARD_PREFIX,
        n_towns=len(names.STANDARD_TOWNS), villages_per_town=5, schools_per_town=10.0,
        lagging_share=0.25, routine_rate=0.55, campaign_share=0.5,
        # 1.07 (was 1.2 before the duty checks): about as many hazards as before them.
        hazards_per_inspection=1.07, bad_row_rate=0.007, district_code=names.STANDARD_DISTRICT_CODE,
    ),
    "large": ScaleParams(
        name="large", district=names.LARGE_DISTRICT, prefix=names.LARGE_PREFIX,
        n_towns=1500, villages_per_town=5, schools_per_town=13.35,
        lagging_share=0.12, routine_rate=0.22, campaign_share=0.25,
        hazards_per_inspection=0.56, bad_row_rate=0.005,
    ),
}


def scaled(params: ScaleParams, fraction: float) -> ScaleParams:
    """The same scale with a fraction of its towns (used by tests to keep large runs quick)."""
    if params.curated:
        raise ValueError("the standard scale has a fixed set of towns")
    return replace(params, n_towns=max(1, round(params.n_towns * fraction)))


def city_district(index: int) -> ScaleParams:
    """The index-th district of the sample city (names.CITY_DISTRICTS): drawn like the large
    scale's towns and schools (plain CSV ledgers), at the standard district's rates."""
    code, district, prefix, n_towns, lagging = names.CITY_DISTRICTS[index]
    return ScaleParams(
        name="city", district=district, prefix=prefix, n_towns=n_towns, villages_per_town=4,
        schools_per_town=8.0, lagging_share=lagging, routine_rate=0.55, campaign_share=0.5,
        hazards_per_inspection=1.0, bad_row_rate=0.007, district_code=code,
    )
