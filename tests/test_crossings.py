"""Which crossing a status belongs to (geo/atlas/crossings.py): only the one the text names, or
the one crossing of a town it names; a state- or country-wide statement names none. Each
pattern pinned with a short text of our own."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from geo.atlas.build import build_atlas
from geo.sources.corpus import Article
from geo.atlas.crossings import _named_crossings, crossings_at
from geo.gazetteer.index import load_gazetteer
from geo.model import Toponym

PUB = dt.date(2023, 12, 24)
LEAD = "Hundreds of migrants rode freight trains north this week, officials said on Friday. "


def _atlas(*texts: str):
    return build_atlas([Article(id=f"a{i}", text=t, published=PUB) for i, t in enumerate(texts)])


def _statuses(atlas) -> dict[str, list[tuple[str, str | None, str | None]]]:
    return {r.crossing_id: [(s["status"], s["date"], s["article_id"]) for s in r.status_events]
            for _, r in atlas.crossings.iterrows()}


def test_a_state_wide_rail_suspension_names_no_port():
    # The demo article's sentence: before, it became a "suspended" status at four Texas
    # ports (Brownsville, Eagle Pass, El Paso, Laredo), none of them named in the text.
    atlas = _atlas(LEAD + "U.S. Customs and Border Protection had to suspend cross-border rail traffic in Texas.")
    assert _statuses(atlas) == {}
    [event] = atlas.events[atlas.events.event_type == "port_status"].itertuples()
    assert event.place_name == "Texas"  # the statement stays an event at the state
    # past tense, no date: the week before publication, said so
    assert (event.date_start, event.date_end, event.date_precision) == ("2023-12-17", "2023-12-24", "week")


def test_a_present_tense_status_is_dated_at_publication():
    # before: "officials suspend ..." (a simple present) was read as a habit and dropped
    atlas = _atlas(LEAD + "Officials suspend rail traffic in Texas.")
    [event] = atlas.events[atlas.events.event_type == "port_status"].itertuples()
    assert event.place_name == "Texas"
    assert (event.date_start, event.date_end, event.date_precision) == ("2023-12-24", "2023-12-24", "day")
    assert _statuses(atlas) == {}


def test_a_state_wide_status_does_not_join_a_named_port_of_another_article():
    # before: the Texas statement merged into the Laredo event (Laredo lies in Texas) and
    # became a status of the Laredo port with the other article as its source
    atlas = _atlas(LEAD + "Officials suspend rail traffic in Texas.",
                   LEAD + "The authorities have closed the border bridge in Laredo.")
    statuses = _statuses(atlas)
    assert statuses == {"port:2304": [("closed", "2023-12-24", "a1")]}
    places = set(atlas.events[atlas.events.event_type == "port_status"].place_name)
    assert places == {"Texas", "Laredo"}


def test_a_named_port_gets_its_status():
    atlas = _atlas(LEAD + "Rail crossings in Eagle Pass were suspended on December 18.")
    assert _statuses(atlas) == {"port:2303": [("suspended", "2023-12-18", "a0")]}


def _town(name: str, geonameid: int | None, admin1: str, cc: str) -> Toponym:
    return Toponym(start=0, end=len(name), name=name, lat=0.0, lon=0.0, kind="city", geonameid=geonameid,
                   country_code=cc, confidence=0.9, admin1=admin1)


def _status_event(place: Toponym, clause: str) -> SimpleNamespace:
    mention = SimpleNamespace(sentence=clause, sentence_start=0, start=0, end=len(clause))
    return SimpleNamespace(place=place, mentions=[mention])


@pytest.mark.parametrize(
    "town, clause, expected",
    [
        # a US port of entry is named after its town: the town is that one port
        (_town("Laredo", 4705349, "US.TX", "US"), "the bridge in Laredo was closed", ["port:2304"]),
        # a town with one southern crossing (its GeoNames id in the crossing's record)
        (_town("Talisman", 3588574, "MX.05", "MX"), "the bridge at Talisman was closed", ["mxgt_talisman"]),
        # Ciudad Hidalgo has three crossings (two bridges and the rafts): a status there names none
        (_town("Ciudad Hidalgo", 3530595, "MX.05", "MX"), "the crossing at Ciudad Hidalgo was closed", []),
        # a town of the same name in another state is not the port
        (_town("Laredo", None, "US.NM", "US"), "the bridge in Laredo was closed", []),
    ],
)
def test_a_town_is_a_crossing_only_when_it_has_one(town, clause, expected):
    gaz = load_gazetteer()
    got = [c.feature_id for c, _ in _named_crossings(_status_event(town, clause), gaz)]
    assert got == expected


def test_areas_name_no_crossing():
    gaz = load_gazetteer()
    texas = Toponym(start=0, end=5, name="Texas", lat=31.0, lon=-99.0, kind="admin1", geonameid=4736286,
                    country_code="US", confidence=0.9, admin1="US.TX")
    us = Toponym(start=0, end=13, name="United States", lat=39.0, lon=-98.0, kind="country", geonameid=6252001,
                 country_code="US", confidence=0.9)
    for place in (texas, us):
        assert _named_crossings(_status_event(place, "rail traffic was suspended"), gaz) == []
    assert len(crossings_at(_town("El Paso", None, "US.TX", "US"), gaz)) == 1
