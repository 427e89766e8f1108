import datetime as dt

from tests import builders


def test_small_registry_and_one_hazard_load(load, query, tmp_path):
    f = builders.xlsx(tmp_path / "h.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H1")])
    result = load(f)
    assert [r.loaded for r in result.files] == [1]
    assert query("select hazard_id, school_code, town_code from hazards") == [("H1", "S01", "T01")]
    assert query("select count(*) from schools") == [(4,)]
