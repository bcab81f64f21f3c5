"""The map's client side: the popup CSS and the small JS library (``window.CaravanAtlas``)
that draws the data layers, clusters events and builds popups on click."""

from __future__ import annotations

_POPUP_CSS = """
.ca-pop{font:13px/1.35 system-ui,sans-serif;max-width:360px}
.ca-pop .ca-h{font-weight:600;border-left:5px solid #888;padding-left:6px;margin-bottom:4px}
.ca-pop .ca-meta{color:#444;font-size:12px;margin:2px 0}
.ca-pop blockquote{margin:6px 0;padding:4px 8px;border-left:3px solid #ccc;background:#fafafa}
.ca-pop .ca-lang{font-weight:600;margin-top:6px}
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
.ca-touch-hint{position:absolute;left:50%;top:50%;transform:translate(-50%,-50%);z-index:1000;pointer-events:none;
 padding:8px 12px;border-radius:6px;background:rgba(0,0,0,.7);color:#fff;font:600 14px/1.3 system-ui,sans-serif;
 white-space:nowrap;opacity:0;transition:opacity .2s}
.ca-touch-hint.ca-on{opacity:1}
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
  // Tell the page which feature was clicked: "<layer>:<id>#<n>" (n counts the clicks, so that a
  // second click on the same feature is news too), as a "caselect" event of the map, which the
  // map frame (dashboard/map/frontend) sends to Streamlit.
  function report(id) {
    if (!id) { return; }
    A.seq += 1;
    var value = id + '#' + A.seq;
    A.lastReported = value;
    if (A.map) { A.map.fire('caselect', {value: value}); }
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
  // ("country", "admin1", ... when the event is known only at that level, else ""),
  // 16 language name of the article ("Spanish"; "" when unknown), 17 its code when the sentence
  // is not in English ("es": the quote is marked as the original, else "").
  function eventPopup(d, r) {
    var s = d.styles[r[2]];
    var h = '<div class="ca-pop"><div class="ca-h" style="border-color:' + s.fill + '">' +
      s.label + (r[5] ? ' &#8212; ' + r[5] : '') + '</div>';
    h += meta('Place level', r[15] ? r[15] + ' (no town given)' : '') +
      meta('Date', r[4]) + meta('Date precision', r[7]) + meta('Status', s.status) +
      meta('Confidence', r[8]) + meta('People', r[9]) + meta('Caravan', r[13]) + meta('Language', r[16]);
    if (r[6]) {
      h += (r[17] ? '<div class="ca-meta ca-lang">' + r[16] + ' original sentence</div>' : '') +
        '<blockquote' + (r[17] ? ' lang="' + r[17] + '"' : '') + '>' + r[6] + '</blockquote>';
    }
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
    _redraw: function () {
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
  A.writeView = function () {
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
  // The basemap's outlines (countries, states): static files, fetched at once and drawn in
  // their pane after the next painted frame, so that they never hold up the data's first paint.
  // A.outlines counts them: pending (asked for), drawn, failed (not fetched after a few tries).
  A.outlines = {pending: 0, drawn: 0, failed: 0};
  A.outline = function (parent, url, pane, style) {
    var tries = 4;
    A.outlines.pending += 1;
    function draw(d) {
      requestAnimationFrame(function () {
        setTimeout(function () {
          L.geoJSON(d, {interactive: false, pane: pane, style: style}).addTo(parent);
          A.outlines.pending -= 1;
          A.outlines.drawn += 1;
        }, 0);
      });
    }
    function fail() {
      tries -= 1;
      if (tries > 0) { setTimeout(get, 1000); return; }
      A.outlines.pending -= 1;
      A.outlines.failed += 1;
    }
    function get() {
      if (!window.fetch) { fail(); return; }
      fetch(url).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (d) { if (d && d.type === 'FeatureCollection') { draw(d); } else { fail(); } }, fail);
    }
    get();
  };
  // On a touch screen at a phone's width (the map no wider than page_layout.NARROW, 640 px) the
  // map must not take the page's scrolling: one finger scrolls the page (Leaflet's dragging is
  // off, so its CSS leaves the container `touch-action: pan-x pan-y` and the browser scrolls),
  // two fingers move and zoom the map (Leaflet's pinch zoom follows the fingers' centre).
  // A one-finger swipe over the map says so for a moment. Wider maps keep dragging, and so do
  // devices whose main pointer is a mouse (a narrow desktop window).
  A.NARROW = 640;
  A.touchGestures = function (map) {
    var coarse = window.matchMedia && window.matchMedia('(pointer: coarse)').matches;
    if (!L.Browser.touch || !coarse) { return; }
    var container = map.getContainer();
    var hint = L.DomUtil.create('div', 'ca-touch-hint', container), timer = null;
    hint.textContent = 'Use two fingers to move the map';
    function apply() {
      A.oneFingerScrolls = container.clientWidth <= A.NARROW;
      if (A.oneFingerScrolls === map.dragging.enabled()) {
        if (A.oneFingerScrolls) { map.dragging.disable(); } else { map.dragging.enable(); }
      }
    }
    apply();
    map.on('resize', apply);
    container.addEventListener('touchmove', function (e) {
      var one = A.oneFingerScrolls && e.touches && e.touches.length === 1;
      L.DomUtil[one ? 'addClass' : 'removeClass'](hint, 'ca-on');
      clearTimeout(timer);
      if (one) { timer = setTimeout(function () { L.DomUtil.removeClass(hint, 'ca-on'); }, 1500); }
    }, {passive: true});
  };
  A.init = function (map, panes) {
    A.map = map;
    A.panes = panes;
    A.touchGestures(map);
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
