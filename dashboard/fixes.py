"""What the corrections UI shows and builds (pure, no Streamlit).

The dashboard lets a reader fix the atlas: on a place (every mention of it) or one mention
choose another gazetteer candidate, mark it "not a place" or drop a pin; on an event fix
its dates, type or people count. The corrections themselves are
:class:`geo.store.corrections.Correction` records, saved by :class:`geo.store.database.Store` and applied
to every layer by :func:`geo.store.corrections.apply_corrections`. This module only

- lists the choices (:func:`candidate_choices`, :func:`mention_choices`),
- labels them (:func:`candidate_label`, :func:`mention_label`, :func:`correction_summary`,
  :func:`original_text`), returning *raw* text: callers escape what reaches HTML,
- builds corrections from widget values (:func:`place_correction`, :func:`event_changes`).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

from geo.store.corrections import Correction, MentionRef, choose_candidate, edit_event, move_place, not_a_place

__all__ = [
    "PLACE_ACTIONS",
    "EVENT_FIELD_LABELS",
    "candidate_choices",
    "candidate_label",
    "mention_choices",
    "mention_label",
    "place_correction",
    "event_changes",
    "event_correction",
    "original_text",
    "correction_summary",
    "is_corrected",
    "names_for",
    "sorted_newest_first",
]

#: action key -> label of the radio button
PLACE_ACTIONS = {
    "choose_candidate": "Choose another candidate",
    "not_a_place": "Not a place",
    "move": "Drop a pin where it really is",
}
EVENT_FIELD_LABELS = {
    "date_start": "start date",
    "date_end": "end date",
    "date_precision": "date precision",
    "event_type": "type",
    "people_min": "people (min)",
    "people_max": "people (max)",
}
_ORIGINAL_LABELS = {
    "name": "name",
    "place_name": "place",
    "from_place": "from",
    "to_place": "to",
    "country_code": "country",
    "mentions": "mentions",
    "latest_status": "latest status",
    "latest_status_date": "status date",
    **EVENT_FIELD_LABELS,
}


def _missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        import pandas as pd

        if v is pd.NA or v is pd.NaT:
            return True
    except ImportError:  # pragma: no cover
        pass
    return isinstance(v, float) and math.isnan(v)


def _list(v: Any) -> list[Any]:
    if _missing(v):
        return []
    if hasattr(v, "tolist"):
        v = v.tolist()
    return list(v) if isinstance(v, (list, tuple)) else []


def is_corrected(row: Mapping[str, Any]) -> bool:
    v = row.get("corrected")
    return not _missing(v) and bool(v)


# --------------------------------------------------------------------------- places and mentions


def candidate_choices(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The feature's alternatives that can be chosen (they have a name and a position)."""
    out = []
    for alt in _list(row.get("alternatives")):
        if not isinstance(alt, Mapping) or not isinstance(alt.get("name"), str):
            continue
        try:
            lat, lon = float(alt["lat"]), float(alt["lon"])
        except (KeyError, TypeError, ValueError):
            continue
        if math.isfinite(lat) and math.isfinite(lon) and (lat, lon) != (0.0, 0.0):
            out.append(dict(alt))
    return out


@functools.lru_cache(maxsize=1)
def _admin1_names() -> dict[str, str]:
    """GeoNames admin1 code (``"US.MO"``) -> name (``"Missouri"``); empty without the file."""
    try:
        from geo.gazetteer.index import DATA

        out = {}
        with (DATA / "geonames" / "admin1CodesASCII.txt").open(encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 2 and parts[0] and parts[1]:
                    out[parts[0]] = parts[1]
        return out
    except (ImportError, OSError):
        return {}


def candidate_label(c: Mapping[str, Any]) -> str:
    """``"Cuba · Missouri, US · city · pop. 3,374"``: the state and country tell apart
    candidates of the same name (raw text)."""
    bits = [str(c.get("name") or "?")]
    cc = str(c["country_code"]) if not _missing(c.get("country_code")) and c.get("country_code") else ""
    admin1 = str(c["admin1"]) if not _missing(c.get("admin1")) and c.get("admin1") else ""
    if admin1 and "." not in admin1 and cc:
        admin1 = f"{cc}.{admin1}"
    state = _admin1_names().get(admin1, admin1 if admin1 and not admin1.startswith(f"{cc}.") else "")
    where = ", ".join(b for b in (state, cc) if b)
    if where:
        bits.append(where)
    if not _missing(c.get("kind")) and c.get("kind"):
        bits.append(str(c["kind"]))
    pop = c.get("population")
    if isinstance(pop, (int, float)) and not isinstance(pop, bool) and math.isfinite(pop) and pop > 0:
        bits.append(f"pop. {int(pop):,}")
    return " · ".join(bits)


def mention_choices(row: Mapping[str, Any]) -> list[tuple[MentionRef, Mapping[str, Any]]]:
    """Each mention of a place (from its ``sources``) with its evidence."""
    out = []
    for src in _list(row.get("sources")):
        if not isinstance(src, Mapping):
            continue
        a, b, aid = src.get("start"), src.get("end"), src.get("article_id")
        if isinstance(a, int) and isinstance(b, int) and 0 <= a < b and isinstance(aid, str) and aid:
            out.append((MentionRef(aid, a, b), src))
    return out


def mention_label(src: Mapping[str, Any], articles: Mapping[str, Mapping[str, Any]] | None = None,
                  width: int = 70) -> str:
    """``"Article title: …words around the mention…"`` (raw text)."""
    aid = str(src.get("article_id") or "")
    title = str((articles or {}).get(aid, {}).get("title") or aid)
    sentence = src.get("sentence") if isinstance(src.get("sentence"), str) else ""
    ss = src.get("sentence_start")
    a, b = src.get("start"), src.get("end")
    snippet = sentence
    if isinstance(ss, int) and isinstance(a, int) and isinstance(b, int) and sentence:
        lo, hi = max(0, a - ss - width // 2), min(len(sentence), b - ss + width // 2)
        snippet = ("…" if lo > 0 else "") + sentence[lo:hi] + ("…" if hi < len(sentence) else "")
    snippet = " ".join(snippet.split())
    return f"{title[:40]}: {snippet}" if snippet else title[:60]


def place_correction(action: str, target: str | MentionRef, *, candidate: Mapping[str, Any] | None = None,
                     lat: float | None = None, lon: float | None = None, **meta: Any) -> Correction:
    """The correction for a place (``place_id``) or a mention; raises ``CorrectionError``/
    ``ValueError`` with the bad value."""
    if action == "choose_candidate":
        if candidate is None:
            raise ValueError("choose a candidate first")
        return choose_candidate(target, candidate, **meta)
    if action == "not_a_place":
        return not_a_place(target, **meta)
    if action == "move":
        if lat is None or lon is None:
            raise ValueError(f"a pin needs a latitude and a longitude, got ({lat!r}, {lon!r})")
        return move_place(target, lat, lon, **meta)
    raise ValueError(f"unknown action {action!r}; use one of {', '.join(PLACE_ACTIONS)}")


# --------------------------------------------------------------------------- events


def _date(v: Any) -> dt.date | None:
    if _missing(v) or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def _int(v: Any) -> int | None:
    if _missing(v):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return int(f) if math.isfinite(f) else None


def _text(v: Any) -> str | None:
    return None if _missing(v) or v == "" else str(v)


def event_changes(row: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of ``new`` (widget values) that differ from the event ``row``; dates as ISO text."""
    out: dict[str, Any] = {}
    for key, value in new.items():
        if key in ("date_start", "date_end"):
            old, value = _date(row.get(key)), _date(value)
            if value != old:
                out[key] = None if value is None else value.isoformat()
        elif key in ("people_min", "people_max"):
            old, value = _int(row.get(key)), _int(value)
            if value != old:
                out[key] = value
        elif key in ("event_type", "date_precision"):
            old, value = _text(row.get(key)), _text(value)
            if value != old and not (key == "event_type" and value is None):
                out[key] = value
        else:
            raise ValueError(f"not an event field: {key!r}")
    start = out["date_start"] if "date_start" in out else _date(row.get("date_start"))
    end = out["date_end"] if "date_end" in out else _date(row.get("date_end"))
    start, end = _date(start), _date(end)
    if start is not None and end is not None and end < start:
        raise ValueError(f"the end date {end} is before the start date {start}")
    lo = out["people_min"] if "people_min" in out else _int(row.get("people_min"))
    hi = out["people_max"] if "people_max" in out else _int(row.get("people_max"))
    if lo is not None and hi is not None and hi < lo:
        raise ValueError(f"people (max) {hi:,} is below people (min) {lo:,}")
    return out


def event_correction(event_id: str, changes: Mapping[str, Any], **meta: Any) -> Correction:
    if not changes:
        raise ValueError("nothing changed")
    return edit_event(event_id, **meta, **changes)


# --------------------------------------------------------------------------- labels


def _fmt(v: Any) -> str:
    if _missing(v):
        return "none"
    if isinstance(v, float):
        return f"{v:.5f}".rstrip("0").rstrip(".")
    return str(v)


def original_text(original: Any) -> str:
    """The values before the first correction, as one line: ``"name Venezuela; at 22.1, -80.3"``."""
    if not isinstance(original, Mapping) or not original:
        return ""
    parts = []
    o = dict(original)
    for prefix in ("", "from_", "to_"):
        lat, lon = o.pop(f"{prefix}lat", None), o.pop(f"{prefix}lon", None)
        if f"{prefix}lat" in original or f"{prefix}lon" in original:
            where = "unplaced" if lat is None or lon is None else f"{_fmt(lat)}, {_fmt(lon)}"
            parts.append(f"{prefix.rstrip('_') + ' ' if prefix else ''}at {where}")
    for key, value in o.items():
        if key in ("place_id", "geonameid", "feature_id", "kind", "admin1"):
            continue
        parts.append(f"{_ORIGINAL_LABELS.get(key, key.replace('_', ' '))} {_fmt(value)}")
    return "; ".join(parts)


def correction_summary(c: Correction, names: Mapping[str, str] | None = None) -> str:
    """One line describing a correction (raw text); ``names`` maps target ids to labels."""
    names = names or {}
    v = c.value
    if c.target == "event":
        what = names.get(c.target_id) or c.target_id
        changes = ", ".join(f"{EVENT_FIELD_LABELS.get(k, k)} → {_fmt(val)}" for k, val in v.items())
        return f"Event {what}: {changes}"
    if c.target == "mention":
        where = f"one mention in {names.get(c.target_id) or c.target_id} (characters {c.start}–{c.end})"
    else:
        where = names.get(c.target_id) or c.target_id
    if c.action == "not_a_place":
        return f"{where}: not a place"
    if c.action == "move":
        return f"{where}: pin moved to {_fmt(v.get('lat'))}, {_fmt(v.get('lon'))}"
    label = candidate_label(v)
    return f"{where} → {label}"


def names_for(places: Any, events: Any, articles: Mapping[str, Mapping[str, Any]] | None = None,
              ids: Any = None) -> dict[str, str]:
    """Target id -> readable label (places by name, events by type and place, articles by
    title), for the ``ids`` given (all when None)."""
    out: dict[str, str] = {}
    wanted = None if ids is None else {str(i) for i in ids}
    for aid, info in (articles or {}).items():
        if wanted is None or aid in wanted:
            out[aid] = str(info.get("title") or aid)
    if places is not None and len(places) and {"place_id", "name"} <= set(places.columns):
        keep = places if wanted is None else places[places["place_id"].astype(str).isin(wanted)]
        out.update(zip(keep["place_id"].astype(str), keep["name"].astype(str)))
    if events is not None and len(events) and "event_id" in events.columns:
        if wanted is not None:
            events = events[events["event_id"].astype(str).isin(wanted)]
        types = events.get("event_type")
        where = events.get("place_name")
        for i, eid in enumerate(events["event_id"].astype(str)):
            t = str(types.iloc[i]).replace("_", " ") if types is not None and not _missing(types.iloc[i]) else "event"
            p = where.iloc[i] if where is not None and isinstance(where.iloc[i], str) else None
            out[eid] = f"{t} at {p}" if p else t
    return out


def sorted_newest_first(corrections: Sequence[Correction]) -> list[Correction]:
    return sorted(corrections, key=lambda c: (c.created_at or "", c.correction_id), reverse=True)
