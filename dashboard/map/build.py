"""Assembling the map: the base map (frame, panes, outlines, library) and the data layers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
import folium.plugins
import numpy as np

from dashboard.assets import APP_ASSET_BASE, localize
from dashboard.basemap import ReferenceLayer
from dashboard.map.elements import DataLayer, InitialView, MapExtras, OutlineLayer
from dashboard.map.extent import _check_crs, map_bounds
from dashboard.map.layers import (
    EventRows,
    _area_places,
    _crossing_data,
    _place_data,
    _route_data,
    prepare_events,
)
from dashboard.map.legend import _legend_html
from dashboard.map.outline_files import outline_file
from dashboard.map.outlines import (
    ADMIN1_FILE,
    COUNTRIES_FILE,
    _selection_data,
)
from dashboard.map.popups import _Articles
from dashboard.map.styles import (
    _LEAFLET_PANES,
    ADMIN1_LAYER,
    ATTRIBUTION,
    COUNTRY_LAYER,
    CROSSING_LAYER,
    EVENT_LAYER,
    NO_TILES,
    PANES,
    PLACE_LAYER,
    REFERENCE_LAYER,
    ROUTE_LAYER,
    SELECTION_LAYER,
)


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

    Reads only the bundled boundary files (cached) and writes their simplified outlines once
    into the app's ``static/outlines/`` (:mod:`dashboard.map.outline_files`), which the map
    fetches from ``asset_base``. ``bounds`` ([[s, w], [n, e]])
    is the initial view. Its script depends only on ``bounds`` and the flags, so
    Streamlit keeps the same map (and view) while the data layers change. ``workspace``
    (the open workspace's id): the map writes its view into the page URL only while the
    URL names that workspace, so a switch to another one starts from that one's extent.
    """
    if asset_base and not asset_base.endswith("/"):
        asset_base += "/"
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
            asset_base + outline_file(str(COUNTRIES_FILE), 0.03),
            {"color": "#777777", "weight": 1, "fillColor": "#f2efe9", "fillOpacity": 1.0},
            PANES["countries"][0],
        ).add_to(group)
        group.add_to(m)
    if admin1 and ADMIN1_FILE.exists():
        group = folium.FeatureGroup(name=ADMIN1_LAYER, overlay=True, show=True)
        OutlineLayer(
            asset_base + outline_file(str(ADMIN1_FILE), 0.02),
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
