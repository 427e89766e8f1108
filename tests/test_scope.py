"""What a viewer sees, resolved once (xiaoan/scope.py), as docs/security.md's Roles table says;
the dashboard's listing queries bind the slice and never ask which kind of viewer is looking."""

from __future__ import annotations

import re

import pytest

from dashboard import queries
from xiaoan import metrics
from xiaoan.scope import DISTRICT, NOTHING, Scope, Slice, resolve

TOWN, DEPT = Scope.town("T01"), Scope.department("D02")


def test_the_district_sees_everything_and_every_personal_datum():
    assert resolve(DISTRICT) == Slice((), (), sees_personal=True, sees_principals=True, sees_loads=True)


def test_a_town_sees_its_own_town_and_the_principals_but_no_personal_data_or_loads():
    assert resolve(TOWN) == Slice(("T01",), (), sees_personal=False, sees_principals=True, sees_loads=False)


def test_a_department_sees_the_hazards_assigned_to_it_and_no_principal_names():
    assert resolve(DEPT) == Slice((), ("D02",), sees_personal=False, sees_principals=False, sees_loads=False)


def test_a_town_filter_narrows_the_district_and_a_department_but_not_a_town_beyond_its_own():
    assert resolve(DISTRICT, ("T02",)).towns == ("T02",)
    assert resolve(DEPT, ("T02",)).towns == ("T02",)
    assert resolve(TOWN, ("T01", "T02")).towns == ("T01",)
    assert resolve(TOWN, ("T02",)).towns == NOTHING  # another town chosen: nothing of it


def test_each_tier_sees_only_its_own_tier_s_own_rows():
    assert resolve(TOWN, own_rows="dept").depts == NOTHING  # no member unit's scores or attendance
    assert resolve(TOWN, own_rows="town").towns == ("T01",)
    assert resolve(DEPT, own_rows="town").towns == NOTHING  # no town's scores, 例会 or ledger
    assert resolve(DEPT, own_rows="dept").depts == ("D02",)
    assert resolve(DISTRICT, own_rows="town") == resolve(DISTRICT, own_rows="dept") == resolve(DISTRICT)


def test_an_unknown_tier_of_own_rows_is_refused():
    with pytest.raises(ValueError, match="own_rows"):
        resolve(TOWN, own_rows="school")


def test_every_own_row_macro_names_a_tier():
    assert set(metrics.OWN_ROWS.values()) == {"town", "dept"}


def test_the_metrics_api_still_offers_scope_and_district():
    assert metrics.Scope is Scope and metrics.DISTRICT is DISTRICT


def test_no_query_mentions_scope_kind():
    texts = {k: v for k, v in vars(queries).items() if k.isupper() and isinstance(v, str)}
    assert any("$scope_towns" in v for v in texts.values())
    assert [k for k, v in texts.items() if re.search(r"scope_kind|scope_code|(=|<>) *'(district|town|department)'", v)] == []
