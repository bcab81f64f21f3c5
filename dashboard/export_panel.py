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


def exports(view: AtlasFrames, key: str, state: ViewState) -> None:
    st.subheader("Download this view")
    # every file is written when its button is clicked, not on every run (the first run
    # wrote the events' GeoJSON and CSV while the map was loading)
    description = "&".join(f"{k}={v}" for k, v in to_query_params(replace(state, center=None, zoom=None)).items())
    cache_key = f"{key}|{description}"
    stamp = dt.date.today().isoformat()
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        st.download_button("Events · GeoJSON", lambda: cached_export(cache_key, "geojson", view, description),
                           file_name=f"caravan-atlas-events-{stamp}.geojson", mime="application/geo+json",
                           on_click="ignore", width="stretch", key="dl_geojson")
    with c2:
        st.download_button("Events · CSV", lambda: cached_export(cache_key, "csv", view, description),
                           file_name=f"caravan-atlas-events-{stamp}.csv", mime="text/csv",
                           on_click="ignore", width="stretch", key="dl_csv")
    with c3:
        st.download_button("4 layers · GeoPackage", lambda: cached_export(cache_key, "gpkg", view, description),
                           file_name=f"caravan-atlas-{stamp}.gpkg", mime="application/geopackage+sqlite3",
                           on_click="ignore", width="stretch", key="dl_gpkg")
    with c4:
        st.download_button("4 layers · GeoJSON zip", lambda: cached_export(cache_key, "zip", view, description),
                           file_name=f"caravan-atlas-{stamp}.zip", mime="application/zip",
                           on_click="ignore", width="stretch", key="dl_zip")
    st.caption("Exactly the filtered view. GeoJSON files follow RFC 7946 (as `python -m geo build` writes "
               "them); the zip holds places, events, routes and crossings.geojson; the GeoPackage holds "
               "the four layers. Text is raw article text: open CSVs in a spreadsheet as text.")
