"""Pure, offline, safe Folium map of an atlas: :func:`build_map`.

Input is the atlas's four GeoDataFrames in EPSG:4326 (``events``, ``routes``, ``places``,
``crossings``; see ``geo.atlas``), optionally with evidence columns (``article_title``,
``article_url``, ``article_source``, ``article_date``, ``sentence``, ``alternatives``) or an
``articles`` table keyed by article id. Output is a :class:`folium.Map` that

- references no http(s) asset (see :mod:`dashboard.assets`); the basemap is Natural Earth
  outlines drawn from local files, OpenStreetMap/CARTO tiles are selectable but off;
- escapes every data string with :func:`dashboard.escape.escape_text` before it reaches the
  page (GeoJSON/JSON properties, popups, tooltips), so article text cannot run on the
  server (Jinja2) or in the browser;
- draws events as ONE JSON array turned into clustered canvas circle markers in the browser
  (fast for 100k points), with popups built lazily on click.
"""

from __future__ import annotations

import functools
import json
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from dashboard.assets import APP_ASSET_BASE, localize
from dashboard.escape import escape_text, escape_value, highlight, safe_url

__all__ = [
    "build_map",
    "map_bounds",
    "EVENT_TYPES",
    "EVENT_LAYER",
    "ROUTE_LAYER",
    "CROSSING_LAYER",
    "PLACE_LAYER",
    "ATTRIBUTION",
]

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
COUNTRIES_FILE = ROOT / "data" / "boundaries" / "ne_50m_admin_0_countries.geojson"
ADMIN1_FILE = ROOT / "data" / "boundaries" / "ne_10m_admin_1_region_simplified.geojson"

EVENT_LAYER = "Events"
ROUTE_LAYER = "Routes"
CROSSING_LAYER = "Crossings"
PLACE_LAYER = "Places"
COUNTRY_LAYER = "Countries (Natural Earth)"
ADMIN1_LAYER = "States / provinces (Natural Earth)"
NO_TILES = "No tiles (offline)"

#: event_type -> (label, colour)
EVENT_TYPES: dict[str, tuple[str, str]] = {
    "caravan_departure": ("Caravan departure", "#d62728"),
    "march": ("March", "#ff7f0e"),
    "border_crossing": ("Border crossing", "#2ca02c"),
    "crossing_closed": ("Crossing closed", "#8c564b"),
    "rail_port_suspension": ("Rail / port suspension", "#9467bd"),
    "apprehensions": ("Apprehensions", "#1f77b4"),
    "official_visit": ("Official visit", "#17becf"),
    "policy": ("Policy", "#bcbd22"),
    "violence_protest": ("Violence / protest", "#e377c2"),
    "other": ("Other", "#7f7f7f"),
}
_TYPE_INDEX = {key: i for i, key in enumerate(EVENT_TYPES)}
#: event status -> (label, fill opacity, dash)
EVENT_STATUS: dict[str, tuple[str, float, str | None]] = {
    "reported": ("reported", 0.8, None),
    "planned": ("planned", 0.35, "3 3"),
    "hypothetical": ("hypothetical", 0.15, "2 4"),
}
_STATUS_KEYS = list(EVENT_STATUS) + ["unknown"]

#: route leg status -> polyline style
ROUTE_STYLE: dict[str, dict[str, Any]] = {
    "reported": {"weight": 4, "opacity": 0.9},
    "inferred": {"weight": 3, "opacity": 0.4},
    "intended": {"weight": 3, "opacity": 0.85, "dash_array": "8 8"},
}
CARAVAN_COLOURS = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46a0a0", "#f032e6", "#808000"]

#: crossing latest status -> colour
CROSSING_STATUS_COLOUR: dict[str, str] = {
    "open": "#2ca02c",
    "reopened": "#2ca02c",
    "closed": "#d62728",
    "blocked": "#8b0000",
    "suspended": "#ff7f0e",
    "restricted": "#e0b000",
    "unknown": "#7f7f7f",
}

ATTRIBUTION = (
    'Boundaries: <a href="https://www.naturalearthdata.com/">Natural Earth</a> | '
    'Places: <a href="https://www.geonames.org/">GeoNames</a> '
    '(<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>) | '
    'Ports of entry: <a href="https://www.bts.gov/">BTS</a>'
)

_POPUP_CSS = """
.ca-pop{font:13px/1.35 system-ui,sans-serif;max-width:360px}
.ca-pop .ca-h{font-weight:600;border-left:5px solid #888;padding-left:6px;margin-bottom:4px}
.ca-pop .ca-meta{color:#444;font-size:12px;margin:2px 0}
.ca-pop blockquote{margin:6px 0;padding:4px 8px;border-left:3px solid #ccc;background:#fafafa}
.ca-pop mark{background:#ffe066;padding:0 1px}
.ca-pop ul{margin:4px 0;padding-left:18px}
.ca-x{width:20px;height:20px;border-radius:50%;border:2px solid #fff;box-shadow:0 0 2px #000;
 color:#fff;font:bold 11px/20px system-ui,sans-serif;text-align:center}
.ca-x.ca-rail{border-radius:3px}
.ca-legend{background:rgba(255,255,255,.92);padding:4px 8px;font:11px/1.4 system-ui,sans-serif;
 border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3);max-width:330px}
.ca-legend summary{cursor:pointer;font-weight:600}
.ca-legend .ca-grid{display:grid;grid-template-columns:1fr 1fr;column-gap:8px}
.ca-legend i{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:4px}
"""


# --------------------------------------------------------------------------- elements


def _safe_json(value: Any) -> str:
    """JSON for embedding in a script that branca will compile as a Jinja2 template.

    Every string in ``value`` must already be escaped. ``<`` (from our own ``<mark>`` tags)
    is written as ``\\u003c`` so nothing can close the ``<script>``; a Jinja2 delimiter
    cannot appear (strings hold no braces, structure never yields ``{{``/``{%``/``{#``),
    which is asserted.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    for delimiter in ("{{", "{%", "{#"):
        if delimiter in text:  # pragma: no cover - defence in depth
            raise ValueError(f"template delimiter {delimiter!r} in map data")
    return text


class PointLayer(JSCSSMixin, MacroElement):
    """Many points from one JSON array: canvas circle markers, optionally clustered.

    ``kind`` selects the popup builder (``"events"`` or ``"places"``); popups are built on
    click from already-escaped strings.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var d = {{ this.data_json }};
  var parent = {{ this._parent.get_name() }};
  var renderer = L.canvas({padding: 0.5});
  var group = {% if this.cluster %}L.markerClusterGroup({chunkedLoading: true,
      maxClusterRadius: 45, showCoverageOnHover: false, spiderfyOnMaxZoom: true}){% else %}L.featureGroup(){% endif %};
  var styles = d.styles;
  var rows = d.rows;
  var markers = new Array(rows.length);
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i], s = styles[r[2]];
    markers[i] = L.circleMarker([r[0], r[1]], {
      renderer: renderer, radius: r[3], color: s.color, weight: 1, fillColor: s.fill,
      fillOpacity: s.fillOpacity, dashArray: s.dash, row: i
    });
  }
  function meta(label, value) {
    return value === "" || value === null || value === undefined ? "" :
      '<div class="ca-meta"><b>' + label + ':</b> ' + value + '</div>';
  }
  function eventPopup(r) {
    var s = styles[r[2]];
    var h = '<div class="ca-pop"><div class="ca-h" style="border-color:' + s.fill + '">' +
      s.label + (r[5] ? ' &#8212; ' + r[5] : '') + '</div>';
    h += meta('Date', r[4]) + meta('Date precision', r[7]) + meta('Status', s.status) +
      meta('Confidence', r[8]) + meta('People', r[9]) + meta('Caravan', r[13]);
    if (r[6]) { h += '<blockquote>' + r[6] + '</blockquote>'; }
    var arts = r[11] || [];
    if (arts.length) {
      h += '<div class="ca-meta"><b>Sources:</b></div><ul>';
      for (var k = 0; k < arts.length; k++) {
        var a = d.articles[arts[k]];
        var title = a[0] || a[4] || 'article';
        h += '<li>' + (a[1] ? '<a href="' + a[1] + '" target="_blank" rel="noopener noreferrer">' +
          title + '</a>' : title) + (a[2] ? ' &#8212; ' + a[2] : '') + (a[3] ? ', ' + a[3] : '') + '</li>';
      }
      h += '</ul>';
    }
    h += meta('Alternatives', r[10]) + meta('Event id', r[12]);
    return h + '</div>';
  }
  function placePopup(r) {
    return '<div class="ca-pop"><div class="ca-h">' + r[4] + '</div>' + meta('Kind', r[5]) +
      meta('Country', r[6]) + meta('GeoNames id', r[7]) + meta('Confidence', r[8]) +
      meta('Articles', r[9]) + meta('Place id', r[10]) + '</div>';
  }
  var popup = {% if this.kind == "events" %}eventPopup{% else %}placePopup{% endif %};
  group.bindPopup(function (layer) { return popup(rows[layer.options.row]); }, {maxWidth: 380});
  {% if this.cluster %}group.addLayers(markers);{% else %}for (var j = 0; j < markers.length; j++) { group.addLayer(markers[j]); }{% endif %}
  group.addTo(parent);
  window.caravanAtlas = window.caravanAtlas || {};
  window.caravanAtlas[{{ this.kind|tojson }}] = group;
})();
{% endmacro %}
"""
    )

    def __init__(self, kind: str, data: Mapping[str, Any], cluster: bool) -> None:
        super().__init__()
        self._name = "PointLayer"
        self.kind = kind
        self.cluster = cluster
        self.data_json = _safe_json(data)
        if cluster:
            self.default_js = list(folium.plugins.MarkerCluster.default_js)
            self.default_css = list(folium.plugins.MarkerCluster.default_css)


class OutlineLayer(MacroElement):
    """A non-interactive GeoJSON outline layer (basemap) from geometry-only features."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
L.geoJSON({{ this.data_json }}, {interactive: false, style: {{ this.style|tojson }}})
  .addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, data: Mapping[str, Any], style: Mapping[str, Any]) -> None:
        super().__init__()
        self._name = "OutlineLayer"
        self.data_json = _safe_json(data)
        self.style = dict(style)


class MapExtras(MacroElement):
    """Attribution, popup CSS, default icon path and a legend (constant content only)."""

    _template = Template(
        """
{% macro header(this, kwargs) %}
<style>{{ this.css }}</style>
{% endmacro %}
{% macro script(this, kwargs) %}
L.Icon.Default.imagePath = {{ this.icon_path|tojson }};
{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.attribution|tojson }});
(function () {
  var legend = L.control({position: 'bottomleft'});
  legend.onAdd = function () {
    var div = L.DomUtil.create('div', 'ca-legend');
    div.innerHTML = {{ this.legend_html|tojson }};
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  legend.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
"""
    )

    def __init__(self, attribution: str, legend_html: str, icon_path: str) -> None:
        super().__init__()
        self._name = "MapExtras"
        self.attribution = attribution
        self.legend_html = legend_html
        self.icon_path = icon_path
        self.css = _POPUP_CSS


# --------------------------------------------------------------------------- helpers


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, dict)) else False
    except (TypeError, ValueError):
        return False


def _get(row: Mapping[str, Any], *names: str) -> Any:
    for name in names:
        if name in row and not _is_missing(row[name]):
            return row[name]
    return None


def _as_list(value: Any) -> list[Any]:
    if _is_missing(value):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):  # a JSON column stored as text
            try:
                parsed = json.loads(text)
            except ValueError:
                return [value]
            return [v for v in parsed if not _is_missing(v)] if isinstance(parsed, list) else [value]
        return [value]
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple, set)):
        return [v for v in value if not _is_missing(v)]
    return [value]


def _num(value: Any) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _fmt_number(value: Any) -> str:
    num = _num(value)
    if num is None:
        return ""
    return f"{num:.2f}" if not num.is_integer() else f"{int(num):,}"


def _people_text(row: Mapping[str, Any]) -> tuple[str, float | None]:
    lo, hi = _num(_get(row, "people_min")), _num(_get(row, "people_max"))
    if lo is None and hi is None:
        return "", None
    if lo is not None and hi is not None and lo != hi:
        return f"{int(lo):,}–{int(hi):,}", hi
    value = hi if hi is not None else lo
    return f"{int(value):,}", value


def _radius(people: float | None) -> float:
    if people is None or people <= 0:
        return 5.0
    return round(min(18.0, 4.0 + 2.2 * math.log10(1.0 + people)), 1)


def _date_text(row: Mapping[str, Any]) -> str:
    start, end = _get(row, "date_start"), _get(row, "date_end")
    start_s = "" if start is None else str(start)[:10]
    end_s = "" if end is None else str(end)[:10]
    if start_s and end_s and end_s != start_s:
        return f"{start_s} → {end_s}"
    return start_s or end_s


def _alternatives_text(value: Any) -> str:
    items = _as_list(value)
    parts = []
    for item in items[:8]:
        if isinstance(item, Mapping):
            name = item.get("name") or item.get("place_name") or ""
            extra = item.get("country_code") or item.get("kind") or ""
            conf = _num(item.get("confidence"))
            label = str(name) + (f" ({extra})" if extra else "") + (f" {conf:.2f}" if conf is not None else "")
            parts.append(label)
        else:
            parts.append(str(item))
    return escape_text("; ".join(parts))


def _point_lonlat(geom: Any) -> tuple[float, float] | None:
    if geom is None or getattr(geom, "is_empty", True):
        return None
    point = geom if geom.geom_type == "Point" else geom.representative_point()
    lon, lat = float(point.x), float(point.y)
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return lon, lat


def _lines_latlon(geom: Any) -> list[list[list[float]]]:
    """[[lat, lon], …] per part of a (Multi)LineString."""
    if geom is None or geom.is_empty:
        return []
    parts = getattr(geom, "geoms", [geom])
    out = []
    for part in parts:
        if part.geom_type != "LineString":
            continue
        coords = [[round(y, 6), round(x, 6)] for x, y, *_ in part.coords]
        if len(coords) >= 2:
            out.append(coords)
    return out


def _records(frame: Any) -> list[dict[str, Any]]:
    if frame is None or len(frame) == 0:
        return []
    return frame.to_dict("records")


class _Articles:
    """Deduplicated, escaped article table: [title, url, source, date, id]."""

    def __init__(self, lookup: Mapping[str, Mapping[str, Any]] | None) -> None:
        self.lookup = lookup or {}
        self.rows: list[list[str]] = []
        self.index: dict[tuple[Any, ...], int] = {}

    def add(self, article_id: Any, title: Any = None, url: Any = None, source: Any = None, date: Any = None) -> int:
        info = self.lookup.get(str(article_id), {}) if article_id is not None else {}
        title = title if not _is_missing(title) else info.get("title")
        url = url if not _is_missing(url) else info.get("url")
        source = source if not _is_missing(source) else info.get("source")
        date = date if not _is_missing(date) else info.get("published", info.get("date"))
        key = (article_id, title, url, source, date)
        if key not in self.index:
            self.index[key] = len(self.rows)
            self.rows.append(
                [
                    escape_text(title),
                    safe_url(url),
                    escape_text(source),
                    escape_text("" if _is_missing(date) else str(date)[:10]),
                    escape_text(article_id),
                ]
            )
        return self.index[key]

    def for_row(self, row: Mapping[str, Any]) -> list[int]:
        ids = _as_list(_get(row, "article_ids", "article_id"))
        titles = _as_list(_get(row, "article_title", "article_titles"))
        urls = _as_list(_get(row, "article_url", "article_urls"))
        sources = _as_list(_get(row, "article_source", "article_sources"))
        dates = _as_list(_get(row, "article_date", "article_published", "article_dates"))
        n = max(len(ids), len(titles), len(urls))
        out = []
        for i in range(min(n, 10)):
            out.append(
                self.add(
                    ids[i] if i < len(ids) else None,
                    titles[i] if i < len(titles) else None,
                    urls[i] if i < len(urls) else None,
                    sources[i] if i < len(sources) else (sources[0] if sources else None),
                    dates[i] if i < len(dates) else (dates[0] if dates else None),
                )
            )
        return out

    def html(self, indexes: Iterable[int]) -> str:
        items = []
        for i in indexes:
            title, url, source, date, aid = self.rows[i]
            label = title or aid or "article"
            link = f'<a href="{url}" target="_blank" rel="noopener noreferrer">{label}</a>' if url else label
            items.append(f"<li>{link}{' &#8212; ' + source if source else ''}{', ' + date if date else ''}</li>")
        return f'<div class="ca-meta"><b>Sources:</b></div><ul>{"".join(items)}</ul>' if items else ""


def _popup(title: str, meta: Sequence[tuple[str, str]], extra: str = "", colour: str = "#888") -> folium.Popup:
    """A popup from escaped pieces (``title``/values must come from escape functions)."""
    rows = "".join(f'<div class="ca-meta"><b>{label}:</b> {value}</div>' for label, value in meta if value)
    html = f'<div class="ca-pop"><div class="ca-h" style="border-color:{colour}">{title}</div>{rows}{extra}</div>'
    return folium.Popup(html, parse_html=False, max_width=380)


# --------------------------------------------------------------------------- basemap


def _round_coords(coords: Any, ndigits: int) -> Any:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(c), ndigits) for c in coords[:2]]
    return [_round_coords(c, ndigits) for c in coords]


@functools.lru_cache(maxsize=8)
def _outline_json(path: str, tolerance: float, ndigits: int = 3) -> dict[str, Any]:
    """Geometry-only, simplified FeatureCollection from a local GeoJSON file (cached)."""
    with open(path, encoding="utf-8") as fh:
        src = json.load(fh)
    features = []
    for feature in src.get("features", []):
        if not feature.get("geometry"):
            continue
        geom = shapely.geometry.shape(feature["geometry"]).simplify(tolerance, preserve_topology=True)
        if geom.is_empty:
            continue
        mapping = shapely.geometry.mapping(geom)
        features.append(
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": mapping["type"], "coordinates": _round_coords(mapping["coordinates"], ndigits)},
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------- layers


def _event_data(events: Any, articles: _Articles) -> dict[str, Any]:
    styles = []
    style_index: dict[tuple[int, str], int] = {}
    # Row layout (read by PointLayer's eventPopup): 0 lat, 1 lon, 2 style, 3 radius,
    # 4 date, 5 place, 6 sentence HTML, 7 precision, 8 confidence, 9 people,
    # 10 alternatives, 11 article indexes, 12 event id, 13 caravan id.
    rows: list[list[Any]] = []
    for rec in _records(events):
        lonlat = _point_lonlat(rec.get("geometry"))
        if lonlat is None:
            continue
        etype = str(_get(rec, "event_type") or "other")
        if etype not in _TYPE_INDEX:
            etype = "other"
        status = str(_get(rec, "status") or "unknown")
        if status not in EVENT_STATUS:
            status = "unknown"
        key = (_TYPE_INDEX[etype], status)
        if key not in style_index:
            label, colour = EVENT_TYPES[etype]
            _, fill_opacity, dash = EVENT_STATUS.get(status, ("unknown", 0.5, None))
            style_index[key] = len(styles)
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
        people_text, people = _people_text(rec)
        place = _get(rec, "place_name")
        rows.append(
            [
                round(lonlat[1], 5),
                round(lonlat[0], 5),
                style_index[key],
                _radius(people),
                escape_text(_date_text(rec)),
                escape_text(place),
                highlight(_get(rec, "sentence"), [place] if isinstance(place, str) else []),
                escape_text(_get(rec, "date_precision")),
                escape_text(_fmt_number(_get(rec, "confidence"))),
                escape_text(people_text),
                _alternatives_text(_get(rec, "alternatives")),
                articles.for_row(rec),
                escape_text(_get(rec, "event_id")),
                escape_text(_get(rec, "caravan_id")),
            ]
        )
    return {"styles": styles, "rows": rows, "articles": articles.rows}


def _place_data(places: Any) -> dict[str, Any]:
    styles = [{"label": "Place", "color": "#222222", "fill": "#555555", "fillOpacity": 0.7, "dash": None, "status": ""}]
    rows = []
    for rec in _records(places):
        lonlat = _point_lonlat(rec.get("geometry"))
        if lonlat is None:
            continue
        n_articles = len(_as_list(_get(rec, "article_ids")))
        rows.append(
            [
                round(lonlat[1], 5),
                round(lonlat[0], 5),
                0,
                3.5,
                escape_text(_get(rec, "name")),
                escape_text(_get(rec, "kind")),
                escape_text(_get(rec, "country_code")),
                escape_text(_get(rec, "geonameid")),
                escape_text(_fmt_number(_get(rec, "confidence"))),
                escape_text(n_articles or ""),
                escape_text(_get(rec, "place_id")),
            ]
        )
    return {"styles": styles, "rows": rows, "articles": []}


def _add_routes(group: folium.FeatureGroup, routes: Any, articles: _Articles) -> int:
    records = _records(routes)
    caravans = sorted({str(_get(r, "caravan_id") or "") for r in records})
    colour_of = {c: CARAVAN_COLOURS[i % len(CARAVAN_COLOURS)] for i, c in enumerate(caravans)}
    count = 0
    for rec in records:
        status = str(_get(rec, "status") or "reported")
        style = ROUTE_STYLE.get(status, ROUTE_STYLE["reported"])
        caravan = str(_get(rec, "caravan_id") or "")
        colour = colour_of[caravan]
        title = escape_text(f"Caravan {caravan}" if caravan else "Route") + (
            f" &#8212; leg {escape_text(_get(rec, 'leg'))}" if _get(rec, "leg") is not None else ""
        )
        meta = [
            ("From", escape_text(_get(rec, "from_place"))),
            ("To", escape_text(_get(rec, "to_place"))),
            ("Date", escape_text(_date_text(rec))),
            ("Status", escape_text(status)),
            ("Route id", escape_text(_get(rec, "route_id"))),
        ]
        for part in _lines_latlon(rec.get("geometry")):
            line = folium.PolyLine(
                part,
                color=colour,
                popup=_popup(title, meta, articles.html(articles.for_row(rec)), colour),
                tooltip=folium.Tooltip(title, sticky=True),
                **style,
            )
            line.add_to(group)
            folium.plugins.PolyLineTextPath(
                line,
                "   \u25ba   ",
                repeat=True,
                offset=5,
                attributes={"fill": colour, "font-size": "13", "opacity": str(style["opacity"])},
            ).add_to(group)
            count += 1
    return count


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


def _add_crossings(group: folium.FeatureGroup, crossings: Any, articles: _Articles) -> int:
    count = 0
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
        meta = [
            ("Kind", escape_text(_get(rec, "kind"))),
            ("Countries", escape_text(countries)),
            ("Rail", "yes" if has_rail else ""),
            ("Latest status", escape_text(status)),
            ("Status date", escape_text(str(_get(rec, "latest_status_date", "status_date") or "")[:10])),
            ("Crossing id", escape_text(_get(rec, "crossing_id"))),
        ]
        popup_extra = articles.html(articles.for_row(rec))
        if geom is not None and geom.geom_type != "Point":
            for part in _lines_latlon(geom):
                folium.PolyLine(part, color=colour, weight=5, opacity=0.8,
                                popup=_popup(title, meta, popup_extra, colour)).add_to(group)
        icon = folium.DivIcon(
            html=f'<div class="ca-x {css}" style="background:{colour}">{glyph}</div>',
            icon_size=(24, 24),
            icon_anchor=(12, 12),
            class_name="ca-crossing",
        )
        folium.Marker(
            [lonlat[1], lonlat[0]],
            icon=icon,
            popup=_popup(title, meta, popup_extra, colour),
            tooltip=folium.Tooltip(title),
        ).add_to(group)
        count += 1
    return count


def _legend_html() -> str:
    items = "".join(
        f'<div><i style="background:{colour}"></i>{escape_text(label)}</div>' for label, colour in EVENT_TYPES.values()
    )
    statuses = " ".join(
        f'<span style="color:{colour}">&#9679;</span>&#160;{escape_text(name)}'
        for name, colour in CROSSING_STATUS_COLOUR.items()
        if name in ("open", "closed", "suspended", "restricted", "unknown")
    )
    return (
        f"<details open><summary>Legend</summary><b>Events</b> (size: people)<div class='ca-grid'>{items}</div>"
        f"<div style='margin-top:3px'><b>Crossings</b> {statuses}</div>"
        "<div style='margin-top:3px'><b>Routes</b>: solid reported, faint inferred, dashed intended, "
        "&#9658; direction</div></details>"
    )


def map_bounds(*frames: Any) -> list[list[float]] | None:
    """[[south, west], [north, east]] over the non-empty frames, or ``None``."""
    boxes = []
    for frame in frames:
        if frame is None or len(frame) == 0:
            continue
        geoms = frame.geometry
        geoms = geoms[~(geoms.isna() | geoms.is_empty)]
        if len(geoms) == 0:
            continue
        minx, miny, maxx, maxy = (float(v) for v in geoms.total_bounds)
        if all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
            boxes.append((minx, miny, maxx, maxy))
    if not boxes:
        return None
    minx = max(-180.0, min(b[0] for b in boxes))
    miny = max(-85.0, min(b[1] for b in boxes))
    maxx = min(180.0, max(b[2] for b in boxes))
    maxy = min(85.0, max(b[3] for b in boxes))
    pad = 0.3
    return [[miny - pad, minx - pad], [maxy + pad, maxx + pad]]


def _check_crs(name: str, frame: Any) -> None:
    crs = getattr(frame, "crs", None)
    if frame is not None and len(frame) and crs is not None and not crs.equals("EPSG:4326"):
        raise ValueError(f"{name} must be in EPSG:4326, got {crs.to_string()!r}")


# --------------------------------------------------------------------------- public


def build_map(
    events: Any = None,
    routes: Any = None,
    places: Any = None,
    crossings: Any = None,
    *,
    articles: Mapping[str, Mapping[str, Any]] | None = None,
    asset_base: str = APP_ASSET_BASE,
    cluster_events: bool = True,
    show_places: bool = True,
    countries: bool = True,
    admin1: bool = True,
    height: str | int = "100%",
) -> folium.Map:
    """Build the atlas map. Pure: reads only the bundled boundary files (cached).

    Parameters
    ----------
    events, routes, places, crossings
        The atlas layers (GeoDataFrames in EPSG:4326, any may be ``None`` or empty).
        Evidence columns are used when present: ``sentence``, ``alternatives``,
        ``article_title``, ``article_url``, ``article_source``, ``article_date``.
    articles
        Optional ``article_id -> {"title", "url", "source", "published"}`` for rows that
        only carry ``article_ids``.
    asset_base
        URL of the app's ``static/`` folder as seen from the page holding the map.
    cluster_events
        Cluster event markers (Leaflet.markercluster) instead of drawing each one.
    show_places, countries, admin1
        Whether the places layer is on at start; whether to add the Natural Earth
        country / admin-1 outline overlays.
    """
    for name, frame in (("events", events), ("routes", routes), ("places", places), ("crossings", crossings)):
        _check_crs(name, frame)

    m = folium.Map(location=[20.0, -95.0], zoom_start=5, tiles=None, control_scale=True, height=height)
    m.options["min_zoom"] = 2
    m.options["max_zoom"] = 18

    folium.FeatureGroup(name=NO_TILES, overlay=False, show=True).add_to(m)
    folium.TileLayer(
        "OpenStreetMap", name="OpenStreetMap (online)", overlay=False, show=False, max_zoom=18
    ).add_to(m)
    folium.TileLayer(
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        name="CARTO Positron (online)",
        attr='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
        '&copy; <a href="https://carto.com/attributions">CARTO</a>',
        overlay=False,
        show=False,
        max_zoom=18,
        subdomains="abcd",
    ).add_to(m)

    if countries:
        group = folium.FeatureGroup(name=COUNTRY_LAYER, overlay=True, show=True)
        OutlineLayer(
            _outline_json(str(COUNTRIES_FILE), 0.03),
            {"color": "#777777", "weight": 1, "fillColor": "#f2efe9", "fillOpacity": 1.0},
        ).add_to(group)
        group.add_to(m)
    if admin1 and ADMIN1_FILE.exists():
        group = folium.FeatureGroup(name=ADMIN1_LAYER, overlay=True, show=True)
        OutlineLayer(
            _outline_json(str(ADMIN1_FILE), 0.02),
            {"color": "#aaaaaa", "weight": 0.6, "dashArray": "2 3", "fill": False},
        ).add_to(group)
        group.add_to(m)

    table = _Articles(articles)

    route_group = folium.FeatureGroup(name=ROUTE_LAYER, overlay=True, show=True)
    n_routes = _add_routes(route_group, routes, table)
    route_group.add_to(m)

    crossing_group = folium.FeatureGroup(name=CROSSING_LAYER, overlay=True, show=True)
    n_crossings = _add_crossings(crossing_group, crossings, table)
    crossing_group.add_to(m)

    place_group = folium.FeatureGroup(name=PLACE_LAYER, overlay=True, show=show_places)
    PointLayer("places", _place_data(places), cluster=False).add_to(place_group)
    place_group.add_to(m)

    event_group = folium.FeatureGroup(name=EVENT_LAYER, overlay=True, show=True)
    event_data = _event_data(events, table)
    PointLayer("events", event_data, cluster=cluster_events).add_to(event_group)
    event_group.add_to(m)

    folium.plugins.Fullscreen(position="topleft").add_to(m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    MapExtras(ATTRIBUTION, _legend_html(), f"{asset_base}vendor/").add_to(m)

    # Fit to the story (events, routes, crossings); places include origin countries
    # (e.g. "Honduran", "Bangladesh") and would zoom out to the world.
    bounds = map_bounds(events, routes, crossings) or map_bounds(places)
    if bounds is not None:
        m.fit_bounds(bounds, max_zoom=9)
    logger.debug(
        "map: %d events, %d route parts, %d crossings", len(event_data["rows"]), n_routes, n_crossings
    )
    return localize(m, asset_base)
