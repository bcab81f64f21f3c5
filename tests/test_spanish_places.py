"""Spanish place cues, admin-1 units named bare, and Spanish caravan sizes and homelands (issue 14)."""

from __future__ import annotations

import datetime as dt

from geo.atlas import analyse_articles
from geo.gazetteer.admin1_names import admin1_code_by_bare_name, bare_admin1_name
from geo.gazetteer.index import load_gazetteer
from geo.sources.corpus import Article

PUB = dt.date(2020, 1, 17)  # a Friday


def analysis(text: str, published: dt.date | None = PUB):
    [a] = list(analyse_articles([Article(id="t", text=text, published=published, language="es")]))
    return a


def toponym(text: str, name: str):
    return next(t for t in analysis(text).toponyms if t.name == name)


# ------------------------------------------------------------------ admin-1 units named bare


def test_bare_admin1_names():
    assert bare_admin1_name("Cortés Department") == "cortes"
    assert bare_admin1_name("Departamento de Boaco") == "boaco"
    assert admin1_code_by_bare_name("HN", "CORTÉS") == "HN.06"
    assert admin1_code_by_bare_name("HN", "Tapachula") is None


def test_dateline_names_a_department_of_the_country_beside_it():
    text = "CORTÉS, HONDURAS.- Unos 500 migrantes salieron este miércoles de la terminal rumbo a Guatemala."
    t = toponym(text, "CORTÉS")
    assert (t.kind, t.country_code, t.admin1) == ("admin1", "HN", "HN.06")


def test_a_town_of_the_country_still_wins_and_bare_names_stay_out_of_the_index():
    t = toponym("Los migrantes se reunieron el martes en Santa Rosa, Honduras.", "Santa Rosa")
    assert t.kind == "city" and t.country_code == "HN"
    assert not [c for c in load_gazetteer().lookup("Cortés") if c.kind == "admin1"]


# ------------------------------------------------------------------ settlement cues


def names(text: str) -> list[str]:
    from geo.geoparsing.places_es import recognize_es

    return [m.name for m in recognize_es(text)]


def test_a_settlement_word_makes_a_name_after_it_a_place():
    assert "Jesús Carranza" in names("Los migrantes durmieron en el ejido Jesús Carranza.")
    assert "Álvaro Obregón" in names("El poblado de Álvaro Obregón los recibió con comida.")
    assert "Tecún Umán" in names("Cruzaron a la ciudad fronteriza de Tecún Umán.")
    assert names("El diputado Jesús Carranza habló con los migrantes.") == []  # a person, no cue


def test_a_state_after_a_name_makes_it_a_place_in_that_state():
    t = toponym("Los migrantes durmieron el jueves en Miguel Alemán, Chiapas.", "Miguel Alemán")
    assert (t.kind, t.admin1) == ("city", "MX.05")  # a first name starts it, the state after it says place


def test_ciudad_that_geonames_leaves_out():
    t = toponym("La caravana descansó el sábado en Ciudad Isla, Veracruz.", "Ciudad Isla")
    assert (t.kind, t.admin1) == ("city", "MX.30")
