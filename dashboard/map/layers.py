"""The data layers' compact, escaped payloads: events (prepared once per atlas), places,
routes and crossings."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dashboard.escape import escape_text, highlight
from dashboard.evidence import AREA_KINDS  # an event known only at that level: a badge, not a town point
from dashboard.evidence import LANGUAGE_NAMES
from dashboard.map.popups import _Articles, _correction_note, _popup_html
from dashboard.map.styles import (
    _STATUS_KEYS,
    _TYPE_INDEX,
    CARAVAN_COLOURS,
    CROSSING_STATUS_COLOUR,
    EVENT_STATUS,
    EVENT_TYPES,
    ROUTE_STYLE,
    STRAIGHT_DASH,
)
from dashboard.map.values import (
    _alternatives_text,
    _as_list,
    _column,
    _date_text,
    _fast_num,
    _fmt_number,
    _get,
    _lines_latlon,
    _miss,
    _people_range,
    _point_lonlat,
    _radius,
    _records,
    _xy,
)


@dataclass(frozen=True)
class EventRows:
    """Escaped popup rows of every event of an atlas, computed once (see :func:`prepare_events`).

    ``rows[i]`` belongs to the i-th row of the events frame (``None`` when it has no
    location); ``ids`` maps the escaped event id (as the map reports it) to the raw one.
    """

    rows: list[list[Any] | None]
    styles: list[dict[str, Any]]
    articles: list[list[str]]
    ids: dict[str, str]

    def payload(self, mask: Sequence[bool] | np.ndarray | None = None) -> dict[str, Any]:
        if mask is None:
            rows = [r for r in self.rows if r is not None]
        else:
            rows = [r for r, keep in zip(self.rows, mask) if keep and r is not None]
        return {"styles": self.styles, "articles": self.articles, "rows": rows}


def _styles() -> tuple[list[dict[str, Any]], dict[tuple[str, str], int]]:
    styles, index = [], {}
    for etype, (label, colour) in EVENT_TYPES.items():
        for status in _STATUS_KEYS:
            _, fill_opacity, dash = EVENT_STATUS.get(status, ("unknown", 0.5, None))
            index[(etype, status)] = len(styles)
            styles.append(
                {
                    "label": escape_text(label),
                    "color": "#333333" if status == "reported" else colour,
                    "fill": colour,
                    "fillOpacity": fill_opacity,
                    "dash": dash,
                    "status": escape_text(status),
                }
            )
    return styles, index


def prepare_events(events: Any, articles: Mapping[str, Mapping[str, Any]] | None = None) -> EventRows:
    """Escape every event's popup content once (column-wise, with memoised escaping)."""
    n = 0 if events is None else len(events)
    styles, style_index = _styles()
    table = _Articles(articles)
    if n == 0:
        return EventRows([], styles, table.rows, {})
    esc = functools.lru_cache(maxsize=65536)(escape_text)
    hl = functools.lru_cache(maxsize=65536)(lambda s, p: highlight(s, [p] if p else []))
    lon, lat = _xy(events)
    types = _column(events, "event_type")
    statuses = _column(events, "status")
    starts, ends = _column(events, "date_start"), _column(events, "date_end")
    places = _column(events, "place_name")
    sentences = _column(events, "sentence")
    precisions = _column(events, "date_precision")
    confs = _column(events, "confidence")
    pmin, pmax = _column(events, "people_min"), _column(events, "people_max")
    alts = _column(events, "alternatives")
    ids = _column(events, "event_id")
    caravans = _column(events, "caravan_id")
    fixed = _column(events, "corrected")
    originals = _column(events, "original")
    kinds = _column(events, "place_kind")
    langs = _column(events, "language")
    art_cols = [c for c in ("article_ids", "article_id", "article_title", "article_url", "article_source",
                            "article_date") if c in events.columns]
    art_values = {c: events[c].tolist() for c in art_cols}
    rows: list[list[Any] | None] = []
    id_map: dict[str, str] = {}
    art_cache: dict[Any, list[int]] = {}
    for i in range(n):
        if not (math.isfinite(lat[i]) and math.isfinite(lon[i])):
            rows.append(None)
            continue
        etype = types[i] if isinstance(types[i], str) and types[i] in _TYPE_INDEX else "other"
        status = statuses[i] if isinstance(statuses[i], str) and statuses[i] in EVENT_STATUS else "unknown"
        people_text, people = _people_range(_fast_num(pmin[i]), _fast_num(pmax[i]))
        place = places[i] if isinstance(places[i], str) else None
        start = None if _miss(starts[i]) else str(starts[i])[:10]
        end = None if _miss(ends[i]) else str(ends[i])[:10]
        date = f"{start} → {end}" if start and end and end != start else (start or end or "")
        art_row = {c: art_values[c][i] for c in art_cols}
        key = tuple(v if isinstance(v, (str, int, float)) or v is None else repr(v) for v in art_row.values())
        indexes = art_cache.get(key)
        if indexes is None:
            indexes = art_cache[key] = table.for_row(art_row)
        raw_id = "" if _miss(ids[i]) else str(ids[i])
        eid = esc(raw_id)
        id_map[eid] = raw_id
        alt = alts[i]
        rows.append(
            [
                round(float(lat[i]), 5),
                round(float(lon[i]), 5),
                style_index[(etype, status)],
                _radius(people),
                esc(date),
                esc(place),
                hl(sentences[i] if isinstance(sentences[i], str) else "", place or ""),
                esc(None if _miss(precisions[i]) else str(precisions[i])),
                esc(_fmt_number(confs[i]) if not _miss(confs[i]) else ""),
                esc(people_text),
                "" if _miss(alt) or (hasattr(alt, "__len__") and len(alt) == 0) else _alternatives_text(alt),
                indexes,
                eid,
                esc(None if _miss(caravans[i]) else str(caravans[i])),
                _correction_note({"corrected": fixed[i], "original": originals[i]}),
                esc(kinds[i]) if kinds[i] in AREA_KINDS else "",
                *_language(langs[i], esc),
            ]
        )
    return EventRows(rows, styles, table.rows, id_map)


def _language(code: Any, esc: Any) -> tuple[str, str]:
    """Escaped (language name, code of a sentence not in English) of an event's article:
    ("Spanish", "es"), ("English", ""), ("", "") when unknown."""
    if not isinstance(code, str) or not code:
        return "", ""
    return esc(LANGUAGE_NAMES.get(code, code)), ("" if code == "en" else esc(code))


def _area_places(places: Any) -> dict[str, str]:
    """Escaped ``"<kind>|<name>"`` (and ``"|<name>"``) -> escaped place id of the area places
    (countries, states, regions), so that an area's event badge can select its place."""
    out: dict[str, str] = {}
    if places is None or len(places) == 0 or "place_id" not in places.columns:
        return out
    names, kinds, ids = _column(places, "name"), _column(places, "kind"), _column(places, "place_id")
    for name, kind, pid in zip(names, kinds, ids):
        if not isinstance(name, str) or _miss(pid) or kind not in (*AREA_KINDS, "demonym"):
            continue
        key, value = escape_text(name), escape_text(str(pid))
        if kind != "demonym":
            out[f"{escape_text(kind)}|{key}"] = value
        if kind != "demonym" or f"|{key}" not in out:
            out[f"|{key}"] = value
    return out


def _place_data(places: Any, table: _Articles) -> dict[str, Any]:
    rows = []
    lon, lat = _xy(places)
    for i, rec in enumerate(_records(places)):
        if not (math.isfinite(lat[i]) and math.isfinite(lon[i])):
            continue
        n_articles = len(_as_list(_get(rec, "article_ids")))
        rows.append(
            [
                round(float(lat[i]), 5),
                round(float(lon[i]), 5),
                escape_text(_get(rec, "name")),
                escape_text(_get(rec, "kind")),
                escape_text(_get(rec, "country_code")),
                escape_text(_get(rec, "geonameid")),
                escape_text(_fmt_number(_get(rec, "confidence"))),
                escape_text(n_articles or ""),
                escape_text(_get(rec, "place_id")),
                _alternatives_text(_get(rec, "alternatives")),
                table.for_row(rec),
                _correction_note(rec),
            ]
        )
    return {"rows": rows, "articles": table.rows}


def _route_data(routes: Any, table: _Articles, colour_of: Mapping[str, str] | None = None) -> dict[str, Any]:
    records = _records(routes)
    if colour_of is None:
        caravans = sorted({str(_get(r, "caravan_id") or "") for r in records})
        colour_of = {c: CARAVAN_COLOURS[i % len(CARAVAN_COLOURS)] for i, c in enumerate(caravans)}
    items = []
    for rec in records:
        status = str(_get(rec, "status") or "reported")
        style = dict(ROUTE_STYLE.get(status, ROUTE_STYLE["reported"]))
        drawn = _get(rec, "geometry_source")
        if drawn == "straight":
            style["dashArray"] = STRAIGHT_DASH
        caravan = str(_get(rec, "caravan_id") or "")
        colour = colour_of.get(caravan, CARAVAN_COLOURS[0])
        style["color"] = colour
        title = escape_text(f"Caravan {caravan}" if caravan else "Route") + (
            f" &#8212; leg {escape_text(_get(rec, 'leg'))}" if _get(rec, "leg") is not None else ""
        )
        meta = [
            ("From", escape_text(_get(rec, "from_place"))),
            ("To", escape_text(_get(rec, "to_place"))),
            ("Date", escape_text(_date_text(rec))),
            ("Status", escape_text(status)),
            ("Drawn", escape_text({"corridor": "along the corridor highways", "straight": "straight line"}.get(drawn, drawn))),
            ("Corrected", _correction_note(rec)),
            ("Route id", escape_text(_get(rec, "route_id"))),
        ]
        popup = _popup_html(title, meta, table.html(table.for_row(rec)), colour)
        ident = "routes:" + escape_text(_get(rec, "route_id") or "")
        for part in _lines_latlon(rec.get("geometry")):
            items.append({"ll": part, "style": style, "popup": popup, "tip": title + " (" + escape_text(status) + ")",
                          "id": ident, "arrow": True})
    return {"items": items}


def _crossing_data(crossings: Any, table: _Articles) -> dict[str, Any]:
    items = []
    for rec in _records(crossings):
        geom = rec.get("geometry")
        lonlat = _point_lonlat(geom)
        if lonlat is None:
            continue
        status = str(_get(rec, "latest_status", "status") or "unknown").lower()
        colour = CROSSING_STATUS_COLOUR.get(status, CROSSING_STATUS_COLOUR["unknown"])
        has_rail = bool(_get(rec, "has_rail") or False)
        glyph, css = _crossing_glyph(str(_get(rec, "kind") or ""), has_rail)
        countries = _get(rec, "countries")
        if isinstance(countries, (list, tuple)) or hasattr(countries, "tolist"):
            countries = "–".join(str(c) for c in _as_list(countries))
        title = escape_text(_get(rec, "name") or _get(rec, "crossing_id") or "Crossing")
        reports = _as_list(_get(rec, "status_events"))
        history = "".join(
            f"<li>{escape_text(str(r.get('date') or 'undated')[:10])}: {escape_text(r.get('status'))}</li>"
            for r in reports[:8] if isinstance(r, Mapping)
        )
        meta = [
            ("Kind", escape_text(_get(rec, "kind"))),
            ("Countries", escape_text(countries)),
            ("Rail", "yes" if has_rail else ""),
            ("Latest status", escape_text(status)),
            ("Status date", escape_text(str(_get(rec, "latest_status_date", "status_date") or "")[:10])),
            ("Corrected", _correction_note(rec)),
            ("Crossing id", escape_text(_get(rec, "crossing_id"))),
        ]
        extra = (f'<div class="ca-meta"><b>Status reports:</b></div><ul>{history}</ul>' if history else "")
        extra += table.html(table.for_row(rec))
        lines = _lines_latlon(geom) if geom is not None and geom.geom_type != "Point" else []
        items.append(
            {
                "ll": [round(lonlat[1], 5), round(lonlat[0], 5)],
                "html": f'<div class="ca-x {css}" style="background:{colour}">{glyph}</div>',
                "popup": _popup_html(title, meta, extra, colour),
                "tip": title + " (" + escape_text(status) + ")",
                "id": "crossings:" + escape_text(_get(rec, "crossing_id") or ""),
                "lines": lines,
                "colour": colour,
            }
        )
    return {"items": items}


def _crossing_glyph(kind: str, has_rail: bool) -> tuple[str, str]:
    kind = kind.lower()
    if "rail" in kind:
        return "R", "ca-rail"
    if "river" in kind or "raft" in kind or "informal" in kind:
        return "\u2248", ""
    if "bridge" in kind:
        return "B", ""
    if "line" in kind:
        return "\u2016", ""
    if "port" in kind or "entry" in kind or "road" in kind:
        return ("P", "ca-rail") if has_rail else ("P", "")
    return "X", ""
