"""Articles -> :class:`~geo.atlas.layers.Atlas`: the whole pipeline, one way.

articles → geoparse (places) → dates → event mentions → merged events → caravans and
routes → crossings → records → :func:`geo.atlas.layers.make_atlas` (the four GeoDataFrames).

Two stages: :func:`analyse_articles` is per article (streaming, parallelisable: its
:class:`ArticleAnalysis` results are picklable); :func:`assemble_atlas` is per corpus.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sys
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Iterable, Iterator, Sequence

from shapely.geometry import LineString, MultiLineString, Point
from shapely.ops import linemerge
from tqdm import tqdm

from geo.atlas.caravans import Event, Leg, build_routes, group_caravans, merge_events, place_name
from geo.gazetteer.coords import coordinate_problems
from geo.sources.corpus import Article
from geo.atlas.crossings import Crossing, collect_crossings
from geo.text.dates import TimeExpression, find_dates
from geo.atlas.events import EventMention, PeopleCount, caravan_size_statements, extract_events
from geo.geoparsing.pipeline import geoparse_many
from geo.text.language import SPANISH, article_language
from geo.atlas.layers import (
    Atlas,
    CrossingRecord,
    CrossingStatus,
    EventRecord,
    Evidence,
    PlaceMerger,
    PlaceRecord,
    RouteLeg,
    make_atlas,
)
from geo.model import Toponym

__all__ = ["build_atlas", "analyse_articles", "assemble_atlas", "ArticleAnalysis", "Atlas", "AtlasReport"]

log = logging.getLogger(__name__)


@dataclass
class AtlasReport:
    """What a build saw: counts, plus relative dates left unresolved (no published date)."""

    articles: int = 0
    toponyms: int = 0
    unlocated_toponyms: int = 0
    unresolved_dates: list[tuple[str, str]] = field(default_factory=list)  # (article id, expression)
    caravans: list[str] = field(default_factory=list)
    flagged: list[tuple[str, str, str]] = field(default_factory=list)  # (article id, name, problem)
    corrections: int = 0  # user corrections applied from the store


def _sentence_of(spans: Sequence[tuple[int, int]], start: int) -> tuple[int, int]:
    for a, b in spans:
        if a <= start < b:
            return a, b
    return start, start


def _evidence(text: str, sentences: Sequence[tuple[int, int]], article_id: str, start: int, end: int,
              cut: dict[tuple[int, int], str] | None = None) -> Evidence:
    a, b = _sentence_of(sentences, start)
    if a == b:
        a, b = start, end
    sentence = text[a:b] if cut is None else cut.setdefault((a, b), text[a:b])
    return Evidence(article_id=article_id, start=start, end=end, sentence=sentence, sentence_start=a, sentence_end=b)


def _path(geom) -> tuple[tuple[float, float], ...]:
    # shapely (x=lon, y=lat) -> records' (lat, lon)
    if isinstance(geom, Point):
        return ((geom.y, geom.x),)
    if isinstance(geom, MultiLineString):
        merged = linemerge(geom)
        geom = merged if isinstance(merged, LineString) else max(merged.geoms, key=lambda g: g.length)
    return tuple((y, x) for x, y in geom.coords)


@dataclass(frozen=True)
class ArticleAnalysis:
    """Everything the atlas needs from one article (picklable: the unit of parallel work)."""

    article: Article
    toponyms: tuple[Toponym, ...]
    sentences: tuple[tuple[int, int], ...]
    dates: tuple[TimeExpression, ...]
    events: tuple[EventMention, ...]
    sizes: tuple[PeopleCount, ...]  # statements of its caravan's size
    story_date: dt.date | None
    homelands: tuple[Toponym, ...] = ()  # countries its people are said to come from


def analyse_articles(
    articles: Iterable[Article], *, demonyms: bool = True, batch_size: int = 32
) -> Iterator[ArticleAnalysis]:
    """Per-article stage, streaming: geoparse (batched NLP), dates, event mentions. Each
    article is read in its language (:func:`geo.text.language.article_language`): Spanish ones
    by :func:`geo.atlas.spanish.parse_spanish`, never by the English NLP; results keep input order."""
    articles_iter = iter(articles)
    while True:
        chunk = [_with_language(a) for a in islice(articles_iter, max(1, batch_size))]
        if not chunk:
            return
        english = [a for a in chunk if a.language != SPANISH]
        parsed_en = iter(geoparse_many((a.text for a in english), demonyms=demonyms, batch_size=batch_size,
                                          detect_spanish=False)
                         if english else ())
        for article in chunk:
            if article.language == SPANISH:
                yield _analyse_spanish(article)
            else:
                yield _analyse_english(article, next(parsed_en))


def _with_language(article: Article) -> Article:
    return article if article.language else replace(article, language=article_language(article))


def _analyse_english(article: Article, parsed) -> ArticleAnalysis:
    dates = find_dates(article.text, article.published, sentence_spans=parsed.sentences)
    events = extract_events(article.id, article.text, parsed.toponyms, dates, parsed.sentences, article.published)
    return ArticleAnalysis(
        article=article,
        toponyms=tuple(parsed.toponyms),
        sentences=tuple(parsed.sentences),
        dates=tuple(dates),
        events=tuple(events),
        sizes=tuple(caravan_size_statements(article.text, parsed.sentences)),
        story_date=_story_date(events),
        homelands=_homelands(article.text, parsed.toponyms),
    )


def _analyse_spanish(article: Article) -> ArticleAnalysis:
    from geo.atlas.caravan_facts_es import caravan_size_statements_es, homelands_es
    from geo.atlas.spanish import parse_spanish

    es = parse_spanish(article.id, article.text, article.published)
    return ArticleAnalysis(
        article=article,
        toponyms=tuple(es.toponyms),
        sentences=tuple(es.sentences),
        dates=tuple(es.dates),
        events=tuple(es.events),
        sizes=tuple(caravan_size_statements_es(article.text, es.sentences)),
        story_date=_story_date(es.events),
        homelands=homelands_es(article.text, es.toponyms),
    )


def build_atlas(
    articles: Iterable[Article],
    *,
    progress: bool = False,
    demonyms: bool = True,
    report: AtlasReport | None = None,
) -> Atlas:
    """Build the atlas of a corpus: places, events, routes and crossings (EPSG:4326)."""
    articles = list(articles)
    analyses = analyse_articles(articles, demonyms=demonyms)
    bar = tqdm(analyses, total=len(articles), desc="articles", unit="article",
               file=sys.stderr, disable=not progress, leave=False)
    return assemble_atlas(bar, report=report)


@dataclass
class _Kept:
    """What the corpus stage keeps of the analyses as they come: the texts that evidence
    cites, event mentions, caravan sizes, corridors, homelands and crossing mentions, and the
    places merged at once (one row per place, not one per mention)."""

    texts: dict[str, str] = field(default_factory=dict)
    places: PlaceMerger = field(init=False)
    articles: list[Article] = field(default_factory=list)
    toponyms_by_article: dict[str, list[Toponym]] = field(default_factory=dict)
    sentences_by_article: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    mentions: list[EventMention] = field(default_factory=list)
    size_statements: list = field(default_factory=list)
    corridors: dict[str, Toponym] = field(default_factory=dict)
    homelands: dict[str, tuple[Toponym, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.places = PlaceMerger(self.texts)

    def take(self, analysis: ArticleAnalysis, report: AtlasReport, gazetteer) -> None:
        """Keep what the corpus stage needs of one article's analysis."""
        article = analysis.article
        aid = article.id
        self.texts[aid] = article.text
        crossing_toponyms = [t for t in analysis.toponyms if t.kind in ("crossing", "border")]
        report.articles += 1
        report.toponyms += len(analysis.toponyms)
        report.unresolved_dates.extend(
            (aid, d.text) for d in analysis.dates if not d.resolved and d.kind != "duration"
        )
        self.mentions.extend(analysis.events)
        self.homelands[aid] = analysis.homelands
        self.size_statements.extend((aid, analysis.story_date, c) for c in analysis.sizes)
        highway = next((t for t in analysis.toponyms if t.kind == "highway" and t.feature_id), None)
        if highway is not None:
            self.corridors[aid] = highway
        self._add_places(analysis, report, gazetteer)
        if analysis.events or analysis.sizes or crossing_toponyms or highway is not None:
            self.articles.append(article)  # cited by events, routes or crossings: checked by make_atlas
            self.toponyms_by_article[aid] = crossing_toponyms
            self.sentences_by_article[aid] = list(analysis.sentences)
        else:
            del self.texts[aid]

    def _add_places(self, analysis: ArticleAnalysis, report: AtlasReport, gazetteer) -> None:
        """Every located toponym as a place record; bad coordinates are flagged and left out."""
        article = analysis.article
        aid = article.id
        sentence_text: dict[tuple[int, int], str] = {}  # one string per sentence, shared by its mentions
        for t in analysis.toponyms:
            if t.lat is None or t.lon is None:
                report.unlocated_toponyms += 1
                continue
            problems = coordinate_problems(t.lat, t.lon)
            if problems:  # flagged and left out, never exported silently
                log.warning("%s: '%s' at %d: bad coordinates: %s", aid, t.name, t.start, "; ".join(problems))
                report.flagged.append((aid, t.name, "; ".join(problems)))
                continue
            self.places.add(
                PlaceRecord(
                    name=place_name(t, gazetteer),
                    lat=t.lat,
                    lon=t.lon,
                    kind=t.kind,
                    confidence=t.confidence,
                    geonameid=t.geonameid,
                    country_code=t.country_code,
                    feature_id=t.feature_id,
                    sources=(_evidence(article.text, analysis.sentences, aid, t.start, t.end, sentence_text),),
                    alternatives=t.alternatives,
                )
            )


def assemble_atlas(analyses: Iterable[ArticleAnalysis], *, report: AtlasReport | None = None) -> Atlas:
    """Corpus stage: merge events across articles, group caravans, draw routes, collect
    crossings and build the layers. The result does not depend on the order of ``analyses``."""
    from geo.gazetteer.index import load_gazetteer

    report = report if report is not None else AtlasReport()
    gazetteer = load_gazetteer()
    kept = _Kept()

    # Analyses are consumed as they come and only what the corpus stage needs is kept (the
    # text for evidence, event mentions, place records, crossing mentions), so memory holds
    # the atlas, not every article's analysis. Every step below sorts its inputs, so the
    # result does not depend on the order analyses arrive in.
    #
    # An article that only names places (no event, caravan size, crossing or highway) is
    # needed for its places alone: they are merged at once (PlaceMerger, checked against
    # the text), then its text and sentences are let go, so memory does not hold every
    # article of a large corpus.
    for analysis in analyses:
        kept.take(analysis, report, gazetteer)

    kept.articles.sort(key=lambda a: a.id)
    report.unresolved_dates.sort()
    report.flagged.sort()
    events = merge_events(kept.mentions)
    caravans = group_caravans(events, kept.size_statements, kept.homelands)
    report.caravans = [c.caravan_id for c in caravans]
    legs = build_routes(caravans, gazetteer, kept.corridors)
    texts, sentences = kept.texts, kept.sentences_by_article
    crossings = collect_crossings(events, kept.toponyms_by_article, sentences, texts, gazetteer)
    return make_atlas(
        kept.places,
        [_event_record(e, texts, sentences, gazetteer) for e in events],
        [_route_record(leg, texts, sentences) for leg in legs],
        [_crossing_record(c) for c in crossings],
        articles=kept.articles,
    )


_FROM = re.compile(r"\b(?:from|fleeing|fled|escaping|left|leaving|like)\s+(?:the\s+)?$", re.I)


def _homelands(text: str, toponyms: Sequence[Toponym]) -> tuple[Toponym, ...]:
    """Country mentions that say where people come from: demonyms ("Honduran migrants")
    and countries after "from", "fleeing", "like"."""
    return tuple(
        t for t in toponyms
        if t.country_code and (t.kind == "demonym" or t.kind == "country" and _FROM.search(text, max(0, t.start - 20), t.start))
    )


def _story_date(events: Sequence[EventMention]):
    for e in events:
        if e.event_type in ("departure", "march") and e.date_start and e.date_precision == "day":
            return e.date_start
    return None


def _event_record(e: Event, texts: dict[str, str], sentences: dict[str, list[tuple[int, int]]], gazetteer) -> EventRecord:
    place = e.place
    return EventRecord(
        event_id=e.event_id,
        event_type=e.event_type,
        status=e.status,
        confidence=e.confidence,
        lat=place.lat if place is not None else None,
        lon=place.lon if place is not None else None,
        place_name=place_name(place, gazetteer) if place is not None else None,
        caravan_id=e.caravan_id,
        date_start=e.date_start,
        date_end=e.date_end,
        date_precision=e.date_precision,
        people_min=e.people_min,
        people_max=e.people_max,
        sources=tuple(
            _evidence(texts[m.article_id], sentences[m.article_id], m.article_id, m.start, m.end) for m in e.mentions
        ),
        article_ids=tuple(e.article_ids),
        date_text=next((m.date_text for m in e.mentions if m.date_text), None),
        reason="; ".join(dict.fromkeys(f"{m.reason}; date: {m.date_reason}" for m in e.mentions)),
        people_sources=tuple(e.people_sources),
        alternatives=place.alternatives if place is not None else (),
        place_kind=place.kind if place is not None else None,
    )


def _route_record(leg: Leg, texts: dict[str, str], sentences: dict[str, list[tuple[int, int]]]) -> RouteLeg:
    return RouteLeg(
        caravan_id=leg.caravan_id,
        leg=leg.leg,
        path=_path(leg.geometry),
        status=leg.status,
        date_start=leg.date_start,
        date_end=leg.date_end,
        from_place=leg.from_name,
        to_place=leg.to_name,
        article_ids=leg.article_ids,
        sources=tuple(_evidence(texts[a], sentences[a], a, start, end) for a, start, end in leg.sources),
        reason=leg.reason,
        geometry_source=leg.geometry_source,
        chains=leg.chains,
    )


def _crossing_record(c: Crossing) -> CrossingRecord:
    return CrossingRecord(
        name=c.name,
        kind=c.kind,
        path=_path(Point(c.feature.lon, c.feature.lat)) if c.kind != "border_line" else _border_path(c),
        countries=tuple(c.countries.split("-")) if c.countries else (),
        has_rail=c.has_rail,
        crossing_id=c.crossing_id,
        status_events=tuple(
            CrossingStatus(status=s.status, date=s.date_start, article_id=s.article_ids[0] if s.article_ids else None,
                           sentence=s.sentence, event_id=s.event_id)
            for s in c.status_events
        ),
        sources=tuple(
            Evidence(article_id=m["article_id"], start=m["start"], end=m["end"], sentence=m["sentence"],
                     sentence_start=m["sentence_start"], sentence_end=m["sentence_end"])
            for m in c.mentions
        ),
        article_ids=tuple(sorted(c.article_ids)),
    )


def _border_path(c: Crossing):
    from geo.gazetteer.index import load_gazetteer

    geom = load_gazetteer().geometry(c.crossing_id)
    return _path(geom) if geom is not None else _path(Point(c.feature.lon, c.feature.lat))
