"""The map on the page: clicks reported by the map, what it highlights, and drawing it.

The frame (:func:`dashboard.webmap.build_base_map`) is built on the workspace's extent
before corrections, so that a correction or a filter does not reload the map; the data
layers are rendered apart (:func:`dashboard.map.render.render_map`) and the map frame
(:mod:`dashboard.map.component`) swaps only them.
"""

from __future__ import annotations

from typing import Any

import folium
import pandas as pd
import streamlit as st

from dashboard.assets import bundle_links
from dashboard.escape import escape_text
from dashboard.evidence import find_feature, place_for_event
from dashboard.fixes import candidate_choices, candidate_label
from dashboard.map.component import atlas_map
from dashboard.map.render import render_map
from dashboard.page_layout import EVIDENCE_HINT_HTML
from dashboard.sample import AtlasFrames
from dashboard.state import parse_selection
from dashboard.webmap import (
    CARAVAN_COLOURS,
    EventRows,
    atlas_extent,
    build_base_map,
    build_layers,
    selection_areas,
)

MAP_HEIGHT = 620


MAP_KEY = "atlas_map"


def caravan_colours(frames: AtlasFrames) -> dict[str, str]:
    """One colour per caravan over the whole atlas, so filtering does not recolour routes."""
    ids = sorted({str(c) for c in frames.routes.get("caravan_id", pd.Series(dtype=object)).dropna()})
    return {c: CARAVAN_COLOURS[i % len(CARAVAN_COLOURS)] for i, c in enumerate(ids)}


def _escaped_ids(frames: AtlasFrames, layer: str, column: str) -> dict[str, str]:
    frame = getattr(frames, layer)
    if column not in frame.columns:
        return {}
    return {escape_text(v): str(v) for v in frame[column].dropna().astype(str)}


def selection_from_click(value: Any, frames: AtlasFrames, rows: EventRows) -> str | None:
    """``"<layer>:<escaped id>#<n>"`` reported by the map -> ``"<layer>:<raw id>"``."""
    if not isinstance(value, str):
        return None
    parsed = parse_selection(value.rsplit("#", 1)[0])
    if parsed is None:
        return None
    layer, escaped = parsed
    if layer == "events":
        raw = rows.ids.get(escaped)
    else:
        column = {"places": "place_id", "routes": "route_id", "crossings": "crossing_id"}[layer]
        raw = _escaped_ids(frames, layer, column).get(escaped)
    return f"{layer}:{raw}" if raw else None


def process_map_click(frames: AtlasFrames, rows: EventRows) -> None:
    """Apply a click reported by the map (the component value arrives before the run).

    In "pick on map" mode a click on the map sets the pin's latitude and longitude instead
    of selecting the feature under it."""
    ss = st.session_state
    value = (ss.get(MAP_KEY) or {}).get("last_object_clicked_tooltip")
    if value and value != ss.get("_last_click"):
        ss._last_click = value
        sel = selection_from_click(value, frames, rows)
        if sel and not ss.get("pick_mode"):
            ss.sel = sel
    clicked = (ss.get(MAP_KEY) or {}).get("last_clicked")
    if ss.get("pick_mode") and isinstance(clicked, dict) and clicked != ss.get("_last_pick"):
        ss._last_pick = clicked
        try:
            lat, lon = float(clicked["lat"]), float(clicked["lng"])
        except (KeyError, TypeError, ValueError):
            return
        ss.pin_lat = round(max(-90.0, min(90.0, lat)), 5)
        ss.pin_lon = round(((lon + 180.0) % 360.0) - 180.0, 5)  # the map may report a wrapped longitude


def selection_geometry(frames: AtlasFrames, selected: str | None,
                       candidate: int | None = None) -> tuple[dict[str, Any], str | None]:
    """What the map highlights for the selection: areas (country/admin-1), a point or a line,
    and the alternative ``candidate`` (an index into the place's candidates) picked in the
    corrections form. The map pans to it when its ``key`` changes."""
    found = find_feature(frames, selected)
    if found is None:
        return {}, None
    layer, row = found
    place = row if layer == "places" else (place_for_event(frames, row) if layer == "events" else None)
    areas = selection_areas(place)
    geom = row.get("geometry")
    out: dict[str, Any] = {"areas": areas, "key": selected}
    choices = candidate_choices(row) if layer == "places" and candidate is not None else []
    if 0 <= (candidate if candidate is not None else -1) < len(choices):
        c = choices[candidate]
        out["candidate"] = (float(c["lat"]), float(c["lon"]), candidate_label(c))
        out["key"] = f"{selected}|candidate:{candidate}"
    if geom is not None and not geom.is_empty:
        if geom.geom_type == "Point":
            out["point"] = (geom.y, geom.x)
        else:
            parts = getattr(geom, "geoms", [geom])
            out["lines"] = [[[round(y, 5), round(x, 5)] for x, y, *_ in p.coords] for p in parts
                            if p.geom_type == "LineString"]
    return out, (areas[0][0] if areas else None)


def draw_map(base: AtlasFrames, view: AtlasFrames, frames: AtlasFrames, loaded_articles: dict[str, Any],
             rows: EventRows, mask: Any, workspace: str | None, link_view: tuple[Any, Any]) -> str | None:
    """Draw the map of ``view`` (the filtered atlas) on the frame of ``base`` (the workspace's
    extent before corrections: a correction must not reload the map); returns the name of the
    selected feature's area (for the evidence panel)."""
    ss = st.session_state
    picked = ss.get("fix_candidate") if ss.get("fix_candidate_picked") and \
        (ss.get("fix_action") or "choose_candidate") == "choose_candidate" else None
    highlight, area = selection_geometry(frames, ss.get("sel"), picked)
    picking = bool(ss.get("pick_mode"))
    # the workspace's own extent: its events, routes, crossings and places, wherever they are
    frame = build_base_map(atlas_extent(base.events, base.routes, base.crossings, base.places),
                           layer_control=False, workspace=workspace)
    layers = build_layers(view.events, view.routes, view.places, view.crossings, articles=loaded_articles,
                          prepared=rows, event_mask=mask, selection=highlight,
                          caravan_colours=caravan_colours(frames))
    if picking:
        st.info("Pick on map is on: click where the place really is.", icon="📍")
    page = render_map(frame, layers, folium.LayerControl(collapsed=True, position="topright"),
                      bundled=bundle_links())
    atlas_map(
        page,
        key=MAP_KEY,
        height=MAP_HEIGHT,
        # last_clicked only while picking a pin, so that a click elsewhere never reruns the app
        returned_objects=["last_object_clicked_tooltip"] + (["last_clicked"] if picking else []),
        # The map owns its view: it opens on the URL's c/z (a shared link) and keeps them in
        # the URL itself. Only the link's view, the same on every rerun (so never re-applied):
        # the URL's c/z as the server last heard them may be stale.
        center=link_view[0],
        zoom=link_view[1],
    )
    if ss.get("sel"):
        st.html(EVIDENCE_HINT_HTML)  # (shown at a phone's width only, where the evidence is below)
    return area
