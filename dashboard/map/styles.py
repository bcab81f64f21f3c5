"""Layer names, Leaflet panes and the colours and styles of events, routes and crossings."""

from __future__ import annotations

from typing import Any

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
