"""Folium/branca elements that put the data and the library on the page: the data layers'
JSON payloads, the country/admin-1 outlines, the initial view and the map's extras."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import folium
import folium.plugins
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from dashboard.map.library import _LIBRARY_JS, _POPUP_CSS
from dashboard.map.styles import PANES


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
    """A non-interactive GeoJSON outline layer (basemap), fetched from ``url`` (a static file of
    geometry-only features, :mod:`dashboard.map.outline_files`) and drawn in ``pane`` once the
    map's first frame, with the data, is painted."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
CaravanAtlas.outline({{ this._parent.get_name() }}, {{ this.url|tojson }}, {{ this.pane|tojson }}, {{ this.style|tojson }});
{% endmacro %}
"""
    )

    def __init__(self, url: str, style: Mapping[str, Any], pane: str = "overlayPane") -> None:
        super().__init__()
        self._name = "OutlineLayer"
        self.url = url
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
