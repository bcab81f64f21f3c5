"""Issue 11: how much one other place name may pull a toponym to a small namesake. Texts are
made up for the rule each test checks (real gazetteer, offline)."""

from __future__ import annotations

import re

import pytest

from geo.geoparsing.resolve import ResolverConfig, resolve
from geo.model import Mention


@pytest.fixture(scope="module")
def gaz():
    from geo.gazetteer.index import load_gazetteer

    return load_gazetteer()


def _mentions(text: str, names: list[str]) -> list[Mention]:
    out = [Mention(m.start(), m.end(), name, "ner", "ner", label="GPE")
           for name in names for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
    return sorted(out, key=lambda m: m.start)


def _pick(text: str, names: list[str], name: str, gaz, **kw):
    return next(t for t in resolve(text, _mentions(text, names), gazetteer=gaz, **kw) if t.name == name)


def test_one_other_name_does_not_pull_a_big_city_to_a_tiny_namesake(gaz) -> None:
    # Ferguson is in Missouri, and so is a village called Oakland (about 1,400 people): one other
    # name is too little evidence against a city three hundred times bigger
    text = "Marchers shut down a freeway in Oakland on the night of the Ferguson decision."
    t = _pick(text, ["Oakland", "Ferguson"], "Oakland", gaz)
    assert t.admin1 == "US.CA"


def test_one_other_name_still_decides_between_namesakes_of_similar_size(gaz) -> None:
    # the lone-name rule only keeps away namesakes a hundred times smaller: Portland, Maine is
    # a tenth of Portland, Oregon, and Bangor next to it still decides
    text = "A storm cut power from Bangor to Portland overnight."
    t = _pick(text, ["Bangor", "Portland"], "Portland", gaz)
    assert t.admin1 == "US.ME"


def test_a_single_other_name_gives_at_most_half_the_pull(gaz) -> None:
    # Dublin, Ohio is 250 km from Detroit, but a single other name is not enough to outweigh
    # a capital twenty times bigger (it once was: coherence counted one name as fully as many)
    text = "Thousands marched in Dublin against water charges, as they did in Detroit."
    assert _pick(text, ["Dublin", "Detroit"], "Dublin", gaz).country_code == "IE"


def test_several_other_names_still_pull_to_the_namesake(gaz) -> None:
    text = "Storms hit Dublin, Columbus and Cincinnati on Tuesday."
    assert _pick(text, ["Dublin", "Columbus", "Cincinnati"], "Dublin", gaz).admin1 == "US.OH"


def test_evidence_settings_are_configurable() -> None:
    config = ResolverConfig()
    assert config.coherence_min_names == 2.0 and 0 < config.lone_population_ratio < 1


def test_a_county_name_alone_is_the_most_populous_county_of_that_name(gaz) -> None:
    # eight states have a Lee County; with nothing else to go by, Lee County, Florida (Fort
    # Myers, Cape Coral) is the likeliest
    text = "Crews spent the night at a barn fire in Lee County."
    t = _pick(text, ["Lee County"], "Lee County", gaz)
    assert t.admin1 == "US.FL"


def test_the_county_population_breaks_ties_only(gaz) -> None:
    text = "Deputies in Lee County, Iowa, searched the river banks."
    assert _pick(text, ["Lee County", "Iowa"], "Lee County", gaz).admin1 == "US.IA"


def test_county_population_estimate_orders_counties_as_the_census_does() -> None:
    from geo.geoparsing.county_population import county_population

    assert county_population("FL", "Lee County") > county_population("GA", "Lee County") > 0
    assert county_population("XX", "Nowhere County") == 0


def test_county_population_file_is_reproducible() -> None:
    import sys

    from geo.geoparsing.county_population import PATH

    sys.path.insert(0, str(PATH.parent))
    try:
        import make_county_population
    finally:
        sys.path.pop(0)
    rebuilt = make_county_population.render(make_county_population.build_rows())
    assert rebuilt == PATH.read_text(encoding="utf-8"), "run data/gazetteer/make_county_population.py"


def test_names_in_a_list_ending_in_counties_are_counties(gaz) -> None:
    # "Clay" alone is a dozen towns; "Becker, Clay and Wilkin counties" says it is a county
    text = "Flood warnings cover Becker, Clay and Wilkin counties in Minnesota."
    tops = resolve(text, _mentions(text, ["Becker", "Clay", "Wilkin", "Minnesota"]), gazetteer=gaz)
    for t in tops[:3]:
        assert t.kind == "admin2" and t.admin1 == "US.MN", t


def test_a_name_before_counties_without_a_list_is_not_made_a_county(gaz) -> None:
    # "Indiana counties" are counties in Indiana; "Indiana" stays the state
    text = "Boone County is near the middle of Indiana counties for unemployment."
    t = _pick(text, ["Boone County", "Indiana"], "Indiana", gaz)
    assert t.kind == "admin1" and t.admin1 == "US.IN"


def test_the_text_s_definition_of_a_name_outranks_a_namesake_it_also_names() -> None:
    # one sense per discourse: both "Medford" mentions are qualified, but the text defines its
    # Medford in Wisconsin; Massachusetts is where the name came from
    from geo import geoparse

    text = ("Medford is a city in Taylor County, Wisconsin. It was named after Medford, "
            "Massachusetts, a suburb of Boston. Medford has a mayor.")
    medford = [t for t in geoparse(text) if t.name == "Medford"]
    assert medford and all(t.admin1 == "US.WI" for t in medford)
    assert "defines it" in medford[0].reason


def test_a_bad_county_population_file_is_one_warning_not_a_crash(tmp_path, monkeypatch, caplog) -> None:
    import geo.geoparsing.county_population as cp

    bad = tmp_path / "us_county_population.csv"
    bad.write_text("state,county\nFL,Lee County\n", encoding="utf-8")
    monkeypatch.setattr(cp, "PATH", bad)
    cp._table.cache_clear()
    try:
        assert cp.county_population("FL", "Lee County") == 0
        assert str(bad) in caplog.text
    finally:
        cp._table.cache_clear()


def test_coherence_min_names_must_be_positive() -> None:
    with pytest.raises(ValueError, match="coherence_min_names"):
        ResolverConfig(coherence_min_names=0)
