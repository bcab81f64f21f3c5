"""User corrections of the atlas: what they are and how they change every layer at once.

A :class:`Correction` is a frozen record that targets a stable id:

- a **place** (``target="place"``, ``target_id`` = ``place_id``): every mention of it;
- one **mention** of a place (``target="mention"``, ``target_id`` = article id, plus the
  ``start``/``end`` character offsets of the place name in ``Article.text``, as in the
  place's ``sources``);
- an **event** (``target="event"``, ``target_id`` = ``event_id``).

Actions on a place or mention: ``choose_candidate`` (another gazetteer candidate, usually
one of the feature's ``alternatives``), ``not_a_place`` and ``move`` (drop a pin where it
really is). Action on an event: ``edit_event`` (any of ``date_start``, ``date_end``,
``date_precision``, ``event_type``, ``people_min``, ``people_max``).

Corrections are saved by :class:`geo.store.database.Store` (the only module that talks to the
database) with their time, author and session, and undone by setting ``undone_at`` (the
row stays: full history). :func:`apply_corrections` is pure: it takes an
:class:`~geo.atlas.layers.Atlas` and the corrections and returns a new atlas in which

- a moved / re-resolved place moves, and so do the events at that place (same position
  and place name in the uncorrected atlas), the route legs that start or end there (the
  matching endpoint of the leg's line is replaced; a straight leg is thus redrawn between
  its stops, a leg along a road keeps its inner vertices) and the point crossings that are
  the same curated feature (``crossing_id == feature_id``) or the same named point;
- "not a place" removes the place, sets the geometry and ``place_name`` of the events that
  relied on it to null, and removes the route legs and crossings that start, end or sit
  there;
- a mention correction splits that one mention off its place (the place keeps its other
  mentions; it is removed when none is left) into the chosen candidate's place (merged
  into it when the atlas already has it) or a pin of its own; only the events and route
  legs whose evidence lies in the mention's sentence follow it;
- an event edit changes the event and the dates of the crossing status reports that cite
  the event (``latest_status`` is recomputed).

Every layer gets two columns: ``corrected`` (boolean) and ``original`` (an object with the
values before the first correction: ``{"lat": .., "lon": .., "name": ..}``,
``{"date_start": ..}``, ``{"from_lat": .., "from_lon": ..}`` for a leg's start, …; null when
uncorrected). Corrections are applied in ``(created_at, correction_id)`` order; a
correction whose target is not in the atlas is skipped (listed in ``skipped``).

Corrections move between installations as JSON (:func:`dump_corrections`,
:func:`load_corrections`; ``python -m geo corrections export|import FILE``); the UUID
``correction_id`` makes import idempotent.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Mapping

from typing import TYPE_CHECKING

from geo.gazetteer.coords import coordinate_problems
from geo.errors import AtlasError
from geo.model import Candidate, iso_date

if TYPE_CHECKING:  # pandas, shapely and geo.layers are imported when corrections are applied,
    from shapely.geometry import Point  # so that geo.store (and the CLI) start fast
    from geo.atlas.layers import Atlas

__all__ = [
    "ACTIONS",
    "EVENT_FIELDS",
    "FORMAT",
    "Correction",
    "CorrectionError",
    "MentionRef",
    "apply_corrections",
    "choose_candidate",
    "dump_corrections",
    "edit_event",
    "load_corrections",
    "move_place",
    "not_a_place",
]

log = logging.getLogger(__name__)

#: Actions allowed on each kind of target.
ACTIONS: dict[str, tuple[str, ...]] = {
    "place": ("choose_candidate", "not_a_place", "move"),
    "mention": ("choose_candidate", "not_a_place", "move"),
    "event": ("edit_event",),
}
#: Event fields an ``edit_event`` correction may set.
EVENT_FIELDS = ("date_start", "date_end", "date_precision", "event_type", "people_min", "people_max")
#: ``format`` member of the JSON export.
FORMAT = "caravan-atlas-corrections"
FORMAT_VERSION = 1

_CANDIDATE_FIELDS = ("name", "lat", "lon", "kind", "geonameid", "feature_id", "country_code", "admin1")
_TOL = 1e-7  # degrees: positions closer than this are the same position (~1 cm)


class CorrectionError(AtlasError, ValueError):
    """A correction is malformed; the message shows the bad value."""


@dataclass(frozen=True, slots=True)
class MentionRef:
    """One mention of a place: article id and the character offsets of the name."""

    article_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Correction:
    """One user correction. Build it with :func:`choose_candidate`, :func:`not_a_place`,
    :func:`move_place` or :func:`edit_event`; :class:`geo.store.database.Store` fills ``created_at``
    when it is saved (a given ``created_at`` is kept, e.g. on import)."""

    target: str  # "place" | "mention" | "event"
    target_id: str  # place_id, article id (mention) or event_id
    action: str
    value: Mapping[str, Any] = field(default_factory=dict)
    start: int | None = None  # mention only
    end: int | None = None
    author: str | None = None
    session: str | None = None
    note: str | None = None
    correction_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created_at: str | None = None  # ISO 8601 UTC, set when saved
    undone_at: str | None = None  # set by Store.undo_correction; the row is kept

    def __post_init__(self) -> None:
        validate(self)

    @property
    def active(self) -> bool:
        return self.undone_at is None

    @property
    def mention(self) -> MentionRef | None:
        if self.target != "mention":
            return None
        return MentionRef(self.target_id, int(self.start), int(self.end))  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["value"] = dict(self.value)
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Correction:
        if not isinstance(data, Mapping):
            raise CorrectionError(f"a correction must be a JSON object, got {data!r}")
        known = {f for f in cls.__dataclass_fields__}  # type: ignore[attr-defined]
        unknown = set(data) - known
        if unknown:
            raise CorrectionError(f"unknown correction field(s) {sorted(unknown)} in {dict(data)!r}")
        for key in ("target", "target_id", "action", "correction_id"):
            if not data.get(key):
                raise CorrectionError(f"correction lacks {key!r}: {dict(data)!r}")
        return cls(**{k: v for k, v in data.items()})


# --------------------------------------------------------------------------- validation


def _where(c: object) -> str:
    text = repr(c)
    return text if len(text) <= 200 else text[:197] + "..."


def _lat_lon(value: Mapping[str, Any], c: object) -> tuple[float, float]:
    try:
        lat, lon = float(value["lat"]), float(value["lon"])
    except (KeyError, TypeError, ValueError):
        raise CorrectionError(f"a position needs numeric 'lat' and 'lon', got {dict(value)!r} in {_where(c)}") from None
    if not (math.isfinite(lat) and math.isfinite(lon)) or not (-90 <= lat <= 90) or not (-180 <= lon <= 180):
        raise CorrectionError(f"position out of range (lat, lon) = ({lat!r}, {lon!r}) in {_where(c)}")
    if lat == 0.0 and lon == 0.0:
        raise CorrectionError(f"position (0, 0) is 'null island', not a place, in {_where(c)}")
    return lat, lon


def _iso(value: Any, name: str, c: object) -> str | None:
    try:
        return iso_date(value)
    except ValueError:
        raise CorrectionError(f"{name} must be an ISO date YYYY-MM-DD or null, got {value!r} in {_where(c)}") from None


def _count(value: Any, name: str, c: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value < 0 or value != int(value):
        raise CorrectionError(f"{name} must be a whole number >= 0 or null, got {value!r} in {_where(c)}")
    return int(value)


def validate(c: Correction) -> None:
    """Check a correction's shape; raises :class:`CorrectionError` showing the bad value."""
    if c.target not in ACTIONS:
        raise CorrectionError(f"target must be one of {', '.join(ACTIONS)}, got {c.target!r}")
    if c.action not in ACTIONS[c.target]:
        raise CorrectionError(f"action on a {c.target} must be one of {', '.join(ACTIONS[c.target])}, got {c.action!r}")
    if not isinstance(c.target_id, str) or not c.target_id:
        raise CorrectionError(f"target_id must be a non-empty string, got {c.target_id!r}")
    try:
        uuid.UUID(str(c.correction_id))
    except ValueError:
        raise CorrectionError(f"correction_id must be a UUID, got {c.correction_id!r}") from None
    if not isinstance(c.value, Mapping):
        raise CorrectionError(f"value must be an object, got {c.value!r}")
    if c.target == "mention":
        if not (isinstance(c.start, int) and isinstance(c.end, int) and 0 <= c.start < c.end):
            raise CorrectionError(f"a mention needs offsets 0 <= start < end, got {c.start!r}..{c.end!r}")
    elif c.start is not None or c.end is not None:
        raise CorrectionError(f"start/end are for mentions only, got {c.start!r}..{c.end!r} on a {c.target}")
    v = c.value
    if c.action == "move":
        _lat_lon(v, c)
    elif c.action == "choose_candidate":
        _lat_lon(v, c)
        if not isinstance(v.get("name"), str) or not v["name"].strip():
            raise CorrectionError(f"a candidate needs a 'name', got {dict(v)!r}")
        extra = set(v) - set(_CANDIDATE_FIELDS) - {"population", "feature_code", "source"}
        if extra:
            raise CorrectionError(f"unknown candidate field(s) {sorted(extra)} in {dict(v)!r}")
        if v.get("geonameid") is not None and (isinstance(v["geonameid"], bool) or not isinstance(v["geonameid"], int)):
            raise CorrectionError(f"geonameid must be an integer or null, got {v['geonameid']!r}")
    elif c.action == "not_a_place":
        if v:
            raise CorrectionError(f"'not a place' takes no value, got {dict(v)!r}")
    elif c.action == "edit_event":
        extra = set(v) - set(EVENT_FIELDS)
        if not v or extra:
            raise CorrectionError(f"an event edit sets some of {', '.join(EVENT_FIELDS)}; got {dict(v)!r}")
        s = _iso(v.get("date_start"), "date_start", c)
        e = _iso(v.get("date_end"), "date_end", c)
        if s is not None and e is not None and e < s:
            raise CorrectionError(f"date_end {e} is before date_start {s} in {_where(c)}")
        lo, hi = _count(v.get("people_min"), "people_min", c), _count(v.get("people_max"), "people_max", c)
        if lo is not None and hi is not None and hi < lo:
            raise CorrectionError(f"people_max {hi} is below people_min {lo} in {_where(c)}")
        if "event_type" in v and (not isinstance(v["event_type"], str) or not v["event_type"].strip()):
            raise CorrectionError(f"event_type must be a non-empty string, got {v['event_type']!r}")
        if "date_precision" in v and v["date_precision"] is not None and not isinstance(v["date_precision"], str):
            raise CorrectionError(f"date_precision must be a string or null, got {v['date_precision']!r}")


# --------------------------------------------------------------------------- constructors


def _target(target: str | MentionRef) -> dict[str, Any]:
    if isinstance(target, MentionRef):
        return {"target": "mention", "target_id": target.article_id, "start": target.start, "end": target.end}
    return {"target": "place", "target_id": target}


def choose_candidate(target: str | MentionRef, candidate: Candidate | Mapping[str, Any], **meta: Any) -> Correction:
    """The place (``place_id``) or one mention (:class:`MentionRef`) is really ``candidate``
    (a :class:`~geo.model.Candidate` or an entry of the feature's ``alternatives``)."""
    d = candidate.to_dict() if isinstance(candidate, Candidate) else dict(candidate)
    value = {k: d.get(k) for k in _CANDIDATE_FIELDS}
    return Correction(action="choose_candidate", value=value, **_target(target), **meta)


def not_a_place(target: str | MentionRef, **meta: Any) -> Correction:
    """The words are not a place (or this mention is not)."""
    return Correction(action="not_a_place", value={}, **_target(target), **meta)


def move_place(target: str | MentionRef, lat: float, lon: float, **meta: Any) -> Correction:
    """Drop a pin where the place really is."""
    return Correction(action="move", value={"lat": float(lat), "lon": float(lon)}, **_target(target), **meta)


def edit_event(event_id: str, *, author: str | None = None, session: str | None = None, note: str | None = None,
               **fields: Any) -> Correction:
    """Fix an event's dates, type or people count: ``edit_event("ev_…", date_start="2023-12-24")``."""
    value = {k: (_iso(v, k, fields) if k in ("date_start", "date_end") else v) for k, v in fields.items()}
    return Correction(target="event", target_id=event_id, action="edit_event", value=value,
                      author=author, session=session, note=note)


# --------------------------------------------------------------------------- JSON


def dump_corrections(corrections: Iterable[Correction]) -> str:
    """The corrections (undone ones included, with ``undone_at``) as a JSON document."""
    items = sorted((c.to_dict() for c in corrections), key=lambda d: (d["created_at"] or "", d["correction_id"]))
    doc = {"format": FORMAT, "version": FORMAT_VERSION, "corrections": items}
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1, allow_nan=False) + "\n"


def load_corrections(text: str, *, where: str = "<json>") -> list[Correction]:
    """Parse a document written by :func:`dump_corrections`."""
    try:
        doc = json.loads(text)
    except ValueError as err:
        raise CorrectionError(f"{where}: not JSON: {err}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise CorrectionError(f"{where}: not a corrections file (format must be {FORMAT!r})")
    if doc.get("version") != FORMAT_VERSION:
        raise CorrectionError(f"{where}: unsupported corrections file version {doc.get('version')!r}")
    items = doc.get("corrections")
    if not isinstance(items, list):
        raise CorrectionError(f"{where}: 'corrections' must be a list")
    out = []
    for n, item in enumerate(items):
        try:
            out.append(Correction.from_dict(item))
        except (CorrectionError, TypeError) as err:
            raise CorrectionError(f"{where}: correction #{n + 1}: {err}") from None
    return out


# --------------------------------------------------------------------------- applying


def _py(value: Any) -> Any:
    """A frame cell as a plain Python value (pd.NA / NaN -> None, numpy scalars -> int/float)."""
    import pandas as pd

    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        return value.item()
    return value


def _fold(text: Any) -> str | None:
    return None if text is None else " ".join(str(text).split()).casefold()


def _point(lat: float, lon: float) -> Point:
    from shapely.geometry import Point

    # Corrections speak (lat, lon) like the records; shapely wants (x=lon, y=lat).
    return Point(lon, lat)


def _same(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) <= _TOL and abs(a[1] - b[1]) <= _TOL


def _xy(geom: Any) -> tuple[float, float] | None:
    return (geom.x, geom.y) if geom is not None and geom.geom_type == "Point" and not geom.is_empty else None


def _plain(value: Any) -> Any:
    """:func:`_py` for any cell, cheap for the common plain values."""
    if value is None or type(value) in (str, int, bool, list, dict):
        return value
    return _py(value)


class _Layer:
    """One layer while corrections are applied: the frame's columns as lists, and the rows a
    correction touched (deep copies, made on first use), removed or added. Untouched rows are
    never copied, so applying a few corrections costs little more than rebuilding the frame."""

    def __init__(self, name: str, gdf: Any) -> None:
        import numpy as np
        import shapely

        from geo.atlas.layers import ID_COLUMNS

        self.name = name
        geom_col = gdf.geometry.name
        self.columns = [c for c in gdf.columns if c != geom_col]
        self.values = {c: gdf[c].tolist() for c in self.columns}  # raw cells (made plain on use)
        geoms = np.asarray(gdf.geometry.values, dtype=object)
        empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
        self.geoms: list[Any] = [None if e else g for g, e in zip(geoms.tolist(), empty.tolist())]
        self.n = len(self.geoms)
        self.id_col = ID_COLUMNS[name]
        self.touched: dict[int, dict[str, Any]] = {}
        self.added: list[dict[str, Any]] = []
        self.by_id: dict[Any, list[int]] = {}
        for i, ident in enumerate(self.values.get(self.id_col, [None] * self.n)):
            self.by_id.setdefault(ident, []).append(i)

    def row(self, i: int) -> dict[str, Any]:
        """Row ``i`` as a mutable dict (an added row, or a copy of the frame's row kept from now on)."""
        if i >= self.n:
            return self.added[i - self.n]
        row = self.touched.get(i)
        if row is None:
            row = {c: copy.deepcopy(_py(self.values[c][i])) for c in self.columns}
            row["corrected"] = bool(row.get("corrected") or False)
            row.setdefault("original", None)
            row["_geom"] = self.geoms[i]
            row["_alive"] = True
            self.touched[i] = row
        return row

    def cell(self, i: int, column: str) -> Any:
        """The current value of one cell, without copying the row."""
        if i >= self.n or i in self.touched:
            return self.row(i).get(column)
        values = self.values.get(column)
        return None if values is None else _plain(values[i])

    def alive(self, i: int) -> bool:
        return self.row(i)["_alive"] if (i >= self.n or i in self.touched) else True

    def indexes(self) -> range:
        return range(self.n + len(self.added))

    def add(self, row: dict[str, Any]) -> None:
        self.added.append(row)
        self.by_id.setdefault(row[self.id_col], []).append(self.n + len(self.added) - 1)

    def _column(self, name: str, live: list[int], added: list[dict[str, Any]]) -> list[Any]:
        """One column's current values over the ``live`` rows of the frame, then ``added``."""
        values = self.values.get(name)
        if values is None:
            values = [None] * self.n
        elif self.touched:
            values = list(values)
        for i, row in self.touched.items():
            values[i] = row.get(name)
        if len(live) != self.n:
            values = [values[i] for i in live]
        return values + [row.get(name) for row in added]

    def frame(self) -> Any:
        """The layer's GeoDataFrame: live rows sorted by SORT_KEYS, with the columns and
        dtypes ``layer_frame`` gives them, and ``corrected`` and ``original`` before the geometry."""
        import geopandas as gpd
        import numpy as np
        import pandas as pd

        from geo.atlas.layers import _DTYPES, CRS, LAYER_COLUMNS, SORT_KEYS

        dead = {i for i, row in self.touched.items() if not row["_alive"]}
        live = [i for i in range(self.n) if i not in dead] if dead else list(range(self.n))
        added = [row for row in self.added if row["_alive"]]
        data: dict[str, Any] = {}
        for c in LAYER_COLUMNS[self.name]:
            values = self._column(c.name, live, added)
            if _DTYPES[c.kind] is object:
                arr = np.empty(len(values), dtype=object)
                arr[:] = values
                arr[pd.isna(arr)] = None  # NaN / NA cells are null, as _py makes them
                data[c.name] = pd.Series(arr, dtype=object)
            else:
                data[c.name] = pd.Series(values, dtype=_DTYPES[c.kind])
        corrected = self._column("corrected", live, added)
        data["corrected"] = pd.Series([v is not None and v is not pd.NA and not (isinstance(v, float) and v != v)
                                       and bool(v) for v in corrected], dtype="boolean")
        original = np.empty(len(live) + len(added), dtype=object)
        original[:] = self._column("original", live, added)
        original[pd.isna(original)] = None
        data["original"] = pd.Series(original, dtype=object)
        geoms = [self.geoms[i] for i in live] if dead else list(self.geoms)
        position = {i: k for k, i in enumerate(live)} if dead else None
        for i, row in self.touched.items():
            if row["_alive"]:
                geoms[position[i] if position is not None else i] = row["_geom"]
        geoms += [row["_geom"] for row in added]
        frame = pd.DataFrame(data)
        # the order of geo.atlas.layers.SORT_KEYS (ascending, nulls last, text case-insensitively);
        # Python's sort is stable and fast on the already sorted rows of an atlas
        encoded = [[(1, 0) if v is None or v is pd.NA or (isinstance(v, float) and v != v)
                    else (0, v.casefold(), v) if isinstance(v, str) else (0, v)
                    for v in self._column(k, live, added)] for k in SORT_KEYS[self.name]]
        keys = list(zip(*encoded))
        order = sorted(range(len(keys)), key=keys.__getitem__)
        if order != list(range(len(keys))):
            frame = frame.take(order).reset_index(drop=True)
            geoms = [geoms[k] for k in order]
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=CRS), crs=CRS)


class _Links:
    """The links of the uncorrected atlas: which events, leg ends and crossings sit at a
    place (by position, and by name where several places share one), found for a place
    when a correction first needs them. Reads the layers' original rows only."""

    def __init__(self, layers: dict[str, _Layer]) -> None:
        import numpy as np
        import shapely

        self.layers = layers
        places, events, routes, crossings = (layers[k] for k in ("places", "events", "routes", "crossings"))

        def xy(geoms: list[Any]) -> tuple[Any, Any]:
            arr = np.empty(len(geoms), dtype=object)
            arr[:] = geoms
            point = shapely.get_type_id(arr) == 0
            x = np.full(len(geoms), np.nan)
            y = np.full(len(geoms), np.nan)
            if point.any():
                x[point] = shapely.get_x(arr[point])
                y[point] = shapely.get_y(arr[point])
            return x, y

        # positions and names of the uncorrected atlas
        self._px, self._py = xy(places.geoms)
        self._pnames = [_fold(_plain(v)) for v in places.values.get("name", [None] * places.n)]
        self._pids = [_plain(v) for v in places.values.get("place_id", [None] * places.n)]
        self._pfeatures = [_plain(v) for v in places.values.get("feature_id", [None] * places.n)]
        self._ex, self._ey = xy(events.geoms)
        self._enames = events.values.get("place_name", [None] * events.n)
        ends = []
        for g in routes.geoms:
            coords = list(g.coords) if g is not None else []
            ends.append((coords[0][:2], coords[-1][:2]) if len(coords) >= 2 else None)
        self._legs = ends
        nan = (float("nan"), float("nan"))
        self._sx = np.array([e[0][0] if e else nan[0] for e in ends], dtype=float)
        self._sy = np.array([e[0][1] if e else nan[0] for e in ends], dtype=float)
        self._tx = np.array([e[1][0] if e else nan[0] for e in ends], dtype=float)
        self._ty = np.array([e[1][1] if e else nan[0] for e in ends], dtype=float)
        self._xx, self._xy = xy(crossings.geoms)
        self._links: dict[str, tuple[list[int], list[tuple[int, int]], list[int]]] = {}

    def _near(self, x: Any, y: Any, px: float, py: float) -> Any:
        import numpy as np

        return np.flatnonzero((np.abs(x - px) <= _TOL) & (np.abs(y - py) <= _TOL))

    def _owners(self, px: float, py: float, name: Any) -> list[int]:
        """The places at (px, py) in the uncorrected atlas; several there: those named ``name``."""
        hits = self._near(self._px, self._py, px, py).tolist()
        if len(hits) > 1:
            named = [i for i in hits if self._pnames[i] == _fold(_plain(name))]
            return named if named else []
        return hits

    def links(self, place_id: str) -> tuple[list[int], list[tuple[int, int]], list[int]]:
        """(events, (leg, end) pairs, crossings) at the place ``place_id`` in the uncorrected atlas."""
        import numpy as np

        found = self._links.get(place_id)
        if found is not None:
            return found
        mine = [i for i in self.layers["places"].by_id.get(place_id, []) if i < len(self._pids)]
        events: list[int] = []
        ends: list[tuple[int, int]] = []
        crossings: list[int] = []
        if mine:
            near_e: set[int] = set()
            near_r: set[int] = set()
            for i in mine:
                if not np.isnan(self._px[i]):
                    near_e.update(self._near(self._ex, self._ey, self._px[i], self._py[i]).tolist())
                    near_r.update(self._near(self._sx, self._sy, self._px[i], self._py[i]).tolist())
                    near_r.update(self._near(self._tx, self._ty, self._px[i], self._py[i]).tolist())
            for j in sorted(near_e):
                for o in self._owners(self._ex[j], self._ey[j], self._enames[j]):
                    if self._pids[o] == place_id:
                        events.append(j)
            routes = self.layers["routes"]
            for j in sorted(near_r):
                leg = self._legs[j]
                last = len(routes.geoms[j].coords) - 1
                for end, point, col in ((0, leg[0], "from_place"), (last, leg[1], "to_place")):
                    for o in self._owners(point[0], point[1], _plain(routes.values.get(col, [None] * routes.n)[j])):
                        if self._pids[o] == place_id:
                            ends.append((j, end))
            xs = self.layers["crossings"]
            xids = [_plain(v) for v in xs.values.get("crossing_id", [None] * xs.n)]
            for i in mine:
                point = set(self._near(self._xx, self._xy, self._px[i], self._py[i]).tolist()) \
                    if not np.isnan(self._px[i]) else set()
                for j in range(xs.n):
                    same_feature = self._pfeatures[i] and xids[j] == self._pfeatures[i]
                    same_point = j in point and _fold(xs.cell(j, "name")) == self._pnames[i]
                    if same_feature or same_point:
                        crossings.append(j)
        found = self._links[place_id] = (events, ends, crossings)
        return found


class _State:
    """The atlas while corrections are applied: its layers, the links of the uncorrected
    atlas (:class:`_Links`), and what each kind of correction does to every layer."""

    def __init__(self, atlas: Atlas) -> None:
        self.layers = {layer: _Layer(layer, gdf) for layer, gdf in atlas.layers().items()}
        self.links = _Links(self.layers).links

    def find(self, layer: str, ident: str) -> dict[str, Any] | None:
        rows = self.layers[layer]
        for i in rows.by_id.get(ident, []):
            if rows.alive(i):
                row = rows.row(i)
                if row[rows.id_col] == ident:
                    return row
        return None

    @staticmethod
    def mark(row: dict[str, Any], before: Mapping[str, Any]) -> None:
        row["corrected"] = True
        original = row["original"] if isinstance(row["original"], dict) else {}
        for k, v in before.items():
            original.setdefault(k, _py(v))
        row["original"] = original

    # ----------------------------------------------------------------- followers

    def _move_followers(self, place_id: str, lat: float, lon: float, name: str | None,
                        sentence: MentionRef | None, kind: str | None = None) -> None:
        """Events, leg ends and crossings at ``place_id`` follow it to (lat, lon)."""
        from shapely.geometry import LineString

        events, ends, crossings = self.links(place_id)
        for j in events:
            e = self.layers["events"].row(j)
            if not e["_alive"] or (sentence is not None and not _cites(e, sentence)):
                continue
            before = {"lat": None, "lon": None} if e["_geom"] is None else {"lat": e["_geom"].y, "lon": e["_geom"].x}
            if name is not None and name != e["place_name"]:
                before["place_name"] = e["place_name"]
            if kind is not None and kind != e.get("place_kind"):
                before["place_kind"] = e.get("place_kind")
            self.mark(e, before)
            e["_geom"] = _point(lat, lon)
            if name is not None:
                e["place_name"] = name
            if kind is not None:
                e["place_kind"] = kind
        for j, end in ends:
            r = self.layers["routes"].row(j)
            if not r["_alive"] or (sentence is not None and not _cites(r, sentence)):
                continue
            coords = list(r["_geom"].coords)
            side, name_col = ("from", "from_place") if end == 0 else ("to", "to_place")
            before = {f"{side}_lat": coords[end][1], f"{side}_lon": coords[end][0]}
            if name is not None and name != r[name_col]:
                before[name_col] = r[name_col]
            self.mark(r, before)
            coords[end] = (lon, lat)  # shapely order (x=lon, y=lat)
            if len(set(coords)) < 2:  # both stops now at the same spot: nothing to draw
                r["_alive"] = False
                continue
            r["_geom"] = LineString(coords)
            if name is not None:
                r[name_col] = name
        if sentence is None:
            for j in crossings:
                x = self.layers["crossings"].row(j)
                if x["_alive"] and _xy(x["_geom"]) is not None:
                    self.mark(x, {"lat": x["_geom"].y, "lon": x["_geom"].x})
                    x["_geom"] = _point(lat, lon)

    def _drop_followers(self, place_id: str, sentence: MentionRef | None) -> None:
        """The place is gone: events lose their position, legs and crossings there go."""
        events, ends, crossings = self.links(place_id)
        for j in events:
            e = self.layers["events"].row(j)
            if not e["_alive"] or e["_geom"] is None or (sentence is not None and not _cites(e, sentence)):
                continue
            self.mark(e, {"lat": e["_geom"].y, "lon": e["_geom"].x, "place_name": e["place_name"],
                          "place_kind": e.get("place_kind")})
            e["_geom"] = None
            e["place_name"] = None
            e["place_kind"] = None
        for j, _end in ends:
            r = self.layers["routes"].row(j)
            if sentence is None or _cites(r, sentence):
                r["_alive"] = False
        if sentence is None:
            for j in crossings:
                self.layers["crossings"].row(j)["_alive"] = False

    # ----------------------------------------------------------------- actions

    def apply(self, c: Correction) -> bool:
        if c.target == "event":
            return self._edit_event(c)
        if c.target == "place":
            return self._place(c)
        return self._mention(c)

    def _place(self, c: Correction) -> bool:
        p = self.find("places", c.target_id)
        if p is None:
            return False
        v = c.value
        if c.action == "not_a_place":
            p["_alive"] = False
            self._drop_followers(p["place_id"], None)
            return True
        old = {"lat": p["_geom"].y, "lon": p["_geom"].x}
        if c.action == "move":
            swapped = [x for x in coordinate_problems(v["lat"], v["lon"], p.get("country_code")) if "swapped" in x]
            if swapped:
                log.warning("correction %s: pin for %s refused: %s", c.correction_id, p.get("name"), swapped[0])
                return False
            self.mark(p, old)
            p["_geom"] = _point(v["lat"], v["lon"])
            self._move_followers(p["place_id"], v["lat"], v["lon"], None, None)
            return True
        # choose_candidate: the place keeps its place_id (the handle corrections use)
        before = {**old, **{k: p.get(k) for k in _CANDIDATE_FIELDS if k not in ("lat", "lon")}}
        self.mark(p, before)
        alternatives = [a for a in (p.get("alternatives") or []) if not _is_candidate(a, v)]
        alternatives.append({"geonameid": before["geonameid"], "name": before["name"], "lat": old["lat"],
                             "lon": old["lon"], "kind": before["kind"], "country_code": before["country_code"],
                             "admin1": before["admin1"], "population": 0, "feature_code": "",
                             "source": "correction", "feature_id": before["feature_id"]})
        p["alternatives"] = alternatives
        for k in _CANDIDATE_FIELDS:
            if k not in ("lat", "lon"):
                p[k] = v.get(k) if k != "kind" else (v.get("kind") or p["kind"])
        p["_geom"] = _point(v["lat"], v["lon"])
        self._move_followers(p["place_id"], v["lat"], v["lon"], v["name"], None, p["kind"])
        return True

    def _mention(self, c: Correction) -> bool:
        ref = c.mention
        assert ref is not None
        places = self.layers["places"]
        i = next((i for i in places.indexes() if places.alive(i) and any(
            s["article_id"] == ref.article_id and s["start"] == ref.start and s["end"] == ref.end
            for s in places.cell(i, "sources") or [])), None)
        if i is None:
            return False
        p = places.row(i)
        source = next(s for s in p["sources"] if (s["article_id"], s["start"], s["end"]) == (ref.article_id, ref.start, ref.end))
        self.mark(p, {"mentions": p["mentions"]})
        p["sources"] = [s for s in p["sources"] if s is not source]
        p["mentions"] = len(p["sources"])
        p["article_ids"] = sorted({s["article_id"] for s in p["sources"]})
        if not p["sources"]:
            p["_alive"] = False
        sentence = MentionRef(ref.article_id, *_sentence_span(source))
        if c.action == "not_a_place":
            self._drop_followers(p["place_id"], sentence)
            return True
        v = c.value
        if c.action == "move":
            fields = {k: p.get(k) for k in _CANDIDATE_FIELDS if k not in ("lat", "lon")}
            fields.update(geonameid=None, feature_id=None)  # a dropped pin is no gazetteer entry
        else:
            fields = {k: v.get(k) for k in _CANDIDATE_FIELDS if k not in ("lat", "lon")}
            fields["kind"] = fields["kind"] or p["kind"]
        from geo.atlas.layers import place_id_for

        new_id = place_id_for(name=fields["name"], kind=fields["kind"], lat=v["lat"], lon=v["lon"],
                              geonameid=fields["geonameid"], feature_id=fields["feature_id"],
                              country_code=fields["country_code"])
        target = self.find("places", new_id)
        if target is None:
            target = {**{k: None for k in p if not k.startswith("_")}, **fields, "place_id": new_id,
                      "confidence": 1.0, "sources": [], "article_ids": [], "mentions": 0, "alternatives": [],
                      "corrected": False, "original": None, "_alive": True, "_geom": _point(v["lat"], v["lon"])}
            places.add(target)
        else:
            self.mark(target, {"mentions": target["mentions"]})
        self.mark(target, {"place_id": p["place_id"], "lat": p["_geom"].y, "lon": p["_geom"].x, "name": p["name"]})
        target["sources"] = sorted([*target["sources"], source], key=lambda s: (s["article_id"], s["start"], s["end"]))
        target["mentions"] = len(target["sources"])
        target["article_ids"] = sorted({s["article_id"] for s in target["sources"]})
        self._move_followers(p["place_id"], v["lat"], v["lon"], fields["name"], sentence, fields["kind"])
        return True

    def _edit_event(self, c: Correction) -> bool:
        e = self.find("events", c.target_id)
        if e is None:
            return False
        v = dict(c.value)
        merged = {k: v.get(k, e.get(k)) for k in EVENT_FIELDS}
        s, t = merged["date_start"], merged["date_end"]
        if s is not None and t is not None and t < s:
            if "date_end" in v:
                log.warning("correction %s: date_end %s is before date_start %s; skipped", c.correction_id, t, s)
                return False
            merged["date_end"] = v["date_end"] = s  # moved the start past the old end: a one-day interval
        lo, hi = merged["people_min"], merged["people_max"]
        if lo is not None and hi is not None and hi < lo:
            if "people_max" in v:
                log.warning("correction %s: people_max %s is below people_min %s; skipped", c.correction_id, hi, lo)
                return False
            merged["people_max"] = v["people_max"] = lo
        self.mark(e, {k: e.get(k) for k in v})
        e.update(v)
        if "date_start" in v:
            from geo.atlas.layers import latest_status

            crossings = self.layers["crossings"]
            for j in crossings.indexes():
                if not any(r.get("event_id") == e["event_id"] for r in crossings.cell(j, "status_events") or []):
                    continue
                x = crossings.row(j)
                reports = x.get("status_events") or []
                self.mark(x, {"latest_status": x["latest_status"], "latest_status_date": x["latest_status_date"]})
                for r in reports:
                    if r.get("event_id") == e["event_id"]:
                        r["date"] = v["date_start"]
                reports.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["status"], json.dumps(r, sort_keys=True)))
                x["latest_status"], x["latest_status_date"] = latest_status(reports)
        return True

    # ----------------------------------------------------------------- output

    def to_atlas(self) -> Atlas:
        from geo.atlas.layers import LAYERS, Atlas

        return Atlas(**{layer: self.layers[layer].frame() for layer in LAYERS})


def _is_candidate(a: Mapping[str, Any], v: Mapping[str, Any]) -> bool:
    if v.get("geonameid") is not None:
        return a.get("geonameid") == v["geonameid"]
    if v.get("feature_id"):
        return a.get("feature_id") == v["feature_id"]
    return False


def _sentence_span(source: Mapping[str, Any]) -> tuple[int, int]:
    if source.get("sentence_start") is not None and source.get("sentence_end") is not None:
        return int(source["sentence_start"]), int(source["sentence_end"])
    return int(source["start"]), int(source["end"])


def _cites(row: Mapping[str, Any], sentence: MentionRef) -> bool:
    """Does the feature's evidence lie in that sentence of that article?"""
    for s in row.get("sources") or []:
        if s["article_id"] != sentence.article_id:
            continue
        a, b = _sentence_span(s)
        if a < sentence.end and sentence.start < b:
            return True
    return False


def apply_corrections(atlas: Atlas, corrections: Iterable[Correction], *,
                      skipped: list[str] | None = None) -> Atlas:
    """A new :class:`~geo.atlas.layers.Atlas` with the active corrections applied to every layer.

    Pure: ``atlas`` is not modified. Undone corrections (``undone_at`` set) are ignored;
    the others are applied in ``(created_at, correction_id)`` order. Every layer gains the
    columns ``corrected`` (boolean) and ``original`` (object or null). The ids of
    corrections whose target is not in the atlas are appended to ``skipped``.
    """
    active = sorted((c for c in corrections if c.undone_at is None),
                    key=lambda c: (c.created_at or "", c.correction_id))
    state = _State(atlas)
    for c in active:
        if not state.apply(c):
            log.info("correction %s: %s %s not in this atlas; skipped", c.correction_id, c.target, c.target_id)
            if skipped is not None:
                skipped.append(c.correction_id)
    return state.to_atlas()

