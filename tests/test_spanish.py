"""Spanish articles (geo/text/language.py, geo/geoparsing/places_es.py, geo/text/dates_es.py, geo/atlas/events_es.py,
geo/atlas/spanish.py): short Spanish texts of our own. Rates on real news are measured by
``benchmarks/events_dev.py --set es``, not here."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.atlas import analyse_articles, build_atlas
from geo.sources.corpus import Article, parse_article
from geo.text.dates_es import find_dates_es
from geo.text.language import detect_language, normalise_language
from geo.geoparsing.places_es import recognize_es, spanish_dateline

PUB = dt.date(2018, 10, 19)  # a Friday

ES_TEXT = (
    "TAPACHULA, Chis.— Unos 3 mil migrantes hondureños salieron el lunes de Tapachula rumbo a Huixtla, "
    "informó el Instituto Nacional de Migración.\n\n"
    "La caravana llegó el martes a Huixtla, Chiapas, donde los migrantes pernoctaron en el parque central.\n"
)


def spanish_events(text: str, published: dt.date | None = PUB, aid: str = "es"):
    [analysis] = list(analyse_articles([Article(id=aid, text=text, published=published, language="es")]))
    return list(analysis.events)


def names(text: str) -> list[str]:
    return [m.name for m in recognize_es(text)]


# ------------------------------------------------------------------ language


def test_detects_spanish_and_english():
    assert detect_language(ES_TEXT) == "es"
    assert detect_language("Hundreds of migrants left the city of Tapachula on Monday, officials said, "
                           "as the caravan moved north toward the United States.") == "en"
    assert detect_language("Tapachula") == "en"  # too little text: the default


def test_front_matter_language_wins_over_detection():
    art = parse_article("---\nlanguage: Spanish\n---\nThe caravan left Tapachula on Monday.\n")
    assert art.language == "es"
    assert parse_article(f"---\nid: x\n---\n{ES_TEXT}").language == "es"  # detected
    assert parse_article("---\nlanguage: en\n---\n" + ES_TEXT).language == "en"
    assert normalise_language("es-MX") == "es" and normalise_language("") is None


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("phrase", "sentence", "want"),
    [
        ("el lunes", "Los migrantes salieron el lunes de Tapachula.", dt.date(2018, 10, 15)),
        ("el pasado 24 de diciembre", "La caravana partió el pasado 24 de diciembre.", dt.date(2017, 12, 24)),
        ("hace dos días", "Cruzaron el río hace dos días.", dt.date(2018, 10, 17)),
        ("la noche del domingo", "Durmieron en el parque la noche del domingo.", dt.date(2018, 10, 14)),
        ("ayer", "Ayer llegaron a Huixtla.", dt.date(2018, 10, 18)),
        ("el próximo lunes", "Saldrán el próximo lunes.", dt.date(2018, 10, 22)),
        ("este viernes", "Este viernes llegaron a Ciudad Hidalgo.", dt.date(2018, 10, 19)),
        # a past verb governs the date, or the date says it is past: a plan elsewhere in the sentence does not move it
        ("el 2 de octubre", "Los que salieron el 2 de octubre llegarán pronto a México.", dt.date(2018, 10, 2)),
        ("desde el 2 de octubre", "Desde el 2 de octubre pasado, los migrantes llegarán en grupos.", dt.date(2018, 10, 2)),
    ],
)
def test_spanish_dates(phrase, sentence, want):
    found = find_dates_es(sentence, PUB, sentence_spans=[(0, len(sentence))])
    match = [d for d in found if d.text.lower() == phrase.lower()]
    assert match, [(d.text, d.date_start) for d in found]
    assert match[0].date_start == want and match[0].resolved


def test_spanish_absolute_dates_agree_with_dateparser():
    import dateparser

    for phrase in ("24 de diciembre de 2018", "3 de enero de 2019", "octubre de 2018"):
        [d] = find_dates_es(phrase, PUB)
        parsed = dateparser.parse(phrase, languages=["es"], settings={"PREFER_DAY_OF_MONTH": "first"})
        assert d.date_start == parsed.date(), phrase


def test_relative_spanish_dates_need_a_publication_date():
    [d] = find_dates_es("Salieron ayer.", None)
    assert not d.resolved and d.date_start is None and "no published date" in d.reason


# ------------------------------------------------------------------ places


def test_dateline_with_mexican_state_abbreviation():
    m = spanish_dateline(ES_TEXT)
    assert m is not None and m.group("town") == "TAPACHULA"
    found = recognize_es(ES_TEXT)
    state = next(x for x in found if x.name == "Chis")
    assert state.query == "Chiapas" and state.kind_hint == "admin1"
    [analysis] = list(analyse_articles([Article(id="d", text=ES_TEXT, published=PUB, language="es")]))
    tap = next(t for t in analysis.toponyms if t.name == "TAPACHULA")
    assert tap.country_code == "MX" and tap.admin1 == "MX.05"


def test_a_dated_dateline_is_the_day_relative_dates_count_from():
    # written on Sunday the 14th for Monday's paper: "ayer" is the 13th, "hoy lunes" the 15th
    text = ("Huixtla, Chiapas; 14 de octubre de 2018.- La caravana que ayer salió de Tapachula llegó a Huixtla. "
            "Hoy lunes continuarán su marcha hacia Escuintla.")
    [analysis] = list(analyse_articles([Article(id="d", text=text, published=dt.date(2018, 10, 15), language="es")]))
    got = {(e.event_type, e.place.name, e.date_start) for e in analysis.events}
    assert ("departure", "Tapachula", dt.date(2018, 10, 13)) in got
    assert ("march", "Escuintla", dt.date(2018, 10, 15)) in got


def test_places_with_and_without_accents():
    assert "Tecún Umán" in names("Los migrantes llegaron a Tecún Umán el sábado.")
    assert "Tecun Uman" in names("Los migrantes llegaron a Tecun Uman el sabado.")
    assert "Ciudad de México" in names("La caravana avanzó hacia la Ciudad de México.")
    assert "Estados Unidos" in names("Quieren llegar a Estados Unidos.")  # a GeoNames alternate name


def test_spanish_features_border_river_highway():
    text = "Cruzaron el río Suchiate en la frontera con Guatemala y siguieron por la Carretera Costera."
    found = {m.name: m for m in recognize_es(text)}
    assert found["río Suchiate"].kind_hint == "river"
    assert found["frontera"].feature_ids[0] == "border:MX-GT"
    assert found["Carretera Costera"].kind_hint == "highway"


def test_organisations_and_people_are_not_places():
    got = names("El presidente Andrés Manuel López Obrador y el Instituto Nacional de Migración hablaron. "
                "Lo dijo García Lara a la prensa.")
    assert got == []


# ------------------------------------------------------------------ events


@pytest.mark.parametrize(
    ("sentence", "etype", "place"),
    [
        ("La caravana salió el lunes de San Pedro Sula.", "departure", "San Pedro Sula"),
        ("Los migrantes partieron el lunes desde Tapachula.", "departure", "Tapachula"),
        ("La caravana avanzó el lunes hacia Huixtla.", "march", "Huixtla"),
        ("Los migrantes llegaron el lunes a Huixtla, Chiapas.", "arrival", "Huixtla"),
        ("Cientos de hondureños cruzaron el lunes el río Suchiate.", "crossing", "río Suchiate"),
        ("Los migrantes pernoctaron el lunes en Escuintla.", "camp", "Escuintla"),
        ("La Guardia Nacional detuvo el lunes a 400 migrantes en Tapachula.", "detention", "Tapachula"),
        ("La caravana se disolvió el lunes en Tapachula.", "blocked", "Tapachula"),
        ("Los migrantes abordaron autobuses el lunes en Tapachula.", "transport", "Tapachula"),
    ],
)
def test_each_predicate_family(sentence, etype, place):
    found = [e for e in spanish_events(sentence) if e.event_type == etype]
    assert found, [(e.event_type, e.place and e.place.name) for e in spanish_events(sentence)]
    assert found[0].place.name == place
    assert found[0].date_start == dt.date(2018, 10, 15)
    assert found[0].extra.get("language") == "es"


def test_goals_negations_and_plans():
    assert not spanish_events("Los migrantes no lograron cruzar el río Suchiate el lunes.")
    assert not [e for e in spanish_events("Salieron el lunes con el fin de llegar a Huixtla.") if e.event_type == "arrival"]
    [e] = spanish_events("La caravana saldrá el lunes de Tapachula.")
    assert e.status == "planned" and e.date_start == dt.date(2018, 10, 22)


def test_destination_is_not_where_a_departure_happens():
    text = "TAPACHULA, Chis.— La caravana salió este viernes rumbo a Estados Unidos."
    [e] = spanish_events(text)
    assert e.event_type == "departure" and e.place.name == "TAPACHULA"


def test_dateline_is_the_default_place():
    evs = spanish_events(ES_TEXT)
    dep = next(e for e in evs if e.event_type == "departure")
    assert dep.place.name == "Tapachula" and dep.date_start == dt.date(2018, 10, 15)
    camp = next(e for e in evs if e.event_type == "camp")
    assert camp.place.name == "Huixtla" and camp.date_start == dt.date(2018, 10, 16)


# ------------------------------------------------------------------ routing


def test_english_nlp_never_runs_on_spanish_articles(monkeypatch):
    import geo.atlas.build as atlas
    import geo.atlas.events as events_en
    import geo.geoparsing.recognize as recognize

    def boom(*_a, **_k):
        raise AssertionError("English NLP ran on a Spanish article")

    monkeypatch.setattr(recognize, "load_nlp", boom)
    monkeypatch.setattr(atlas, "geoparse_many", boom)
    monkeypatch.setattr(atlas, "find_dates", boom)
    monkeypatch.setattr(atlas, "extract_events", boom)
    monkeypatch.setattr(events_en, "extract_events", boom)
    [analysis] = list(analyse_articles([Article(id="es1", text=ES_TEXT, published=PUB)]))  # detected
    assert analysis.article.language == "es" and analysis.events


def test_mixed_corpus_keeps_order_and_languages():
    en = Article(id="en1", text="Migrants left Tapachula on Monday, officials said, and walked to Huixtla.",
                 published=PUB)
    es = Article(id="es1", text=ES_TEXT, published=PUB)
    got = list(analyse_articles([es, en]))
    assert [a.article.id for a in got] == ["es1", "en1"]
    assert [a.article.language for a in got] == ["es", "en"]


def test_atlas_events_and_evidence_carry_the_language():
    en = Article(id="en1", text="Migrants left Tapachula on Monday, officials said, and walked to Huixtla.", published=PUB)
    atlas = build_atlas([Article(id="es1", text=ES_TEXT, published=PUB), en])
    ev = atlas.events
    camp = ev[(ev.event_type == "camp") & (ev.article_id == "es1")].iloc[0]
    assert camp.language == "es" and camp.sources[0]["language"] == "es"
    assert "pernoctaron en el parque central" in camp.sources[0]["sentence"]  # the original Spanish sentence
    # the same departure told in English and in Spanish is one event with evidence in both languages
    [departure] = ev[ev.event_type == "departure"].itertuples()
    langs = {src["article_id"]: src["language"] for src in departure.sources}
    assert langs == {"en1": "en", "es1": "es"}
    spanish = next(src for src in departure.sources if src["article_id"] == "es1")
    assert "salieron el lunes de Tapachula" in spanish["sentence"]


def test_dashboard_shows_the_spanish_original():
    from dashboard.evidence import evidence_html

    row = {"event_type": "departure", "place_name": "Tapachula", "language": "es",
           "sources": [{"article_id": "es1", "start": 30, "end": 38, "sentence": "Unos 3 mil migrantes <b>salieron</b>",
                        "sentence_start": 0, "sentence_end": 36, "language": "es"}]}
    html = evidence_html("events", row)
    assert "Spanish original sentence" in html and 'lang="es"' in html and "<b>salieron" not in html
    assert "<th>Language</th><td>Spanish</td>" in html
    english = dict(row, language="en", sources=[dict(row["sources"][0], language="en")])
    assert "original sentence" not in evidence_html("events", english)


def test_place_line_dateline_and_newsroom_datelines():
    text = (" date 2018-10 Ciudad Hidalgo, México.\n\nLos migrantes cruzaron el viernes la frontera de Guatemala "
            "y esperaron el sábado sobre el puente.\n")
    m = spanish_dateline(text)
    assert m is not None and m.group("town") == "Ciudad Hidalgo"
    assert spanish_dateline("Los migrantes llegaron a Tapachula, México.\n") is None  # a sentence, not a dateline
    # a newsroom far from every town the story names is not the story's place
    desk = ("Washington, Estados Unidos.\n\nMás de mil hondureños cruzaron este jueves a Guatemala desde "
            "Agua Caliente, cerca de Esquipulas.\n\nLos migrantes avanzan caminando hacia el norte.\n")
    evs = spanish_events(desk, published=dt.date(2020, 1, 16))
    assert evs and all(e.place.country_code != "US" for e in evs)


def test_halts_highways_and_caravans_named_by_year():
    [halt] = spanish_events("La caravana se detuvo el lunes en Huixtla por la inseguridad.")
    assert halt.event_type == "camp" and halt.place.name == "Huixtla"  # stopped, not detained
    found = {m.name: m for m in recognize_es("Continúan su caminata por la carretera costera de Chiapas.")}
    assert found["carretera costera"].feature_ids == ("highway:MEX-200",)
    [march] = [e for e in spanish_events("Los migrantes continúan su caminata el lunes por la carretera costera de Chiapas.")
               if e.event_type == "march"]
    assert march.date_start == dt.date(2018, 10, 15)
    assert not [d for d in find_dates_es("La primera caravana de 2023 partió.", PUB) if d.precision == "year"]
    assert not spanish_events("Las temperaturas por arriba de los 40 grados en Tapachula el lunes.")


def test_destination_named_with_de_and_the_story_time_carries_over():
    text = ("Un grupo de migrantes hondureños salió ayer hacia el punto de Agua Caliente, fronterizo con Guatemala.\n"
            "Los migrantes partieron de la estación de autobuses de la ciudad de San Pedro Sula.\n")
    evs = spanish_events(text, published=dt.date(2020, 1, 16))
    assert [(e.event_type, e.place.name, e.date_start) for e in evs] == [
        ("departure", "San Pedro Sula", dt.date(2020, 1, 15))]  # not "from Agua Caliente"; dated by "ayer"
    found = [m for m in recognize_es(text) if m.name == "Agua Caliente"]
    assert found and found[0].kind_hint == "crossing"  # the border post, not the town in California


# ------------------------------------------------------------------ rules in general form (new dev pages es_c/es_d)


def test_dateline_with_an_english_month_and_a_joint_agency():
    m = spanish_dateline("AGUA CALIENTE, 16 Oct. (Reuters/EP) -\n\nLos migrantes llegaron a la frontera.")
    assert m is not None and m.group("town") == "AGUA CALIENTE"


def test_anteanoche_is_the_night_before_yesterday():
    sentence = "Los migrantes cruzaron anteanoche el río."
    [d] = [d for d in find_dates_es(sentence, PUB, sentence_spans=[(0, len(sentence))]) if d.text == "anteanoche"]
    assert d.date_start == dt.date(2018, 10, 17)


@pytest.mark.parametrize(
    ("sentence", "etype", "place"),
    [
        ("Los hondureños partían el lunes desde Tapachula.", "departure", "Tapachula"),
        ("Los migrantes habían marchado el lunes hacia Huixtla.", "march", "Huixtla"),
        ("Miles de migrantes penetraron el lunes a territorio mexicano por Ciudad Hidalgo.", "crossing", "Ciudad Hidalgo"),
        ("Los policías se apostaron el lunes en Huixtla.", "policy", "Huixtla"),
        ("La garita de San Ysidro estuvo cerrada el lunes.", "port_status", "San Ysidro"),
        ("Los migrantes lograron cruzar el lunes el río Suchiate.", "crossing", "río Suchiate"),
        ("La caravana comenzó el lunes a caminar hacia Huixtla.", "march", "Huixtla"),
    ],
)
def test_more_tenses_and_forms(sentence, etype, place):
    evs = spanish_events(sentence)
    found = [e for e in evs if e.event_type == etype]
    assert found, [(e.event_type, e.place and e.place.name) for e in evs]
    assert place in found[0].place.name and found[0].date_start == dt.date(2018, 10, 15)


def test_onset_verb_is_not_a_departure():
    evs = spanish_events("La caravana comenzó el lunes a caminar hacia Huixtla.")
    assert [e.event_type for e in evs] == ["march"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Tienen planeado arribar el lunes a Huixtla.",
        "Tienen que salir de Tapachula el lunes.",
    ],
)
def test_an_infinitive_after_a_wish_or_a_duty_is_planned(sentence):
    evs = spanish_events(sentence)
    assert evs and all(e.status == "planned" for e in evs)


def test_an_infinitive_after_success_or_a_time_word_is_reported():
    for sentence in ("Los migrantes lograron cruzar el lunes el río Suchiate.",
                     "Al llegar el lunes a Huixtla, los migrantes descansaron."):
        evs = spanish_events(sentence)
        assert evs and evs[0].status == "reported", sentence


def test_dateline_places_only_the_lede():
    text = ("HUIXTLA, Chis.— La caravana descansó este viernes.\n\n"
            "Los migrantes hablaron con la prensa.\n\n"
            "Agentes detuvieron el jueves a 40 migrantes.\n")
    evs = spanish_events(text)
    assert [e.event_type for e in evs] == ["camp"] and evs[0].place.name == "HUIXTLA"


def test_an_announcement_does_not_take_the_paragraphs_place():
    evs = spanish_events("La caravana acampó el lunes en Huixtla. El gobierno desplegó el lunes a 500 agentes.")
    assert [e.event_type for e in evs] == ["camp"]


def test_a_plan_does_not_set_the_storys_time():
    evs = spanish_events("La caravana llegó el lunes a Huixtla. La próxima semana saldrán de Huixtla. Descansaron en Huixtla.")
    camp = [e for e in evs if e.event_type == "camp"]
    assert camp and camp[0].date_start == dt.date(2018, 10, 15)


def test_a_march_without_a_place_is_at_the_storys_place():
    evs = spanish_events("La caravana llegó el lunes a Huixtla.\n\nEl martes siguieron caminando.\n")
    march = [e for e in evs if e.event_type == "march"]
    assert march and march[0].place.name == "Huixtla" and march[0].date_start == dt.date(2018, 10, 16)


def test_a_place_before_a_relative_clause_is_not_the_events():
    evs = spanish_events("Las alertas en México no detienen a los migrantes que salieron el lunes.")
    assert not evs


def test_a_destination_country_is_not_narrowed_to_a_town_it_does_not_head_to():
    text = ("AGUA CALIENTE, 16 Oct. (Reuters/EP) -\n\nLos migrantes que se dirigen a Estados Unidos llegaron este "
            "lunes a pesar de las advertencias de Washington.\n")
    evs = spanish_events(text, dt.date(2018, 10, 16))
    assert not [e for e in evs if e.event_type == "march"]
    assert all(e.place.country_code != "US" for e in evs)


def test_a_photo_credit_line_dates_its_caption():
    text = ("La caravana llegó a Tijuana. Sábado 24 de noviembre de 2018, en Tijuana, Baja California. "
            "Foto Juan Pérez / El Diario.\n")
    evs = spanish_events(text, dt.date(2018, 11, 28))
    arr = [e for e in evs if e.event_type == "arrival"]
    assert arr and arr[0].date_start == dt.date(2018, 11, 24)


@pytest.mark.parametrize(
    "sentence",
    [
        "Los migrantes buscaba llegar el lunes a Huixtla.",
        "Los migrantes intentaron cruzar el lunes el río Suchiate.",
        "Los migrantes deberán cruzar el lunes el río Suchiate.",
        "La caravana descansó el lunes en Huixtla para que los migrantes abandonen Chiapas.",
    ],
)
def test_a_wish_a_duty_or_a_purpose_is_no_event(sentence):
    assert all(e.place.name == "Huixtla" and e.event_type == "camp" for e in spanish_events(sentence))


def test_a_determiner_makes_a_noun_not_a_predicate():
    evs = spanish_events("La marcha, convocada en redes sociales, salió el lunes de San Pedro Sula.")
    assert [e.event_type for e in evs] == ["departure"]
    assert [e.event_type for e in spanish_events("Su llegada a Huixtla fue el lunes.")] == ["arrival"]


def test_a_camp_is_not_where_its_people_head():
    evs = spanish_events("Los migrantes descansaron el lunes en su camino hacia Tijuana.")
    assert not [e for e in evs if e.place.name == "Tijuana"]


def test_a_facility_named_after_a_person_is_not_a_namesake_town():
    evs = spanish_events("En Matías Romero, la caravana acampó el lunes en el campo deportivo Emiliano Zapata.")
    assert [e.place.name for e in evs] == ["Matías Romero"]


def test_a_fronted_destination_is_only_an_arrivals_place():
    evs = spanish_events("Rumbo a Estados Unidos, la policía lanzó el lunes gas lacrimógeno contra la caravana.")
    assert not evs


def test_a_highway_is_narrowed_to_the_town_on_it_the_sentence_names():
    evs = spanish_events("Agentes se apostaron el lunes sobre la Carretera Costera, antes de llegar a Huixtla.")
    policy = [e for e in evs if e.event_type == "policy"]
    assert policy and policy[0].place.name == "Huixtla"


def test_an_event_in_the_lede_without_a_place_is_at_the_town_the_article_names_most():
    text = ("La policía disolvió el lunes una caravana.\n\n"
            "En Huixtla, los vecinos hablaron con la prensa. Huixtla es un pueblo de Chiapas.\n")
    evs = spanish_events(text)
    assert [(e.event_type, e.place.name) for e in evs] == [("blocked", "Huixtla")]


@pytest.mark.parametrize(
    ("sentence", "etype"),
    [
        ("La garita de San Ysidro fue cerrada temporalmente el lunes.", "port_status"),
        ("Las autoridades cerraron temporalmente el puente el lunes en Ciudad Hidalgo.", "port_status"),
        ("Los agentes persiguieron el lunes a los migrantes en Huixtla.", "violence"),
        ("Hubo forcejeos el lunes en Huixtla entre agentes y migrantes.", "violence"),
    ],
)
def test_port_closures_and_clashes_in_more_forms(sentence, etype):
    assert etype in [e.event_type for e in spanish_events(sentence)]


def test_a_closed_shop_is_not_a_closed_border_post():
    assert not [e for e in spanish_events("La tienda estuvo cerrada el lunes en Tijuana.") if e.event_type == "port_status"]


def test_aseguraron_que_is_speech_not_a_detention():
    assert not spanish_events("Los organizadores aseguraron que el lunes será un día importante en Huixtla.")
    assert [e.event_type for e in spanish_events("Agentes aseguraron el lunes a 40 migrantes en Huixtla.")] == ["detention"]


def test_esa_localidad_is_the_last_town_of_that_country_named():
    text = ("La caravana salió el viernes de San Pedro Sula y llegó el sábado a Esquipulas.\n\n"
            "Otra caravana partió el miércoles de esa localidad hondureña.\n")
    evs = [e for e in spanish_events(text) if e.date_start == dt.date(2018, 10, 17)]
    assert evs and evs[0].place.name == "San Pedro Sula"


def test_geoparse_reads_a_spanish_text_with_the_spanish_recognizer():
    # the public geoparser used to run spaCy's English NER on Spanish text: "Los" (of "Los
    # migrantes") became a town in the United States
    from geo import geoparse, geoparse_corpus

    text = ("Los migrantes de la caravana llegaron a Puebla el lunes por la noche, y el martes salieron "
            "hacia la Ciudad de México, donde se quedaron en un albergue que les dio la alcaldía.")
    for toponyms in (geoparse(text), geoparse_corpus([text, "Migrants reached Los Angeles."])[0].toponyms):
        assert [t.name for t in toponyms] == ["Puebla", "Ciudad de México"]
        assert {t.country_code for t in toponyms} == {"MX"}
    english = geoparse_corpus([text, "Migrants reached Los Angeles on Monday."])[1].toponyms
    assert [(t.name, t.country_code) for t in english] == [("Los Angeles", "US")]
    # the atlas has routed each article by its own language (front matter first): no second guess
    from geo.geoparsing.pipeline import geoparse_many

    [as_english] = geoparse_many([text], detect_spanish=False)
    assert "Los" in [t.name for t in as_english.toponyms]
