"""Named listing queries: every value is a bound parameter (hostile text finds nothing and
breaks nothing), the scope applies in SQL, and results follow the published version."""

from __future__ import annotations

import pytest

from dashboard import queries
from tests.test_dashboard_data import dash_env  # noqa: F401
from xiaoan.metrics import Scope

pytestmark = pytest.mark.usefixtures("dash_env")
DISTRICT = Scope()
HOSTILE = ["H1' or '1'='1", "'; drop table hazards; --", "$scope_code", "%", "\\", "H1\x00", "<script>"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_values_are_bound_not_spliced(text):
    assert queries.hazard_history(DISTRICT, text).is_empty()
    assert queries.rejected_rows(DISTRICT, text).is_empty()
    assert queries.schools(DISTRICT, towns=[text]).is_empty()
    assert queries.school(Scope.town(text), "S01") is None
    assert len(queries.hazard_history(DISTRICT, "H1")) == 2  # the tables are all still there


def test_query_texts_hold_no_python_formatting():
    texts = [v for k, v in vars(queries).items() if k.isupper() and isinstance(v, str)]
    assert len(texts) >= 10
    assert not [t for t in texts if "{" in t or "%s" in t]


def test_a_query_asks_for_every_parameter_it_names():
    with pytest.raises(TypeError, match="school_types"):
        queries.run(queries.SCHOOLS, DISTRICT, towns=[])


def test_scope_is_applied_in_sql():
    assert queries.towns(Scope.town("T02"))["town_code"].to_list() == ["T02"]
    assert queries.villages(Scope.town("T01"))["village_code"].to_list() == ["V01", "V02"]
    assert queries.hazard_history(Scope.department("D01"), "H2").is_empty()  # H2 is D02's
    assert len(queries.hazard_history(Scope.department("D02"), "H2")) == 2
    assert queries.departments(Scope.town("T01"))["phone"].null_count() == 3
    assert queries.departments(DISTRICT)["phone"].null_count() == 0
