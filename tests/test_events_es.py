"""Spanish event rules added from the es_a/es_c errors (issue 14): stops, people present, intent clauses."""

from __future__ import annotations

import datetime as dt

from geo.atlas import analyse_articles
from geo.sources.corpus import Article

PUB = dt.date(2020, 1, 17)  # a Friday


def events(text: str):
    [a] = list(analyse_articles([Article(id="e", text=text, published=PUB, language="es")]))
    return [(e.event_type, e.place.name if e.place else None, e.status, e.date_start) for e in a.events]


def test_a_stop_is_a_camp():
    got = events("Los migrantes hicieron una escala el jueves en Acayucan.")
    assert ("camp", "Acayucan", "reported", dt.date(2020, 1, 16)) in got
    got = events("La caravana avanza hacia Puebla, por lo que harán una parada en Córdoba.")
    assert any(e[:3] == ("camp", "Córdoba", "planned") for e in got)


def test_people_present_in_a_town_are_a_camp():
    got = events("El jueves había 800 migrantes en Tapachula y en Huixtla había otros 300 que descansaban.")
    assert ("camp", "Tapachula", "reported", dt.date(2020, 1, 16)) in got
    assert any(e[:2] == ("camp", "Huixtla") for e in got)
    assert events("Hay 3 albergues en Tapachula.") == []  # no people counted


def test_a_relative_clause_of_intent_names_a_goal_not_a_position():
    got = events("El jueves en Mexicali había otros 500 que buscan pedir asilo en Estados Unidos.")
    assert [e[:2] for e in got if e[0] == "camp"] == [("camp", "Mexicali")]
