"""The dashboard's whole view as URL query parameters, and back (pure, no Streamlit).

A copied link reproduces the view: filters, date range, time-player day, selected feature,
map centre and zoom. ``to_query_params(state)`` omits defaults;
``from_query_params(params)`` ignores anything it cannot read (one bad parameter never
spoils the others) and never raises. ``from_query_params(to_query_params(s)) == s`` for
every :class:`ViewState` (values are normalised when the state is built).

Parameters (lists repeat the key: ``?type=march&type=policy``)::

    from, to, upto   ISO dates (YYYY-MM-DD)
    caravan, type, article   repeated values
    conf             minimum confidence 0..1 (2 decimals)
    q                place search text
    undated          0 to hide undated events
    sel              selected feature, "<layer>:<id>" (layer: events, places, routes, crossings)
    c, z             map centre "lat,lon" (5 decimals) and zoom (0..18); written by the map itself
    ws               the workspace (a store workspace id: lowercase letters, digits and "-")
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from dashboard.filters import Filters

__all__ = ["ViewState", "to_query_params", "from_query_params", "parse_selection", "SELECTION_LAYERS"]

SELECTION_LAYERS = ("events", "places", "routes", "crossings")
MAX_VALUES = 200  # per repeated key
MAX_LEN = 300  # per value
_WORKSPACE = re.compile(r"\A[a-z0-9][a-z0-9-]{0,63}\Z")


@dataclass(frozen=True)
class ViewState:
    filters: Filters = field(default_factory=Filters)
    selected: str | None = None  # "<layer>:<id>"
    center: tuple[float, float] | None = None  # (lat, lon)
    zoom: int | None = None
    workspace: str | None = None

    def __post_init__(self) -> None:
        if self.workspace is not None and not _WORKSPACE.match(str(self.workspace)):
            object.__setattr__(self, "workspace", None)
        if self.center is not None:
            lat, lon = (round(float(v), 5) for v in self.center)
            ok = math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180
            object.__setattr__(self, "center", (lat, lon) if ok else None)
        if self.zoom is not None:
            object.__setattr__(self, "zoom", min(18, max(0, int(self.zoom))))
        if self.selected is not None and parse_selection(self.selected) is None:
            object.__setattr__(self, "selected", None)


def parse_selection(value: str | None) -> tuple[str, str] | None:
    """``"events:ev_1"`` -> ``("events", "ev_1")``; ``None`` for anything else."""
    if not isinstance(value, str) or ":" not in value or len(value) > MAX_LEN:
        return None
    layer, _, ident = value.partition(":")
    if layer not in SELECTION_LAYERS or not ident:
        return None
    return layer, ident


def _num(v: float) -> str:
    text = repr(float(v))
    return text[:-2] if text.endswith(".0") else text


def to_query_params(state: ViewState) -> dict[str, str | list[str]]:
    """Query parameters for ``state`` (defaults left out; lists for repeated keys)."""
    f = state.filters
    out: dict[str, str | list[str]] = {}
    if state.workspace:
        out["ws"] = state.workspace
    if f.date_from is not None:
        out["from"] = f.date_from.isoformat()
    if f.date_to is not None:
        out["to"] = f.date_to.isoformat()
    if f.upto is not None:
        out["upto"] = f.upto.isoformat()
    if f.caravans:
        out["caravan"] = list(f.caravans)
    if f.event_types:
        out["type"] = list(f.event_types)
    if f.articles:
        out["article"] = list(f.articles)
    if f.min_confidence:
        out["conf"] = _num(f.min_confidence)
    if f.search:
        out["q"] = f.search
    if not f.include_undated:
        out["undated"] = "0"
    if state.selected:
        out["sel"] = state.selected
    if state.center is not None:
        out["c"] = f"{_num(state.center[0])},{_num(state.center[1])}"
    if state.zoom is not None:
        out["z"] = str(state.zoom)
    return out


def _values(params: Mapping[str, Any], key: str) -> list[str]:
    raw = params.get(key)
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, (list, tuple)) else []
    return [v for v in items if isinstance(v, str) and len(v) <= MAX_LEN][:MAX_VALUES]


def _last(params: Mapping[str, Any], key: str) -> str | None:
    values = _values(params, key)
    return values[-1] if values else None


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _float(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def from_query_params(params: Mapping[str, Any]) -> ViewState:
    """The view in ``params`` (``{key: str | [str, ...]}``); unreadable values are ignored."""
    kwargs: dict[str, Any] = {}
    for key, name in (("from", "date_from"), ("to", "date_to"), ("upto", "upto")):
        d = _date(_last(params, key))
        if d is not None:
            kwargs[name] = d
    for key, name in (("caravan", "caravans"), ("type", "event_types"), ("article", "articles")):
        values = tuple(v[:200] for v in _values(params, key) if v)
        if values:
            kwargs[name] = values
    conf = _float(_last(params, "conf"))
    if conf is not None and 0 <= conf <= 1:
        kwargs["min_confidence"] = conf
    q = _last(params, "q")
    if q:
        kwargs["search"] = q
    if _last(params, "undated") in ("0", "false", "no"):
        kwargs["include_undated"] = False
    try:
        filters = Filters(**kwargs)
    except (TypeError, ValueError):  # pragma: no cover - each value is checked above
        filters = Filters()

    center = None
    c = _last(params, "c")
    if c and c.count(",") == 1:
        lat, lon = (_float(p) for p in c.split(","))
        if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
            center = (lat, lon)
    zoom = None
    z = _last(params, "z")
    if z is not None and z.strip().isdigit() and 0 <= int(z) <= 18:
        zoom = int(z)
    state = ViewState(filters=filters, selected=None, center=center, zoom=zoom, workspace=_last(params, "ws"))
    sel = _last(params, "sel")
    if parse_selection(sel) is not None:
        state = replace(state, selected=sel)
    return state
