"""Caravan Atlas dashboard: layout only. Data and map come from pure, cached functions.

Run with ``streamlit run dashboard/app.py`` (config in ``.streamlit/config.toml``). The map
is drawn by :func:`dashboard.webmap.build_map`; Leaflet and its plugins are served by this
app from ``dashboard/static/`` (written by :func:`dashboard.assets.ensure_static_assets`).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` puts dashboard/ first
    sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from dashboard.assets import ensure_static_assets  # noqa: E402
from dashboard.source import LoadedAtlas, corpus_signature, load_atlas  # noqa: E402
from dashboard.webmap import build_map  # noqa: E402

logger = logging.getLogger(__name__)

ARTICLES_DIR = ROOT / "data" / "articles"
MAP_HEIGHT = 640


@st.cache_resource(show_spinner=False)
def _assets_ready() -> str:
    return str(ensure_static_assets())


@st.cache_data(show_spinner="Building the atlas from the articles…")
def cached_atlas(folder: str, signature: tuple[tuple[str, int, int], ...]) -> LoadedAtlas:
    """:func:`dashboard.source.load_atlas`, cached per corpus version (``signature``)."""
    return load_atlas(Path(folder))


def make_map(loaded: LoadedAtlas) -> folium.Map:
    """A fresh map each run: st_folium mutates the Map it is given, so it is not cached."""
    f = loaded.frames
    return build_map(f.events, f.routes, f.places, f.crossings, articles=loaded.articles)


def main() -> None:
    st.set_page_config(page_title="Caravan Atlas", layout="wide")
    _assets_ready()
    folder = str(ARTICLES_DIR)
    loaded = cached_atlas(folder, corpus_signature(ARTICLES_DIR))

    st.title("Caravan Atlas")
    if loaded.is_sample:
        st.warning(loaded.note, icon="⚠️")
    else:
        st.caption(loaded.note)
    counts = {name: len(getattr(loaded.frames, name)) for name in ("events", "routes", "places", "crossings")}
    st.caption(" · ".join(f"{n} {name}" for name, n in counts.items()))

    st_folium(
        make_map(loaded),
        returned_objects=["last_object_clicked"],
        use_container_width=True,
        height=MAP_HEIGHT,
        key="atlas_map",
    )


main()
