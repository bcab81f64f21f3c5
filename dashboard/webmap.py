"""Pure, offline, safe Folium map of an atlas.

Input is the atlas's four GeoDataFrames in EPSG:4326 (``events``, ``routes``, ``places``,
``crossings``; see ``geo.layers``), optionally with evidence columns (``article_title``,
``article_url``, ``article_source``, ``article_date``, ``sentence``, ``alternatives``) or an
``articles`` table keyed by article id.

The map is split in two so that Streamlit can change the data without reloading the map:

- :func:`build_base_map` — the frame: Natural Earth outlines (no tiles needed;
  OpenStreetMap/CARTO selectable but off), country, state and town names and border rivers
  by zoom (:mod:`dashboard.basemap`, fetched from the app's static files), fullscreen, scale bar, legend, a "fit to data"
  button, and the small JS library (``window.CaravanAtlas``) that draws the data layers.
  It also keeps the map centre and zoom in the page URL (``c``/``z``) without a rerun.
- :func:`build_layers` — the data: one ``folium.FeatureGroup`` per layer (routes,
  crossings, places, events, selection) holding a compact, escaped JSON payload. Events
  are clustered on a screen grid in the browser (fast for 100k points); popups are built
  on click. Clicking a feature reports ``"<layer>:<id>#<n>"`` to Streamlit through
  ``last_object_clicked_tooltip``.
- :func:`build_map` — both in one map (for saved HTML, tests and benchmarks).

Every data string is escaped with :mod:`dashboard.escape` before it reaches the page, so
article text cannot run on the server (Jinja2) or in the browser. No http(s) asset is
referenced (see :mod:`dashboard.assets`).
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from dashboard import diskcache
from dashboard.assets import APP_ASSET_BASE, localize
from dashboard.basemap import ReferenceLayer
from dashboard.escape import escape_text, highlight, safe_url
from dashboard.evidence import AREA_KINDS  # an event known only at that level: a badge, not a town point
from dashboard.fixes import is_corrected, original_text

__all__ = [
    "build_map",
    "build_base_map",
    "build_layers",
    "prepare_events",
    "EventRows",
    "map_bounds",
    "selection_areas",
    "EVENT_TYPES",
    "EVENT_LAYER",
    "ROUTE_LAYER",
    "CROSSING_LAYER",
    "PLACE_LAYER",
    "SELECTION_LAYER",
    "ATTRIBUTION",
]

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
COUNTRIES_FILE = ROOT / "data" / "boundaries" / "ne_50m_admin_0_countries.geojson"
ADMIN1_FILE = ROOT / "data" / "boundaries" / "ne_10m_admin_1_region_simplified.geojson"
ADMIN1_POINTS = ROOT / "data" / "geonames" / "admin1_world_points.csv"

EVENT_LAYER = "Events"
ROUTE_LAYER = "Routes"
CROSSING_LAYER = "Crossings"
PLACE_LAYER = "Places"
SELECTION_LAYER = "Selection"
COUNTRY_LAYER = "Countries (Natural Earth)"
ADMIN1_LAYER = "States / provinces (Natural Earth)"
REFERENCE_LAYER = "Place names, rivers (GeoNames, Natural Earth)"
NO_TILES = "No tiles (offline)"

#: Leaflet panes by role: (name, z-index, pointer events). A pane fixes the drawing order
#: whatever the layer control removes and re-adds, and whatever renderer a layer uses
#: (Leaflet's CSS puts a pane's <svg> above its <canvas>, so an opaque country fill in the
#: overlay pane hid the canvas-drawn events under it). The basemap's names and rivers (reference,
#: not data) sit on the areas and under everything else. Areas sit under lines, lines under
#: points; clusters (Leaflet's marker pane, 600) are on top, crossing icons just under
#: the single events. Tiles are at 200, tooltips at 650, popups at 700.
PANES: dict[str, tuple[str, int, bool]] = {
    "countries": ("caCountries", 300, False),
    "admin1": ("caAdmin1", 310, False),
    "reference": ("caReference", 315, False),
    "selectionArea": ("caSelectionArea", 320, False),
    "lines": ("overlayPane", 400, True),
    "selectionLine": ("caSelectionLine", 410, False),
    "places": ("caPlaces", 440, True),
    "crossings": ("caCrossings", 445, True),
    "events": ("caEvents", 450, True),
    "areaBadges": ("caAreaBadges", 455, True),
    "selectionPoint": ("caSelectionPoint", 460, False),
    "clusters": ("markerPane", 600, True),
}
_LEAFLET_PANES = {"overlayPane", "markerPane"}

#: event_type -> (label, colour)
EVENT_TYPES: dict[str, tuple[str, str]] = {
    "departure": ("Departure", "#d62728"),
    "march": ("March / progress", "#ff7f0e"),
    "arrival": ("Arrival", "#e6550d"),
    "crossing": ("Border or river crossing", "#2ca02c"),
    "camp": ("Camp / stay", "#8c6d31"),
    "blocked": ("Blocked / stopped", "#843c39"),
    "detention": ("Detention / deportation", "#1f77b4"),
    "transport": ("Transport (buses, trains)", "#6baed6"),
    "violence": ("Violence / clash", "#e377c2"),
    "death": ("Death / injury", "#000000"),
    "port_status": ("Crossing or port status", "#9467bd"),
    "policy": ("Official action / policy", "#bcbd22"),
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

#: route leg status -> polyline style (Leaflet option names)
ROUTE_STYLE: dict[str, dict[str, Any]] = {
    "reported": {"weight": 4, "opacity": 0.9},
    "inferred": {"weight": 3, "opacity": 0.4},
    "intended": {"weight": 3, "opacity": 0.85, "dashArray": "8 8"},
}
#: a leg drawn straight (no corridor highway joins its ends) is dotted, whatever its status
STRAIGHT_DASH = "2 7"
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
/* streamlit-folium sizes its map box once, in px: follow the frame when the page makes it shorter
   (at a phone's width, dashboard.page_layout); not while the frame is still unsized (0 or 150 px) */
@media (min-height:200px) and (max-height:600px){ #map_div{height:100vh!important} }
.ca-pop{font:13px/1.35 system-ui,sans-serif;max-width:360px}
.ca-pop .ca-h{font-weight:600;border-left:5px solid #888;padding-left:6px;margin-bottom:4px}
.ca-pop .ca-meta{color:#444;font-size:12px;margin:2px 0}
.ca-pop blockquote{margin:6px 0;padding:4px 8px;border-left:3px solid #ccc;background:#fafafa}
.ca-pop mark{background:#ffe066;padding:0 1px}
.ca-pop ul{margin:4px 0;padding-left:18px}
.ca-pop .ca-list a{cursor:pointer}
.ca-x{box-sizing:border-box;width:18px;height:18px;border-radius:50%;border:2px solid #fff;box-shadow:0 0 2px #000;
 color:#fff;font:bold 10px/14px system-ui,sans-serif;text-align:center}
.ca-x.ca-rail{border-radius:3px}
.ca-area{display:inline-flex;align-items:center;gap:4px;white-space:nowrap;padding:1px 7px 1px 3px;
 border-radius:10px;border:1.5px dashed #555;background:rgba(255,255,255,.92);color:#222;
 font:600 11px/16px system-ui,sans-serif;box-shadow:0 0 3px rgba(0,0,0,.3);cursor:pointer;
 transform:translate(-50%,-50%)}
.ca-area b{display:inline-block;min-width:16px;height:16px;border-radius:8px;background:#444;color:#fff;
 text-align:center;font-size:10px;padding:0 3px;box-sizing:border-box}
.ca-area i{font-style:normal;font-weight:400;color:#555}
.ca-cl{border-radius:50%;color:#fff;font:bold 12px system-ui,sans-serif;display:flex;align-items:center;
 justify-content:center;box-shadow:0 0 0 4px rgba(255,255,255,.55),0 0 3px 4px rgba(0,0,0,.25);cursor:pointer}
.ca-legend{background:rgba(255,255,255,.92);padding:4px 8px;font:11px/1.4 system-ui,sans-serif;
 border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3);max-width:min(330px,calc(100vw - 40px));box-sizing:border-box;
 max-height:min(calc(100vh - 250px),40vh);overflow:auto}
.leaflet-container .leaflet-control-attribution{max-width:calc(100vw - 125px);white-space:normal;text-align:right;
 font-size:11px;line-height:1.35}
@media (max-width:480px){.leaflet-container .leaflet-control-attribution{font-size:10px}}
.ca-legend summary{cursor:pointer;font-weight:600}
.ca-legend .ca-grid{display:grid;grid-template-columns:1fr 1fr;column-gap:8px}
.ca-legend i{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:4px}
.ca-fit a{font:bold 16px/26px system-ui,sans-serif;text-align:center;cursor:pointer}
"""

# The library that draws the data layers. Constant text: no data is interpolated here.
_LIBRARY_JS = r"""
window.CaravanAtlas = (function () {
  // Leaflet panes by role (set by init from webmap.PANES): areas under lines, lines under points.
  var A = {map: null, bounds: {}, layers: {}, seq: 0, panes: {}};
  var PI = Math.PI;

  function meta(label, value) {
    return value === "" || value === null || value === undefined ? "" :
      '<div class="ca-meta"><b>' + label + ':</b> ' + value + '</div>';
  }
  function sources(articles, idx) {
    if (!idx || !idx.length) { return ""; }
    var h = '<div class="ca-meta"><b>Sources:</b></div><ul>';
    for (var k = 0; k < idx.length; k++) {
      var a = articles[idx[k]];
      if (!a) { continue; }
      var title = a[0] || a[4] || 'article';
      h += '<li>' + (a[1] ? '<a href="' + a[1] + '" target="_blank" rel="noopener noreferrer">' +
        title + '</a>' : title) + (a[2] ? ' &#8212; ' + a[2] : '') + (a[3] ? ', ' + a[3] : '') + '</li>';
    }
    return h + '</ul>';
  }
  // Tell Streamlit which feature was clicked: "<layer>:<id>#<n>" in last_object_clicked_tooltip.
  // streamlit-folium's own click handler may run after ours and overwrite the field with a
  // tooltip text, so it is set again after it, before its 250 ms debounce reads it.
  function report(id) {
    if (!id) { return; }
    A.seq += 1;
    var value = id + '#' + A.seq;
    A.lastReported = value;
    var g = window.__GLOBAL_DATA__;
    if (!g) { return; }
    g.last_object_clicked_tooltip = value;
    setTimeout(function () {
      g.last_object_clicked_tooltip = value;
      if (A.map) { A.map.fire('moveend', {caSelect: true}); }  // triggers the component update
    }, 0);
  }
  A.report = report;

  function boundsOf(latlngs) {
    if (!latlngs.length) { return null; }
    var s = 90, w = 180, n = -90, e = -180;
    for (var i = 0; i < latlngs.length; i++) {
      var p = latlngs[i];
      if (p[0] < s) { s = p[0]; } if (p[0] > n) { n = p[0]; }
      if (p[1] < w) { w = p[1]; } if (p[1] > e) { e = p[1]; }
    }
    return [[s, w], [n, e]];
  }

  // ---------------------------------------------------------------- events
  // Row layout: 0 lat, 1 lon, 2 style, 3 radius, 4 date, 5 place, 6 sentence HTML,
  // 7 precision, 8 confidence, 9 people, 10 alternatives, 11 article indexes,
  // 12 event id, 13 caravan id, 14 correction note ("" when uncorrected), 15 area kind
  // ("country", "admin1", ... when the event is known only at that level, else "").
  function eventPopup(d, r) {
    var s = d.styles[r[2]];
    var h = '<div class="ca-pop"><div class="ca-h" style="border-color:' + s.fill + '">' +
      s.label + (r[5] ? ' &#8212; ' + r[5] : '') + '</div>';
    h += meta('Place level', r[15] ? r[15] + ' (no town given)' : '') +
      meta('Date', r[4]) + meta('Date precision', r[7]) + meta('Status', s.status) +
      meta('Confidence', r[8]) + meta('People', r[9]) + meta('Caravan', r[13]);
    if (r[6]) { h += '<blockquote>' + r[6] + '</blockquote>'; }
    h += sources(d.articles, r[11]);
    h += meta('Alternatives', r[10]) + meta('Corrected', r[14]) + meta('Event id', r[12]);
    return h + '</div>';
  }

  var EventLayer = L.Layer.extend({
    initialize: function (d) {
      this.d = d;
      var rows = d.rows, n = rows.length;
      this.mx = new Float64Array(n);
      this.my = new Float64Array(n);
      // Events known only at a country or state level are grouped per area (drawn as a badge);
      // the others are points.
      this.points = [];
      this.areas = new Map();
      for (var i = 0; i < n; i++) {
        if (rows[i][15]) {
          var key = rows[i][15] + '|' + rows[i][5] + '|' + rows[i][0] + ',' + rows[i][1];
          var a = this.areas.get(key);
          if (a === undefined) {
            a = {ll: [rows[i][0], rows[i][1]], name: rows[i][5], kind: rows[i][15], items: []};
            this.areas.set(key, a);
          }
          a.items.push(i);
        } else {
          this.points.push(i);
        }
        var lat = Math.max(-85, Math.min(85, rows[i][0]));
        var s = Math.sin(lat * PI / 180);
        this.mx[i] = (rows[i][1] + 180) / 360;
        this.my[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * PI);
      }
    },
    onAdd: function (map) {
      this._g = L.featureGroup().addTo(map);
      this._areas = L.featureGroup().addTo(map);
      this._drawAreas();
      map.on('moveend', this._redraw, this);
      this._redraw({});
    },
    onRemove: function (map) {
      map.off('moveend', this._redraw, this);
      map.removeLayer(this._g);
      map.removeLayer(this._areas);
    },
    // One badge per area: its name and how many events are known only at that level. A click
    // lists them here and selects the area's place, whose evidence lists them too.
    _drawAreas: function () {
      var self = this, d = this.d, places = d.areaPlaces || {};
      var LEVEL = {admin1: 'state', country: 'country', region: 'region', continent: 'continent'};
      this.areas.forEach(function (a) {
        var n = a.items.length, level = LEVEL[a.kind] || a.kind, what = n + ' event' + (n === 1 ? '' : 's');
        var icon = L.divIcon({className: 'ca-area-icon', iconSize: null,
          html: '<div class="ca-area" title="' + what + ' known only at ' + level + ' level (no town given): ' +
            a.name + '"><b>' + n + '</b>' + a.name + ' <i>(' + level + ')</i></div>'});
        var m = L.marker(a.ll, {icon: icon, pane: A.panes.areaBadges, keyboard: false, area: a});
        m.on('click', function () {
          self.listPopup(a.ll, a.items, what + ' in ' + a.name + ' (' + level + ' level, no town given)');
          var pid = places[a.kind + '|' + a.name] || places['|' + a.name];
          if (pid) { report('places:' + pid); }
        });
        self._areas.addLayer(m);
      });
    },
    popup: function (i) { return eventPopup(this.d, this.d.rows[i]); },
    marker: function (i) {
      var d = this.d, r = d.rows[i], s = d.styles[r[2]], self = this;
      var fixed = !!r[14];
      var m = L.circleMarker([r[0], r[1]], {
        pane: A.panes.events, radius: r[3], color: fixed ? '#c2185b' : s.color, weight: fixed ? 3 : 1,
        fillColor: s.fill, fillOpacity: s.fillOpacity, dashArray: s.dash, row: i, corrected: fixed
      });
      m.bindPopup(function () { return self.popup(i); }, {maxWidth: 380});
      m.on('click', function () { report('events:' + r[12]); });
      return m;
    },
    listPopup: function (latlng, items, title) {
      var d = this.d, self = this;
      var h = '<div class="ca-pop"><div class="ca-h">' + (title || items.length + ' events here') +
        '</div><ol class="ca-list">';
      for (var k = 0; k < Math.min(items.length, 40); k++) {
        var r = d.rows[items[k]], s = d.styles[r[2]];
        h += '<li><a data-i="' + items[k] + '">' + (r[4] || 'undated') + ' &#8212; ' + s.label +
          (r[5] ? ', ' + r[5] : '') + '</a></li>';
      }
      h += '</ol>' + (items.length > 40 ? meta('Shown', '40 of ' + items.length) : '') + '</div>';
      var p = L.popup({maxWidth: 380}).setLatLng(latlng).setContent(h).openOn(this._map);
      var el = p.getElement();
      if (el) {
        L.DomEvent.on(el, 'click', function (ev) {
          var i = ev.target && ev.target.getAttribute && ev.target.getAttribute('data-i');
          if (i === null || i === undefined) { return; }
          i = +i;
          L.popup({maxWidth: 380}).setLatLng(latlng).setContent(self.popup(i)).openOn(self._map);
          report('events:' + d.rows[i][12]);
        });
      }
    },
    _redraw: function (e) {
      if (e && e.caSelect) { return; }
      var map = this._map;
      if (!map) { return; }
      var g = this._g, d = this.d, rows = d.rows, pts = this.points, n = pts.length;
      g.clearLayers();
      var z = map.getZoom(), scale = 256 * Math.pow(2, z);
      var b = map.getBounds().pad(0.25);
      var s = b.getSouth(), w = b.getWest(), no = b.getNorth(), ea = b.getEast();
      var cell = z >= 12 ? 1 : 56;
      var cells = new Map();
      for (var j = 0; j < n; j++) {
        var i = pts[j], r = rows[i];
        if (r[0] < s || r[0] > no || r[1] < w || r[1] > ea) { continue; }
        var key = Math.floor(this.mx[i] * scale / cell) * 1e7 + Math.floor(this.my[i] * scale / cell);
        var c = cells.get(key);
        if (c === undefined) { cells.set(key, [i]); } else { c.push(i); }
      }
      var self = this;
      cells.forEach(function (items) {
        if (items.length === 1) { g.addLayer(self.marker(items[0])); return; }
        var lat = 0, lon = 0, counts = {}, best = 0, bestStyle = 0;
        for (var k = 0; k < items.length; k++) {
          var r = rows[items[k]];
          lat += r[0]; lon += r[1];
          var t = d.styles[r[2]].fill;
          counts[t] = (counts[t] || 0) + 1;
          if (counts[t] > best) { best = counts[t]; bestStyle = t; }
        }
        var ll = [lat / items.length, lon / items.length];
        var size = items.length < 10 ? 26 : items.length < 100 ? 32 : items.length < 1000 ? 38 : 44;
        var cls = items.length < 10 ? 'small' : items.length < 100 ? 'medium' : 'large';
        var icon = L.divIcon({
          className: 'marker-cluster marker-cluster-' + cls,
          html: '<div class="ca-cl" style="width:' + size + 'px;height:' + size + 'px;background:' +
            bestStyle + '">' + items.length + '</div>',
          iconSize: [size, size]
        });
        var m = L.marker(ll, {icon: icon, title: items.length + ' events', pane: A.panes.clusters});
        m.on('click', function () {
          if (map.getZoom() < 10) { map.setView(ll, Math.min(map.getZoom() + 2, 12)); }
          else { self.listPopup(ll, items); }
        });
        g.addLayer(m);
      });
    }
  });

  A.addEvents = function (parent, d) {
    var layer = new EventLayer(d);
    parent.addLayer(layer);
    A.layers.events = layer;
    // the data's extent: the points (an area's centre says nothing about where events are)
    var pts = d.rows.filter(function (r) { return !r[15]; });
    A.bounds.events = boundsOf(pts.length ? pts : d.rows);
    return layer;
  };

  // ---------------------------------------------------------------- places
  // Row layout: 0 lat, 1 lon, 2 name, 3 kind, 4 country, 5 GeoNames id, 6 confidence,
  // 7 article count, 8 place id, 9 alternatives, 10 article indexes, 11 correction note.
  function placePopup(d, r) {
    return '<div class="ca-pop"><div class="ca-h">' + r[2] + '</div>' + meta('Corrected', r[11]) +
      meta('Kind', r[3]) +
      meta('Country', r[4]) + meta('GeoNames id', r[5]) + meta('Confidence', r[6]) +
      meta('Articles', r[7]) + meta('Alternatives', r[9]) + sources(d.articles, r[10]) +
      meta('Place id', r[8]) + '</div>';
  }
  A.addPlaces = function (parent, d) {
    var group = L.featureGroup(), pane = A.panes.places;
    d.rows.forEach(function (r) {
      var m = L.circleMarker([r[0], r[1]], r[11] ?
        {pane: pane, radius: 6, color: '#c2185b', weight: 3, fillColor: '#f06292', fillOpacity: 0.9,
         corrected: true} :
        {pane: pane, radius: 4, color: '#222', weight: 1, fillColor: '#555', fillOpacity: 0.7});
      m.bindPopup(function () { return placePopup(d, r); }, {maxWidth: 380});
      m.bindTooltip(r[2]);
      m.on('click', function () { report('places:' + r[8]); });
      group.addLayer(m);
    });
    parent.addLayer(group);
    A.layers.places = {group: group, popup: function (i) { return placePopup(d, d.rows[i]); }, rows: d.rows};
    A.bounds.places = boundsOf(d.rows);
    return group;
  };

  // ---------------------------------------------------------------- routes and crossings
  // Items: {ll: [[lat, lon], ...], style: {...}, popup: HTML, tip: HTML, id: "routes:..."}
  A.addLines = function (parent, kind, d) {
    var group = L.featureGroup(), all = [];
    d.items.forEach(function (it) {
      var line = L.polyline(it.ll, L.extend({pane: A.panes.lines}, it.style));
      line.bindPopup(it.popup, {maxWidth: 380});
      if (it.tip) { line.bindTooltip(it.tip, {sticky: true}); }
      line.on('click', function () { report(it.id); });
      group.addLayer(line);
      if (it.arrow && typeof line.setText === 'function') {
        line.setText('   \u25ba   ', {repeat: true, offset: 5,
          attributes: {fill: it.style.color, 'font-size': '13', opacity: String(it.style.opacity)}});
      }
      all = all.concat(it.ll);
    });
    parent.addLayer(group);
    A.layers[kind] = group;
    A.bounds[kind] = boundsOf(all);
    return group;
  };
  // Items: {ll: [lat, lon], html: icon HTML, popup, tip, id, lines: [[[lat, lon], ...]], colour}
  A.addCrossings = function (parent, d) {
    var group = L.featureGroup(), all = [];
    d.items.forEach(function (it) {
      (it.lines || []).forEach(function (ll) {
        var line = L.polyline(ll, {color: it.colour, weight: 5, opacity: 0.8, pane: A.panes.lines});
        line.bindPopup(it.popup, {maxWidth: 380});
        line.on('click', function () { report(it.id); });
        group.addLayer(line);
      });
      var m = L.marker(it.ll, {pane: A.panes.crossings, icon: L.divIcon({html: it.html, iconSize: [18, 18],
        iconAnchor: [9, 9], className: 'ca-crossing'})});
      m.bindPopup(it.popup, {maxWidth: 380});
      if (it.tip) { m.bindTooltip(it.tip); }
      m.on('click', function () { report(it.id); });
      group.addLayer(m);
      all.push(it.ll);
    });
    parent.addLayer(group);
    A.layers.crossings = group;
    A.bounds.crossings = boundsOf(all);
    return group;
  };

  // ---------------------------------------------------------------- selection
  A.addSelection = function (parent, d) {
    var group = L.featureGroup();
    if (d.areas && d.areas.features.length) {
      L.geoJSON(d.areas, {interactive: false, pane: A.panes.selectionArea, style: {color: '#c2185b', weight: 2.5, fillColor: '#f06292',
        fillOpacity: 0.25}}).addTo(group);
    }
    (d.points || []).forEach(function (p) {
      L.circleMarker(p, {radius: 16, color: '#c2185b', weight: 3, fill: false, interactive: false,
        pane: A.panes.selectionPoint}).addTo(group);
    });
    var all = [];
    (d.lines || []).forEach(function (ll) {
      L.polyline(ll, {color: '#c2185b', weight: 9, opacity: 0.35, interactive: false,
        pane: A.panes.selectionLine}).addTo(group);
      all = all.concat(ll);
    });
    // The alternative candidate picked in the corrections form: a dashed ring and its name.
    var target = null;
    if (d.candidate) {
      L.circleMarker(d.candidate.ll, {radius: 13, color: '#0b6e99', weight: 3, dashArray: '4 3', fill: false,
        interactive: false, pane: A.panes.selectionPoint, caCandidate: true})
        .bindTooltip(d.candidate.label, {permanent: true, direction: 'right', offset: [12, 0]}).addTo(group);
      target = L.latLngBounds([d.candidate.ll, d.candidate.ll]);
    } else if (d.points && d.points.length) {
      target = L.latLngBounds([d.points[0], d.points[0]]);
    } else if (all.length) {
      target = L.latLngBounds(all);
    } else if (d.areas && d.areas.features.length) {
      target = L.geoJSON(d.areas).getBounds();
    }
    parent.addLayer(group);
    A.layers.selection = group;
    A.panToSelection(d.key || '', target);
    return group;
  };
  // A new selection (a row of the events table, a place picked in the side panel, a candidate
  // in the corrections form) is brought into view: panned to when it lies outside the middle
  // of the map, the zoom kept (zoomed out only as far as a line or an area needs). The first
  // selection the map sees is the one its link carries: the link's own view wins.
  A.panToSelection = function (key, b) {
    var first = A.selKey === undefined;
    if (key === A.selKey) { return; }
    A.selKey = key;
    var map = A.map;
    if (first || !b || !map || !b.isValid()) { return; }
    if (map.getBounds().pad(-0.15).contains(b)) { return; }
    var sw = b.getSouthWest(), ne = b.getNorthEast();
    if (sw.equals(ne)) { map.panTo(sw, {animate: false}); }
    else { map.fitBounds(b, L.extend({maxZoom: map.getZoom(), animate: false}, A.viewPadding())); }
    A.lastPan = key;
  };

  A.add = function (parent, kind, d) {
    if (kind === 'events') { return A.addEvents(parent, d); }
    if (kind === 'places') { return A.addPlaces(parent, d); }
    if (kind === 'routes') { return A.addLines(parent, 'routes', d); }
    if (kind === 'crossings') { return A.addCrossings(parent, d); }
    if (kind === 'selection') { return A.addSelection(parent, d); }
  };

  // ---------------------------------------------------------------- view
  // The room the controls leave: data is fitted between the top and the bottom control
  // stacks (zoom, fit and layers at the top; legend, scale and attribution at the bottom),
  // so no control covers it, whatever the width of the map.
  A.viewPadding = function () {
    var map = A.map, box = map.getContainer().getBoundingClientRect(), top = 0, bottom = 0;
    var els = map.getContainer().querySelectorAll('.leaflet-control');
    for (var i = 0; i < els.length; i++) {
      var r = els[i].getBoundingClientRect(), corner = els[i].parentNode;
      if (!r.width || !r.height || !corner || !corner.classList) { continue; }
      if (corner.classList.contains('leaflet-top')) { top = Math.max(top, r.bottom - box.top); }
      else { bottom = Math.max(bottom, box.bottom - r.top); }
    }
    top = Math.max(top, 58);  // the layer control (Streamlit adds it after the first fit)
    if (box.height - top - bottom < 80) { return {padding: [8, 8]}; }
    return {paddingTopLeft: [8, top + 6], paddingBottomRight: [8, bottom + 6]};
  };
  A.dataBounds = function () {
    var b = null;
    ['events', 'routes', 'crossings'].forEach(function (k) {
      var x = A.bounds[k];
      if (!x) { return; }
      b = b ? b.extend(L.latLngBounds(x)) : L.latLngBounds(x);
    });
    if (!b && A.bounds.places) { b = L.latLngBounds(A.bounds.places); }
    return b;
  };
  A.fitBounds = function (b) {
    if (b && A.map) { A.map.fitBounds(L.latLngBounds(b), L.extend({maxZoom: 9}, A.viewPadding())); }
  };
  A.fitData = function () {
    var b = A.dataBounds();
    if (b) { A.fitBounds(b.pad(0.05)); }
  };
  // An opened legend makes room for the data when the whole of it is in view (the overview).
  A.legendToggled = function (div) {
    var map = A.map, b = A.dataBounds();
    if (!map || !b || !div.querySelector('details[open]') || !map.getBounds().contains(b)) { return; }
    var box = map.getContainer().getBoundingClientRect(), r = div.getBoundingClientRect();
    var nw = map.latLngToContainerPoint(b.getNorthWest()), se = map.latLngToContainerPoint(b.getSouthEast());
    var covered = r.left - box.left < se.x && nw.x < r.right - box.left &&
      r.top - box.top < se.y && nw.y < r.bottom - box.top;
    if (covered) { A.fitData(); }
  };
  // Keep the map's centre and zoom in the page URL (c, z) so that a copied link reproduces
  // the view; Streamlit reads the URL on the next rerun. Panning itself does not rerun.
  A.writeView = function (e) {
    if (e && e.caSelect) { return; }
    var map = A.map;
    if (!map) { return; }
    var c = map.getCenter(), z = map.getZoom();
    var targets = [];
    try { if (window.parent && window.parent !== window) { targets.push(window.parent); } } catch (err) {}
    try { if (window.top && window.top !== window.parent && window.top.location.origin === window.location.origin) {
      targets.push(window.top); } } catch (err) {}
    targets.forEach(function (w) {
      try {
        var u = new URL(w.location.href);
        // another workspace opened in this page: its view is not this map's to write
        if (A.workspace && u.searchParams.get('ws') && u.searchParams.get('ws') !== A.workspace) { return; }
        u.searchParams.set('c', c.lat.toFixed(5) + ',' + c.lng.toFixed(5));
        u.searchParams.set('z', String(z));
        if (u.href !== w.location.href) { w.history.replaceState(w.history.state, '', u.href); }
      } catch (err) {}
    });
  };
  // The view a shared link carries (c=lat,lon & z) in the page URL, or null.
  A.urlView = function () {
    var w = null;
    try { if (window.parent && window.parent !== window) { w = window.parent; } } catch (err) {}
    try {
      var p = new URL((w || window).location.href).searchParams;
      var c = (p.get('c') || '').split(','), z = p.get('z');
      var lat = parseFloat(c[0]), lng = parseFloat(c[1]);
      if (c.length !== 2 || !/^[0-9]{1,2}$/.test(z || '') || !isFinite(lat) || !isFinite(lng) ||
          Math.abs(lat) > 90 || Math.abs(lng) > 180) { return null; }
      return {lat: lat, lng: lng, z: Math.min(18, Math.max(2, parseInt(z, 10)))};
    } catch (err) { return null; }
  };
  // The first view: the link's own view when it carries one, else the data fitted.
  A.initialView = function (b, workspace) {
    A.workspace = workspace || null;
    var v = A.urlView();
    if (v && A.map) { A.map.setView([v.lat, v.lng], v.z, {animate: false}); }
    else { A.fitBounds(b); }
  };
  A.init = function (map, panes) {
    A.map = map;
    A.panes = panes;
    // Leaflet focuses the map on the first mousedown (for the keyboard); when the map is partly
    // out of the page's view that scrolls the page, and the click lands somewhere else.
    var container = map.getContainer(), focus = container.focus;
    container.focus = function () { focus.call(container, {preventScroll: true}); };
    map.on('moveend', A.writeView);
    // The app rewrites the URL when the filters change (reset, play) with the centre and
    // zoom it last heard of: the map's own view wins, checked twice a second.
    if (A.viewTimer) { clearInterval(A.viewTimer); }
    A.viewTimer = setInterval(function () { A.writeView(); }, 500);
    var Fit = L.Control.extend({
      options: {position: 'topleft'},
      onAdd: function () {
        var div = L.DomUtil.create('div', 'leaflet-bar ca-fit');
        var a = L.DomUtil.create('a', '', div);
        a.innerHTML = '&#10530;';
        a.title = 'Fit to data';
        a.setAttribute('role', 'button');
        L.DomEvent.on(a, 'click', function (ev) { L.DomEvent.stop(ev); A.fitData(); });
        L.DomEvent.disableClickPropagation(div);
        return div;
      }
    });
    new Fit().addTo(map);
  };
  return A;
})();
"""


# --------------------------------------------------------------------------- elements


def _safe_json(value: Any) -> str:
    """JSON for embedding in a script that branca will compile as a Jinja2 template.

    Every string in ``value`` must already be escaped. ``<``, ``>`` and ``&`` (from our own
    markup) are written as ``\\u003c``/``\\u003e``/``\\u0026`` so nothing can close the
    ``<script>``; a Jinja2 delimiter cannot appear (strings hold no braces, structure never
    yields ``{{``/``{%``/``{#``), which is asserted.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    for delimiter in ("{{", "{%", "{#"):
        if delimiter in text:  # pragma: no cover - defence in depth
            raise ValueError(f"template delimiter {delimiter!r} in map data")
    return text


class DataLayer(MacroElement):
    """One data layer: ``CaravanAtlas.add(parent, kind, <escaped JSON>)``.

    ``kind`` is one of :data:`KINDS` (never data); ``data_json`` comes from :func:`_safe_json`.
    """

    KINDS = ("events", "places", "routes", "crossings", "selection")
    _template = Template(
        """
{% macro script(this, kwargs) %}
CaravanAtlas.add({{ this._parent.get_name() }}, {{ this.kind|tojson }}, {{ this.data_json }});
{% endmacro %}
"""
    )

    def __init__(self, kind: str, data: Mapping[str, Any] | str) -> None:
        super().__init__()
        if kind not in self.KINDS:
            raise ValueError(f"unknown layer kind {kind!r}")
        self._name = "DataLayer"
        self.kind = kind
        self.data_json = data if isinstance(data, str) else _safe_json(data)


class OutlineLayer(MacroElement):
    """A non-interactive GeoJSON outline layer (basemap) from geometry-only features."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
L.geoJSON({{ this.data_json }}, {interactive: false, pane: {{ this.pane|tojson }}, style: {{ this.style|tojson }}})
  .addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, data: Mapping[str, Any] | str, style: Mapping[str, Any], pane: str = "overlayPane") -> None:
        super().__init__()
        self._name = "OutlineLayer"
        self.data_json = data if isinstance(data, str) else _safe_json(data)  # a str: from _outline_json
        self.style = dict(style)
        self.pane = pane


class InitialView(MacroElement):
    """Fit ``bounds`` ([[s, w], [n, e]], numbers only) into the room the controls leave, unless
    the page URL carries a view (``c``, ``z``) of its own: then that view."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
CaravanAtlas.initialView({{ this.bounds|tojson }}, {{ this.workspace|tojson }});
{% endmacro %}
"""
    )

    def __init__(self, bounds: Sequence[Sequence[float]], workspace: str | None = None) -> None:
        super().__init__()
        self._name = "InitialView"
        self.bounds = [[float(bounds[0][0]), float(bounds[0][1])], [float(bounds[1][0]), float(bounds[1][1])]]
        # the map keeps its view in the URL only while the URL names its workspace (a store id: [a-z0-9-])
        self.workspace = workspace if workspace and re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", workspace) else None


class MapExtras(JSCSSMixin, MacroElement):
    """The JS library, attribution, CSS, legend and view sync (constant content only)."""

    _template = Template(
        """
{% macro header(this, kwargs) %}
<style>{{ this.css }}</style>
{% endmacro %}
{% macro script(this, kwargs) %}
{{ this.library }}
L.Icon.Default.imagePath = {{ this.icon_path|tojson }};
{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.attribution|tojson }});
CaravanAtlas.init({{ this._parent.get_name() }}, {{ this.panes|tojson }});
(function () {
  var legend = L.control({position: 'bottomleft'});
  legend.onAdd = function () {
    var div = L.DomUtil.create('div', 'ca-legend');
    div.innerHTML = {{ this.legend_html|tojson }};
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    var details = div.querySelector('details');
    if (details) { details.addEventListener('toggle', function () { CaravanAtlas.legendToggled(div); }); }
    return div;
  };
  legend.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
"""
    )

    default_js = list(folium.plugins.PolyLineTextPath.default_js)
    default_css = list(folium.plugins.MarkerCluster.default_css)

    def __init__(self, attribution: str, legend_html: str, icon_path: str) -> None:
        super().__init__()
        self._name = "MapExtras"
        self.attribution = attribution
        self.legend_html = legend_html
        self.icon_path = icon_path
        self.css = _POPUP_CSS
        self.library = _LIBRARY_JS
        self.panes = {role: name for role, (name, _z, _pointer) in PANES.items()}


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


# --------------------------------------------------------------------------- basemap


def _round_coords(coords: Any, ndigits: int) -> Any:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(c), ndigits) for c in coords[:2]]
    return [_round_coords(c, ndigits) for c in coords]


@functools.lru_cache(maxsize=8)
def _outline_json(path: str, tolerance: float, ndigits: int = 3) -> str:
    """Geometry-only, simplified FeatureCollection from a local GeoJSON file, as the JSON text
    the map embeds (:func:`_safe_json`). Cached in the process and on disk as that text:
    simplifying the world's outlines took most of a second per start, and reading them back
    as nested lists then writing them out as JSON again another 0.2 s."""
    key = repr((path, tolerance, ndigits))
    outline = diskcache.load("outline", key)
    if not isinstance(outline, str):
        outline = _safe_json(_simplified_outline(path, tolerance, ndigits))
        diskcache.save("outline", key, outline)
    return outline


def _simplified_outline(path: str, tolerance: float, ndigits: int) -> dict[str, Any]:
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


# --------------------------------------------------------------------------- data layers


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
        key = (article_id, title, url, source, str(date))
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.rows)
            self.rows.append(
                [
                    escape_text(title),
                    safe_url(url),
                    escape_text(source),
                    escape_text("" if _is_missing(date) else str(date)[:10]),
                    escape_text(article_id),
                ]
            )
        return found

    def for_row(self, row: Mapping[str, Any]) -> list[int]:
        ids = _as_list(_get(row, "article_ids", "article_id"))
        titles = _as_list(_get(row, "article_title", "article_titles"))
        urls = _as_list(_get(row, "article_url", "article_urls"))
        srcs = _as_list(_get(row, "article_source", "article_sources"))
        dates = _as_list(_get(row, "article_date", "article_published", "article_dates"))
        n = max(len(ids), len(titles), len(urls))
        out = []
        for i in range(min(n, 10)):
            out.append(
                self.add(
                    ids[i] if i < len(ids) else None,
                    titles[i] if i < len(titles) else None,
                    urls[i] if i < len(urls) else None,
                    srcs[i] if i < len(srcs) else (srcs[0] if srcs else None),
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


def _popup_html(title: str, meta: Sequence[tuple[str, str]], extra: str = "", colour: str = "#888") -> str:
    """Popup HTML from escaped pieces (``title``/values must come from escape functions)."""
    rows = "".join(f'<div class="ca-meta"><b>{label}:</b> {value}</div>' for label, value in meta if value)
    return f'<div class="ca-pop"><div class="ca-h" style="border-color:{colour}">{title}</div>{rows}{extra}</div>'


def _column(frame: Any, *names: str) -> list[Any]:
    for name in names:
        if frame is not None and name in frame.columns:
            return frame[name].tolist()
    return [None] * (0 if frame is None else len(frame))


def _xy(frame: Any) -> tuple[np.ndarray, np.ndarray]:
    """lon, lat arrays of point geometries (a representative point otherwise); NaN if none."""
    if frame is None or len(frame) == 0:
        return np.zeros(0), np.zeros(0)
    geoms = np.asarray(frame.geometry.values, dtype=object)
    types = shapely.get_type_id(geoms)  # -1 None, 0 Point
    pts = np.where(types == 0, geoms, None)
    other = (types > 0) & ~shapely.is_empty(np.where(types > 0, geoms, None))
    if other.any():
        pts = pts.copy()
        pts[other] = shapely.point_on_surface(geoms[other])
    x = shapely.get_x(pts)
    y = shapely.get_y(pts)
    bad = ~(np.isfinite(x) & np.isfinite(y) & (np.abs(x) <= 180) & (np.abs(y) <= 90))
    x = np.where(bad, np.nan, x)
    y = np.where(bad, np.nan, y)
    return x, y


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


def _miss(v: Any) -> bool:
    """Fast missing-value test for scalars (None, pd.NA, NaN, NaT)."""
    return v is None or v is pd.NA or v is pd.NaT or (type(v) is float and v != v)


def _fast_num(v: Any) -> float | None:
    if _miss(v):
        return None
    try:
        out = float(v)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


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
        lo, hi = _fast_num(pmin[i]), _fast_num(pmax[i])
        if lo is None and hi is None:
            people_text, people = "", None
        elif lo is not None and hi is not None and lo != hi:
            people_text, people = f"{int(lo):,}–{int(hi):,}", hi
        else:
            people = hi if hi is not None else lo
            people_text = f"{int(people):,}"
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
            ]
        )
    return EventRows(rows, styles, table.rows, id_map)


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


def _correction_note(row: Mapping[str, Any]) -> str:
    """Escaped "was …" note of a corrected feature ("" when uncorrected)."""
    if not is_corrected(row):
        return ""
    was = original_text(row.get("original"))
    return escape_text(f"yes; was {was}" if was else "yes")


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


#: Place kinds that stand for a whole country or world region: they widen the first view only
#: when a corpus has nothing finer (a story naming India must not zoom a Mexican corpus out).
BROAD_PLACE_KINDS = ("country", "demonym", "region", "continent")


def atlas_extent(events: Any = None, routes: Any = None, crossings: Any = None,
                 places: Any = None) -> list[list[float]] | None:
    """The first view of an atlas, wherever in the world it is: :func:`map_bounds` over its
    events, routes, crossings and places, leaving out country- and region-wide places unless
    nothing else has a position."""
    broad = None
    if places is not None and len(places) and "kind" in places.columns:
        broad = places["kind"].isin(BROAD_PLACE_KINDS)
    local = places[~broad] if broad is not None else places
    return map_bounds(events, routes, crossings, local) or map_bounds(places)


def _check_crs(name: str, frame: Any) -> None:
    crs = getattr(frame, "crs", None)
    if frame is not None and len(frame) and crs is not None and not crs.equals("EPSG:4326"):
        raise ValueError(f"{name} must be in EPSG:4326, got {crs.to_string()!r}")




# --------------------------------------------------------------------------- selection areas


@functools.lru_cache(maxsize=1)
def _boundary_index() -> dict[str, Any]:
    """Natural Earth polygons by ISO alpha-2 (countries) and GeoNames admin-1 code / id."""
    countries: dict[str, Any] = {}
    with open(COUNTRIES_FILE, encoding="utf-8") as fh:
        for feature in json.load(fh).get("features", []):
            props = feature.get("properties") or {}
            code = props.get("ISO_A2_EH") or props.get("ISO_A2")
            if code and code != "-99" and feature.get("geometry"):
                countries[str(code).upper()] = (props.get("NAME") or props.get("ADMIN") or code, feature["geometry"])
    admin1: dict[str, Any] = {}
    by_gid: dict[int, str] = {}
    if ADMIN1_FILE.exists():
        with open(ADMIN1_FILE, encoding="utf-8") as fh:
            for feature in json.load(fh).get("features", []):
                props = feature.get("properties") or {}
                code = props.get("gn_a1_code")
                if code and feature.get("geometry"):
                    admin1[str(code)] = (props.get("name") or code, feature["geometry"])
                    if props.get("gn_id"):
                        by_gid[int(props["gn_id"])] = str(code)
    if ADMIN1_POINTS.exists():
        points = pd.read_csv(ADMIN1_POINTS, usecols=["geonames_admin1", "geonameid"], dtype=str)
        for code, gid in zip(points["geonames_admin1"], points["geonameid"]):
            if isinstance(gid, str) and gid.isdigit() and code in admin1:
                by_gid.setdefault(int(gid), code)
    return {"countries": countries, "admin1": admin1, "admin1_by_gid": by_gid}


def _simplified(geometry: Mapping[str, Any], tolerance: float = 0.01) -> dict[str, Any]:
    geom = shapely.geometry.shape(geometry).simplify(tolerance, preserve_topology=True)
    mapping = shapely.geometry.mapping(geom)
    return {"type": mapping["type"], "coordinates": _round_coords(mapping["coordinates"], 4)}


def selection_areas(place: Mapping[str, Any] | None) -> list[tuple[str, dict[str, Any]]]:
    """Natural Earth polygon(s) of a place of kind country/demonym or admin1: [(name, geometry)].

    Countries are joined on ``ISO_A2_EH`` (the place's ``country_code``); admin-1 areas on
    the GeoNames admin-1 code (``admin1``, e.g. ``MX.05``) or, failing that, the GeoNames
    id through ``data/geonames/admin1_world_points.csv``.
    """
    if not place:
        return []
    kind = str(place.get("kind") or "").lower()
    index = _boundary_index()
    if kind in ("country", "demonym"):
        code = place.get("country_code")
        found = index["countries"].get(str(code).upper()) if isinstance(code, str) else None
        return [(found[0], _simplified(found[1]))] if found else []
    if kind in ("admin1", "state", "province"):
        code = place.get("admin1")
        if not (isinstance(code, str) and code in index["admin1"]):
            gid = place.get("geonameid")
            gid = None if _is_missing(gid) else _num(gid)
            code = index["admin1_by_gid"].get(int(gid)) if gid is not None else None
        found = index["admin1"].get(code) if code else None
        return [(found[0], _simplified(found[1], 0.005))] if found else []
    return []


def _selection_data(selection: Mapping[str, Any] | None) -> dict[str, Any]:
    """``selection``: {"areas": [(name, geometry)], "point": (lat, lon) | None, "lines": [...],
    "key": what is selected (the map pans when it changes), "candidate": (lat, lon, label) of
    the alternative picked in the corrections form, or None}."""
    selection = selection or {}
    features = [
        {"type": "Feature", "properties": {"name": escape_text(name)}, "geometry": geometry}
        for name, geometry in selection.get("areas", [])
    ]
    point = selection.get("point")
    candidate = selection.get("candidate")
    return {
        "areas": {"type": "FeatureCollection", "features": features},
        "points": [[round(float(point[0]), 5), round(float(point[1]), 5)]] if point else [],
        "lines": selection.get("lines", []),
        "key": escape_text(selection.get("key") or ""),
        "candidate": {"ll": [round(float(candidate[0]), 5), round(float(candidate[1]), 5)],
                      "label": escape_text(candidate[2])} if candidate else None,
    }


# --------------------------------------------------------------------------- maps


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
        f"<details><summary>Legend</summary><b>Events</b> (size: people; faint: planned; "
        f"numbers: clusters, click to zoom)<div class='ca-grid'>{items}</div>"
        "<div style='margin-top:3px'><span class='ca-area' style='transform:none'><b>2</b>Country</span> "
        "events known only at a country or state level (no town given): click to list them</div>"
        f"<div style='margin-top:3px'><b>Crossings</b> (P port, B bridge, R rail, &#8776; river) {statuses}</div>"
        "<div style='margin-top:3px'><b>Routes</b>: solid reported, faint inferred, dashed intended, "
        "dotted straight (no highway known), &#9658; direction</div><div style='margin-top:3px'><b style='color:#c2185b'>&#9711;</b> "
        "magenta ring: corrected by a reader</div></details>"
    )


def _check_crs(name: str, frame: Any) -> None:
    crs = getattr(frame, "crs", None)
    if frame is not None and len(frame) and crs is not None and not crs.equals("EPSG:4326"):
        raise ValueError(f"{name} must be in EPSG:4326, got {crs.to_string()!r}")


def build_base_map(
    bounds: list[list[float]] | None = None,
    *,
    asset_base: str = APP_ASSET_BASE,
    countries: bool = True,
    admin1: bool = True,
    reference: bool = True,
    height: str | int = "100%",
    layer_control: bool = True,
    workspace: str | None = None,
) -> folium.Map:
    """The map without data: basemap, controls, legend and the data-layer library.

    Pure (reads only the bundled boundary files, cached). ``bounds`` ([[s, w], [n, e]])
    is the initial view. Its script depends only on ``bounds`` and the flags, so
    Streamlit keeps the same map (and view) while the data layers change. ``workspace``
    (the open workspace's id): the map writes its view into the page URL only while the
    URL names that workspace, so a switch to another one starts from that one's extent.
    """
    m = folium.Map(location=[20.0, -95.0], zoom_start=5, tiles=None, control_scale=True, height=height)
    m.options["min_zoom"] = 2
    m.options["max_zoom"] = 18
    for name, z_index, pointer_events in PANES.values():
        if name not in _LEAFLET_PANES:
            folium.map.CustomPane(name, z_index=z_index, pointer_events=pointer_events).add_to(m)
    MapExtras(ATTRIBUTION, _legend_html(), f"{asset_base}vendor/").add_to(m)

    folium.FeatureGroup(name=NO_TILES, overlay=False, show=True).add_to(m)
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)", overlay=False, show=False, max_zoom=18).add_to(m)
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
            PANES["countries"][0],
        ).add_to(group)
        group.add_to(m)
    if admin1 and ADMIN1_FILE.exists():
        group = folium.FeatureGroup(name=ADMIN1_LAYER, overlay=True, show=True)
        OutlineLayer(
            _outline_json(str(ADMIN1_FILE), 0.02),
            {"color": "#aaaaaa", "weight": 0.6, "dashArray": "2 3", "fill": False},
            PANES["admin1"][0],
        ).add_to(group)
        group.add_to(m)
    if reference:
        group = folium.FeatureGroup(name=REFERENCE_LAYER, overlay=True, show=True)
        ReferenceLayer(asset_base, PANES["reference"][0]).add_to(group)
        group.add_to(m)
    folium.plugins.Fullscreen(position="topleft").add_to(m)
    if layer_control:
        folium.LayerControl(collapsed=True, position="topright").add_to(m)
    if bounds is not None:
        InitialView(bounds, workspace).add_to(m)  # last: it makes room for the controls above
    return localize(m, asset_base)


def build_layers(
    events: Any = None,
    routes: Any = None,
    places: Any = None,
    crossings: Any = None,
    *,
    articles: Mapping[str, Mapping[str, Any]] | None = None,
    prepared: EventRows | None = None,
    event_mask: Sequence[bool] | np.ndarray | None = None,
    selection: Mapping[str, Any] | None = None,
    show_places: bool = True,
    caravan_colours: Mapping[str, str] | None = None,
) -> list[folium.FeatureGroup]:
    """The data layers as FeatureGroups (routes, crossings, places, events, selection).

    ``prepared`` (from :func:`prepare_events` over the *whole* atlas) with ``event_mask``
    (the rows to show) avoids escaping the events again on every filter change; without
    it ``events`` is prepared here.
    """
    for name, frame in (("events", events), ("routes", routes), ("places", places), ("crossings", crossings)):
        _check_crs(name, frame)
    table = _Articles(articles)
    groups = []
    route_group = folium.FeatureGroup(name=ROUTE_LAYER, overlay=True, show=True)
    DataLayer("routes", _route_data(routes, table, caravan_colours)).add_to(route_group)
    groups.append(route_group)
    crossing_group = folium.FeatureGroup(name=CROSSING_LAYER, overlay=True, show=True)
    DataLayer("crossings", _crossing_data(crossings, table)).add_to(crossing_group)
    groups.append(crossing_group)
    place_group = folium.FeatureGroup(name=PLACE_LAYER, overlay=True, show=show_places)
    DataLayer("places", _place_data(places, table)).add_to(place_group)
    groups.append(place_group)
    if prepared is None:
        prepared = prepare_events(events, articles)
        event_mask = None
    event_group = folium.FeatureGroup(name=EVENT_LAYER, overlay=True, show=True)
    payload = prepared.payload(event_mask)
    payload["areaPlaces"] = _area_places(places)
    DataLayer("events", payload).add_to(event_group)
    groups.append(event_group)
    selection_group = folium.FeatureGroup(name=SELECTION_LAYER, overlay=True, show=True)
    DataLayer("selection", _selection_data(selection)).add_to(selection_group)
    groups.append(selection_group)
    return groups


def build_map(
    events: Any = None,
    routes: Any = None,
    places: Any = None,
    crossings: Any = None,
    *,
    articles: Mapping[str, Mapping[str, Any]] | None = None,
    asset_base: str = APP_ASSET_BASE,
    show_places: bool = True,
    countries: bool = True,
    admin1: bool = True,
    reference: bool = True,
    selection: Mapping[str, Any] | None = None,
    height: str | int = "100%",
) -> folium.Map:
    """The whole map (frame and data) in one :class:`folium.Map`; pure.

    Evidence columns of ``events`` are used when present: ``sentence``, ``alternatives``,
    ``article_title``, ``article_url``, ``article_source``, ``article_date``; ``articles``
    (``article_id -> {"title", "url", "source", "published"}``) fills in the rest.
    ``asset_base`` is the URL of the app's ``static/`` folder as seen from the page.
    """
    bounds = map_bounds(events, routes, crossings) or map_bounds(places)
    m = build_base_map(bounds, asset_base=asset_base, countries=countries, admin1=admin1, reference=reference,
                       height=height, layer_control=False)
    for group in build_layers(events, routes, places, crossings, articles=articles, selection=selection,
                              show_places=show_places):
        group.add_to(m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    return localize(m, asset_base)
