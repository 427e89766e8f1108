"""Registry lookups for rendering: schools, towns and departments by name or by code."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.sample.registry import Registry


def choose(mask: np.ndarray, a: pl.Series, b: pl.Series | None = None) -> pl.Series:
    """a where mask is true, else b (else null), element-wise."""
    other = pl.lit(None, dtype=a.dtype) if b is None else b
    return pl.select(pl.when(pl.Series(mask)).then(a).otherwise(other)).to_series()


class Names:
    """Registry lookups used when rendering: school, town and department by name or code."""

    def __init__(self, reg: Registry) -> None:
        district = reg.district_name
        first = reg.schools["school_code"][0]
        # The last entry stands for a school the registry does not know (index -1).
        self.school_names = pl.concat([reg.schools["school_name"],
                                       pl.Series([f"{district}希望小学"])])
        self.school_codes = pl.concat([reg.schools["school_code"],
                                       pl.Series([first[:3] + "9" * (len(first) - 3)])])
        self.shared = pl.concat([reg.schools["school_name"].is_duplicated(),
                                 pl.Series([False])]).to_numpy()
        self.town_names = dict(reg.towns.select("town_code", "town_name").rows())
        self.village_names = dict(reg.villages.select("village_code", "village_name").rows())
        self.dept_names = dict(reg.departments.select("dept_code", "dept_name").rows())
        schools = reg.schools.with_columns(shared=pl.col("school_name").is_duplicated())
        # A school named as a responsible unit: by name, by code where two towns share it.
        self.school_unit_names = dict(schools.select(
            "school_code", pl.when("shared").then("school_code").otherwise("school_name")
            .alias("name")).rows())
        self.own_word = dict(schools.select(
            "school_code", pl.when(pl.col("school_type") == "幼儿园").then(pl.lit("本园"))
            .otherwise(pl.lit("本校")).alias("word")).rows())

    def schools(self, idx: np.ndarray, by: str, rng: np.random.Generator,
                needs_unique: bool = False) -> pl.Series:
        """School names or codes (-1 is a school the registry does not know).

        With `needs_unique` (files without a town column), a name that two towns share is
        written as the code.
        """
        at = np.where(idx < 0, len(self.school_names) - 1, idx)
        use_code = np.full(len(idx), by == "code")
        if by == "mixed":
            use_code = rng.random(len(idx)) < 0.3
        if needs_unique:
            use_code |= self.shared[at]
        return choose(use_code, self.school_codes.gather(at), self.school_names.gather(at))

    def departments(self, codes: pl.Series, by: str, rng: np.random.Generator) -> pl.Series:
        named = codes.replace_strict(self.dept_names, default=None, return_dtype=pl.String)
        if by == "name":
            return named
        if by == "code":
            return codes
        return choose(rng.random(len(codes)) < 0.3, codes, named)

    def towns(self, codes: pl.Series, by: str) -> pl.Series:
        if by == "code":
            return codes
        return codes.replace_strict(self.town_names, default=None, return_dtype=pl.String)

    def units(self, kind: pl.Series, code: pl.Series, by: str,
              rng: np.random.Generator) -> pl.Series:
        """Responsible units of any kind (SPEC §2.2) as a ledger writes them: a member unit as
        `departments` does, a town or village by name (by code when `by` is code), the row's
        own school as 本校 / 本园 about half the time, else by name (code if shared)."""
        n = len(code)
        dept = self.departments(code, by, rng)
        as_code = by == "code"
        place = code if as_code else code.replace_strict(
            {**self.town_names, **self.village_names}, default=None, return_dtype=pl.String)
        school = choose(rng.random(n) < 0.5,
                        code.replace_strict(self.own_word, default=None, return_dtype=pl.String),
                        code if as_code else code.replace_strict(
                            self.school_unit_names, default=None, return_dtype=pl.String))
        k = kind.to_numpy()
        return choose(k == "department", dept, choose(k == "school", school, place))
