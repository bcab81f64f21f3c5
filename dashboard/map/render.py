"""A folium map rendered into the parts the map frame (:mod:`dashboard.map.component`) puts on
its page: the frame's header (styles), its body HTML and script, and, apart, the data layers'
script with the layer control, so that Streamlit can change the data without reloading the map.

Pure (folium in, strings out); no Streamlit here. Every element gets a name from its place in
the tree (``map_0``, ``feature_group_12``, ...) instead of folium's random one, so the same map
renders to the same text on every run: the frame is reloaded only when its script changes, and
unchanged layers are not drawn again.

Scripts and stylesheets that elements ask for (folium's ``default_js``/``default_css``) are not
written into the header: they are returned as links, and the ones in the frame's bundle
(:data:`dashboard.assets.MAP_BUNDLE`, loaded by the frame's own page) are left out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import branca.element
import folium
from folium.elements import JSCSSMixin

__all__ = ["MapPage", "render_map"]


@dataclass(frozen=True)
class MapPage:
    """What the map frame needs to draw a map (all text already escaped by the map's builders)."""

    #: ``<style>``/``<meta>`` for the frame's head (no external links)
    header: str
    #: the frame's body: the map's ``<div>``
    html: str
    #: the frame's script: creates the map (variable ``map_name``), its panes, basemap and controls
    script: str
    map_name: str
    #: the data layers and the layer control: their script, run after ``script``, and the
    #: variables it defines (the groups, then the control's)
    layers: str = ""
    layer_names: tuple[str, ...] = ()
    control_name: str | None = None
    #: scripts and stylesheets to load before ``script``, those of the frame's bundle left out
    js_links: tuple[str, ...] = field(default=())
    css_links: tuple[str, ...] = field(default=())

    @property
    def frame_digest(self) -> str:
        """Changes exactly when the frame (not the data layers) must be drawn anew."""
        text = "\0".join((self.header, self.html, self.script, *self.js_links, *self.css_links))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _walk(element: branca.element.Element) -> Iterator[branca.element.Element]:
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)


def _number(root: branca.element.Element, start: int) -> int:
    """Name every element under ``root`` by its place in the tree; returns the next number."""
    n = start
    for element in _walk(root):
        element._id = str(n)
        n += 1
    return n


def _links(root: branca.element.Element, skip: Sequence[str]) -> tuple[list[str], list[str], set[str]]:
    """(js URLs, css URLs, header entry names) that the elements under ``root`` ask for."""
    js: list[str] = []
    css: list[str] = []
    names: set[str] = set()
    for element in _walk(root):
        if isinstance(element, JSCSSMixin):
            for name, url in element.default_js:
                names.add(name)
                if url not in skip and url not in js:
                    js.append(url)
            for name, url in element.default_css:
                names.add(name)
                if url not in skip and url not in css:
                    css.append(url)
    return js, css, names


def _new_scripts(figure: branca.element.Figure, before: set[str]) -> str:
    return "\n".join(child.render() for name, child in figure.script._children.items() if name not in before)


def render_map(
    frame: folium.Map,
    layers: Sequence[folium.FeatureGroup] = (),
    control: folium.LayerControl | None = None,
    *,
    bundled: Sequence[str] = (),
) -> MapPage:
    """Render ``frame`` (a map without data, rendered once: do not reuse it), then ``layers``
    (added to it) and ``control`` (added last, so that it lists every layer).

    ``bundled``: URLs of scripts and stylesheets the frame's page loads itself."""
    figure = frame.get_root()
    if not isinstance(figure, branca.element.Figure):  # pragma: no cover - folium.Map always has one
        raise TypeError("the map is not in a folium Figure")
    n = _number(frame, 0)
    figure.render()
    js, css, link_names = _links(frame, bundled)
    for name in link_names:
        figure.header._children.pop(name, None)
    header = figure.header.render().strip()
    html = figure.html.render().strip()
    script = figure.script.render()

    before = set(figure.script._children)
    for group in layers:
        group.add_to(frame)
        n = _number(group, n)
    if control is not None:
        control.add_to(frame)
        _number(control, n)
    for element in [*layers, *([control] if control is not None else [])]:
        more_js, more_css, _ = _links(element, [*bundled, *js, *css])
        js += more_js
        css += more_css
        element.render()
    return MapPage(
        header=header,
        html=html,
        script=script,
        map_name=frame.get_name(),
        layers=_new_scripts(figure, before),
        layer_names=tuple(g.get_name() for g in layers),
        control_name=control.get_name() if control is not None else None,
        js_links=tuple(js),
        css_links=tuple(css),
    )
