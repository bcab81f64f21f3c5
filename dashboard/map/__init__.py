"""The dashboard's map, by responsibility (:mod:`dashboard.webmap` is its public face).

- :mod:`~dashboard.map.styles` — layer names, panes, colours; :mod:`~dashboard.map.legend` — the legend.
- :mod:`~dashboard.map.library` — the client-side JS/CSS; :mod:`~dashboard.map.elements` — the
  Folium elements that carry it and the data to the page.
- :mod:`~dashboard.map.values` — reading row values; :mod:`~dashboard.map.popups` — popups and
  the article table; :mod:`~dashboard.map.layers` — the data layers' payloads.
- :mod:`~dashboard.map.outlines` — Natural Earth outlines and selection areas;
  :mod:`~dashboard.map.outline_files` — the basemap's outlines as static files the map fetches;
  :mod:`~dashboard.map.extent` — the map's bounds.
- :mod:`~dashboard.map.build` — :func:`build_base_map`, :func:`build_layers`, :func:`build_map`.
"""
