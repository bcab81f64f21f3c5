"""Place-mention recognition on real text: the seed articles plus short news sentences."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geo.model import MENTION_KINDS, Mention
from geo.geoparsing.recognize import load_demonyms, load_nlp, recognize, recognize_doc, recognize_many

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seed(seed_articles):
    """(article, mentions) for the three seed articles, recognised in one batch."""
    arts = sorted(seed_articles, key=lambda a: a.id)
    return [(a, ms) for a, (_, ms) in zip(arts, recognize_many([a.text for a in arts]))]


def names(mentions: list[Mention], kind: str | None = None) -> set[str]:
    return {m.name for m in mentions if kind is None or m.kind_hint == kind}


def check_invariants(text: str, mentions: list[Mention]) -> None:
    prev_end = -1
    for m in mentions:
        assert text[m.start:m.end] == m.name, m
        assert m.start >= prev_end, f"overlap or unsorted at {m}"
        assert m.kind_hint in MENTION_KINDS or m.kind_hint == "ner", m
        assert m.source in ("ner", "gazetteer", "pattern", "demonym"), m
        assert m.name == m.name.strip() and not m.name.lower().startswith("the "), m
        prev_end = m.end


def test_seed_spans_are_exact_sorted_and_non_overlapping(seed):
    for art, ms in seed:
        assert ms, art.id
        check_invariants(art.text, ms)


@pytest.mark.parametrize(
    "index, expected",
    [
        (0, {"Central America", "Venezuela", "Cuba", "Mexico", "United States", "Mexico City", "Tapachula",
             "Guatemala", "Honduras", "Nicaragua", "Texas", "Latin America", "Los Angeles"}),
        (1, {"United States", "Mexico", "US", "Central America", "Tapachula", "Guatemala", "Cuba", "Haiti",
             "Honduras", "Bangladesh", "India"}),
        (2, {"Mexico", "United States", "US", "Honduras", "Central America", "Guatemala"}),
    ],
)
def test_seed_places_found(seed, index, expected):
    art, ms = seed[index]
    missing = expected - names(ms)
    assert not missing, f"{art.id}: missing {sorted(missing)}"
    # every occurrence of these unambiguous names is found, with its exact span
    for name in ("Tapachula", "Honduras", "Venezuela"):
        starts = {m.start for m in ms if m.name == name}
        pos = art.text.find(name)
        while pos >= 0:
            assert pos in starts, f"{name} at {pos} in {art.id}"
            pos = art.text.find(name, pos + 1)


@pytest.mark.parametrize(
    "person",
    ["Cristian Rivera", "Blinken", "Antony Blinken", "López Obrador", "Andrés Manuel López Obrador",
     "Luis García Villagrán", "Juan Orlando Hernandez", "Donald Trump", "Biden", "Trump", "Joe Biden",
     "Orlando", "Rivera", "Manuel"],
)
def test_person_names_are_never_places(seed, person):
    for art, ms in seed:
        for m in ms:
            assert person not in m.name or m.kind_hint == "demonym", (art.id, m)


def test_seed_feature_phrases(seed):
    (a0, m0), (a1, m1), (a2, m2) = seed
    f0 = {(m.name, m.feature_ids) for m in m0}
    assert ("southern border", ("border:MX-GT",)) in f0  # Mexico’s southern border with Guatemala
    assert ("southwest border", ("border:US-MX",)) in f0  # the U.S. southwest border
    assert ("border", ("border:US-MX",)) in f0  # the United States border
    assert ("main border crossing", ("mxgt_suchiate_rodolfo_robles",)) in f0
    crossing = next(m for m in m0 if m.name == "main border crossing")
    assert crossing.kind_hint == "crossing" and crossing.query == "main border crossing with Guatemala"
    f1 = {(m.name, m.kind_hint, m.feature_ids) for m in m1}
    assert ("coastal highway", "highway", ("highway:MEX-200",)) in f1
    assert ("border", "border", ("border:US-MX",)) in f1  # the joint US-Mexico border
    f2 = {(m.name, m.feature_ids) for m in m2}
    assert ("border", ("border:MX-GT",)) in f2  # the Mexico-Guatemala border
    # the country names inside the phrases stay country mentions of their own
    idx = a0.text.index("Mexico’s southern border")
    assert any(m.start == idx and m.name == "Mexico" and m.kind_hint == "country" for m in m0)


def test_seed_demonyms(seed):
    (a0, m0), (a1, m1), (a2, m2) = seed
    dem = {m.name: m.query for ms in (m0, m1, m2) for m in ms if m.kind_hint == "demonym"}
    assert dem["Mexican"] == "Mexico"
    assert dem["Honduran"] == "Honduras"
    assert dem["Central American"] == "Central America"
    assert all(m.source == "demonym" for ms in (m0, m1, m2) for m in ms if m.kind_hint == "demonym")


@pytest.mark.parametrize(
    "text, name, kind, feature_ids",
    [
        ("Migrants waited for weeks at the US-Mexico border.", "border", "border", ("border:US-MX",)),
        ("Agents at the U.S.-Mexico border detained them.", "border", "border", ("border:US-MX",)),
        ("They left Tapachula, near Mexico's southern border with Guatemala.", "southern border", "border", ("border:MX-GT",)),
        ("Arrests at the U.S. southwest border rose again.", "southwest border", "border", ("border:US-MX",)),
        ("The caravan reached the Guatemala border on Monday.", "border", "border",
         ("border:MX-GT", "border:GT-HN", "border:GT-SV")),
        ("The caravan left San Pedro Sula for the Guatemalan border.", "border", "border",
         ("border:MX-GT", "border:GT-HN", "border:GT-SV")),
        ("They crossed the border between Honduras and Guatemala.", "border", "border", ("border:GT-HN",)),
        ("Families waded across at the border with Panama.", "border", "border", ("border:PA-CO", "border:CR-PA")),
        ("Apprehensions at the southern border fell.", "southern border", "border", ("border:US-MX", "border:MX-GT")),
        ("They blocked the main border crossing with Guatemala.", "main border crossing", "crossing",
         ("mxgt_suchiate_rodolfo_robles",)),
        ("The group walked along Highway 200 toward Huixtla, in Chiapas.", "Highway 200", "highway", ("highway:MEX-200",)),
        ("Migrants in Chiapas, Mexico walked along the coastal highway.", "coastal highway", "highway", ("highway:MEX-200",)),
        ("Police closed the Rodolfo Robles bridge over the river.", "Rodolfo Robles bridge", "crossing",
         ("mxgt_suchiate_rodolfo_robles",)),
        ("Hundreds lined up at the San Ysidro port of entry.", "port of entry", "crossing", ("port:2504",)),
        ("Many waded across the Suchiate River.", "Suchiate River", "river", ()),
        ("Families camped by the Rio Grande near Eagle Pass.", "Rio Grande", "river", ()),
        ("Border agents patrol the border between Mexico and Belize.", "border", "border", ("border:MX-BZ",)),
    ],
)
def test_feature_phrases(text, name, kind, feature_ids):
    ms = recognize(text)
    check_invariants(text, ms)
    hits = [m for m in ms if m.name == name]
    assert hits, f"{name!r} not in {[m.name for m in ms]}"
    assert hits[0].kind_hint == kind and hits[0].feature_ids == feature_ids, hits[0]
    assert hits[0].source == "pattern"


def test_border_phrase_keeps_country_names():
    text = "Thousands reached the US-Mexico border."
    ms = recognize(text)
    assert [(m.name, m.kind_hint) for m in ms] == [("US", "country"), ("Mexico", "country"), ("border", "border")]
    assert ms[2].query == "US-Mexico border"


def test_port_name_and_head_are_separate_mentions():
    ms = recognize("Hundreds lined up at the San Ysidro port of entry.")
    assert [m.name for m in ms] == ["San Ysidro", "port of entry"]


@pytest.mark.parametrize(
    "text, person",
    [
        ("Secretary of State Antony Blinken met President Andrés Manuel López Obrador in Mexico City.", "Blinken"),
        ("Cristian Rivera, from Honduras, said the march would continue.", "Rivera"),
        ("Activist Luis García Villagrán led the group out of Tapachula.", "García"),
        ("President Juan Orlando Hernandez of Honduras won the election.", "Orlando"),
        ("President Donald Trump threatened to cut aid to Honduras.", "Trump"),
        ("Biden spoke with López Obrador about Venezuela.", "Obrador"),
    ],
)
def test_persons_rejected(text, person):
    ms = recognize(text)
    check_invariants(text, ms)
    assert not [m for m in ms if person in m.name], ms
    assert ms, "the place in the sentence is still found"


@pytest.mark.parametrize(
    "text, form, country",
    [
        ("Honduran migrants crossed the river.", "Honduran", "Honduras"),
        ("Mexican authorities detained them.", "Mexican", "Mexico"),
        ("Central American countries signed the pact.", "Central American", "Central America"),
        ("Salvadoran and Guatemalan families joined.", "Guatemalan", "Guatemala"),
        ("Dozens of Venezuelans slept in the square.", "Venezuelans", "Venezuela"),
        ("Latin American leaders met in Lima.", "Latin American", "Latin America"),
    ],
)
def test_demonyms(text, form, country):
    ms = recognize(text)
    d = [m for m in ms if m.name == form]
    assert d and d[0].kind_hint == "demonym" and d[0].query == country and d[0].source == "demonym", ms
    assert not [m for m in recognize(text, demonyms=False) if m.kind_hint == "demonym"]


def test_demonyms_false_keeps_places(seed_articles):
    art = sorted(seed_articles, key=lambda a: a.id)[1]
    on = recognize(art.text)
    off = recognize(art.text, demonyms=False)
    assert {m for m in on if m.kind_hint != "demonym"} == set(off)
    assert any(m.kind_hint == "demonym" for m in on)
    check_invariants(art.text, off)


def test_works_without_gazetteer():
    text = "Migrants left Tapachula, in Mexico, for the US-Mexico border. Honduran families joined."
    ms = recognize(text, gazetteer=False)
    check_invariants(text, ms)
    assert {"Mexico", "US", "border", "Honduran"} <= names(ms)  # NER + patterns + demonyms only


def test_recognize_doc_matches_recognize():
    text = "Migrants marched from Tapachula toward Mexico City."
    assert recognize_doc(load_nlp()(text)) == recognize(text)


def test_load_nlp_is_cached_and_lean():
    nlp = load_nlp()
    assert nlp is load_nlp()
    assert "ner" in nlp.pipe_names and "senter" in nlp.pipe_names
    assert "lemmatizer" not in nlp.pipe_names and "parser" not in nlp.pipe_names
    doc = nlp("One sentence here. Another one in Mexico.")
    assert len(list(doc.sents)) == 2


def test_possessive_and_the_are_trimmed():
    text = "The United States' policy and Mexico's plan were discussed in the Netherlands."
    ms = recognize(text)
    check_invariants(text, ms)
    assert {"United States", "Mexico", "Netherlands"} <= names(ms)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n\n\t", "🙂🚶‍♀️🌎", "a" * 5000, "Mexico" * 500, "border", "the", "’s", "U.S.", "--- \x0c ---",
     "Highway", "Rio", "the southern border"],
)
def test_odd_inputs_do_not_crash(text):
    ms = recognize(text)
    check_invariants(text, ms)


def test_recognize_many_streams_in_order():
    texts = ["Migrants left Tapachula, in Chiapas.", "", "Guatemala borders Mexico."]
    out = list(recognize_many(texts, batch_size=2))
    assert [d.text for d, _ in out] == texts
    assert names(out[0][1]) >= {"Tapachula", "Chiapas"}
    assert out[1][1] == []
    assert names(out[2][1]) >= {"Guatemala", "Mexico"}


def test_demonym_table_covers_countries():
    table = load_demonyms()
    codes = {d.country_code for d in table.values() if d.country_code}
    assert len(codes) >= 190
    for form, country in [("American", "United States"), ("Salvadoran", "El Salvador"), ("Haitian", "Haiti"),
                          ("European", "Europe"), ("South American", "South America")]:
        assert table[form].country_name == country
    with open(ROOT / "data" / "gazetteer" / "demonyms.csv", encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == ["demonym", "country_code", "country_name"]


def test_a_corridor_border_post_before_a_crossing_word_is_that_post():
    from geo.geoparsing.recognize import recognize

    found = {(m.name, m.feature_ids) for m in recognize("The migrants passed the El Florido border crossing on Tuesday.")}
    assert ("border crossing", ("corridor:gt_el_florido",)) in found


@pytest.mark.parametrize(
    "text, name",
    [
        # NER splits or mislabels small Spanish place names; the place noun says what they are.
        ("Troops stopped the group near the village of Vado Hondo on Friday.", "Vado Hondo"),
        ("They rested in the Oaxaca town of Niltepec before walking on.", "Niltepec"),
        ("The marchers reached the town of Matias Romero at dusk.", "Matias Romero"),
    ],
)
def test_a_name_after_a_place_noun_is_a_place(text, name):
    ms = recognize(text)
    check_invariants(text, ms)
    assert name in names(ms), ms


def test_an_entity_spanning_a_preposition_is_two_places_not_a_person():
    text = "On Saturday the group walked from the town of Sayula towards Isla, in Veracruz."
    found = names(recognize(text))
    assert {"Sayula", "Isla"} <= found, found


def test_to_after_a_verb_of_motion_introduces_a_place():
    found = names(recognize("The caravan walked from Tapachula to Huixtla and then to Ciudad Hidalgo."))
    assert {"Tapachula", "Huixtla", "Ciudad Hidalgo"} <= found, found
    assert "Madison" not in names(recognize("She said to Madison that she would call later."))


@pytest.mark.parametrize(
    "text, name",
    [
        ("Ostuncalco is a town in the department of Quetzaltenango.", "Ostuncalco"),
        ("Ayutla (/aˈʝutla/) is a municipality in the Mexican state of Guerrero.", "Ayutla"),
        ("Marchers rested at Ostuncalco, a town near the Mexican border, for the night.", "Ostuncalco"),
    ],
)
def test_a_name_the_text_defines_as_a_place_is_a_place(text, name):
    ms = recognize(text)
    check_invariants(text, ms)
    assert name in names(ms), ms


@pytest.mark.parametrize(
    "text, name",
    [
        ("Smith was a city councilman for twelve years.", "Smith"),
        ("Jones, a resident of the town, spoke first.", "Jones"),
        ("Kelly Brown, a spokeswoman for the Department of Transportation, said no.", "Kelly Brown"),
    ],
)
def test_a_person_described_by_a_place_word_is_not_a_place(text, name):
    assert name not in names(recognize(text))


def test_hashtags_that_name_places_are_places():
    text = "Marchers reach the border tonight #Tapachula #ElSalvador #sunset #mexico"
    found = {m.name: m for m in recognize(text)}
    assert {"Tapachula", "ElSalvador", "mexico"} <= set(found), found
    assert "sunset" not in found
    assert found["ElSalvador"].query == "El Salvador"
    assert all(text[m.start - 1] == "#" for m in found.values())  # the span leaves the '#' out


def test_countries_and_big_cities_in_lower_case_or_capitals():
    found = names(recognize("so many people crossing from guatemala into mexico today, GUATEMALA CITY says"))
    assert {"guatemala", "mexico", "GUATEMALA CITY"} <= found, found
    found = names(recognize("We ate turkey legs in the southern part of the delta. BY KENT SMITH"))
    assert not found & {"turkey", "southern", "delta", "KENT"}, found


def test_the_european_union_is_a_place():
    found = {m.name for m in recognize("Ministers of the European Union met; EU officials agreed.")}
    assert {"European Union", "EU"} <= found, found


# -- place names at the head of an organisation's name, and before "-based" --

@pytest.mark.parametrize("text, place", [
    ("Deann is a graduate of Mount Pleasant High School and attended college.", "Mount Pleasant"),
    ("The Tennessee Senior Olympics has a long history of fundraising.", "Tennessee"),
    ("A nurse at the Minnesota National Guard clinic spoke to reporters.", "Minnesota"),
    ("The Sligo-based mother said she would appeal the ruling.", "Sligo"),
    ("A Columbia-based design firm won the contract.", "Columbia"),
])
def test_a_place_heading_a_name_or_before_based_is_found(text, place):
    ms = recognize(text)
    check_invariants(text, ms)
    assert place in names(ms)


@pytest.mark.parametrize("text, word", [
    # a direction or a common noun heads the name, or a person's name does
    ("He was sent to Western State Hospital for treatment.", "Western"),
    ("Parents of Graham Middle School students met on Monday.", "Graham"),
    ("Parents of Story Elementary School students met on Monday.", "Story"),
])
def test_a_word_heading_an_organisation_is_not_a_place_by_that_alone(text, word):
    assert not any(m.name.startswith(word) for m in recognize(text))
