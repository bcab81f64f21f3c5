"""What the dashboard shows: pure filtering of the atlas layers (no Streamlit).

:class:`Filters` holds every filter of the sidebar; :func:`apply_filters` returns the
filtered view of an atlas (the same four layers, rows selected, crossings' status taken
as of the time-player day). The map, the timeline, the events table and the exports all
use that one view, so they always agree.

Semantics
---------
- Dates are the events' intervals ``[date_start, date_end]`` (ISO text). An event is in
  the range ``[date_from, date_to]`` when its interval overlaps it. Undated events are
  kept only when ``include_undated`` is true.
- ``upto`` (the time player's day) keeps events that started on or before that day and
  route legs whose ``date_start`` is on or before it (legs without a start date, and
  intended legs without a start, are hidden while playing); crossings show the status of
  their latest status report dated on or before it.
- ``caravans``, ``event_types`` and ``articles`` are "any of" (empty = all).
  ``articles`` applies to every layer through ``article_ids``; ``caravans`` to events and
  routes; ``event_types`` to events.
- ``min_confidence`` applies to events and places (route legs and crossings carry none).
- ``search`` (case-insensitive substring) applies to places' names, events' place names,
  crossings' names and route legs' from/to places.
- Route legs are dated like events (a missing end is the start and vice versa); an
  open-ended leg (intended, no end) lasts until its caravan's last known date.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from dashboard.sample import AtlasFrames

__all__ = [
    "Filters",
    "Options",
    "apply_filters",
    "atlas_options",
    "event_dates",
    "timeline_counts",
    "step_date",
    "UNKNOWN_CARAVAN",
]

#: Label used in the caravan filter for events that belong to no caravan.
UNKNOWN_CARAVAN = "(no caravan)"
#: The filters that pick values from a list the atlas offers (fields of both Filters and Options).
_CHOICES = ("caravans", "event_types", "articles")


@dataclass(frozen=True)
class Filters:
    """Every filter of the sidebar; the defaults show everything."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    caravans: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    min_confidence: float = 0.0
    search: str = ""
    upto: dt.date | None = None
    include_undated: bool = True

    def __post_init__(self) -> None:
        # Normalised so that equal views compare equal (and round-trip through a URL).
        for name in _CHOICES:
            values = getattr(self, name)
            values = (values,) if isinstance(values, str) else values
            object.__setattr__(self, name, tuple(sorted({str(v)[:200] for v in values if str(v)})))
        if self.date_from is not None and self.date_to is not None and self.date_from > self.date_to:
            date_from, date_to = self.date_to, self.date_from
            object.__setattr__(self, "date_from", date_from)
            object.__setattr__(self, "date_to", date_to)
        conf = float(self.min_confidence)
        conf = 0.0 if not math.isfinite(conf) else min(1.0, max(0.0, conf))
        object.__setattr__(self, "min_confidence", round(conf, 2))
        object.__setattr__(self, "search", " ".join(str(self.search).split())[:100])

    def is_default(self) -> bool:
        return self == Filters()


@dataclass(frozen=True)
class Options:
    """What the filters can choose from, for one atlas."""

    date_min: dt.date | None = None
    date_max: dt.date | None = None
    caravans: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    event_days: tuple[dt.date, ...] = field(default=())  # days on which something starts

    def clean(self, f: Filters) -> Filters:
        """Drop values this atlas does not have and clamp dates (e.g. a link from another corpus)."""
        def clamp(d: dt.date | None) -> dt.date | None:
            if d is None or self.date_min is None or self.date_max is None:
                return d if self.date_min is not None else None
            return min(self.date_max, max(self.date_min, d))

        date_from, date_to = clamp(f.date_from), clamp(f.date_to)
        if date_from is not None and date_to is not None and date_from > date_to:
            date_from, date_to = None, None
        if date_from == self.date_min:
            date_from = None
        if date_to == self.date_max:
            date_to = None
        return replace(
            f,
            date_from=date_from,
            date_to=date_to,
            upto=clamp(f.upto),
            **{name: tuple(v for v in getattr(f, name) if v in getattr(self, name)) for name in _CHOICES},
        )


# --------------------------------------------------------------------------- helpers


def _missing(value: Any) -> bool:
    """None, pandas' NA or a float NaN: a cell with no value."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _iso(value: Any) -> str | None:
    if _missing(value):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10]
    text = str(value)[:10]
    return text if len(text) == 10 else None


def _iso_column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """The column as an object array of ISO ``YYYY-MM-DD`` strings or ``None``."""
    if name not in frame.columns:
        return np.full(len(frame), None, dtype=object)
    return np.array([_iso(v) for v in frame[name].tolist()], dtype=object)


def _str_column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    return frame[name].map(lambda v: "" if _missing(v) else str(v))


def _list(value: Any) -> list[str]:
    if _missing(value):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                parsed = json.loads(text)
                return [str(v) for v in parsed] if isinstance(parsed, list) else [value]
            except ValueError:
                return [value]
        return [value] if text else []
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value if v is not None]
    return [str(value)]


def _article_mask(frame: pd.DataFrame, wanted: Sequence[str]) -> np.ndarray:
    if not wanted:
        return np.ones(len(frame), dtype=bool)
    want = set(wanted)
    col = "article_ids" if "article_ids" in frame.columns else ("article_id" if "article_id" in frame.columns else None)
    if col is None:
        return np.zeros(len(frame), dtype=bool)
    return np.fromiter((bool(want.intersection(_list(v))) for v in frame[col].tolist()), dtype=bool, count=len(frame))


def _search_mask(frame: pd.DataFrame, column: str, needle: str) -> np.ndarray:
    if not needle:
        return np.ones(len(frame), dtype=bool)
    if column not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    return _str_column(frame, column).str.casefold().str.contains(needle.casefold(), regex=False).to_numpy(dtype=bool)


def _conf_mask(frame: pd.DataFrame, minimum: float) -> np.ndarray:
    if minimum <= 0 or "confidence" not in frame.columns:
        return np.ones(len(frame), dtype=bool)
    conf = pd.to_numeric(frame["confidence"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.nan_to_num(conf, nan=0.0) >= minimum - 1e-9


def _caravan_mask(frame: pd.DataFrame, wanted: Sequence[str]) -> np.ndarray:
    if not wanted:
        return np.ones(len(frame), dtype=bool)
    values = _str_column(frame, "caravan_id").replace("", UNKNOWN_CARAVAN)
    return values.isin(set(wanted)).to_numpy(dtype=bool)


# --------------------------------------------------------------------------- public


def event_dates(events: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(start, end) ISO arrays; a missing end is the start and vice versa."""
    start = _iso_column(events, "date_start")
    end = _iso_column(events, "date_end")
    start = np.where(pd.isna(start), end, start)
    end = np.where(pd.isna(end), start, end)
    return start, end


def atlas_options(frames: AtlasFrames) -> Options:
    """The choices the sidebar offers for this atlas."""
    ev = frames.events
    start, end = event_dates(ev)
    days = sorted({d for d in start if d is not None})
    ends = [d for d in end if d is not None]
    date_min = dt.date.fromisoformat(days[0]) if days else None
    date_max = dt.date.fromisoformat(max(ends + days)) if days else None
    caravans = sorted(set(_str_column(ev, "caravan_id").replace("", UNKNOWN_CARAVAN)))
    caravans += [c for c in sorted(set(_str_column(frames.routes, "caravan_id"))) if c and c not in caravans]
    types = sorted({t for t in _str_column(ev, "event_type") if t})
    articles: set[str] = set()
    for frame in (ev, frames.routes, frames.places, frames.crossings):
        if "article_ids" in frame.columns:
            for v in frame["article_ids"].tolist():
                articles.update(_list(v))
    route_days = {d for d in _iso_column(frames.routes, "date_start") if d is not None}
    all_days = sorted(set(days) | route_days)
    return Options(
        date_min=date_min,
        date_max=date_max,
        caravans=tuple(caravans),
        event_types=tuple(types),
        articles=tuple(sorted(articles)),
        event_days=tuple(dt.date.fromisoformat(d) for d in all_days),
    )


def event_mask(events: pd.DataFrame, f: Filters) -> np.ndarray:
    """Boolean mask of the events the filters keep (vectorised; 100k rows in ~0.1 s)."""
    n = len(events)
    if n == 0:
        return np.zeros(0, dtype=bool)
    start, end = event_dates(events)
    dated = ~pd.isna(start)
    s = np.where(dated, start, "")
    e = np.where(dated, end, "")
    keep = np.ones(n, dtype=bool)
    if f.date_from is not None:
        keep &= ~dated | (e >= f.date_from.isoformat())
    if f.date_to is not None:
        keep &= ~dated | (s <= f.date_to.isoformat())
    if f.upto is not None:
        keep &= dated & (s <= f.upto.isoformat())
    if not f.include_undated:
        keep &= dated
    if f.event_types:
        keep &= _str_column(events, "event_type").isin(set(f.event_types)).to_numpy(dtype=bool)
    keep &= _caravan_mask(events, f.caravans)
    keep &= _conf_mask(events, f.min_confidence)
    keep &= _search_mask(events, "place_name", f.search)
    keep &= _article_mask(events, f.articles)
    return keep


def route_mask(routes: pd.DataFrame, f: Filters) -> np.ndarray:
    """Route legs the filters keep.

    A leg's interval is ``[date_start, date_end]`` (a missing end is the start and vice
    versa); an open-ended leg (intended, no end) lasts until its caravan's last known date.
    It is kept when that interval overlaps the date range (undated legs only with
    ``include_undated``). ``search`` keeps legs from or to a matching place."""
    n = len(routes)
    if n == 0:
        return np.zeros(0, dtype=bool)
    start = _iso_column(routes, "date_start")
    end = _iso_column(routes, "date_end")
    s = np.where(pd.isna(start), end, start)
    open_ended = pd.isna(end) & ~pd.isna(start)
    e = np.where(pd.isna(end), start, end)
    dated = ~pd.isna(s)
    if open_ended.any():
        caravan = _str_column(routes, "caravan_id").to_numpy()
        last: dict[str, str] = {}
        for c, a, b in zip(caravan, s, e):
            for d in (a, b):
                if d is not None and (c not in last or d > last[c]):
                    last[c] = d
        e = np.array([last.get(c, x) if o else x for c, x, o in zip(caravan, e, open_ended)], dtype=object)
    s = np.where(dated, s, "")
    e = np.where(dated, e, "")
    keep = np.ones(n, dtype=bool)
    if f.date_from is not None:
        keep &= ~dated | (e >= f.date_from.isoformat())
    if f.date_to is not None:
        keep &= ~dated | (s <= f.date_to.isoformat())
    if f.upto is not None:
        start_known = ~pd.isna(start)
        keep &= start_known & (np.where(start_known, start, "") <= f.upto.isoformat())
    if not f.include_undated:
        keep &= dated
    if f.caravans:
        keep &= _str_column(routes, "caravan_id").isin(set(f.caravans)).to_numpy(dtype=bool)
    if f.search:
        keep &= _search_mask(routes, "from_place", f.search) | _search_mask(routes, "to_place", f.search)
    keep &= _article_mask(routes, f.articles)
    return keep


def _status_as_of(crossings: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Crossings with ``latest_status``/``latest_status_date`` as of ``day``."""
    if "status_events" not in crossings.columns:
        return crossings
    out = crossings.copy()
    statuses, dates = [], []
    limit = day.isoformat()
    for reports in out["status_events"].tolist():
        items = reports if isinstance(reports, list) else (
            json.loads(reports) if isinstance(reports, str) and reports.startswith("[") else [])
        dated = [r for r in items if isinstance(r, dict) and _iso(r.get("date")) and _iso(r.get("date")) <= limit]
        if dated:
            last = max(dated, key=lambda r: _iso(r.get("date")))
            statuses.append(last.get("status"))
            dates.append(_iso(last.get("date")))
        else:
            statuses.append(None)
            dates.append(None)
    out["latest_status"] = pd.Series(statuses, index=out.index, dtype=object)
    if "latest_status_date" in out.columns or True:
        out["latest_status_date"] = pd.Series(dates, index=out.index, dtype=object)
    return out


def apply_filters(frames: AtlasFrames, f: Filters) -> AtlasFrames:
    """The filtered view: the same layers with the rows the filters keep."""
    events = frames.events[event_mask(frames.events, f)] if len(frames.events) else frames.events
    routes = frames.routes[route_mask(frames.routes, f)] if len(frames.routes) else frames.routes
    places = frames.places
    if len(places):
        keep = _conf_mask(places, f.min_confidence) & _search_mask(places, "name", f.search)
        keep &= _article_mask(places, f.articles)
        places = places[keep]
    crossings = frames.crossings
    if len(crossings):
        keep = _search_mask(crossings, "name", f.search) & _article_mask(crossings, f.articles)
        crossings = crossings[keep]
        if f.upto is not None:
            crossings = _status_as_of(crossings, f.upto)
    return AtlasFrames(events=events, routes=routes, places=places, crossings=crossings, label=frames.label,
                       articles=frames.articles)


def timeline_counts(events: pd.DataFrame, freq: str = "auto") -> tuple[pd.DataFrame, str]:
    """Events per day or month and type: columns ``period`` (date), ``event_type``, ``count``.

    ``freq`` is ``"day"``, ``"month"`` or ``"auto"`` (days for spans up to 120 days).
    Undated events are left out. Returns the table and the frequency used.
    """
    start, _ = event_dates(events)
    dated = ~pd.isna(start)
    if not dated.any():
        return pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"), "event_type": [], "count": []}), "day"
    days = pd.to_datetime(pd.Series(start[dated]), format="%Y-%m-%d", errors="coerce")
    types = _str_column(events, "event_type").to_numpy()[dated]
    if freq == "auto":
        span = (days.max() - days.min()).days if len(days) else 0
        freq = "day" if span <= 120 else "month"
    period = days.dt.to_period("M").dt.to_timestamp() if freq == "month" else days
    table = (
        pd.DataFrame({"period": period.to_numpy(), "event_type": types})
        .groupby(["period", "event_type"], as_index=False)
        .size()
        .rename(columns={"size": "count"})
    )
    return table, freq


def step_date(days: Iterable[dt.date], current: dt.date | None, step: int) -> dt.date | None:
    """The event day ``step`` places after (``+1``) or before (``-1``) ``current``."""
    ordered = sorted(set(days))
    if not ordered:
        return current
    if current is None:
        return ordered[0] if step > 0 else ordered[-1]
    if step > 0:
        later = [d for d in ordered if d > current]
        return later[0] if later else ordered[-1]
    earlier = [d for d in ordered if d < current]
    return earlier[-1] if earlier else ordered[0]
