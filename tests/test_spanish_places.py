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

    t = toponym("La caravana salió el sábado de la Ciudad de Tapachula.", "Ciudad de Tapachula")
    assert (t.kind, t.admin1) == ("city", "MX.05")  # "la Ciudad de X": the town X


def test_a_verb_capitalised_at_the_sentence_start_does_not_hide_the_place_after_it():
    assert names("Salieron de Tapachula el lunes.") == ["Tapachula"]
    assert names("Partieron de Ciudad Hidalgo y llegaron a Huixtla.") == ["Ciudad Hidalgo", "Huixtla"]
    assert names("Guardia Nacional detuvo a los migrantes.") == []  # an organisation, not a verb


# ------------------------------------------------------------------ caravan sizes and homelands


def test_spanish_caravan_size_statements():
    from geo.atlas.caravan_facts_es import caravan_size_statements_es

    text = ("La caravana reúne a más de 3,000 personas. Unos 300 migrantes fueron detenidos en la caravana. "
            "Cada día llegan 500 migrantes al día a la frontera de la caravana. Hay 2 mil migrantes en Tapachula.")
    spans, start = [], 0
    for part in text.split(". "):
        spans.append((start, start + len(part) + 1))
        start += len(part) + 2
    got = caravan_size_statements_es(text, spans)
    assert [(c.minimum, c.maximum) for c in got] == [(3000, None)]


def test_spanish_homelands_are_people_not_institutions():
    from geo.atlas.caravan_facts_es import homelands_es

    text = ("Los hondureños caminaron con familias salvadoreñas, procedentes de Guatemala, "
            "mientras las autoridades mexicanas los vigilaban.")
    a = analysis(text)
    got = homelands_es(text, a.toponyms)
    assert [(t.name, t.country_code) for t in got] == [
        ("hondureños", "HN"), ("salvadoreñas", "SV"), ("Guatemala", "GT")]
    assert a.homelands == got


def test_spanish_size_and_homeland_feed_the_caravan():
    from geo.atlas import build_atlas
    from geo.sources.corpus import Article

    text = ("TAPACHULA, Chis.— La caravana salió el lunes de Tapachula rumbo a Huixtla.\n\n"
            "La caravana, de unos 2 mil migrantes hondureños, pasó la noche en Huixtla. "
            "Los hondureños dijeron que huyen de la violencia.")
    atlas = build_atlas([Article(id="c", text=text, published=PUB, language="es")])
    dep = atlas.events[atlas.events.event_type == "departure"].iloc[0]
    assert dep.people_min == 2000  # the caravan's stated size, though the departure's sentence has none



def test_spanish_homeland_starts_a_caravan_with_no_reported_departure():
    from geo.atlas import build_atlas
    from geo.sources.corpus import Article

    text = ("HUIXTLA, Chis.— La caravana llegó el martes a Huixtla, donde los hondureños pernoctaron.\n\n"
            "La caravana avanzó el miércoles hacia Escuintla. Muchos hondureños caminaban descalzos.")
    atlas = build_atlas([Article(id="h", text=text, published=PUB, language="es")])
    first = atlas.routes.sort_values("leg").iloc[0]
    assert "country of origin (Honduras" in first.reason


def test_spanish_counts_in_words_and_mexican_thousands():
    from geo.atlas.events_es import find_people_counts_es

    def got(text):
        return [(c.minimum, c.maximum) for c in find_people_counts_es(text)]

    assert got("habían llegado 3 mil 224 integrantes") == [(3224, 3224)]
    assert got("los más de mil 500 migrantes") == [(1500, None)]
    assert got("unos dos mil migrantes") == [(2000, 2000)]
    assert got("cerca de quinientos migrantes") == [(500, 500)]
