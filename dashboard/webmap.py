"""Pure, offline, safe Folium map of an atlas.

Input is the atlas's four GeoDataFrames in EPSG:4326 (``events``, ``routes``, ``places``,
``crossings``; see ``geo.atlas.layers``), optionally with evidence columns (``article_title``,
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

The code lives in :mod:`dashboard.map` (one module per responsibility); this module keeps
every name importable from ``dashboard.webmap``.
"""

from __future__ import annotations

from dashboard.map.build import (  # noqa: F401
    build_base_map,
    build_layers,
    build_map,
)
from dashboard.map.elements import (  # noqa: F401
    DataLayer,
    InitialView,
    MapExtras,
    OutlineLayer,
    _safe_json,
)
from dashboard.map.extent import (  # noqa: F401
    BROAD_PLACE_KINDS,
    _check_crs,
    atlas_extent,
    map_bounds,
)
from dashboard.map.layers import (  # noqa: F401
    EventRows,
    _area_places,
    _crossing_data,
    _crossing_glyph,
    _place_data,
    _route_data,
    _styles,
    prepare_events,
)
from dashboard.map.legend import (  # noqa: F401
    _legend_html,
)
from dashboard.map.library import (  # noqa: F401
    _LIBRARY_JS,
    _POPUP_CSS,
)
from dashboard.map.outlines import (  # noqa: F401
    ADMIN1_FILE,
    ADMIN1_POINTS,
    COUNTRIES_FILE,
    ROOT,
    _boundary_index,
    _outline_json,
    _round_coords,
    _selection_data,
    _simplified,
    _simplified_outline,
    selection_areas,
)
from dashboard.map.popups import (  # noqa: F401
    _Articles,
    _correction_note,
    _popup_html,
)
from dashboard.map.styles import (  # noqa: F401
    _LEAFLET_PANES,
    _STATUS_KEYS,
    _TYPE_INDEX,
    ADMIN1_LAYER,
    ATTRIBUTION,
    CARAVAN_COLOURS,
    COUNTRY_LAYER,
    CROSSING_LAYER,
    CROSSING_STATUS_COLOUR,
    EVENT_LAYER,
    EVENT_STATUS,
    EVENT_TYPES,
    NO_TILES,
    PANES,
    PLACE_LAYER,
    REFERENCE_LAYER,
    ROUTE_LAYER,
    ROUTE_STYLE,
    SELECTION_LAYER,
    STRAIGHT_DASH,
)
from dashboard.map.values import (  # noqa: F401
    _alternatives_text,
    _as_list,
    _column,
    _date_text,
    _fast_num,
    _fmt_number,
    _get,
    _is_missing,
    _lines_latlon,
    _miss,
    _num,
    _people_text,
    _point_lonlat,
    _radius,
    _records,
    _xy,
)

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
