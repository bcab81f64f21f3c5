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


def test_a_donde_clause_happens_at_the_place_before_it():
    got = events("La caravana llegó el jueves a Tecún Umán, donde los migrantes durmieron en el parque central.")
    assert ("camp", "Tecún Umán", "reported", dt.date(2020, 1, 16)) in got


def test_the_place_an_arrival_reached_is_where_the_next_predicate_happens():
    got = events("El jueves los migrantes llegaron a Huixtla y se refugiaron en la iglesia.")
    assert ("camp", "Huixtla", "reported", dt.date(2020, 1, 16)) in got


def test_a_capital_named_by_its_country_or_state():
    from geo.geoparsing.places_es import recognize_es

    found = {m.name: m.query for m in recognize_es(
        "Llegaron a la capital mexicana y luego a la capital de Guatemala y a la capital chiapaneca.")}
    assert found == {"capital mexicana": "Mexico City", "capital de Guatemala": "Guatemala City",
                     "capital chiapaneca": "Tuxtla Gutiérrez"}
    got = events("El jueves unos 2 mil migrantes llegaron a la capital guatemalteca.")
    [arrival] = [e for e in got if e[0] == "arrival"]
    assert arrival[1] == "capital guatemalteca"


def test_a_border_post_named_once_is_that_post_everywhere_in_the_article():
    from geo.geoparsing.places_es import recognize_es

    text = ("Los migrantes cruzaron el jueves el punto fronterizo de Agua Caliente.\n\n"
            "Otros salieron de Nueva Ocotepeque, en Honduras, y llegaron a Agua Caliente por la tarde.")
    posts = [m for m in recognize_es(text) if "Agua Caliente" in m.name]
    assert len(posts) == 2 and all(m.feature_ids == posts[0].feature_ids and m.feature_ids for m in posts)


def test_near_a_place_is_at_it():
    got = events("El jueves, a la altura del municipio de Huehuetán, los agentes dispersaron a la caravana.")
    assert ("blocked", "Huehuetán", "reported", dt.date(2020, 1, 16)) in got


def test_territory_named_by_its_adjective():
    from geo.geoparsing.places_es import recognize_es

    found = {m.name: (m.kind_hint, m.query) for m in recognize_es("Ingresaron a territorio mexicano y luego a suelo chiapaneco.")}
    assert found == {"territorio mexicano": ("country", "México"), "suelo chiapaneco": ("admin1", "Chiapas")}


def test_a_crossing_is_at_the_border_town_not_in_the_country_it_enters():
    got = events("El miércoles unos 300 migrantes llegaron a Tapachula. "
                 "El jueves otros cruzaron a México desde la localidad guatemalteca de Tecún Umán.")
    assert [e[:2] for e in got if e[0] == "crossing"] == [("crossing", "Tecún Umán")]


def test_so_far_this_year_is_a_period_not_a_day():
    from geo.text.dates_es import find_dates_es

    [d] = find_dates_es("En lo que va del año han sido rescatados 10 mil migrantes.", PUB)
    assert (d.date_start, d.date_end, d.precision) == (dt.date(2020, 1, 1), PUB, "year")


def test_both_towns_of_a_stretch():
    from geo.geoparsing.places_es import recognize_es

    got = [m.name for m in recognize_es("Caminaron por el tramo Huixtla-Escuintla durante horas.")]
    assert got == ["Huixtla", "Escuintla"]


def test_spent_the_night_is_a_camp_and_la_vispera_the_day_before():
    got = events("La víspera, la caravana avanzó hasta Santa Rosa de Copán, donde pasó la noche.")
    assert ("camp", "Santa Rosa de Copán", "reported", dt.date(2020, 1, 16)) in got
    assert ("march", "Santa Rosa de Copán", "reported", dt.date(2020, 1, 16)) in got
    from geo.text.dates_es import find_dates_es

    assert find_dates_es("Salieron en la víspera de la cumbre regional.", PUB) == []  # the eve of something else


def test_an_attempt_stays_in_the_clause_of_the_event_before_it():
    got = events("El jueves un migrante murió ahogado al intentar cruzar el río Bravo cerca de Eagle Pass.")
    assert any(e[0] == "death" and e[1] == "Eagle Pass" for e in got)


def test_a_march_is_not_at_a_goal_hundreds_of_km_ahead():
    got = events("Los migrantes descansaron el miércoles en Sayula de Alemán. El jueves avanzaron hacia la Ciudad de México.")
    assert ("march", "Sayula de Alemán", "reported", dt.date(2020, 1, 16)) in got
    got = events("Los migrantes descansaron el miércoles en Tapachula. El jueves avanzaron hacia Huixtla.")
    assert ("march", "Huixtla", "reported", dt.date(2020, 1, 16)) in got  # a near goal: the day's walk


def test_what_a_source_says_happened_there_is_at_the_fronted_place():
    got = events("Los migrantes cruzaron el jueves a Brownsville. "
                 "En El Paso, las autoridades reportaron que unas 2,500 personas pasaron la noche en la calle.")
    assert [e[:2] for e in got if e[0] == "camp"] == [("camp", "El Paso")]


def test_by_the_border_of_a_town_is_at_that_town():
    got = events("El jueves 1,500 migrantes fueron retornados a Honduras por la frontera de Corinto y otros 2,000 "
                 "por Agua Caliente.")
    assert [e[:2] for e in got if e[0] == "detention"][0] == ("detention", "Corinto")


def test_a_headline_without_a_full_stop_does_not_swallow_the_lede():
    # A saved page starts with its headline on a line of its own, with no full stop, so the
    # sentencizer runs it into the lede; the lede's events are still read.
    text = ("Detienen a la caravana migrante en Oaxaca\n"
            "La caravana comenzó su recorrido el 5 de enero desde Tapachula, Chiapas.")
    assert ("departure", "Tapachula", "reported", dt.date(2020, 1, 5)) in events(text)


def test_every_form_of_an_event_verb_reports_it():
    # plural participles, gerunds and the present: "eran frenados", "estaba deteniendo", "fue
    # interceptada", and a plural border post: "se cerraron los cruces"
    assert ("blocked", "Tecún Umán") in [e[:2] for e in events("El jueves, en Tecún Umán, 80 migrantes eran frenados por la policía.")]
    assert ("detention", "Corinto") in [e[:2] for e in events("El jueves la policía estaba deteniendo a migrantes en Corinto.")]
    assert ("detention", "Juchitán") in [e[:2] for e in events("El jueves la caravana fue interceptada en Juchitán.")]
    got = events("El jueves se cerraron los cruces ferroviarios de Eagle Pass.")
    assert ("port_status", "Eagle Pass") in [e[:2] for e in got]


def test_a_date_between_the_verb_and_its_origin_does_not_part_them():
    got = events("La caravana salió el pasado 2 de enero de Honduras.")
    assert ("departure", "Honduras", "reported", dt.date(2020, 1, 2)) in got


def test_coordinated_places_and_days_are_one_event_each():
    got = [e[:2] for e in events("El jueves se cerraron los cruces ferroviarios de Eagle Pass y El Paso.")]
    assert ("port_status", "Eagle Pass") in got and ("port_status", "El Paso") in got
    got = events("Las dos caravanas salieron el 3 y el 10 de enero de Honduras.")
    assert {e[3] for e in got if e[:2] == ("departure", "Honduras")} == {dt.date(2020, 1, 3), dt.date(2020, 1, 10)}
    got = [e[:2] for e in events("El jueves la caravana llegó a Tapachula, Chiapas.")]
    assert got == [("arrival", "Tapachula")]  # a town and its state are not two places


def test_goals_and_what_a_policy_prevents_are_not_events():
    assert events("El jueves cerraron el puente para ayudar a detener a los migrantes en Piedras Negras.") == []
    assert events("El jueves dijo que la meta es llegar a Tijuana.") == []
    assert events("El jueves estaban impacientes por llegar a Tijuana.") == []
    assert events("El jueves anunciaron un plan para reducir la llegada de migrantes a Tijuana.") == []
    assert [e[:2] for e in events("El jueves fueron trasladados en autobuses a Tijuana.")] == [("transport", "Tijuana")]


def test_a_departure_toward_a_far_country_leaves_from_where_the_story_is():
    got = events("La caravana llegó el miércoles a Huixtla. El jueves comenzaron su trayecto rumbo a Estados Unidos.")
    assert ("departure", "Huixtla", "reported", dt.date(2020, 1, 16)) in got
    # "al mismo tiempo que ..." starts another clause: its place is not the departure's
    got = events("La caravana llegó el miércoles a Huixtla. El jueves salieron rumbo a Estados Unidos "
                 "al mismo tiempo que el presidente hablaba en Washington.")
    assert [e[:2] for e in got if e[0] == "departure"] == [("departure", "Huixtla")]


def test_atravesar_crosses_a_barrier_but_walks_through_a_state():
    assert [e[0] for e in events("El jueves atravesaron el río Suchiate en balsas.")] == ["crossing"]
    assert [e[:2] for e in events("El jueves la caravana atravesaba el estado de Oaxaca.")] == [("march", "Oaxaca")]
    got = [e[:2] for e in events("El jueves varias personas treparon la valla fronteriza en Tijuana.")]
    assert got == [("crossing", "Tijuana")]


def test_a_verb_in_the_present_is_the_news_now_not_the_narratives_time():
    got = events("La caravana salió el 3 de enero de San Pedro Sula. Ahora atraviesa el estado de Chiapas.")
    assert ("march", "Chiapas", "reported", PUB) in got
    got = events("La caravana salió el 3 de enero de San Pedro Sula. Luego avanzaba por el estado de Chiapas.")
    assert ("march", "Chiapas", "reported", dt.date(2020, 1, 3)) in got  # the imperfect goes on with the story


def test_stem_changing_and_other_verb_forms():
    assert [e[:2] for e in events("El jueves cierran el puente de Ciudad Hidalgo.")] == [("port_status", "Ciudad Hidalgo")]
    assert ("transport", "Matamoros") in [e[:2] for e in events("El jueves los migrantes fueron evacuados en Matamoros.")]


def test_people_near_a_town_are_there():
    assert [e[:2] for e in events("El jueves unos 3.500 migrantes estaban cerca de la ciudad de Arriaga.")] == [("camp", "Arriaga")]
