"""Issue 11, world news: facilities and sub-city places as toponyms (landmarks from
data/gazetteer/landmarks.csv, airports, stadiums, squares, embassies) and where they are put.
Each text is short and made up for the rule it tests."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.geoparsing.facilities import landmark_candidate, load_landmarks


def _by_name(text: str) -> dict[str, object]:
    return {t.name: t for t in geoparse(text)}


def test_landmark_table_reads_and_gives_candidates() -> None:
    table = load_landmarks()
    assert {"white_house", "kremlin", "tahrir_square", "disneyland"} <= set(table)
    c = landmark_candidate("landmark:tahrir_square")
    assert c is not None and c.kind == "street" and c.country_code == "EG"
    assert abs(c.lat - 30.04) < 0.05 and abs(c.lon - 31.24) < 0.05
    assert landmark_candidate("port:2504") is None and landmark_candidate("landmark:nowhere") is None


@pytest.mark.parametrize(
    ("text", "name", "kind", "lat", "lon"),
    [
        ("Thousands rallied in Tahrir Square on Friday.", "Tahrir Square", "street", 30.04, 31.24),
        ("Protesters marched outside the White House all night.", "White House", "facility", 38.90, -77.04),
        ("A measles outbreak that began at Disneyland keeps spreading.", "Disneyland", "facility", 33.81, -117.92),
        ("Flights were cancelled at McCarran airport after the storm.", "McCarran airport", "facility", 36.08, -115.15),
        ("Police cleared the camp near the Kremlin walls.", "Kremlin", "facility", 55.75, 37.62),
    ],
)
def test_landmark_is_a_toponym_at_its_own_point(text: str, name: str, kind: str, lat: float, lon: float) -> None:
    t = _by_name(text)[name]
    assert t.kind == kind
    assert abs(t.lat - lat) < 0.05 and abs(t.lon - lon) < 0.05


@pytest.mark.parametrize(
    "text",
    [
        "The Kremlin said the talks would resume.",  # the institution, not the place
        "The White House press secretary declined to comment.",
        "Kremlin-backed candidates won most seats.",
        "He praised the Camp David Accords in his speech.",  # part of a longer name
    ],
)
def test_landmark_standing_for_its_institution_is_not_a_place(text: str) -> None:
    assert not {"Kremlin", "White House", "Camp David"} & set(_by_name(text))


def test_named_stadium_is_placed_at_the_town_named_after_it() -> None:
    tops = _by_name("The game at Vaught-Hemingway Stadium in Oxford, Mississippi ended late.")
    stadium, oxford = tops["Vaught-Hemingway Stadium"], tops["Oxford"]
    assert stadium.kind == "facility" and stadium.geonameid is None
    assert (stadium.lat, stadium.lon) == (oxford.lat, oxford.lon) and oxford.admin1 == "US.MS"


def test_embassy_in_a_country_is_placed_at_its_capital() -> None:
    tops = _by_name("Activists protested in front of the Egyptian Embassy in Tunisia today.")
    embassy = tops["Egyptian Embassy"]
    assert embassy.kind == "facility" and embassy.country_code == "TN"
    assert abs(embassy.lat - 36.82) < 0.2 and abs(embassy.lon - 10.17) < 0.2  # Tunis, not Tunisia's centre


def test_airport_named_after_its_town_leaves_the_town_the_toponym() -> None:
    # local news annotates the town in "Donetsk airport", "Beirut airport"
    tops = _by_name("Shelling hit Donetsk airport overnight.")
    assert "Donetsk" in tops and tops["Donetsk"].kind == "city"


def test_facility_after_a_possessive_place_keeps_the_place() -> None:
    tops = _by_name("The airline flies between Washington's Dulles Airport and Moscow.")
    assert "Washington" in tops and "Dulles Airport" in tops
    assert tops["Dulles Airport"].kind == "facility"


def test_facility_without_a_town_in_the_text_keeps_no_point() -> None:
    t = _by_name("Show up to Hatchett Coliseum tonight at 7:30!")["Hatchett Coliseum"]
    assert t.kind == "facility" and t.lat is None


def test_landmark_does_not_pull_a_town_of_the_story() -> None:
    # a replica in Paris, Tennessee: the tower stands in France but says nothing about this Paris
    tops = _by_name("Paris is a city in Henry County, Tennessee. A replica of the Eiffel Tower stands in Paris.")
    assert tops["Paris"].admin1 == "US.TN"
