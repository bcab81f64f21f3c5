"""Resolution: ambiguous names decided by the article's own context (real gazetteer, offline)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from geo.model import Mention, Toponym
from geo.geoparsing.resolve import ResolverConfig, resolve


@pytest.fixture(scope="module")
def gaz():
    from geo.gazetteer.index import load_gazetteer

    return load_gazetteer()


def mentions_for(text: str, names: list[str]) -> list[Mention]:
    """Exact-span mentions of every occurrence of each name (as recognition would give)."""
    out = []
    for name in names:
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            out.append(Mention(m.start(), m.end(), name, "ner", "ner", label="GPE"))
    return sorted(out, key=lambda m: m.start)


def pick(tops: list[Toponym], name: str) -> Toponym:
    return next(t for t in tops if t.name == name)


# (sentence, place names in it, name to check, expected admin1 or country code)
CASES = [
    ("Hundreds of migrants crossed the Suchiate river into Ciudad Hidalgo, Chiapas, on Saturday.",
     ["Ciudad Hidalgo", "Chiapas"], "Ciudad Hidalgo", "MX.05"),
    ("The mayor of Ciudad Hidalgo, Michoacán, said the town would not host the group.",
     ["Ciudad Hidalgo", "Michoacán"], "Ciudad Hidalgo", "MX.16"),
    ("After wading across from Guatemala, the caravan rested in Ciudad Hidalgo before walking "
     "north to Tapachula.", ["Guatemala", "Ciudad Hidalgo", "Tapachula"], "Ciudad Hidalgo", "MX.05"),
    ("Some 1,800 migrants were sheltered in a factory in Piedras Negras, Coahuila, across from "
     "Eagle Pass.", ["Piedras Negras", "Coahuila", "Eagle Pass"], "Piedras Negras", "MX.07"),
    ("A second group left Escuintla, Guatemala, on foot and reached the capital by night.",
     ["Escuintla", "Guatemala"], "Escuintla", "GT"),
    ("From Tapachula the caravan walked to Huixtla and then on to Escuintla, where the church "
     "offered shelter.", ["Tapachula", "Huixtla", "Escuintla"], "Escuintla", "MX.05"),
    ("Asylum seekers waited at the port of entry in San Ysidro, California, for a CBP One "
     "appointment.", ["San Ysidro", "California"], "San Ysidro", "US.CA"),
    ("The small village of San Ysidro, New Mexico, sits north of Albuquerque.",
     ["San Ysidro", "New Mexico", "Albuquerque"], "San Ysidro", "US.NM"),
    ("The volunteers drove from Dallas to Paris, Texas, to collect donations.",
     ["Dallas", "Paris", "Texas"], "Paris", "US.TX"),
    ("The minister spoke in Paris after meeting officials in Lyon and Marseille.",
     ["Paris", "Lyon", "Marseille"], "Paris", "FR"),
    ("Governors met in Atlanta, Georgia, to discuss the border.",
     ["Atlanta", "Georgia"], "Georgia", "US.GA"),
    ("Russian troops remained in South Ossetia and near Gori, Georgia said, as talks began in "
     "Tbilisi.", ["Gori", "Georgia", "Tbilisi"], "Georgia", "GE"),
]


@pytest.mark.parametrize("text,names,target,expected", CASES, ids=[f"{c[2]}->{c[3]}" for c in CASES])
def test_ambiguous_names_decided_by_context(gaz, text, names, target, expected):
    tops = resolve(text, mentions_for(text, names), gazetteer=gaz)
    t = pick(tops, target)
    got = t.admin1 if "." in expected else t.country_code
    assert got == expected, f"{target}: got {t.admin1}/{t.country_code} ({t.reason})"
    assert text[t.start:t.end] == t.name


def test_every_toponym_explains_itself(gaz):
    text = "The caravan left Tapachula, Chiapas, for Ciudad Hidalgo and the Guatemala border."
    tops = resolve(text, mentions_for(text, ["Tapachula", "Chiapas", "Ciudad Hidalgo", "Guatemala"]),
                   gazetteer=gaz, max_alternatives=3)
    assert [t.name for t in tops] == ["Tapachula", "Chiapas", "Ciudad Hidalgo", "Guatemala"]
    for t in tops:
        assert 0.0 < t.confidence <= 1.0
        assert t.reason
        assert len(t.alternatives) <= 3
        assert all((a.geonameid, a.kind) != (t.geonameid, t.kind) for a in t.alternatives)
        assert t.lat is not None and t.lon is not None
    chiapas = pick(tops, "Chiapas")
    assert chiapas.kind == "admin1" and chiapas.admin1 == "MX.05" and chiapas.geonameid
    guatemala = pick(tops, "Guatemala")
    assert guatemala.kind == "country" and guatemala.country_code == "GT"
    hidalgo = pick(tops, "Ciudad Hidalgo")
    assert any(a.admin1 == "MX.16" for a in hidalgo.alternatives)


def test_one_sense_per_discourse(gaz):
    text = ("Volunteers in Paris, Texas, collected blankets. Later the Paris group drove south; "
            "Paris residents cheered.")
    tops = resolve(text, mentions_for(text, ["Paris", "Texas"]), gazetteer=gaz)
    paris = [t for t in tops if t.name == "Paris"]
    assert len(paris) == 3
    assert {(t.geonameid, t.admin1) for t in paris} == {(paris[0].geonameid, "US.TX")}


def test_confidence_reflects_margin(gaz):
    clear = resolve("Tapachula", [Mention(0, 9, "Tapachula", "ner", "ner")], gazetteer=gaz)[0]
    text = "Ciudad Hidalgo"
    unclear = resolve(text, [Mention(0, 14, text, "ner", "ner")], gazetteer=gaz)[0]
    assert clear.confidence > unclear.confidence
    assert unclear.confidence < 0.95


def test_demonym_resolves_to_country(gaz):
    text = "Honduran migrants joined the caravan."
    t = resolve(text, [Mention(0, 8, "Honduran", "demonym", "demonym", query="Honduras")], gazetteer=gaz)[0]
    assert t.kind == "demonym" and t.country_code == "HN" and t.lat is not None
    assert t.start == 0 and t.end == 8 and t.name == "Honduran"


def test_unknown_name_is_kept_without_coordinates(gaz):
    text = "They walked to Xqzvillebrook yesterday."
    t = resolve(text, [Mention(15, 28, "Xqzvillebrook", "ner", "ner")], gazetteer=gaz)[0]
    assert (t.lat, t.lon, t.confidence, t.reason) == (None, None, 0.0, "not in gazetteer")


def test_state_abbreviation_qualifier(gaz):
    text = "A fire destroyed a home in Alexandria, La., on Tuesday."
    t = resolve(text, [Mention(27, 37, "Alexandria", "ner", "ner")], gazetteer=gaz)[0]
    assert t.admin1 == "US.LA"


def test_us_county_gets_state_and_helps_neighbours(gaz):
    text = "Deputies in Rapides Parish arrested a man in Alexandria after the fire."
    tops = resolve(text, mentions_for(text, ["Rapides Parish", "Alexandria"]), gazetteer=gaz)
    county, town = pick(tops, "Rapides Parish"), pick(tops, "Alexandria")
    assert county.kind == "admin2" and county.admin1 == "US.LA" and county.lat is not None
    assert town.admin1 == "US.LA"


def test_region_prior_is_weak_and_configurable(gaz):
    text = "Protesters gathered in Paris and Lyon."
    names = ["Paris", "Lyon"]
    assert ResolverConfig().region_prior == ()  # no fixed region by default
    texas = dataclasses.replace(ResolverConfig(), region_prior=("US-TX",))
    on = pick(resolve(text, mentions_for(text, names), gazetteer=gaz, config=texas), "Paris")
    off = pick(resolve(text, mentions_for(text, names), gazetteer=gaz), "Paris")
    assert on.country_code == off.country_code == "FR"


@pytest.mark.parametrize(
    "text, names, target, expected",
    [
        # an English town name in a story from Britain or Australia is not its American namesake
        ("Floods cut off Durham and Darlington as the river rose across England.",
         ["Durham", "Darlington", "England"], "Durham", "GB"),
        ("Bushfires threatened Newcastle while Australian crews held the line.",
         ["Newcastle", "Australian"], "Newcastle", "AU"),
    ],
)
def test_the_prior_comes_from_the_article(gaz, text, names, target, expected):
    ms = mentions_for(text, names)
    ms = [dataclasses.replace(m, kind_hint="demonym", source="demonym", query="Australia")
          if m.name == "Australian" else m for m in ms]
    t = pick(resolve(text, ms, gazetteer=gaz), target)
    assert t.country_code == expected, t.reason


def test_curated_feature_ids_resolve_directly(gaz):
    feats = gaz.features("crossing")
    if not feats:
        pytest.skip("gazetteer has no curated crossings")
    f = feats[0]
    text = f"Migrants lined up at the {f.name} early on Monday."
    start = text.index(f.name)
    t = resolve(text, [Mention(start, start + len(f.name), f.name, "crossing", "gazetteer",
                               feature_ids=(f.feature_id,))], gazetteer=gaz)[0]
    assert t.feature_id == f.feature_id and t.kind == "crossing"


def test_bad_config_values_are_rejected():
    with pytest.raises(ValueError, match="region_weight"):
        ResolverConfig(region_weight=-1)
    with pytest.raises(ValueError, match="US-TX"):
        ResolverConfig(region_prior=("Texas",))


def test_no_mentions():
    assert resolve("Nothing here.", []) == []


def test_a_town_on_a_named_highway_or_border_is_near_the_line_not_its_label_point():
    # Tonalá, Chiapas lies on the coastal highway; Tonalá, Jalisco is ten times bigger and far away.
    import geo

    [tonala, *_] = [t for t in geo.geoparse("The caravan left Tonalá along the coastal highway.") if t.name == "Tonalá"]
    assert tonala.admin1 == "MX.05"


def test_a_town_next_to_a_named_country_is_near_its_outline_not_its_point():
    # Ciudad Hidalgo, Chiapas is on the Guatemalan border; Ciudad Hidalgo, Michoacán is bigger and far from it.
    import geo

    text = "Thousands of migrants crossed into Mexico from Guatemala on Monday. On Friday police stopped them in Ciudad Hidalgo."
    [town] = [t for t in geo.geoparse(text) if t.name == "Ciudad Hidalgo"]
    assert town.admin1 == "MX.05"


def test_a_port_name_before_port_of_entry_is_not_told_to_be_a_city():
    # "the San Ysidro port of entry": San Ysidro, New Mexico is the only town of that name in the
    # gazetteer; the words name the port, so the point is the port's, beside Tijuana.
    import geo

    [name] = [t for t in geo.geoparse("Agents fired gas at the San Ysidro port of entry in Tijuana.") if t.name == "San Ysidro"]
    assert name.admin1 == "US.CA" and abs(name.lon + 117.03) < 0.05


def test_a_town_the_gazetteer_lacks_is_placed_at_the_county_the_text_puts_it_in(gaz):
    # no Thornton in Calhoun County, Arkansas, among the gazetteer's places: its county, said so
    text = "Thornton is a small city in Calhoun County, Arkansas."
    ms = mentions_for(text, ["Thornton", "Calhoun County", "Arkansas"])
    ms[0] = dataclasses.replace(ms[0], label="place-def")
    tops = resolve(text, ms, gazetteer=gaz)
    town, county = pick(tops, "Thornton"), pick(tops, "Calhoun County")
    assert county.admin1 == "US.AR"
    assert (town.lat, town.lon) == (county.lat, county.lon) and town.geonameid is None
    assert "Calhoun County" in town.reason and town.confidence < 0.5


def test_a_state_or_country_is_too_big_to_stand_for_a_town(gaz):
    text = "A small quake struck near Piney Hollow Springs, California."
    ms = mentions_for(text, ["Piney Hollow Springs", "California"])
    town = pick(resolve(text, ms, gazetteer=gaz), "Piney Hollow Springs")
    assert town.lat is None and town.reason == "not in gazetteer"


def test_a_province_smaller_than_a_city_of_its_name_does_not_outrank_the_city():
    import geo

    (gaza,) = geo.geoparse("Airstrikes hit Gaza again overnight.")
    assert (gaza.country_code, gaza.kind) == ("PS", "city")
    tops = geo.geoparse("Floods hit Gaza province in Mozambique.")
    assert (tops[0].country_code, tops[0].kind) == ("MZ", "admin1")  # the text still decides


def test_a_village_named_like_a_country_is_not_pulled_in_by_coherence_alone():
    import geo

    tops = geo.geoparse("What a strong earthquake does in China versus the United States, in pictures.")
    china = next(t for t in tops if t.name == "China")
    assert (china.kind, china.country_code) == ("country", "CN")  # not China, Maine
    tops = geo.geoparse("The fire department of China, Maine, answered the call.")
    china = next(t for t in tops if t.name == "China")
    assert (china.country_code, china.admin1) == ("US", "US.ME")  # the text points at the village
