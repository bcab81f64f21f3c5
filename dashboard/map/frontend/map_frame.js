/* The map frame: the dashboard's map as a Streamlit component (dashboard/map/component.py), in
   plain JS, no build step. It speaks Streamlit's component messages (API version 1): it sends
   "streamlit:componentReady" once, receives "streamlit:render" with the map's arguments (the
   parts dashboard/map/render.py makes of a folium map), and sends "streamlit:setFrameHeight"
   and "streamlit:setComponentValue".

   First render: the map's stylesheets and HTML go into the page and its script runs (it creates
   the map, its basemap and controls); then the data layers' script with the layer control.
   Later renders only swap the data layers (when their script changed) and apply a new view.

   The value sent back holds the fields named in the "returned_objects" argument:
   last_object_clicked_tooltip (the feature the map's library reported, "<layer>:<id>#<n>") and
   last_clicked (where the map was clicked, {lat, lng}). It is sent when it changes, a click's
   fields together. */
(function () {
  'use strict';
  var F = {
    args: null, map: null, layers: [], control: null, layersKey: null, view: {center: null, zoom: null},
    height: null, returned: [], fields: {}, sent: null, timer: null, loading: false, extrasLoaded: false
  };
  window.CaravanAtlasFrame = F;
  var NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

  function send(type, data) {
    var msg = {isStreamlitMessage: true, type: type};
    for (var k in data) { if (Object.prototype.hasOwnProperty.call(data, k)) { msg[k] = data[k]; } }
    window.parent.postMessage(msg, '*');
  }

  function setHeight(h) {
    if (typeof h === 'number' && h > 0 && h !== F.height) {
      F.height = h;
      send('streamlit:setFrameHeight', {height: h});
    }
  }

  // ---------------------------------------------------------------- value
  function value() {
    var out = {};
    F.returned.forEach(function (k) { out[k] = Object.prototype.hasOwnProperty.call(F.fields, k) ? F.fields[k] : null; });
    return out;
  }
  function flush() {
    F.timer = null;
    var v = value(), text = JSON.stringify(v);
    if (text === F.sent) { return; }
    F.sent = text;
    send('streamlit:setComponentValue', {value: v, dataType: 'json'});
  }
  // (fields of one click, the map's and a feature's, go in one message)
  function report(fields) {
    for (var k in fields) { if (Object.prototype.hasOwnProperty.call(fields, k)) { F.fields[k] = fields[k]; } }
    if (F.timer === null) { F.timer = setTimeout(flush, 0); }
  }
  F.report = report;

  // ---------------------------------------------------------------- drawing
  function runScript(code) {
    var s = document.createElement('script');
    s.textContent = code;  // a classic script: its top-level variables are the page's
    document.body.appendChild(s);
    s.remove();
  }

  function loadScripts(urls, done) {
    var left = urls.length;
    if (!left) { done(); return; }
    urls.forEach(function (url) {
      var s = document.createElement('script');
      s.src = url;
      s.async = false;  // fetched at once, run in order
      s.onload = s.onerror = function () { left -= 1; if (left === 0) { done(); } };
      document.head.appendChild(s);
    });
  }

  function build(a) {
    (a.css_links || []).forEach(function (url) {
      var l = document.createElement('link');
      l.rel = 'stylesheet';
      l.href = url;
      document.head.appendChild(l);
    });
    document.head.insertAdjacentHTML('beforeend', a.header || '');
    document.body.insertAdjacentHTML('beforeend', a.html || '');
    if (!NAME.test(a.map_name || '')) { return; }
    runScript(a.script || '');
    var map = window[a.map_name];
    if (!map || typeof map.on !== 'function') { return; }
    F.map = map;
    map.on('click', function (e) { report({last_clicked: {lat: e.latlng.lat, lng: e.latlng.lng}}); });
    // the map's library (window.CaravanAtlas) reports the feature a click selects
    map.on('caselect', function (e) { report({last_object_clicked_tooltip: e.value}); });
  }

  function drawLayers(a) {
    var names = (a.layer_names || []).filter(function (n) { return NAME.test(n); });
    var control = NAME.test(a.control_name || '') ? a.control_name : null;
    var key = JSON.stringify([a.layers || '', names, control]);
    if (key === F.layersKey) { return; }
    F.layersKey = key;
    F.layers.forEach(function (l) { F.map.removeLayer(l); });
    F.layers = [];
    if (F.control) { F.map.removeControl(F.control); F.control = null; }
    if (!a.layers) { return; }
    // (a function, so that the layers' variables are its own and a new script can declare them again)
    var made = new Function(a.layers + '\nreturn {layers: [' + names.join(',') + '], control: ' +
      (control || 'null') + '};')();
    F.layers = made.layers.filter(function (l) { return !!l; });
    F.control = made.control;
  }

  // The view the arguments ask for (a shared link's centre and zoom), applied when it changes.
  function applyView(a) {
    var map = F.map, zoom = map.getZoom(), center = map.getCenter(), changed = false;
    if (a.zoom && a.zoom !== F.view.zoom) { zoom = a.zoom; F.view.zoom = a.zoom; changed = true; }
    if (a.center && JSON.stringify(a.center) !== JSON.stringify(F.view.center)) {
      center = a.center; F.view.center = a.center; changed = true;
    }
    if (changed) { map.setView(center, zoom); }
  }

  function render() {
    var a = F.args;
    if (!a || F.loading || document.readyState === 'loading') { return; }
    F.returned = (a.returned_objects || []).slice();
    if (F.sent === null) { F.sent = JSON.stringify(a['default'] || value()); }
    if (!F.map) {
      if ((a.js_links || []).length && !F.extrasLoaded) {
        F.loading = true;
        loadScripts(a.js_links, function () { F.loading = false; F.extrasLoaded = true; render(); });
        return;
      }
      build(a);
      if (!F.map) { return; }
    }
    drawLayers(a);
    applyView(a);
    setHeight(a.height);
  }

  window.addEventListener('message', function (ev) {
    if (ev.source !== window.parent || !ev.data || ev.data.type !== 'streamlit:render') { return; }
    F.args = ev.data.args || {};
    render();
  });
  // the bundle (Leaflet) has run once the page is parsed
  document.addEventListener('DOMContentLoaded', render);
  send('streamlit:componentReady', {apiVersion: 1});
})();
