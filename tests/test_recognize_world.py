"""Issue 11, world news: places named with no place context around them, and words that look
like places but are not. Each text is short and made up for the rule it tests."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.geoparsing.recognize import recognize


def _names(text: str) -> list[str]:
    return [m.name for m in recognize(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a country opening a sentence, no preposition before it
        ("Nigeria has suffered a dramatic upsurge in violence.", "Nigeria"),
        # a big city after a verb that is not a place preposition, tagged ORG by NER
        ("Hundreds march through Bristol in a protest against the cuts.", "Bristol"),
        ("Hundreds march through Bristol in a Reclaim the Night protest.", "Bristol"),
        # a small country tagged as an organisation by NER
        ("Nauru asylum seekers sew their lips shut in protest.", "Nauru"),
        # a state of millions opening a headline
        ("Pennsylvania lawmakers vote on the budget today.", "Pennsylvania"),
    ],
)
def test_unmistakable_place_needs_no_context(text: str, name: str) -> None:
    assert name in _names(text)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Sale ends on Friday at noon.", "Sale"),  # a common word that is also a town
        ("Reading is good for children.", "Reading"),  # a common word that is also a city
        ("Florence thanked the volunteers.", "Florence"),  # a given name
    ],
)
def test_common_words_and_given_names_stay_out(text: str, word: str) -> None:
    assert word not in _names(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Thousands rally tonight #GazaUnderAttack", "Gaza"),  # the first word of a camel-case tag
        ("Stay safe everyone #PrayForBrazil", "Brazil"),  # the last word
        ("Back on the streets #FergusonOctober", "Ferguson"),  # a town of 21,000
    ],
)
def test_place_inside_a_camel_case_hashtag(text: str, name: str) -> None:
    mentions = recognize(text)
    assert name in [m.name for m in mentions]
    m = next(m for m in mentions if m.name == name)
    assert text[m.start:m.end] == name


def test_camel_case_hashtag_without_a_place() -> None:
    assert _names("Marching downtown #BlackLivesMatter #StayWoke") == []


def test_lower_case_country_after_another_lower_case_word() -> None:
    """"earthquake japan": the regex takes both words; the second alone is the country."""
    text = "search twitter for earthquake japan - lots of tweets"
    mentions = recognize(text)
    assert [(m.name, text[m.start:m.end]) for m in mentions] == [("japan", "japan")]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("What are the symptoms of Ebola? Nobody is sure.", "Ebola"),
        ("Cases of West Nile rose again this summer.", "West Nile"),
        ("Two Lassa fever cases were confirmed.", "Lassa"),
        ("The Marburg virus spreads by contact.", "Marburg"),
    ],
)
def test_disease_named_after_a_place_is_not_a_place(text: str, word: str) -> None:
    assert word not in _names(text)


def test_the_river_a_disease_is_named_after_is_a_place() -> None:
    assert "Ebola River" in _names("The Ebola River flows north into the Mongala.")
    assert "Marburg" in _names("She studied in Marburg for a year.")


def test_country_point_is_its_entry_point_through_geoparse() -> None:
    (t,) = [t for t in geoparse("Russia has sent more troops.") if t.name == "Russia"]
    assert t.kind == "country" and (t.lat, t.lon) == pytest.approx((60.0, 100.0))


def test_city_opening_a_sentence_needs_context() -> None:
    """"Man down." — Man is a city of 150,000 in Côte d'Ivoire, but a capital letter at the
    start of a sentence is no evidence; a country there still is ("Nigeria has ...")."""
    assert "Man" not in _names("Man down. Looks like I caught the flu.")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("A woman was shot at the Ferguson protest last night.", "Ferguson"),
        ("Many were woken by the Napa earthquake.", "Napa"),
        ("Officials Criticize Ferguson Police Tactics", "Ferguson"),  # a title-case headline
        ("The San Francisco Earthquake of 1906 destroyed the city.", "San Francisco"),
    ],
)
def test_place_as_modifier_of_an_event_or_its_services(text: str, name: str) -> None:
    assert name in _names(text)


@pytest.mark.parametrize(
    "text",
    [
        "Tom Ferguson protest songs were loud.",  # a person's name before the noun
        "Florence police said nothing.",  # a given name and a common word
        "He fled. Police Chief Edwin Williams said so.",  # Police, Poland is a town
        "The motion was opposed by Vice Mayor Ray Melton.",  # Vice, Peru is a town
        "6 POLICE OFFICERS RAIDED MY HOME",  # shouting
    ],
)
def test_modifier_that_is_not_a_place(text: str) -> None:
    assert _names(text) == []


def test_tweet_marks_and_santa_are_not_places() -> None:
    assert _names("MT @Independent: the virus has killed a third of the patients") == []
    assert _names("Thanks Santa. The perfect gift of rest.") == []
    assert "MT" in _names("Billings, MT was hit by hail.")


def test_country_tagged_as_a_nationality_is_a_country() -> None:
    assert "Togo" in _names("A seaman was quarantined in Togo: no Ebola, just the flu.")


def test_country_inside_a_title_case_headline() -> None:
    assert "Iceland" in _names("Earthquake Shakes Iceland Volcano, Still No Ash")
    assert _names("The Guatemala City Council met.") == ["Guatemala City"]


def test_country_at_the_start_of_a_longer_place_name() -> None:
    assert "Panama" not in _names("Storm Hits Panama City Beach Overnight")


def test_place_named_again_at_the_head_of_an_organisation() -> None:
    """One sense per discourse reaches into an organisation's name NER found ("The Lansing
    Historical Society"): the town named before is the town there too."""
    text = "Flooding closed roads in Lansing on Monday. The Lansing Historical Society moved its archive."
    spans = [(m.start, m.name) for m in recognize(text)]
    assert (text.rindex("Lansing"), "Lansing") in spans


def test_place_named_again_at_the_head_of_a_street_stays_out() -> None:
    text = "Flooding closed roads in Lansing on Monday. Lansing Street was reopened on Tuesday."
    spans = [(m.start, m.name) for m in recognize(text)]
    assert (text.rindex("Lansing"), "Lansing") not in spans



@pytest.mark.parametrize(
    "text",
    [
        "The games will be held in Lawrenceburg in April, said Lawrenceburg Parks director Tom Hill.",
    ],
)
def test_place_before_a_role_word_in_a_person_entity_is_no_person_name(text: str) -> None:
    """NER tags "Lawrenceburg Parks" PERSON: the town before the role word is where, not whom,
    so it is no person's name at its other mentions ("in Lawrenceburg")."""
    assert _names(text) == ["Lawrenceburg", "Lawrenceburg"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Rebels in Aleppo say they are on the verge of a defeat.", "Aleppo"),  # NER: NORP
        ("He was held under house arrest in his hometown of Lahore.", "Lahore"),  # NER: NORP
    ],
)
def test_place_tagged_as_a_nationality_with_place_context(text: str, name: str) -> None:
    assert name in _names(text)


def test_nationality_word_that_is_also_a_place_stays_out() -> None:
    assert "Southern" not in _names("It's a Southern tradition like nowhere else.")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Today: Modesto, CA - Dec 13 at the Rebels show", ["Modesto", "CA"]),
        ("Volunteers remember the 2013 Moore, OK, tornado.", ["Moore", "OK"]),
        ("Can't wait to hit Kingsport TN so I can help", ["Kingsport", "TN"]),
    ],
)
def test_town_and_the_postal_code_of_its_state(text: str, names: list[str]) -> None:
    assert _names(text) == names


def test_postal_code_of_another_state_is_not_read() -> None:
    # Modesto lies in California, not in Oklahoma: "OK" here is an interjection
    assert "OK" not in _names("We drove through Modesto OK and then slept.")


@pytest.mark.parametrize("name", ["Philippines", "Balkans"])
def test_a_place_named_like_its_demonym_stays_a_place_without_demonyms(name: str) -> None:
    mentions = recognize(f"Measles cases rose in the {name} last year.", demonyms=False)
    assert [(m.name, m.kind_hint) for m in mentions] != [] and mentions[0].name == name
    assert mentions[0].kind_hint != "demonym"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The U.S. Department of Health said so on Monday.", "U.S."),  # NER: one ORG
        ("Thousands Protest In Hungary Against Corruption Within The Government", "Hungary"),  # NER: EVENT
    ],
)
def test_country_inside_an_entity_of_another_kind(text: str, name: str) -> None:
    assert name in _names(text)


def test_country_inside_a_street_name_stays_out() -> None:
    assert "Malta" not in _names("The library is at Route 38 and Malta Road.")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Press release #Gaza_Under_Attack", "Gaza"),  # words cut by underscores
        ("I call for a lasting #Ceasefire4Gaza today", "Gaza"),  # by a digit
        ("Have hope #Haiti5Yrs", "Haiti"),  # a run alone is read as a whole word
    ],
)
def test_place_inside_a_hashtag_cut_by_digits_or_underscores(text: str, name: str) -> None:
    mentions = recognize(text)
    assert name in [m.name for m in mentions]
    m = next(m for m in mentions if m.name == name)
    assert text[m.start:m.end] == name


@pytest.mark.parametrize(
    ("text", "names", "kind"),
    [
        ("School boards in Barrow, Jackson and Madison counties tweaked their policies.",
         ["Barrow", "Jackson", "Madison"], "admin2"),  # NER: ORG, PERSON, PERSON
        ("In Barrow and Jackson counties, rates fell.", ["Barrow", "Jackson"], "admin2"),  # not "In Barrow"
        ("The trail runs between the Williams and Cranberry rivers.", ["Williams", "Cranberry"], "river"),
    ],
)
def test_names_listed_before_a_plural_unit_noun(text: str, names: list[str], kind: str) -> None:
    mentions = recognize(text)
    assert [m.name for m in mentions] == names
    assert {m.kind_hint for m in mentions} == {kind}
    head = "River" if kind == "river" else "County"
    assert [m.query for m in mentions] == [f"{n} {head}" for n in names]  # looked up as the unit


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Why Is China Having Measles Outbreaks When Most Are Vaccinated", "China"),  # a title-case headline
        ("Angry Niger protesters set churches on fire", "Niger"),  # NER: ORG
    ],
)
def test_country_named_like_a_common_word_when_capitalised(text: str, name: str) -> None:
    assert name in _names(text)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("She bought fine china at the market.", "china"),  # lower case: the common word
        ("Massive Fire Engulfs New Jersey Apartment Complex", "Jersey"),  # the end of a longer name
    ],
)
def test_common_word_country_stays_out_in_lower_case_and_inside_longer_names(text: str, word: str) -> None:
    assert word not in _names(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Finance chair Ann Lee, DFL-Moorhead, said the bill was late.", "Moorhead"),  # a town
        ("Rep. Tom Hale (R-Elbow Lake) voted against it.", "Elbow Lake"),  # two words, in brackets
        ("Whip Jane Roe, D-S.C., added a clause.", "S.C."),  # a state's abbreviation
        ("Senators Byrd and Cole, both D-W. Va., objected.", "W. Va."),
        ("Delegate Sam Poe, D-McDowell, asked for funds.", "McDowell"),  # a county with no town of its name
    ],
)
def test_legislator_party_and_home(text: str, name: str) -> None:
    assert name in _names(text)


def test_party_home_county_and_state_are_resolved_as_such() -> None:
    by_name = {t.name: t for t in geoparse("Delegate Sam Poe, D-McDowell, and Whip Jane Roe, D-S.C., spoke.")}
    assert by_name["McDowell"].kind == "admin2" and by_name["McDowell"].country_code == "US"
    assert by_name["S.C."].kind == "admin1" and by_name["S.C."].admin1 == "US.SC"


@pytest.mark.parametrize(
    "text",
    [
        "The D-Day landings began at dawn.",  # no comma or bracket before the party letter
        "Pupils of the Lamar R-I School District returned.",
    ],
)
def test_party_letter_without_a_legislator_reads_no_place(text: str) -> None:
    assert not [n for n in _names(text) if n in ("Day", "D-Day", "I", "R-I")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # NER tags the adjective alone as an organisation
        ("Dixon Vazquez, 29, begged the Guatemalan authorities to let the group continue.", "Guatemalan"),
        # NER takes the nationality into the person's name
        ("We are determined to move forward, said Honduran Zulma Berrios as she returned to the path.", "Honduran"),
    ],
)
def test_demonym_that_ner_took_for_an_organisation_or_a_name(text: str, name: str) -> None:
    mentions = recognize(text)
    assert (name, "demonym") in [(m.name, m.kind_hint) for m in mentions]


def test_demonym_opening_a_longer_organisation_name_is_read() -> None:
    mentions = recognize("Migrants were held by agents of the Guatemalan National Civil Police on Monday.")
    assert ("Guatemalan", "demonym") in [(m.name, m.kind_hint) for m in mentions]


def test_demonym_opening_an_organisation_name_is_no_evidence_of_where_the_story_is() -> None:
    # "British" opens the name of a territory: Hamilton is Bermuda's capital, not a Scottish town
    text = "Hamilton is the capital of the British Overseas Territory of Bermuda. Hamilton has a harbour."
    hamilton = next(t for t in geoparse(text) if t.name == "Hamilton")
    assert hamilton.country_code == "BM", hamilton.reason


def test_a_town_ending_in_rio_is_no_river() -> None:
    assert "Rio Sector" not in _names("The Del Rio Sector currently leads the nation in crossings.")


def test_a_curated_region_by_its_full_name_needs_no_context() -> None:
    # NER tags it as a person; a region's full name is no one's name
    assert "Darien Gap" in _names("Migrants walked through the harrowing jungle-clad Darien Gap that separates them.")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # NER splits the name into a place and a person
        ("The caravan's first stop will be in Tuxtla Gutiérrez, where the migrants rest.", "Tuxtla Gutiérrez"),
        # NER leaves the first word out
        ("Families slept near a border crossing point with Mexico in Ciudad Tecun Uman, Guatemala on Monday.",
         "Ciudad Tecun Uman"),
    ],
)
def test_a_place_span_widens_to_the_longer_name_the_gazetteer_knows(text: str, name: str) -> None:
    assert name in _names(text)


def test_a_span_does_not_widen_to_an_article_or_a_unit_word() -> None:
    names = _names("The Indiana State Police said. The Minnesota Department of Health agreed.")
    assert not [n for n in names if n.startswith("The ") or n.endswith((" State", " Department"))]


def test_country_opening_an_organisation_name_with_a_conjunction() -> None:
    # the entity holds "and", so its words are not one place name; its country still counts
    assert "U.S." in _names("Before they could cross, U.S. Customs and Border Protection officials stopped them.")
