"""Event extraction (geo/atlas/events.py, geo/text/furniture.py): each pattern pinned with a short text
of our own. Rates on real news are measured by benchmarks/events_dev.py, not here."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.atlas.build import analyse_articles, build_atlas
from geo.sources.corpus import Article
from geo.text.furniture import page_lines

PUB = dt.date(2024, 3, 4)  # a Monday


def events(text: str, published: dt.date | None = PUB, aid: str = "t"):
    [analysis] = list(analyse_articles([Article(id=aid, text=text, published=published)]))
    return list(analysis.events)


def one(text: str, published: dt.date | None = PUB, **want):
    found = [e for e in events(text, published) if all(_get(e, k) == v for k, v in want.items())]
    assert len(found) == 1, [(e.event_type, e.place and e.place.name, e.date_start, e.status) for e in events(text, published)]
    return found[0]


def _get(e, key):
    return e.place.name if key == "place" and e.place is not None else getattr(e, key, None)


# ------------------------------------------------------------------ predicates


def test_triggers_are_lemmas_not_substrings():
    text = "The department in Tapachula said aid would be sent. A summit was held in Mexico City on Friday."
    types = {e.event_type for e in events(text)}
    assert "departure" not in types  # "department"
    assert all(e.place is None or e.place.name != "Tapachula" for e in events(text))


@pytest.mark.parametrize(
    "text, etype",
    [
        ("Two migrants died on Sunday when their raft overturned near Ciudad Hidalgo.", "death"),
        ("On Saturday hundreds of migrants boarded buses in Huixtla.", "transport"),
        ("The caravan dissolved in Escuintla, Chiapas, on Friday.", "blocked"),
        ("Dozens of migrants surrendered to immigration agents in Tapachula on Sunday.", "detention"),
        ("The migrants camped for the night in Mapastepec on Saturday.", "camp"),
        ("Migrants clashed with soldiers in Tecún Umán on Sunday.", "violence"),
        ("The migrants spent the night in Arriaga on Saturday.", "camp"),
        ("Guatemalan police stopped the caravan in Vado Hondo on Friday.", "blocked"),
        ("Authorities closed the bridge at Ciudad Hidalgo on Sunday.", "port_status"),
    ],
)
def test_real_happenings_are_events(text, etype):
    e = one(text, event_type=etype)
    assert e.place is not None and e.place.kind in ("city", "crossing", "river", "place", "facility")
    assert e.date_precision == "day" and e.date_start < PUB


def test_negated_predicates_report_nothing():
    assert events("The migrants did not leave Tapachula on Sunday.") == []


# ------------------------------------------------------------------ places


def test_the_town_named_in_the_clause_wins_over_the_country():
    e = one("Migrants from Honduras left the border town of Tecún Umán in Guatemala on Monday.", event_type="departure")
    assert e.place.name == "Tecún Umán" and e.place.country_code == "GT"


def test_origin_of_people_is_not_the_place_of_the_event():
    e = one("Migrants from Venezuela arrived in Huixtla on Saturday.", event_type="arrival")
    assert e.place.name == "Huixtla"


def test_destination_is_not_where_a_march_is():
    e = one("In Tapachula, thousands of migrants are walking toward the United States.", event_type="march")
    assert e.place.name == "Tapachula"
    assert [d.name for d in e.destinations] == ["United States"]


def test_place_carried_from_earlier_in_the_paragraph():
    text = "On Saturday the caravan reached Huixtla. There the migrants rested before walking again."
    rest = one(text, event_type="camp")
    assert rest.place.name == "Huixtla" and "earlier in the paragraph" in rest.reason


def test_dateline_places_an_event_of_the_lede():
    text = "TAPACHULA, Mexico (AP) — Thousands of migrants set off on foot on Sunday, officials said."
    e = one(text, event_type="departure")
    assert e.place.name.lower() == "tapachula" and e.place.country_code == "MX" and "dateline" in e.reason


# ------------------------------------------------------------------ dates


def test_the_predicates_own_date_not_another_in_the_sentence():
    text = "The caravan, the largest since 2018, will leave Tapachula on Tuesday, March 5."
    e = one(text, event_type="departure")
    assert e.date_start == dt.date(2024, 3, 5) and e.status == "planned"


def test_weekday_and_date_just_after_publication_is_the_coming_one():
    e = one("Migrants left Tapachula on Tuesday, March 5.", published=PUB, event_type="departure")
    assert e.date_start == dt.date(2024, 3, 5)  # 2023-03-05 was a Sunday


def test_narrative_time_next_day_and_days_later():
    text = ("The caravan left Tapachula on Saturday, March 2. The next day the migrants reached Huixtla. "
            "Two days later they camped in Escuintla.")
    huixtla = one(text, event_type="arrival")
    assert huixtla.date_start == dt.date(2024, 3, 3)
    camp = one(text, event_type="camp")
    assert camp.date_start == dt.date(2024, 3, 5)


def test_present_tense_is_the_publication_date():
    e = one("Thousands of migrants are camped in Huixtla, Chiapas.", event_type="camp")
    assert (e.date_start, e.date_precision) == (PUB, "day")


def test_undated_past_without_context_is_at_most_a_week_and_says_so():
    e = one("The caravan stopped in Huixtla.", event_type="camp")
    assert e.date_precision == "week" and (e.date_end - e.date_start).days == 7
    assert "no date stated" in e.date_reason


def test_tallies_are_not_events():
    text = "In February, more than 200,000 migrants crossing into the United States were counted."
    assert [e for e in events(text) if e.event_type == "crossing"] == []


# ------------------------------------------------------------------ status


@pytest.mark.parametrize(
    "text, status",
    [
        ("The migrants plan to leave Tapachula on Friday.", "planned"),
        ("The caravan will reach Arriaga on Friday.", "planned"),
        ("If the caravan reaches Arriaga on Friday, police may stop it.", "hypothetical"),
        ("The caravan reached Arriaga on Friday.", "reported"),
    ],
)
def test_status(text, status):
    [e] = [e for e in events(text) if e.place is not None and e.place.name == "Arriaga" or "Tapachula" in text]
    assert e.status == status


# ------------------------------------------------------------------ page furniture


PAGE = """Migrants leave Tapachula
By Jane Roe
Published: March 4, 2024 at 9:41 AM CST | Updated: 2 hours ago
TAPACHULA, Mexico (AP) — A caravan of about 3,000 migrants left Tapachula on Sunday.
Migrants walk along a highway in Huixtla, Chiapas, on Feb. 20, 2024. (AP Photo/John Doe)
RELATED: Migrants clash with police in Ciudad Hidalgo on Friday, Jan. 5, 2024
Today: Dec 5, 2026
Sign up for our newsletter
The migrants said they would keep walking.
"""


def test_page_lines_are_labelled():
    labels = [ln.label for ln in page_lines(PAGE)]
    assert labels == ["heading", "byline", "byline", "body", "caption", "related", "chrome", "chrome", "body"]


def test_furniture_dates_never_date_the_story_and_captions_keep_their_own():
    found = events(PAGE)
    departure = [e for e in found if e.event_type == "departure"]
    assert [(e.place.name, e.date_start) for e in departure] == [("Tapachula", dt.date(2024, 3, 3))]
    caption = [e for e in found if e.place is not None and e.place.name == "Huixtla"]
    assert caption and all(e.date_start == dt.date(2024, 2, 20) for e in caption)
    assert not [e for e in found if e.place is not None and e.place.name == "Ciudad Hidalgo"]  # a related link
    assert not [e for e in found if e.date_start and e.date_start.year == 2026]  # the site's "Today:"


def test_lines_are_sentences_of_their_own():
    text = "MIGRANT NEWS\nBy Jane Roe\n- Police detained 40 migrants in Tapachula on Sunday\n- The caravan left Huixtla on Monday\n"
    found = {(e.event_type, e.place.name) for e in events(text) if e.place is not None}
    assert {("detention", "Tapachula"), ("departure", "Huixtla")} <= found
    for e in events(text):
        assert "\n" not in e.sentence


# ------------------------------------------------------------------ merging


def test_merging_needs_same_type_place_and_date():
    a = Article(id="a", text="The caravan left Tapachula on Sunday, March 3.", published=PUB)
    b = Article(id="b", text="On Sunday the caravan departed from Tapachula.", published=PUB)
    c = Article(id="c", text="On Saturday the caravan left Tapachula.", published=PUB)
    atlas = build_atlas([a, b, c])
    dep = atlas.events[(atlas.events.event_type == "departure") & (atlas.events.place_name == "Tapachula")]
    assert sorted(map(sorted, dep.article_ids)) == [["a", "b"], ["c"]]


def test_photo_credits_on_their_own_line_make_the_line_above_a_caption():
    text = ("Migrants waded across the river near Ciudad Hidalgo on Jan. 20, 2020.\n(Jane Roe / AP)\n"
            "Posted at 6:27 PM, Oct 19, 2018\nand last updated 2018-10-19 18:27:51-04\n"
            "A man climbs a fence at the border Image copyright Reuters\n  • 20 October 2018\n")
    assert [ln.label for ln in page_lines(text)] == ["caption", "caption", "byline", "byline", "caption", "byline"]


def test_the_border_narrows_to_the_border_town_the_story_names():
    text = ("Thousands of migrants broke through the Guatemala-Mexico border on Friday.\n"
            "Migrants rest on a bridge in Tecún Umán, Guatemala, Oct. 19, 2018. (AP Photo/John Doe)\n")
    e = one(text, published=dt.date(2018, 10, 20), event_type="crossing")
    assert e.place.name == "Tecún Umán" and "narrowed" in e.reason and e.date_start == dt.date(2018, 10, 19)


def test_a_verb_misread_as_a_noun_in_a_caption_still_reports():
    text = "Honduran migrants in a caravan arrive at the main square in Tapachula, Mexico on October 21, 2018."
    e = one(text, published=dt.date(2018, 10, 22), event_type="arrival")
    assert e.date_start == dt.date(2018, 10, 21)


def test_an_aim_is_a_destination_not_a_dated_event():
    text = "On Monday the caravan left Huixtla, still aiming to reach the United States."
    found = events(text)
    assert not [e for e in found if e.place is not None and e.place.country_code == "US"]
    assert any(d.name == "United States" for e in found for d in e.destinations)


def test_an_intention_under_a_noun_is_no_event():
    text = "On Friday police in Huixtla blocked their bid to reach Tonalá, Chiapas."
    assert [e.event_type for e in events(text)] == ["blocked"]


def test_vague_windows_date_no_event():
    assert events("In recent months Mexican agents have deported thousands of migrants from Tapachula, Chiapas.") == []


def test_coordinated_places_are_one_event_each():
    text = "On Tuesday officials said 5,000 migrants had stayed in the cities of Tijuana and Mexicali."
    assert sorted(e.place.name for e in events(text) if e.event_type == "camp") == ["Mexicali", "Tijuana"]


@pytest.mark.parametrize(
    "text, etype",
    [
        ("On Monday dozens of migrants were taken into custody in Tapachula, Chiapas.", "detention"),
        ("On Friday hundreds of migrants rushed across the bridge into Ciudad Hidalgo.", "crossing"),
        ("On Friday officers unleashed pepper spray on migrants in Tecún Umán.", "violence"),
    ],
)
def test_more_predicates(text, etype):
    assert one(text, event_type=etype).date_precision == "day"


def test_a_destination_where_the_caravan_already_is_draws_no_leg():
    # From a real page: an aim's place ("continue towards ...", resolved to the town the caravan was in)
    # became the destination; the zero-length intended leg made the whole build fail.
    from geo.atlas.caravans import build_routes, group_caravans, merge_events
    from geo.gazetteer.index import load_gazetteer

    [analysis] = list(analyse_articles([Article(id="a", text="Thousands of migrants left Tapachula, Chiapas, on Monday.", published=PUB)]))
    caravans = group_caravans(merge_events(analysis.events))
    [caravan] = caravans
    caravan.destinations.append(caravan.events[0].place)  # the stated destination is where it already is
    legs = build_routes(caravans, load_gazetteer())
    assert all(len(set(leg.geometry.coords)) >= 2 for leg in legs)


@pytest.mark.parametrize(
    "text, town",
    [
        ("HUIXTLA, Mexico (AP) — Thousands of migrants camped on Sunday after a long walk.", "huixtla"),
        ("Huixtla, Mexico, Mar 3 (EFE).- Thousands of migrants camped on Sunday after a long walk.", "huixtla"),
    ],
)
def test_datelines_in_capitals_and_in_agency_style_place_the_lede(text, town):
    e = one(text, event_type="camp")
    assert e.place.name.lower() == town and "dateline" in e.reason


def test_heading_towards_a_town_is_a_march_there_but_not_towards_a_country():
    town = one("On Tuesday the migrants were heading towards Esquipulas, Guatemala.", event_type="march")
    assert town.place.name == "Esquipulas"
    far = [e for e in events("On Tuesday the caravan was heading towards the United States.") if e.place is not None]
    assert far == []


def test_a_place_that_locates_the_subject_places_the_event():
    # "police in <place> detained ...": where the agents were is where it happened; but
    # "migrants from <place>" says who they are, not where (pinned above).
    e = one("Police officers in the town of Mapastepec detained dozens of migrants on Sunday.", event_type="detention")
    assert e.place.name == "Mapastepec" and e.date_start == dt.date(2024, 3, 3)


def test_a_dated_event_without_a_place_still_sets_the_story_time():
    text = ("Soldiers rounded up hundreds of migrants on Saturday, witnesses said.\n\n"
            "The migrants were later taken by bus to Tapachula, Chiapas.")
    e = one(text, event_type="transport")
    assert e.place.name == "Tapachula" and e.date_start == dt.date(2024, 3, 2), e.reason


def test_an_announcement_elsewhere_does_not_set_the_caravan_story_time():
    text = ("Officials announced a new visa programme on Wednesday.\n\n"
            "Hundreds of migrants crossed the river into Ciudad Hidalgo.")
    e = one(text, event_type="crossing")
    assert e.date_precision == "week", e.reason


def test_a_caption_is_dated_by_its_day_not_by_a_year_beside_it():
    text = ("Migrants walk north.\n"
            "Migrants travelling with this year's caravan have camped out in Huixtla, Mexico, on Wednesday.\n"
            "Jane Roe / AP\n\nThe caravan rested in Tapachula, Chiapas, on Monday.")
    e = one(text, event_type="camp", place="Huixtla")
    assert e.date_start == dt.date(2024, 2, 28), e.reason


def test_a_date_set_off_at_the_end_of_the_sentence_dates_it():
    e = one("Agents in Eagle Pass rescued two migrants struggling to cross the Rio Grande, Feb. 27.", event_type="detention")
    assert e.date_start == dt.date(2024, 2, 27), e.reason


def test_the_dateline_is_found_after_site_notices_and_places_the_lede():
    text = ("An official website of the government\n\nA lock means you have safely connected to the website.\n\n"
            "Secure websites use HTTPS and keep your data private.\n\n"
            "Release Date\n\nEAGLE PASS, Texas – Agents rescued two migrants in the river, Feb. 27.\n\n"
            "Both were taken to a hospital.")
    e = one(text, event_type="detention")
    assert e.place.name.lower() == "eagle pass" and "dateline" in e.reason, e.reason


@pytest.mark.parametrize(
    "text, etype",
    [
        # a doubled consonant is still the verb: "setting off", "travelling"
        ("On Sunday the caravan was setting off from Huixtla, Chiapas.", "departure"),
        ("On Sunday the migrants were travelling through Escuintla, Chiapas.", "march"),
        ("The caravan continued its slow advance in Escuintla, Chiapas, on Sunday.", "march"),
        ("On Sunday dozens of migrants jumped from the bridge into the river at Tecun Uman, Guatemala.", "crossing"),
    ],
)
def test_forms_and_senses_on_real_patterns(text, etype):
    e = one(text, event_type=etype)
    assert e.date_start == dt.date(2024, 3, 3), e.reason


def test_continue_to_arrive_is_under_way_now():
    e = one("Migrants continue to arrive in Tijuana, Baja California, and other border cities.", event_type="arrival")
    assert e.date_start == PUB and e.place.name == "Tijuana", e.reason


def test_a_long_river_narrows_to_the_town_the_story_is_told_at():
    e = one("EAGLE PASS, Texas (AP) — Nearly 700 migrants forded the Rio Grande on Sunday.", event_type="crossing")
    assert e.place.name.lower() == "eagle pass", e.reason
