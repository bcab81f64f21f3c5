"""Downloads of the filtered view (GeoJSON, CSV, GeoPackage, zip of GeoJSON layers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import streamlit as st

from dashboard.exports import csv_bytes, geojson_bytes, gpkg_bytes, zip_bytes
from dashboard.sample import AtlasFrames
from dashboard.state import ViewState, to_query_params


@st.cache_data(show_spinner=False, max_entries=16)
def cached_export(key: str, kind: str, _view: AtlasFrames, description: str) -> bytes:
    if kind == "geojson":
        return geojson_bytes(_view.events, _view.articles)
    if kind == "csv":
        return csv_bytes(_view.events, _view.articles)
    if kind == "gpkg":
        return gpkg_bytes(_view)
    return zip_bytes(_view, description)


#: The download buttons: label, kind (see cached_export), file name, media type.
_DOWNLOADS = (
    ("Events · GeoJSON", "geojson", "caravan-atlas-events-{stamp}.geojson", "application/geo+json"),
    ("Events · CSV", "csv", "caravan-atlas-events-{stamp}.csv", "text/csv"),
    ("4 layers · GeoPackage", "gpkg", "caravan-atlas-{stamp}.gpkg", "application/geopackage+sqlite3"),
    ("4 layers · GeoJSON zip", "zip", "caravan-atlas-{stamp}.zip", "application/zip"),
)


def exports(view: AtlasFrames, key: str, state: ViewState) -> None:
    st.subheader("Download this view")
    # every file is written when its button is clicked, not on every run (the first run
    # wrote the events' GeoJSON and CSV while the map was loading)
    description = "&".join(f"{k}={v}" for k, v in to_query_params(replace(state, center=None, zoom=None)).items())
    cache_key = f"{key}|{description}"
    stamp = dt.date.today().isoformat()
    for column, (label, kind, file_name, mime) in zip(st.columns(len(_DOWNLOADS)), _DOWNLOADS):
        with column:
            st.download_button(label, lambda kind=kind: cached_export(cache_key, kind, view, description),
                               file_name=file_name.format(stamp=stamp), mime=mime,
                               on_click="ignore", width="stretch", key=f"dl_{kind}")
    st.caption("Exactly the filtered view. GeoJSON files follow RFC 7946 (as `python -m geo build` writes "
               "them); the zip holds places, events, routes and crossings.geojson; the GeoPackage holds "
               "the four layers. Text is raw article text: open CSVs in a spreadsheet as text.")
