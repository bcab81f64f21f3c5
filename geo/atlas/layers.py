"""Records and the atlas: the one place where records become GeoDataFrames.

Upstream code (extraction of events, caravans, routes and crossings from text) produces
frozen records: :class:`PlaceRecord`, :class:`EventRecord`, :class:`RouteLeg` and
:class:`CrossingRecord`, each carrying its :class:`Evidence` (article id, character offsets,
sentence). :func:`make_atlas` validates them, merges records that share an id, and builds
the four layers of an :class:`Atlas` in EPSG:4326.

Positions in records are always ``(lat, lon)`` pairs, as the gazetteer and
:class:`~geo.model.Toponym` give them; :func:`make_atlas` is the only place where they are
turned into shapely geometries ``(x=lon, y=lat)``.

The layer schemas (:data:`LAYER_COLUMNS`), geometry types (:data:`GEOMETRY_TYPES`) and row
order (:data:`SORT_KEYS`) are defined here once; :mod:`geo.export` and ``docs/atlas.md``
follow them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
import re
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Mapping, Sequence

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from geo.errors import AtlasError
from geo.model import Candidate, iso_date

__all__ = [
    "ARTICLE_FIELDS",
    "Atlas",
    "Column",
    "CrossingRecord",
    "CrossingStatus",
    "EventRecord",
    "Evidence",
    "GEOMETRY_TYPES",
    "ID_COLUMNS",
    "LAYERS",
    "LAYER_COLUMNS",
    "LayerError",
    "PlaceMerger",
    "PlaceRecord",
    "RouteLeg",
    "SORT_KEYS",
    "EVENT_STATUSES",
    "ROUTE_STATUSES",
    "article_provenance",
    "GEOMETRY_SOURCES",
    "empty_layer",
    "latest_status",
    "layer_frame",
    "make_atlas",
    "place_id_for",
]

log = logging.getLogger(__name__)

CRS = "EPSG:4326"

#: Layer names, in the order they are written and listed everywhere.
LAYERS = ("places", "events", "routes", "crossings")

#: ``status`` of an event: reported as having happened, announced, or conditional/speculative.
EVENT_STATUSES = ("reported", "planned", "hypothetical")
#: ``status`` of a route leg: reported as travelled, inferred between two reported places,
#: or announced as the caravan's intention.
ROUTE_STATUSES = ("reported", "inferred", "intended")
#: how a route leg's line was drawn: along the corridor highway chains (geo.roads) or straight
GEOMETRY_SOURCES = ("corridor", "straight")

LatLon = tuple[float, float]


class LayerError(AtlasError, ValueError):
    """A record cannot become a feature; the message shows the record and the bad value."""


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a feature comes from: a span of one article's text.

    ``start``/``end`` are character offsets into :attr:`geo.sources.corpus.Article.text` of the
    words that support the feature (a place mention, an event's trigger phrase);
    ``sentence_start``/``sentence_end`` are the offsets of the sentence that contains them
    and ``sentence`` its text (``text[sentence_start:sentence_end]``).
    """

    article_id: str
    start: int
    end: int
    sentence: str = ""
    sentence_start: int | None = None
    sentence_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class CrossingStatus:
    """A dated report about a crossing's state ("closed", "reopened", "blocked", ...)."""

    status: str
    date: str | dt.date | None = None  # ISO YYYY-MM-DD
    article_id: str | None = None
    sentence: str = ""
    event_id: str | None = None  # the event in the events layer that reports it, if any

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["date"] = _iso_date(self.date, "date", self)
        return d


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    """A resolved place referred to by one or more articles.

    Records with the same :func:`place_id_for` key (same GeoNames id, same curated feature,
    or same name/kind/country/position) are merged into one feature.
    """

    name: str
    lat: float
    lon: float
    kind: str  # see geo.model.MENTION_KINDS
    confidence: float
    geonameid: int | None = None
    country_code: str | None = None
    admin1: str | None = None
    feature_id: str | None = None  # curated feature id, e.g. "port:2504"
    sources: tuple[Evidence, ...] = ()
    alternatives: tuple[Candidate, ...] = ()  # other gazetteer entries the name could mean
    article_ids: tuple[str, ...] = ()  # extra articles; those of ``sources`` are added


@dataclass(frozen=True, slots=True)
class EventRecord:
    """Something that happened (or is announced or conditional) at a place and time.

    ``lat``/``lon`` may be ``None`` for an event without a location; it is kept with a null
    geometry so that it stays traceable. ``sources[0]`` (after sorting) is the primary
    evidence: its sentence becomes the ``sentence`` column.
    """

    event_type: str  # one of geo.atlas.events.EVENT_TYPES, e.g. "departure"
    status: str  # one of EVENT_STATUSES
    confidence: float
    lat: float | None = None
    lon: float | None = None
    place_name: str | None = None
    caravan_id: str | None = None
    date_start: str | dt.date | None = None  # first day of the interval, ISO YYYY-MM-DD
    date_end: str | dt.date | None = None  # last day of the interval (inclusive)
    date_precision: str | None = None  # "day", "week", "month", "year", "range"
    people_min: int | float | None = None  # NaN is read as unknown
    people_max: int | float | None = None
    sources: tuple[Evidence, ...] = ()
    article_ids: tuple[str, ...] = ()
    event_id: str | None = None  # None: computed from content (see make_atlas)
    date_text: str | None = None  # the words the date comes from ("Christmas Eve")
    reason: str | None = None  # how type, date and place were decided
    people_sources: tuple[Mapping[str, Any], ...] = ()  # each stated figure with its article
    alternatives: tuple[Candidate, ...] = ()  # other candidates for the event's place
    place_kind: str | None = None  # city, crossing, admin1, country, ...: a country is no town point


@dataclass(frozen=True, slots=True)
class RouteLeg:
    """One leg of a caravan's route, as a line through ``path`` ((lat, lon) pairs, >= 2)."""

    caravan_id: str
    leg: int  # position along the caravan's route, from 1
    path: tuple[LatLon, ...]
    status: str  # one of ROUTE_STATUSES
    date_start: str | dt.date | None = None
    date_end: str | dt.date | None = None
    from_place: str | None = None
    to_place: str | None = None
    sources: tuple[Evidence, ...] = ()
    article_ids: tuple[str, ...] = ()
    route_id: str | None = None
    reason: str | None = None  # why the leg is drawn this way
    geometry_source: str | None = None  # one of GEOMETRY_SOURCES, or None when unknown
    chains: tuple[str, ...] = ()  # highway chains the line follows (data/roads/chains.csv)


@dataclass(frozen=True, slots=True)
class CrossingRecord:
    """A border crossing: a point (port of entry, bridge) or a line (a stretch of border).

    ``path`` holds (lat, lon) pairs: one pair makes a Point, two or more a LineString.
    """

    name: str
    kind: str  # "port_of_entry", "bridge", "river_crossing", "border", ...
    path: tuple[LatLon, ...]
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2 codes, e.g. ("MX", "US")
    has_rail: bool | None = None
    crossing_id: str | None = None  # curated id when known, e.g. "port:2504"
    status_events: tuple[CrossingStatus, ...] = ()
    sources: tuple[Evidence, ...] = ()
    article_ids: tuple[str, ...] = ()


# --------------------------------------------------------------------------- schemas


@dataclass(frozen=True, slots=True)
class Column:
    """One property column of a layer.

    ``kind`` is one of ``str``, ``int`` (pandas ``Int64``), ``float``, ``bool`` (pandas
    ``boolean``), ``date`` (ISO ``YYYY-MM-DD`` string or null), ``list`` (list of strings)
    and ``json`` (list of objects). ``list`` and ``json`` columns are JSON text in the
    GeoPackage and CSV.
    """

    name: str
    kind: str
    doc: str


_EVIDENCE_COLUMNS = (
    Column("article_ids", "list", "ids of every article the feature comes from, sorted"),
    Column("sources", "json", "evidence: [{article_id, start, end, sentence, sentence_start, sentence_end, language}]"
                              " (language: the article's, 'en' or 'es', when known)"),
)

#: Property columns of each layer, in order (the geometry column comes last).
LAYER_COLUMNS: dict[str, tuple[Column, ...]] = {
    "places": (
        Column("place_id", "str", "stable id, 'pl_' + 16 hex digits"),
        Column("name", "str", "place name, from the most confident record of the place"),
        Column("kind", "str", "city, admin1, country, crossing, ... (geo.model.MENTION_KINDS)"),
        Column("geonameid", "int", "GeoNames id, null for curated features"),
        Column("feature_id", "str", "curated feature id, e.g. 'port:2504'"),
        Column("country_code", "str", "ISO 3166-1 alpha-2"),
        Column("admin1", "str", "GeoNames admin-1 code, e.g. 'MX.05'"),
        Column("confidence", "float", "resolution confidence 0..1 (highest over the mentions)"),
        Column("mentions", "int", "number of evidence spans"),
        *_EVIDENCE_COLUMNS,
        Column("alternatives", "json", "other gazetteer candidates for the name"),
    ),
    "events": (
        Column("event_id", "str", "stable id, 'ev_' + 16 hex digits"),
        Column("event_type", "str", "departure, march, arrival, crossing, camp, blocked, detention, "
                                    "transport, violence, death, port_status, policy, other (docs/events.md)"),
        Column("status", "str", "reported | planned | hypothetical"),
        Column("date_start", "date", "first day of the interval, or null"),
        Column("date_end", "date", "last day of the interval (inclusive), or null"),
        Column("date_precision", "str", "day | week | month | quarter | year | fiscal_year | unknown"),
        Column("place_name", "str", "place where it happened (gazetteer name)"),
        Column("place_kind", "str", "kind of that place: city, crossing, admin1, country, region, ... "
                                    "(an admin1 or country event is located only at that area's centre)"),
        Column("caravan_id", "str", "the caravan involved, or null"),
        Column("people_min", "int", "lower estimate of people involved, or null"),
        Column("people_max", "int", "upper estimate of people involved, or null"),
        Column("confidence", "float", "extraction confidence 0..1"),
        Column("article_id", "str", "article of the primary evidence (sources[0])"),
        Column("sentence", "str", "sentence of the primary evidence"),
        Column("sentence_start", "int", "offset of that sentence in the article text"),
        Column("sentence_end", "int", "end offset (exclusive) of that sentence"),
        Column("language", "str", "language of that sentence's article: en | es (null when unknown)"),
        Column("date_text", "str", "the words the date was read from, e.g. 'Christmas Eve', or null"),
        Column("reason", "str", "how the type, date and place were decided"),
        Column("people_sources", "json", "[{article_id, text, min, max, rate, start, end}]: each stated figure"),
        Column("alternatives", "json", "other gazetteer candidates for the event's place"),
        *_EVIDENCE_COLUMNS,
    ),
    "routes": (
        Column("route_id", "str", "stable id, 'rt_' + 16 hex digits"),
        Column("caravan_id", "str", "the caravan"),
        Column("leg", "int", "position of the leg along the caravan's route, from 1"),
        Column("status", "str", "reported | inferred | intended"),
        Column("date_start", "date", "first day of the leg, or null"),
        Column("date_end", "date", "last day of the leg, or null"),
        Column("from_place", "str", "name of the start place"),
        Column("to_place", "str", "name of the end place"),
        Column("reason", "str", "why the leg is drawn this way (stated distance, straight line, destination)"),
        Column("geometry_source", "str", "how the line was drawn: corridor (along the highway chains) | straight, or null"),
        Column("chains", "list", "ids of the corridor highway chains the line follows (data/roads/chains.csv), "
                                 "in the order the line follows them"),
        *_EVIDENCE_COLUMNS,
    ),
    "crossings": (
        Column("crossing_id", "str", "curated id (e.g. 'port:2504') or 'cx_' + 16 hex digits"),
        Column("name", "str", "crossing name"),
        Column("kind", "str", "port_of_entry, bridge, river_crossing, border, ..."),
        Column("countries", "list", "ISO alpha-2 codes of the countries it joins, sorted"),
        Column("has_rail", "bool", "rail crossing, or null when unknown"),
        Column("latest_status", "str", "status of the most recent status event, or null"),
        Column("latest_status_date", "date", "date of that status event, or null"),
        Column("status_events", "json", "[{status, date, article_id, sentence, event_id}] by date"),
        *_EVIDENCE_COLUMNS,
    ),
}

#: Geometry type of each layer ("Geometry" = Point or LineString).
GEOMETRY_TYPES = {"places": "Point", "events": "Point", "routes": "LineString", "crossings": "Geometry"}

#: Id column of each layer (also the GeoJSON Feature ``id``).
ID_COLUMNS = {"places": "place_id", "events": "event_id", "routes": "route_id", "crossings": "crossing_id"}

#: Row order of each layer: ascending, nulls last, text compared case-insensitively; the id
#: column breaks ties so the order never depends on the input order.
SORT_KEYS = {
    "places": ("name", "place_id"),
    "events": ("date_start", "date_end", "caravan_id", "event_type", "event_id"),
    "routes": ("caravan_id", "leg", "date_start", "route_id"),
    "crossings": ("name", "crossing_id"),
}

_DTYPES = {"str": object, "date": object, "list": object, "json": object, "int": "Int64",
           "float": "float64", "bool": "boolean"}


@dataclass
class Atlas:
    """The four layers, GeoDataFrames in EPSG:4326 with the columns of :data:`LAYER_COLUMNS`,
    and where each article came from (:data:`ARTICLE_FIELDS`, one dict per article, by id)."""

    places: gpd.GeoDataFrame
    events: gpd.GeoDataFrame
    routes: gpd.GeoDataFrame
    crossings: gpd.GeoDataFrame
    articles: tuple[dict[str, Any], ...] = ()

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """The layers by name, in :data:`LAYERS` order."""
        return {name: getattr(self, name) for name in LAYERS}

    def counts(self) -> dict[str, int]:
        return {name: len(gdf) for name, gdf in self.layers().items()}

    @classmethod
    def empty(cls) -> Atlas:
        return make_atlas([], [], [], [])


#: Provenance of an article, as kept in :attr:`Atlas.articles` and exported: its id, what it
#: says about itself, the file or page it was read from (``path``, ``url``), the sha256 of
#: that file's bytes and how the text was obtained (``extraction``).
ARTICLE_FIELDS = ("article_id", "title", "published", "source", "author", "url", "path", "file_sha256", "extraction",
                  "language")


def article_provenance(articles: Iterable[Any] | Mapping[str, Any] | None) -> tuple[dict[str, Any], ...]:
    """:data:`ARTICLE_FIELDS` of each article (:class:`~geo.sources.corpus.Article`), sorted by id."""
    if articles is None:
        return ()
    items = articles.values() if isinstance(articles, Mapping) else articles
    out = {}
    for a in items:
        published = getattr(a, "published", None)
        row = {
            "article_id": str(a.id),
            "title": _clean(getattr(a, "title", None)),
            "published": published.isoformat() if isinstance(published, dt.date) else published,
            "source": _clean(getattr(a, "source", None)),
            "author": _clean(getattr(a, "author", None)),
            "url": _clean(getattr(a, "url", None)),
            "path": _clean(getattr(a, "path", None)),
            "file_sha256": getattr(a, "file_sha256", None),
            "extraction": getattr(a, "extraction", None),
            "language": getattr(a, "language", None),
        }
        out[row["article_id"]] = row
    return tuple(out[k] for k in sorted(out))


# --------------------------------------------------------------------------- helpers

_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")


def _where(record: object) -> str:
    text = repr(record)
    return text if len(text) <= 160 else text[:157] + "..."


def _clean(value: str | None) -> str | None:
    """Replace NUL and lone surrogates (which no UTF-8 file or GeoPackage can hold) by U+FFFD.

    One character becomes one character, so offsets into the text stay valid.
    """
    if value is None:
        return None
    return _BAD_CHARS.sub("\ufffd", str(value))


def _iso_date(value: object, name: str, record: object) -> str | None:
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        return iso_date(value)
    except ValueError:
        raise LayerError(f"{name} must be an ISO date YYYY-MM-DD or None, got {value!r} in {_where(record)}") from None


def _dates(start: object, end: object, record: object) -> tuple[str | None, str | None]:
    s, e = _iso_date(start, "date_start", record), _iso_date(end, "date_end", record)
    if s is not None and e is not None and e < s:
        raise LayerError(f"date_end {e} is before date_start {s} in {_where(record)}")
    return s, e


def _position(lat: object, lon: object, record: object) -> LatLon:
    try:
        la, lo = float(lat), float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise LayerError(f"position must be numbers (lat, lon), got ({lat!r}, {lon!r}) in {_where(record)}") from None
    if not (math.isfinite(la) and math.isfinite(lo)):
        raise LayerError(f"position is not finite: ({la!r}, {lo!r}) in {_where(record)}")
    if not (-90.0 <= la <= 90.0) or not (-180.0 <= lo <= 180.0):
        raise LayerError(f"position out of range (lat, lon) = ({la!r}, {lo!r}) in {_where(record)}")
    if la == 0.0 and lo == 0.0:
        raise LayerError(f"position (0, 0) is 'null island', not a place, in {_where(record)}")
    return la, lo


def _count(value: object, name: str, record: object) -> int | None:
    if value is None or value is pd.NA:
        return None
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise LayerError(f"{name} must be a whole number or None, got {value!r} in {_where(record)}") from None
    if math.isnan(f):
        return None
    if not math.isfinite(f) or f < 0 or f != int(f):
        raise LayerError(f"{name} must be a whole number >= 0, got {value!r} in {_where(record)}")
    return int(f)


def _confidence(value: object, record: object) -> float:
    try:
        c = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise LayerError(f"confidence must be a number, got {value!r} in {_where(record)}") from None
    if not (0.0 <= c <= 1.0):  # also rejects NaN
        raise LayerError(f"confidence must be within 0..1, got {value!r} in {_where(record)}")
    return round(c, 4)


def _enum(value: object, allowed: Sequence[str], name: str, record: object) -> str:
    if value not in allowed:
        raise LayerError(f"{name} must be one of {', '.join(allowed)}; got {value!r} in {_where(record)}")
    return str(value)


def _stable_id(prefix: str, key: object) -> str:
    canonical = json.dumps(key, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return prefix + hashlib.sha256(canonical.encode("ascii")).hexdigest()[:16]


def _fold(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split()).casefold()


def place_id_for(
    *,
    name: str,
    kind: str,
    lat: float,
    lon: float,
    geonameid: int | None = None,
    feature_id: str | None = None,
    country_code: str | None = None,
) -> str:
    """The stable id of a place: hash of its GeoNames id, else its curated feature id, else
    its case-folded name, kind, country and position rounded to 4 decimals (~11 m)."""
    if geonameid is not None:
        key: list[Any] = ["geonames", int(geonameid)]
    elif feature_id:
        key = ["feature", feature_id]
    else:
        key = ["name", _fold(name), kind, country_code, round(float(lat), 4), round(float(lon), 4)]
    return _stable_id("pl_", key)


def _evidence_key(e: dict[str, Any]) -> tuple:
    return (e["article_id"], e["start"], e["end"], _nulls_last(e["sentence_start"]),
            _nulls_last(e["sentence_end"]), e["sentence"])


def _nulls_last(value: Any) -> tuple:
    if value is None:
        return (1, 0)
    if isinstance(value, str):
        return (0, value.casefold(), value)
    return (0, value)


class _Articles:
    """Optional check of evidence against the articles it cites."""

    def __init__(self, articles: Iterable[Any] | Mapping[str, Any] | None) -> None:
        self.languages: dict[str, str] = {}  # article id -> language code, when the articles say
        if articles is None:
            self.texts: dict[str, str] | None = None
        elif isinstance(articles, Mapping):
            self.texts = {str(k): a.text for k, a in articles.items()}
            self.languages = {str(k): a.language for k, a in articles.items() if getattr(a, "language", None)}
        else:
            articles = list(articles)
            self.texts = {a.id: a.text for a in articles}
            self.languages = {a.id: a.language for a in articles if getattr(a, "language", None)}

    @classmethod
    def of_texts(cls, texts: Mapping[str, str] | None) -> _Articles:
        """Check against ``texts`` (article id -> text), used as it is (it may grow)."""
        arts = cls(None)
        arts.texts = texts  # type: ignore[assignment]
        return arts

    def check_id(self, article_id: str, record: object) -> None:
        if self.texts is not None and article_id not in self.texts:
            raise LayerError(f"unknown article id {article_id!r} in {_where(record)}")

    def evidence(self, ev: Evidence, record: object) -> dict[str, Any]:
        if not isinstance(ev, Evidence):
            raise LayerError(f"sources must hold Evidence records, got {ev!r} in {_where(record)}")
        try:
            start, end = int(ev.start), int(ev.end)
            ss = None if ev.sentence_start is None else int(ev.sentence_start)
            se = None if ev.sentence_end is None else int(ev.sentence_end)
        except (TypeError, ValueError):
            raise LayerError(f"evidence offsets must be integers, got {ev!r} in {_where(record)}") from None
        if not (0 <= start <= end):
            raise LayerError(f"evidence offsets must satisfy 0 <= start <= end, got {start}..{end} in {_where(record)}")
        if (ss is None) != (se is None) or (ss is not None and not (0 <= ss <= se)):  # type: ignore[operator]
            raise LayerError(f"bad sentence offsets {ss!r}..{se!r} in {_where(record)}")
        sentence = ev.sentence
        self.check_id(ev.article_id, record)
        if self.texts is not None:
            text = self.texts[ev.article_id]
            last = max(end, se or 0)
            if last > len(text):
                raise LayerError(
                    f"offset {last} is past the end of article {ev.article_id!r} ({len(text)} characters) in {_where(record)}"
                )
            if ss is not None:
                if not sentence:
                    sentence = text[ss:se]
                elif text[ss:se] != sentence:
                    raise LayerError(
                        f"sentence does not match article {ev.article_id!r} at {ss}..{se}: {sentence[:60]!r} in {_where(record)}"
                    )
        out = {
            "article_id": _clean(ev.article_id),
            "start": start,
            "end": end,
            "sentence": _clean(sentence),
            "sentence_start": ss,
            "sentence_end": se,
        }
        language = self.languages.get(ev.article_id)
        if language:
            out["language"] = language  # the sentence is in this language ("es": shown as written)
        return out

    def sources(self, record: Any) -> tuple[list[dict[str, Any]], list[str]]:
        evs = [self.evidence(e, record) for e in record.sources]
        extra = [str(a) for a in record.article_ids]
        for a in extra:
            self.check_id(a, record)
        return evs, sorted({_clean(a) for a in extra} | {e["article_id"] for e in evs})  # type: ignore[arg-type]


def _merge_evidence(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        for e in row["sources"]:
            seen.setdefault(json.dumps(e, sort_keys=True), e)
    sources = sorted(seen.values(), key=_evidence_key)
    ids = sorted({a for row in rows for a in row["article_ids"]})
    return sources, ids


def _primary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The row whose scalar fields a merged feature keeps: highest confidence, then a
    canonical order of the rows (so the choice never depends on input order)."""
    return min(rows, key=_primary_key)


def _group(rows: list[dict[str, Any]], id_col: str) -> list[list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row[id_col], []).append(row)
    return list(groups.values())


# --------------------------------------------------------------------------- per layer


class PlaceMerger:
    """Place records merged by place id as they come, as :func:`make_atlas` merges a list of
    them: one row per place, its evidence and alternatives united, its other fields from the
    record with the highest confidence (ties: a canonical order of the records).

    A corpus's place mentions (each with its alternatives) need not all be held at once:
    :func:`geo.atlas.build.assemble_atlas` adds them article by article and passes the merger to
    :func:`make_atlas`. ``texts`` (article id -> text, may grow as articles arrive) checks
    the evidence as ``make_atlas``'s ``articles`` does.
    """

    def __init__(self, texts: Mapping[str, str] | None = None) -> None:
        self._arts = _Articles.of_texts(texts)
        self._groups: dict[str, dict[str, Any]] = {}

    def __len__(self) -> int:
        return len(self._groups)

    def add(self, r: PlaceRecord) -> None:
        lat, lon = _position(r.lat, r.lon, r)
        sources, article_ids = self._arts.sources(r)
        geonameid = None if r.geonameid is None else int(r.geonameid)
        row = {
            "place_id": place_id_for(name=r.name, kind=r.kind, lat=lat, lon=lon, geonameid=geonameid,
                                     feature_id=r.feature_id, country_code=r.country_code),
            "name": _clean(r.name),
            "kind": _clean(r.kind),
            "geonameid": geonameid,
            "feature_id": _clean(r.feature_id),
            "country_code": _clean(r.country_code),
            "admin1": _clean(r.admin1),
            "confidence": _confidence(r.confidence, r),
            "sources": sources,
            "article_ids": article_ids,
            "alternatives": [_candidate(c, r) for c in r.alternatives],
            "_pos": (lat, lon),
        }
        rank = _primary_key(row)
        group = self._groups.get(row["place_id"])
        if group is None:
            group = self._groups[row["place_id"]] = {"row": row, "rank": rank, "sources": {}, "ids": set(),
                                                     "alternatives": {}}
        elif rank < group["rank"]:
            group["row"], group["rank"] = row, rank
        for e in sources:  # evidence has exactly these fields: the tuple identifies it
            group["sources"].setdefault((e["article_id"], e["start"], e["end"], e["sentence_start"],
                                         e["sentence_end"], e["sentence"]), e)
        group["ids"].update(article_ids)
        for a in row["alternatives"]:
            group["alternatives"].setdefault(json.dumps(a, sort_keys=True), a)

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for group in self._groups.values():
            row = dict(group["row"])
            row["sources"] = sorted(group["sources"].values(), key=_evidence_key)
            row["article_ids"] = sorted(group["ids"])
            row["mentions"] = len(row["sources"])
            row["alternatives"] = sorted(group["alternatives"].items(),
                                         key=lambda ka: (-(ka[1]["population"] or 0), ka[1]["name"], ka[0]))
            row["alternatives"] = [a for _, a in row["alternatives"]]
            out.append(row)
        return out


def _primary_key(row: dict[str, Any]) -> tuple:
    # the order of _primary: highest confidence, then a canonical order of the rows
    return (-(row.get("confidence") or 0.0), json.dumps(row, sort_keys=True, default=str))


def _candidate(c: Candidate, record: object) -> dict[str, Any]:
    if not isinstance(c, Candidate):
        raise LayerError(f"alternatives must hold geo.model.Candidate records, got {c!r} in {_where(record)}")
    d = c.to_dict()
    return {k: (_clean(v) if isinstance(v, str) else v) for k, v in d.items()}


def _event_rows(records: Iterable[EventRecord], arts: _Articles) -> list[dict[str, Any]]:
    rows = []
    for r in records:
        pos = None
        if r.lat is not None or r.lon is not None:
            pos = _position(r.lat, r.lon, r)
        date_start, date_end = _dates(r.date_start, r.date_end, r)
        people_min = _count(r.people_min, "people_min", r)
        people_max = _count(r.people_max, "people_max", r)
        if people_min is not None and people_max is not None and people_max < people_min:
            raise LayerError(f"people_max {people_max} is below people_min {people_min} in {_where(r)}")
        sources, article_ids = arts.sources(r)
        sources.sort(key=_evidence_key)
        row = {
            "event_type": _clean(r.event_type),
            "status": _enum(r.status, EVENT_STATUSES, "status", r),
            "date_start": date_start,
            "date_end": date_end,
            "date_precision": _clean(r.date_precision),
            "place_name": _clean(r.place_name),
            "place_kind": _clean(r.place_kind),
            "caravan_id": _clean(r.caravan_id),
            "people_min": people_min,
            "people_max": people_max,
            "confidence": _confidence(r.confidence, r),
            "date_text": _clean(r.date_text),
            "reason": _clean(r.reason),
            "people_sources": [dict(p) for p in r.people_sources],
            "alternatives": [_candidate(c, r) for c in r.alternatives],
            "sources": sources,
            "article_ids": article_ids,
            "_pos": pos,
        }
        anchor = [sources[0]["article_id"], sources[0]["sentence"]] if sources else None
        row["event_id"] = _clean(r.event_id) or _stable_id("ev_", [
            row["event_type"], row["status"], date_start, date_end, _fold(row["place_name"]),
            row["caravan_id"], None if pos is None else [round(pos[0], 4), round(pos[1], 4)], anchor,
        ])
        rows.append(row)
    out = []
    for group in _group(rows, "event_id"):
        row = dict(_primary(group))
        row["sources"], row["article_ids"] = _merge_evidence(group)
        mins = [g["people_min"] for g in group if g["people_min"] is not None]
        maxs = [g["people_max"] for g in group if g["people_max"] is not None]
        row["people_min"] = min(mins) if mins else None
        row["people_max"] = max(maxs) if maxs else None
        first = row["sources"][0] if row["sources"] else None
        row["article_id"] = first["article_id"] if first else None
        row["sentence"] = first["sentence"] if first else None
        row["sentence_start"] = first["sentence_start"] if first else None
        row["sentence_end"] = first["sentence_end"] if first else None
        row["language"] = first.get("language") if first else None
        out.append(row)
    return out


def _path(path: Sequence[Sequence[float]], minimum: int, record: object) -> list[LatLon]:
    try:
        pairs = [(p[0], p[1]) for p in path]
        if any(len(p) != 2 for p in path):
            raise TypeError
    except (TypeError, IndexError):
        raise LayerError(f"path must be a sequence of (lat, lon) pairs, got {path!r} in {_where(record)}") from None
    out = [_position(lat, lon, record) for lat, lon in pairs]
    if len(out) < minimum or (minimum > 1 and len(set(out)) < 2):
        raise LayerError(f"path needs at least {minimum} distinct (lat, lon) positions, got {path!r} in {_where(record)}")
    return out


def _route_rows(records: Iterable[RouteLeg], arts: _Articles) -> list[dict[str, Any]]:
    rows = []
    for r in records:
        path = _path(r.path, 2, r)
        date_start, date_end = _dates(r.date_start, r.date_end, r)
        try:
            leg = int(r.leg)
        except (TypeError, ValueError):
            raise LayerError(f"leg must be an integer, got {r.leg!r} in {_where(r)}") from None
        sources, article_ids = arts.sources(r)
        row = {
            "caravan_id": _clean(r.caravan_id),
            "leg": leg,
            "status": _enum(r.status, ROUTE_STATUSES, "status", r),
            "date_start": date_start,
            "date_end": date_end,
            "from_place": _clean(r.from_place),
            "to_place": _clean(r.to_place),
            "reason": _clean(r.reason),
            "geometry_source": None if r.geometry_source is None else _enum(r.geometry_source, GEOMETRY_SOURCES, "geometry_source", r),
            "chains": list(dict.fromkeys(str(c) for c in r.chains if c)),
            "sources": sources,
            "article_ids": article_ids,
            "_path": path,
        }
        row["route_id"] = _clean(r.route_id) or _stable_id("rt_", [
            row["caravan_id"], row["status"], date_start, date_end,
            [[round(la, 5), round(lo, 5)] for la, lo in path],
        ])
        rows.append(row)
    out = []
    for group in _group(rows, "route_id"):
        row = dict(_primary(group))
        row["sources"], row["article_ids"] = _merge_evidence(group)
        out.append(row)
    return out


def latest_status(statuses: Sequence[Mapping[str, Any]]) -> tuple[str | None, str | None]:
    """Status and date of the most recent dated report. Reports that disagree on the same
    latest day give a null status (with the date); undated reports count only when no
    report is dated and they all agree. The crossings layer and user corrections of an event's
    date (``geo.store.corrections``) both use it."""
    dated = [s for s in statuses if s["date"] is not None]
    if dated:
        last = max(s["date"] for s in dated)
        found = {s["status"] for s in dated if s["date"] == last}
        return (found.pop() if len(found) == 1 else None), last
    found = {s["status"] for s in statuses}
    return (found.pop() if len(found) == 1 else None), None


def _crossing_rows(records: Iterable[CrossingRecord], arts: _Articles) -> list[dict[str, Any]]:
    rows = []
    for r in records:
        path = _path(r.path, 1, r)
        sources, article_ids = arts.sources(r)
        statuses = []
        for s in r.status_events:
            if not isinstance(s, CrossingStatus):
                raise LayerError(f"status_events must hold CrossingStatus records, got {s!r} in {_where(r)}")
            if s.article_id is not None:
                arts.check_id(s.article_id, r)
            d = s.to_dict()
            statuses.append({k: (_clean(v) if isinstance(v, str) else v) for k, v in d.items()})
        countries = sorted({_clean(c).upper() for c in r.countries})  # type: ignore[union-attr]
        row = {
            "name": _clean(r.name),
            "kind": _clean(r.kind),
            "countries": countries,
            "has_rail": None if r.has_rail is None else bool(r.has_rail),
            "status_events": statuses,
            "sources": sources,
            "article_ids": sorted(set(article_ids) | {s["article_id"] for s in statuses if s["article_id"]}),
            "_path": path,
        }
        row["crossing_id"] = _clean(r.crossing_id) or _stable_id("cx_", [
            _fold(row["name"]), countries, [[round(la, 5), round(lo, 5)] for la, lo in path],
        ])
        rows.append(row)
    out = []
    for group in _group(rows, "crossing_id"):
        row = dict(_primary(group))
        row["sources"], row["article_ids"] = _merge_evidence(group)
        statuses = {json.dumps(s, sort_keys=True): s for g in group for s in g["status_events"]}
        # Dated reports first in date order, undated ones after; latest = last dated one.
        ordered = sorted(statuses.values(), key=lambda s: (s["date"] is None, s["date"] or "", s["status"],
                                                             json.dumps(s, sort_keys=True)))
        row["status_events"] = ordered
        row["latest_status"], row["latest_status_date"] = latest_status(ordered)
        rails = {g["has_rail"] for g in group} - {None}
        row["has_rail"] = (True in rails) if rails else None
        out.append(row)
    return out


# --------------------------------------------------------------------------- frames


def _sort_rows(rows: list[dict[str, Any]], layer: str) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: tuple(_nulls_last(row[k]) for k in SORT_KEYS[layer]))


def layer_frame(
    layer: str, rows: Sequence[Mapping[str, Any]], geometries: Sequence[BaseGeometry | None]
) -> gpd.GeoDataFrame:
    """A layer's GeoDataFrame from plain rows (missing keys are null) and x/y geometries.

    Used by :func:`make_atlas` and by the readers in :mod:`geo.export`, so a layer read
    back from a file has the same columns and dtypes as one built from records.
    """
    if layer not in LAYER_COLUMNS:
        raise LayerError(f"unknown layer {layer!r}; layers are {', '.join(LAYERS)}")
    data = {c.name: pd.Series([row.get(c.name) for row in rows], dtype=_DTYPES[c.kind])
            for c in LAYER_COLUMNS[layer]}
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(list(geometries), crs=CRS), crs=CRS)


def empty_layer(layer: str) -> gpd.GeoDataFrame:
    """An empty layer with every column, its dtypes and the EPSG:4326 geometry column."""
    return layer_frame(layer, [], [])


def make_atlas(
    places: Iterable[PlaceRecord] | PlaceMerger,
    events: Iterable[EventRecord],
    routes: Iterable[RouteLeg],
    crossings: Iterable[CrossingRecord],
    *,
    articles: Iterable[Any] | Mapping[str, Any] | None = None,
) -> Atlas:
    """Validate the records and build the :class:`Atlas` (the only place GeoDataFrames are made).

    Records that get the same id are merged: evidence and article ids are united, the
    other fields come from the record with the highest confidence (ties broken by a
    canonical order). Rows are sorted by :data:`SORT_KEYS`. ``places`` may also be a
    :class:`PlaceMerger` that already holds them (merged as they came, checked then).

    ``articles`` (:class:`~geo.sources.corpus.Article` objects, or a mapping id -> article), when
    given, is used to check that every cited article exists, that offsets fall inside its
    text and that each evidence sentence equals ``text[sentence_start:sentence_end]``
    (an empty sentence is filled in from the text); their provenance becomes
    :attr:`Atlas.articles`.

    Raises :class:`LayerError` naming the record and the bad value.
    """
    arts = _Articles(articles)
    frames: dict[str, gpd.GeoDataFrame] = {}

    # (lat, lon) -> (x=lon, y=lat): the records speak (lat, lon) like the gazetteer;
    # shapely and GeoJSON want x first. This is the only place the swap happens.
    def point(pos: LatLon | None) -> Point | None:
        return None if pos is None else Point(pos[1], pos[0])

    def line(path: list[LatLon]) -> LineString:
        return LineString([(lon, lat) for lat, lon in path])

    if not isinstance(places, PlaceMerger):
        merger = PlaceMerger()
        merger._arts = arts  # the articles given here check the evidence
        for record in places:
            merger.add(record)
        places = merger
    rows = _sort_rows(places.rows(), "places")
    frames["places"] = layer_frame("places", rows, [point(r["_pos"]) for r in rows])
    rows = _sort_rows(_event_rows(events, arts), "events")
    frames["events"] = layer_frame("events", rows, [point(r["_pos"]) for r in rows])
    rows = _sort_rows(_route_rows(routes, arts), "routes")
    frames["routes"] = layer_frame("routes", rows, [line(r["_path"]) for r in rows])
    rows = _sort_rows(_crossing_rows(crossings, arts), "crossings")
    frames["crossings"] = layer_frame(
        "crossings", rows, [point(r["_path"][0]) if len(r["_path"]) == 1 else line(r["_path"]) for r in rows]
    )
    atlas = Atlas(**frames, articles=article_provenance(articles))
    log.info("atlas: %s", ", ".join(f"{k} {v}" for k, v in atlas.counts().items()))
    return atlas
