"""The map on the page: a light Streamlit component of our own.

Its frontend is ``dashboard/map/frontend/index.html`` (plain HTML and JS, no build step: its
script speaks Streamlit's component messages). The frame's page loads Leaflet and its plugins
itself, in one bundle (:data:`dashboard.assets.MAP_BUNDLE`), while Streamlit sends it the map
rendered by :func:`dashboard.map.render.render_map`: it does not wait for a React bundle, then
for the map's scripts one after another.

:func:`warm_up` puts an empty, hidden instance of the frame at the top of the page, drawn
before the page script has built anything: when the map comes, Streamlit's frontend has its
code for components loaded (otherwise it fetches it then, and shows the map's frame only once
the rest of the page, the timeline and the table with their own code, is drawn too) and the
browser has Leaflet in its cache.

The component is declared when the map is drawn (during a script run: Streamlit registers a
component only then), not when this module is imported, so :mod:`dashboard.preload` may import
it ahead of the page.

The value it returns, also kept in ``st.session_state[key]``, holds the fields named in
``returned_objects``: ``last_object_clicked_tooltip`` (``"<layer>:<id>#<n>"``, the feature a
click selected) and ``last_clicked`` (``{"lat", "lng"}``, where the map was clicked).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from dashboard.map.render import MapPage

__all__ = ["COMPONENT_NAME", "FRONTEND", "IFRAME_TITLE", "RETURNED_OBJECTS", "WARM_UP_TITLE", "atlas_map",
           "component_args", "warm_up"]

FRONTEND = Path(__file__).resolve().parent / "frontend"
COMPONENT_NAME = "atlas_map"
#: the title of the map's iframe: Streamlit names a component "<declaring module>.<name>"
IFRAME_TITLE = f"{__name__}.{COMPONENT_NAME}"
#: the hidden instance that :func:`warm_up` draws (the same page, under another name)
WARM_UP_NAME = "atlas_map_warm_up"
WARM_UP_TITLE = f"{__name__}.{WARM_UP_NAME}"
#: what the map can report (see the module's docstring)
RETURNED_OBJECTS = ("last_object_clicked_tooltip", "last_clicked")


def component_args(page: MapPage, *, height: int, returned_objects: Sequence[str],
                   center: Sequence[float] | None = None, zoom: int | None = None) -> dict[str, Any]:
    """The arguments the frame receives (JSON; ``default`` and ``key`` are added by Streamlit)."""
    unknown = set(returned_objects) - set(RETURNED_OBJECTS)
    if unknown:
        raise ValueError(f"the map cannot report {sorted(unknown)}")
    return {
        "header": page.header,
        "html": page.html,
        "script": page.script,
        "map_name": page.map_name,
        "layers": page.layers,
        "layer_names": list(page.layer_names),
        "control_name": page.control_name,
        "js_links": list(page.js_links),
        "css_links": list(page.css_links),
        "height": int(height),
        "returned_objects": list(returned_objects),
        "center": [float(center[0]), float(center[1])] if center else None,
        "zoom": int(zoom) if zoom else None,
    }


def atlas_map(page: MapPage, *, key: str, height: int, returned_objects: Sequence[str],
              center: Sequence[float] | None = None, zoom: int | None = None) -> dict[str, Any]:
    """Draw ``page`` in the map frame and return what the map reported (also in
    ``st.session_state[key]``, already before the run that a click starts).

    The frame is kept while only the data layers or the view change; a new frame (another
    workspace's extent) is a new instance, drawn from scratch."""
    component = components.declare_component(COMPONENT_NAME, path=str(FRONTEND))
    instance = f"{key}:{page.frame_digest}"

    def keep() -> None:
        st.session_state[key] = st.session_state.get(instance)

    default = {name: None for name in returned_objects}
    args = component_args(page, height=height, returned_objects=returned_objects, center=center, zoom=zoom)
    value = component(**args, key=instance, default=default, on_change=keep)
    return value if isinstance(value, dict) else default


def warm_up() -> None:
    """Draw the frame's page once, empty and hidden (no height; ``dashboard.page_layout`` hides
    its place), at the top of the page: call it first in every run (a run that does not draw it
    removes it from the page)."""
    component = components.declare_component(WARM_UP_NAME, path=str(FRONTEND))
    component(key=WARM_UP_NAME, height=0, default=None)
