"""The per-article pipeline for Spanish text: places, dates and events without English NLP.

:func:`parse_spanish` is the Spanish counterpart of :func:`geo.geoparsing.geoparse_many`
plus :func:`geo.text.dates.find_dates` and :func:`geo.atlas.events.extract_events`: a blank Spanish
spaCy tokenizer and sentencizer (:func:`geo.geoparsing.places_es.load_nlp_es`), Spanish place
recognition (:func:`geo.geoparsing.places_es.recognize_es`) then the shared resolver
(:func:`geo.geoparsing.resolve.resolve`), Spanish dates (:func:`geo.text.dates_es.find_dates_es`) and the
rule-based Spanish event extractor (:func:`geo.atlas.events_es.extract_events_es`). English-only
pieces (spaCy's English NER, the English date grammar, the English dependency-based event
extractor) never see Spanish text: :func:`geo.atlas.analyse_articles` routes by
:attr:`geo.sources.corpus.Article.language`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from geo.text.dates import TimeExpression
from geo.atlas.events import EventMention
from geo.model import Toponym

__all__ = ["SpanishAnalysis", "parse_spanish"]


@dataclass(frozen=True, slots=True)
class SpanishAnalysis:
    toponyms: list[Toponym]
    sentences: list[tuple[int, int]]
    dates: list[TimeExpression]
    events: list[EventMention]


_TOWNS = ("city", "crossing", "facility", "place", "admin2", "river")


def _desk(dateline: Toponym, toponyms: list[Toponym], km: float = 800.0) -> bool:
    """Whether a dateline names the newsroom, not the story: "Washington, Estados Unidos." over
    a story whose towns are all in Honduras. True when the article names other towns and none
    lies within ``km`` of the dateline's."""
    import math

    def dist(a: Toponym, b: Toponym) -> float:
        p1, p2 = math.radians(a.lat), math.radians(b.lat)
        dl = math.radians(b.lon - a.lon)
        h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        return 2 * 6371.0 * math.asin(math.sqrt(h))

    others = [t for t in toponyms if t.kind in _TOWNS and t.lat is not None and t.start > dateline.end
              and (t.geonameid, t.feature_id) != (dateline.geonameid, dateline.feature_id)]
    return bool(others) and all(dist(dateline, t) > km for t in others)


def _dateline_day(told: list[TimeExpression], published: dt.date | None) -> dt.date | None:
    """The day a dateline gives ("Huixtla, Chiapas; 28 de agosto de 2022.-"), when it is a day in
    the week before publication (a later or far earlier one is a typo or an archive date)."""
    day = next((d.date_start for d in told if d.precision == "day" and d.date_start is not None), None)
    if day is None or published is None or not published - dt.timedelta(days=7) <= day <= published:
        return None
    return day


def parse_spanish(article_id: str, text: str, published: dt.date | None) -> SpanishAnalysis:
    """Toponyms, sentences, dates and event mentions of one Spanish article."""
    from geo.text.dates_es import find_dates_es
    from geo.atlas.events_es import extract_events_es
    from geo.gazetteer.index import load_gazetteer
    from geo.geoparsing.pipeline import sentence_spans
    from geo.geoparsing.places_es import load_nlp_es, recognize_es, spanish_dateline
    from geo.geoparsing.resolve import resolve

    doc = load_nlp_es()(text)
    mentions = recognize_es(text, doc)
    toponyms = resolve(text, mentions, gazetteer=load_gazetteer())
    sentences = sentence_spans(doc)
    dl = spanish_dateline(text)
    # "Huixtla, Chiapas; 28 de agosto de 2022.-" on a page published the next day: "ayer" and
    # "este lunes" count from the day the dateline gives
    today = _dateline_day(find_dates_es(dl.group(0), published), published) if dl is not None else None
    published = today or published
    dates = find_dates_es(text, published, sentence_spans=sentences)
    dateline_place = None
    if dl is not None:
        dateline_place = next((t for t in toponyms if dl.start("town") <= t.start < dl.end("town")
                               and t.lat is not None), None)
        dates = [d for d in dates if not dl.start() <= d.start < dl.end()]  # the dateline's date dates the story only
        if dateline_place is not None and _desk(dateline_place, toponyms):
            dateline_place = None
    events = extract_events_es(article_id, text, toponyms, dates, sentences, published, dateline_place)
    return SpanishAnalysis(toponyms, sentences, dates, events)
