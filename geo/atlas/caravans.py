"""Event mentions from many articles -> merged events, caravans and their routes.

- The same event reported by several articles becomes one :class:`Event` that lists
  every source (same type, same place, overlapping dates).
- Caravan-movement events are grouped into :class:`Caravan` objects by date and origin:
  an article's own caravan (its story date) and the past caravans it mentions in passing
  ("since June 2022", "In October, another march …") are different caravans; articles
  whose caravans left the same place within a few days report the same caravan.
- A caravan's route is a list of dated :class:`Leg` objects through its reported
  positions in time order (``reported`` when the text states the movement, ``inferred``
  between two reported points), plus an ``intended`` leg to its stated destination.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Iterable, NamedTuple, Sequence

from shapely.geometry import LineString, MultiLineString, Point
from pyproj import Geod
from shapely.ops import nearest_points

from geo.atlas.events import EventMention
from geo.model import Toponym
from geo.atlas.roads import SNAP_KM, RoadNetwork, RoadPath, describe, load_network, vertices

__all__ = ["Event", "Caravan", "Leg", "merge_events", "group_caravans", "build_routes", "place_key", "place_name"]

#: Articles whose caravans left within this many days of each other report the same caravan.
SAME_CARAVAN_DAYS = 3
_MOVEMENT_TYPES = ("departure", "march", "arrival", "crossing", "camp", "blocked")
#: Kinds of place that mark where a caravan was (a highway's or country's label point does not).
_POSITION_KINDS = ("city", "place", "crossing", "border", "facility", "admin2")


def place_key(t: Toponym | None) -> str | None:
    """A stable key for the place a toponym resolved to."""
    if t is None:
        return None
    if t.feature_id:
        return t.feature_id
    if t.geonameid is not None:
        return f"geonames:{t.geonameid}"
    return f"name:{t.name.lower()}"


def place_name(t: Toponym, gazetteer, *, curated_only: bool = False) -> str:
    """The gazetteer's name for the place a toponym resolved to, else the text's name: a curated
    feature by its id ("the coastal highway" -> "Highway 200"), a country or demonym by its
    country ("U.S." -> "United States"), any other GeoNames place by its id. With
    ``curated_only`` only curated features are renamed: route legs keep the article's own
    name for a town (the events layer uses the full form)."""
    c = None
    if t.feature_id:
        c = gazetteer.feature(t.feature_id)
    elif curated_only:
        pass
    elif t.kind in ("country", "demonym") and t.country_code and t.geonameid is not None:
        c = gazetteer.country(t.country_code)
    elif t.geonameid is not None:
        c = gazetteer.get(t.geonameid)
    return c.name if c is not None else t.name


def _stable_id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha256("|".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}_{digest[:16]}"


@dataclass
class Event:
    """One event with every article that reports it."""

    event_id: str
    event_type: str
    date_start: dt.date | None
    date_end: dt.date | None
    date_precision: str
    place: Toponym | None
    status: str
    confidence: float
    mentions: list[EventMention]
    caravan_id: str | None = None
    people_min: int | None = None
    people_max: int | None = None
    people_sources: list[dict] = field(default_factory=list)

    @property
    def article_ids(self) -> list[str]:
        return sorted({m.article_id for m in self.mentions})

    @property
    def place_name(self) -> str | None:
        return self.place.name if self.place is not None else None


@dataclass
class Caravan:
    caravan_id: str
    date_start: dt.date | None
    date_end: dt.date | None
    date_precision: str
    origin: Toponym | None
    events: list[Event]
    size_min: int | None = None
    size_max: int | None = None
    size_sources: list[dict] = field(default_factory=list)
    destinations: list[Toponym] = field(default_factory=list)
    #: where its people come from, when no departure is stated: (country toponym, its mentions)
    homeland: tuple[Toponym, int] | None = None

    @property
    def article_ids(self) -> list[str]:
        return sorted({a for e in self.events for a in e.article_ids} | {s["article_id"] for s in self.size_sources})


@dataclass(frozen=True)
class Leg:
    caravan_id: str
    leg: int
    date_start: dt.date | None
    date_end: dt.date | None
    status: str  # reported | inferred | intended
    geometry: LineString
    from_name: str
    to_name: str
    article_ids: tuple[str, ...]
    reason: str
    sources: tuple[tuple[str, int, int], ...] = ()  # (article id, start, end) of the supporting clauses
    #: how the line was drawn: "corridor" (along the highway chains, geo.roads) or "straight"
    geometry_source: str = "straight"
    chains: tuple[str, ...] = ()  # ids of the highway chains it follows (data/roads/chains.csv)


# ------------------------------------------------------------------ merging events

def _overlap(a: EventMention | Event, b: EventMention | Event) -> bool:
    if a.date_start is None or b.date_start is None:
        return a.date_start is None and b.date_start is None
    return a.date_start <= (b.date_end or b.date_start) and b.date_start <= (a.date_end or a.date_start)


def _narrower(a: EventMention | Event, b: EventMention | Event) -> bool:
    """True when ``a``'s date interval is at least as precise as ``b``'s."""
    if a.date_start is None:
        return False
    if b.date_start is None:
        return True
    return (a.date_end - a.date_start) <= (b.date_end - b.date_start)


def _vagueness(t: Toponym | None) -> int:
    if t is None:
        return 3
    return {"country": 2, "region": 2, "admin1": 1}.get(t.kind, 0)


def _less_specific(a: Toponym | None, b: Toponym | None) -> bool:
    """``a`` says less than ``b`` about the same place: none at all, or the country or
    admin-1 unit that contains ``b``."""
    if b is None or place_key(a) == place_key(b):
        return False
    if a is None:
        return True
    if a.kind == "country":
        return b.kind not in ("country", "region") and a.country_code is not None and a.country_code == b.country_code
    if a.kind == "admin1":
        return b.kind not in ("country", "region", "admin1") and a.admin1 is not None and a.admin1 == b.admin1
    return False


def merge_events(mentions: Iterable[EventMention]) -> list[Event]:
    """Merge mentions of the same event (type, place, overlapping dates) across articles.

    Mentions from one article are never merged with each other unless they are the same
    clause reported twice; the result is sorted by date, type and place.
    """
    events: list[Event] = []
    # Specific places first, so that "from southern Mexico" and "setting off on December
    # 24th" join the departure from Tapachula rather than start events of their own.
    for m in sorted(mentions, key=lambda m: (_vagueness(m.place), m.article_id, m.start, m.event_type)):
        key = place_key(m.place)
        match = None
        # A mention without a place is progress told as a distance ("covered 15 km"): its
        # own event, for the route to follow from the previous position.
        for e in events if m.place is not None else ():
            if e.event_type != m.event_type or not _overlap(e, m):
                continue
            if (_less_specific(m.place, e.place) and m.date_precision == "day" and e.date_precision == "day"
                    and m.event_type != "port_status"):
                # "setting off on December 24th" / "from southern Mexico": the departure from
                # Tapachula already known, told less specifically. (Not a crossing's status:
                # "rail traffic in Texas is suspended" is not news about the Laredo bridge.)
                match = e
                break
            if key is None or place_key(e.place) != key:
                continue
            if m.article_id in e.article_ids and (m.date_start, m.date_end) != (e.date_start, e.date_end):
                continue  # one article telling two events at one place: kept apart unless the same day
            match = e
            break
        if match is None:
            events.append(
                Event(
                    event_id="",
                    event_type=m.event_type,
                    date_start=m.date_start,
                    date_end=m.date_end,
                    date_precision=m.date_precision,
                    place=m.place,
                    status=m.status,
                    confidence=m.confidence,
                    mentions=[m],
                )
            )
            continue
        match.mentions.append(m)
        if _narrower(m, match):
            match.date_start, match.date_end, match.date_precision = m.date_start, m.date_end, m.date_precision
        if m.place is not None and (match.place is None or m.place.confidence > match.place.confidence):
            match.place = m.place
        # Agreement between independent sources raises confidence.
        match.confidence = round(1 - (1 - match.confidence) * (1 - m.confidence * 0.5), 4)
        if m.status == "reported":
            match.status = "reported"
    for e in events:
        counts = [(m.article_id, m.people) for m in e.mentions if m.people is not None]
        _set_people(e, counts)
        e.event_id = _stable_id(
            "ev", e.event_type, place_key(e.place), e.date_start, e.date_end,
            min((m.article_id, m.start) for m in e.mentions),
        )
    events.sort(key=lambda e: (e.date_start or dt.date.max, e.event_type, place_key(e.place) or "", e.event_id))
    return events


def _set_people(target: Event | Caravan, counts: Sequence[tuple[str, object]]) -> None:
    """Figures from several sources become a range (min of minima, max of maxima)."""
    lows = [c.minimum for _, c in counts if c.minimum is not None]
    highs = [c.maximum for _, c in counts if c.maximum is not None]
    lo = min(lows) if lows else None
    hi = max(highs) if highs else None
    sources = [
        {"article_id": a, "text": c.text, "min": c.minimum, "max": c.maximum, "rate": c.rate, "start": c.start, "end": c.end}
        for a, c in sorted(counts, key=lambda ac: (ac[0], ac[1].start))
    ]
    if isinstance(target, Event):
        target.people_min, target.people_max, target.people_sources = lo, hi, sources
    else:
        target.size_min, target.size_max, target.size_sources = lo, hi, sources


# ------------------------------------------------------------------ caravans

def _month_key(d: dt.date | None) -> str:
    return d.strftime("%Y-%m") if d else "undated"


def group_caravans(
    events: list[Event],
    size_statements: Sequence[tuple[str, dt.date | None, object]] = (),
    homelands: dict[str, Sequence[Toponym]] | None = None,
) -> list[Caravan]:
    """Group caravan-movement events into caravans and set each event's ``caravan_id``.

    ``size_statements`` are ``(article_id, story_date, PeopleCount)`` for sentences that
    state the size of an article's own caravan ("an estimated 7,000 individuals").
    ``homelands`` maps article ids to the countries its people are said to come from
    ("Honduran", "from Honduras"); a caravan with no stated departure gets the most named
    one, other than the countries it is reported in or heading for.
    """
    movement = [e for e in events if e.event_type in _MOVEMENT_TYPES and any(m.about_caravan for m in e.mentions)]
    movement.sort(key=lambda e: (e.date_start or dt.date.max, e.event_id))
    groups: list[list[Event]] = []
    for e in movement:
        home = None
        for g in groups:
            if _same_caravan(g, e):
                home = g
                break
        if home is None:
            groups.append([e])
        else:
            home.append(e)
    caravans: list[Caravan] = []
    for g in groups:
        dated = [e for e in g if e.date_start is not None]
        departures = [e for e in g if e.event_type == "departure"]
        first = min(departures or dated or g, key=lambda e: (e.date_start or dt.date.max, e.event_id))
        origin = next((e.place for e in departures if e.place is not None and e.place.kind in _POSITION_KINDS), None)
        start = first.date_start
        precision = first.date_precision
        label = start.isoformat() if (start and precision == "day") else _month_key(start)
        slug = re.sub(r"[^a-z0-9]+", "-", origin.name.lower()).strip("-") if origin else ""
        caravan_id = "caravan-" + label + (f"-{slug}" if slug else "")
        ends = [e.date_end for e in dated if e.date_end]
        caravan = Caravan(
            caravan_id=caravan_id,
            date_start=start,
            date_end=max(ends) if ends else None,
            date_precision=precision,
            origin=origin,
            events=sorted(g, key=lambda e: (e.date_start or dt.date.max, e.event_id)),
        )
        for e in g:
            e.caravan_id = caravan_id
            for m in e.mentions:
                caravan.destinations.extend(d for d in m.destinations if d not in caravan.destinations)
            if e.status != "reported" and e.event_type in ("arrival", "march", "crossing") and e.place is not None:
                # "if the caravan manages to reach the US border": where it means to go, not where it was
                if e.place not in caravan.destinations:
                    caravan.destinations.append(e.place)
        caravans.append(caravan)
    for caravan in caravans:
        if caravan.origin is None and homelands:
            caravan.homeland = _homeland(caravan, homelands)
    # Sizes: statements about an article's own caravan go to the caravan of that article's story date.
    for caravan in caravans:
        counts = [
            (aid, count)
            for aid, story_date, count in size_statements
            if aid in caravan.article_ids and story_date is not None and caravan.date_start is not None
            and abs((story_date - caravan.date_start).days) <= SAME_CARAVAN_DAYS
        ]
        if counts:
            _set_people(caravan, counts)
            departure = next((e for e in caravan.events if e.event_type == "departure"), None)
            if departure is not None and departure.people_min is None and departure.people_max is None:
                _set_people(departure, counts)
    caravans.sort(key=lambda c: (c.date_start or dt.date.max, c.caravan_id))
    return caravans


def _same_caravan(group: list[Event], e: Event) -> bool:
    ref = group[0]
    if ref.date_start is None or e.date_start is None:
        return False
    if e.date_precision != "day" or ref.date_precision != "day":
        # Week-level ("in the days before publication") next to a day: the same caravan when
        # the intervals meet. Month-level mentions of past caravans: only at the same month.
        narrow = all(((x.date_end or x.date_start) - x.date_start).days <= 7 for x in (ref, e))
        if narrow:
            return _overlap(ref, e)
        return _month_key(ref.date_start) == _month_key(e.date_start) and ref.date_precision == e.date_precision
    if abs((e.date_start - ref.date_start).days) > SAME_CARAVAN_DAYS:
        return False
    # Two departures from different towns are different caravans; a country-level origin
    # ("from southern Mexico") does not contradict a town.
    origins = {place_key(x.place) for x in group
               if x.event_type == "departure" and x.place is not None and x.place.kind in _POSITION_KINDS}
    if (e.event_type == "departure" and e.place is not None and e.place.kind in _POSITION_KINDS
            and origins and place_key(e.place) not in origins):
        return False
    return True


def _homeland(caravan: Caravan, homelands: dict[str, Sequence[Toponym]]) -> tuple[Toponym, int] | None:
    here = {e.place.country_code for e in caravan.events if e.place is not None}
    here |= {d.country_code for d in caravan.destinations}
    counts: dict[str, list[Toponym]] = {}
    for aid in caravan.article_ids:
        for t in homelands.get(aid, ()):
            if t.country_code and t.country_code not in here and t.lat is not None:
                counts.setdefault(t.country_code, []).append(t)
    if not counts:
        return None
    code, mentions = max(counts.items(), key=lambda kv: (len(kv[1]), kv[0]))
    if len(mentions) < 2:
        return None  # one passing mention is not where a caravan comes from
    return mentions[0], len(mentions)


# ------------------------------------------------------------------ routes

_GEOD = Geod(ellps="WGS84")


def _along_corridor(corridor: LineString, start: Point, km: float) -> tuple[LineString, Point]:
    """The stretch of ``corridor`` from the point nearest ``start`` onward (in the line's
    own direction, which for Highway 200 is the caravans' way north-west) for ``km``
    kilometres measured on the ellipsoid."""
    coords = list(corridor.coords)
    s0 = corridor.project(start)
    # walk the vertices, keeping those after the projected start point
    first = corridor.interpolate(s0)
    path = [(first.x, first.y)]
    travelled = 0.0
    walked = 0.0
    for (x0, y0), (x1, y1) in zip(coords, coords[1:]):
        seg = Point(x0, y0).distance(Point(x1, y1))
        if walked + seg <= s0:
            walked += seg
            continue
        walked += seg
        x_prev, y_prev = path[-1]
        step = _GEOD.inv(x_prev, y_prev, x1, y1)[2] / 1000
        if travelled + step >= km:
            f = (km - travelled) / step if step else 0.0
            path.append((x_prev + (x1 - x_prev) * f, y_prev + (y1 - y_prev) * f))
            travelled = km
            break
        path.append((x1, y1))
        travelled += step
    if len(path) == 1:
        path.append(path[0])
    return LineString(path), Point(path[-1])


def _point(t: Toponym) -> Point:
    # Toponyms carry (lat, lon); shapely wants (x=lon, y=lat).
    return Point(t.lon, t.lat)


def _latlon(p: Point) -> tuple[float, float]:
    return (p.y, p.x)


def _draw(a: Point, b: Point, a_name: str, b_name: str, network: RoadNetwork) -> tuple[LineString, RoadPath | None, str]:
    """The line of a leg from ``a`` to ``b``: along the corridor highways when both ends are
    near a chain town and a chain joins them, else straight; with what to say about it."""
    path = network.route(_latlon(a), _latlon(b))
    if path is not None:
        return LineString(vertices(path, _latlon(a), _latlon(b))), path, f"drawn {describe(path, network)}"
    off = [n for p, n in ((a, a_name), (b, b_name)) if network.nearest(*_latlon(p)) is None]
    if off:
        why = f"{' and '.join(off)} {'is' if len(off) == 1 else 'are'} more than {SNAP_KM:g} km from every corridor highway town"
    elif network.nearest(*_latlon(a)) == network.nearest(*_latlon(b)):
        why = f"both ends are by {network.nearest(*_latlon(a)).name}"  # type: ignore[union-attr]
    else:
        why = "no corridor highway joins them"
    return LineString([a, b]), None, f"straight line: {why}"


class _Stop(NamedTuple):
    """A position of a caravan in its narrative: a reported place, a distance along a corridor
    or its people's country of origin."""

    point: Point
    name: str
    date_start: dt.date | None
    date_end: dt.date | None
    article_ids: tuple[str, ...]
    path: LineString | None  # the way there when the text states it (a distance along a highway)
    reason: str
    evidence: tuple[tuple[str, int, int], ...]  # (article id, start, end) of the mentions
    chains: tuple[str, ...]  # the highway chains of ``path``


def build_routes(caravans: Sequence[Caravan], gazetteer, corridors: dict[str, Toponym] | None = None,
                 network: RoadNetwork | None = None) -> list[Leg]:
    """Dated legs through each caravan's reported positions, plus an intended leg.

    ``corridors`` maps article ids to the highway corridor toponym the article names
    ("the coastal highway"), used for progress stated as a distance ("covered 15km").
    Legs follow the corridor highways of ``network`` (default :func:`geo.atlas.roads.load_network`)
    where a chain joins their ends, and are straight otherwise (their reason says which).
    """
    corridors = corridors or {}
    network = network if network is not None else load_network()
    legs: list[Leg] = []
    for caravan in caravans:
        stops = _stops(caravan, gazetteer, corridors, network)
        legs += _travelled_legs(caravan, stops, network)
        intended = _intended_leg(caravan, stops, gazetteer, network)
        if intended is not None:
            legs.append(intended)
    return legs


def _stops(caravan: Caravan, gazetteer, corridors: dict[str, Toponym], network: RoadNetwork) -> list[_Stop]:
    """The caravan's positions in the order of its narrative (reported events only), led by its
    people's country of origin when the articles name one."""
    stops: list[_Stop] = []
    narrative = sorted(
        caravan.events,
        key=lambda e: (e.date_start or dt.date.max, e.event_type != "departure",
                       min((m.article_id, m.start) for m in e.mentions)),
    )
    for e in narrative:
        if e.status != "reported":
            continue  # planned and hypothetical movements are destinations, not positions
        if e.place is not None and e.place.kind in _POSITION_KINDS and e.place.lat is not None:
            stop = _place_stop(e, stops, gazetteer, network)
            if not stops or not stops[-1].point.equals(stop.point):
                stops.append(stop)
            continue
        stop = _corridor_stop(e, stops, gazetteer, corridors, network)
        if stop is not None:
            stops.append(stop)
    if caravan.homeland is not None and stops:
        home, n = caravan.homeland
        country = gazetteer.country(home.country_code) if home.country_code else None
        if country is not None:
            ev = tuple((m.article_id, m.start, m.end) for m in caravan.events[0].mentions)
            stops.insert(0, _Stop(Point(country.lon, country.lat), country.name, None, None, (), None,
                                  f"its people's country of origin ({country.name}, named {n} times); "
                                  "the departure itself is not reported", ev, ()))
    return stops


def _place_stop(e: Event, stops: list[_Stop], gazetteer, network: RoadNetwork) -> _Stop:
    """An event at a place; at a border line, where a road crosses it (nearest the last stop)."""
    p, name = _point(e.place), place_name(e.place, gazetteer, curated_only=True)  # type: ignore[arg-type]
    border = gazetteer.geometry(e.place.feature_id) if e.place.kind == "border" and e.place.feature_id else None  # type: ignore[union-attr]
    if border is not None and border.geom_type != "Point":
        # "at the Mexico–Guatemala border": where a road crosses it, not the line's middle
        town = network.crossing_on(border, _latlon(stops[-1].point) if stops else _latlon(p))
        if town is not None:
            p, name = Point(town.lon, town.lat), f"{name} at {town.name}"
    return _Stop(p, name, e.date_start, e.date_end, tuple(e.article_ids), None, f"{e.event_type} at {name}",
                 tuple((m.article_id, m.start, m.end) for m in e.mentions), ())


def _corridor_stop(e: Event, stops: list[_Stop], gazetteer, corridors: dict[str, Toponym],
                   network: RoadNetwork) -> _Stop | None:
    """Progress stated as a distance ("covered 15km") along the highway the article names,
    from the last stop; None without a distance, a last stop or a known highway line."""
    distance = next((m.distance_km for m in e.mentions if m.distance_km), None)
    corridor_top = next((corridors[m.article_id] for m in e.mentions if m.article_id in corridors), None)
    if not (distance and stops and corridor_top is not None and corridor_top.feature_id):
        return None
    chain = network.chain_for_highway(corridor_top.feature_id)
    if chain is not None:  # the chain of the same road, town by town
        line = LineString([(t.lon, t.lat) for t in network.chain_towns(chain)])
    else:
        line = gazetteer.geometry(corridor_top.feature_id)
    if isinstance(line, MultiLineString):
        line = max(line.geoms, key=lambda g: g.length)
    if not isinstance(line, LineString):
        return None
    path, end = _along_corridor(line, stops[-1].point, distance)
    road = place_name(corridor_top, gazetteer, curated_only=True)
    label = f"~{distance:g} km along {road} from {stops[-1].name}"
    return _Stop(end, label, e.date_start, e.date_end, tuple(e.article_ids), path,
                 f"{distance:g} km stated, following {road}", tuple((m.article_id, m.start, m.end) for m in e.mentions),
                 (chain or corridor_top.feature_id,))


def _travelled_legs(caravan: Caravan, stops: list[_Stop], network: RoadNetwork) -> list[Leg]:
    """A leg between each two consecutive stops: ``reported`` when the text states the way
    (a distance along a highway), else ``inferred`` (by road where a chain joins them)."""
    legs = []
    for i, (a, b) in enumerate(zip(stops, stops[1:])):
        status = "reported" if b.path is not None else "inferred"
        if status == "reported":
            geom, source, chains, how = b.path, "corridor", b.chains, ""
        else:
            geom, road, how = _draw(a.point, b.point, a.name, b.name, network)
            source, chains = ("corridor", road.chains) if road is not None else ("straight", ())
        legs.append(
            Leg(
                caravan_id=caravan.caravan_id,
                leg=i + 1,
                date_start=a.date_start,
                date_end=b.date_end or b.date_start,
                status=status,
                geometry=geom,
                from_name=a.name,
                to_name=b.name,
                article_ids=tuple(sorted(set(a.article_ids) | set(b.article_ids))),
                reason=b.reason if status == "reported" else (
                    f"inferred from {a.reason}; {how}" if i == 0 and caravan.homeland is not None
                    else f"between two reported positions; {how}"),
                sources=tuple(sorted(set(a.evidence) | set(b.evidence))),
                geometry_source=source,
                chains=tuple(chains),
            )
        )
    return legs


def _intended_leg(caravan: Caravan, stops: list[_Stop], gazetteer, network: RoadNetwork) -> Leg | None:
    """The leg from the last stop to the stated destination, when there is one elsewhere."""
    target = _destination_point(caravan, stops[-1].point if stops else None, gazetteer, network)
    if stops and target is not None and target[0].distance(stops[-1].point) < 1e-6:
        target = None  # the stated destination is where the caravan already is: no leg to draw
    if not stops or target is None:
        return None
    last = stops[-1]
    point, name, reason, dest, road = target
    if road is not None:  # a crossing reached by road
        geom, how = LineString(vertices(road, _latlon(last.point), _latlon(point))), f"drawn {describe(road, network)}"
    else:
        geom, road, how = _draw(last.point, point, last.name, name, network)
    dest_sources = [(m.article_id, m.start, m.end) for e in caravan.events for m in e.mentions if dest in m.destinations]
    return Leg(
        caravan_id=caravan.caravan_id,
        leg=len(stops),
        date_start=last.date_start,
        date_end=None,
        status="intended",
        geometry=geom,
        from_name=last.name,
        to_name=name,
        article_ids=tuple(caravan.article_ids),
        reason=f"{reason}; {how}",
        sources=tuple(sorted(set(last.evidence) | set(dest_sources))),
        geometry_source="corridor" if road is not None else "straight",
        chains=road.chains if road is not None else (),
    )


def _destination_point(caravan: Caravan, last: Point | None, gazetteer,
                       network: RoadNetwork) -> tuple[Point, str, str, Toponym, RoadPath | None] | None:
    """Where the caravan says it is going, and the road there when it is a border: a border
    line means the crossing on it nearest by road (else the line's nearest point); the United
    States means the US–Mexico border."""
    if last is None:
        return None
    for dest in sorted(caravan.destinations, key=lambda t: (t.kind != "border", t.country_code != "US", t.start)):
        feature = dest.feature_id
        if feature is None and dest.kind == "country" and dest.country_code == "US":
            feature = "border:US-MX"
        if feature is not None:
            geom = gazetteer.geometry(feature)
            if geom is not None and geom.geom_type != "Point":
                known = gazetteer.feature(feature)
                name = known.name if known is not None else dest.name
                road = network.nearest_crossing(_latlon(last), geom)
                if road is not None:
                    town = road.towns[-1]
                    return (Point(town.lon, town.lat), f"{name} at {town.name}",
                            f"stated destination '{dest.name}': the crossing of the {name} nearest by road, {town.name}",
                            dest, road)
                target = nearest_points(geom, last)[0]
                return target, name, f"stated destination '{dest.name}': nearest point of the {name}", dest, None
        if dest.lat is not None and dest.kind not in ("country", "region", "demonym"):
            return (_point(dest), place_name(dest, gazetteer, curated_only=True), f"stated destination '{dest.name}'",
                    dest, None)
    return None
