"""Caravan Atlas dashboard: layout only. Data, filters, map and exports are pure functions.

Run with ``streamlit run dashboard/app.py`` (demo corpus ``data/articles``) or
``streamlit run dashboard/app.py -- --articles DIR`` (config in ``.streamlit/config.toml``).

- :mod:`dashboard.source` builds the atlas from a list of articles (folder + uploads);
- :mod:`dashboard.filters` filters it (map, timeline, table and exports use one view);
- :mod:`dashboard.state` keeps the view in the URL (``st.query_params``); the map itself
  writes its centre and zoom into the URL (``c``, ``z``) without a rerun;
- :mod:`dashboard.webmap` draws the map: the frame once, the data layers through
  ``feature_group_to_add`` so that filtering does not reload the map;
- :mod:`dashboard.evidence`, :mod:`dashboard.exports`, :mod:`dashboard.uploads`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` puts dashboard/ first
    sys.path.insert(0, str(ROOT))

import altair as alt  # noqa: E402
import folium  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from dashboard.assets import ensure_static_assets  # noqa: E402
from dashboard.escape import escape_text  # noqa: E402
from dashboard.evidence import evidence_html, find_feature, place_for_event  # noqa: E402
from dashboard.exports import csv_bytes, geojson_bytes, gpkg_bytes, zip_bytes  # noqa: E402
from dashboard.filters import (  # noqa: E402
    Filters,
    Options,
    apply_filters,
    atlas_options,
    event_mask,
    step_date,
    timeline_counts,
)
from dashboard.sample import AtlasFrames  # noqa: E402
from dashboard.source import LoadedAtlas, articles_key, atlas_from_articles, corpus_signature, read_folder  # noqa: E402
from dashboard.state import ViewState, from_query_params, parse_selection, to_query_params  # noqa: E402
from dashboard.uploads import SUFFIXES, UploadError, display_name, read_upload  # noqa: E402
from dashboard.webmap import (  # noqa: E402
    CARAVAN_COLOURS,
    EVENT_TYPES,
    EventRows,
    build_base_map,
    build_layers,
    map_bounds,
    prepare_events,
    selection_areas,
)

logger = logging.getLogger(__name__)

DEFAULT_ARTICLES = ROOT / "data" / "articles"
MAP_HEIGHT = 620
MAP_KEY = "atlas_map"

ABOUT = """
**Caravan Atlas** reads news articles about migrant caravans and maps what they report:
places, dated events, caravan routes and border crossings. Every feature links to its
evidence (sentence, article, confidence, alternatives). Everything on the map is
extracted automatically: check the evidence before you publish.

**Data and credits**

- Places: [GeoNames](https://www.geonames.org/) gazetteer, licensed
  [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).
- Country and state boundaries: [Natural Earth](https://www.naturalearthdata.com/)
  (public domain).
- US–Mexico ports of entry: U.S. Bureau of Transportation Statistics
  ([BTS](https://www.bts.gov/)) border crossing data (public domain).
- Optional online basemaps and geocoding: © [OpenStreetMap](https://www.openstreetmap.org/copyright)
  contributors (ODbL), map tiles by [CARTO](https://carto.com/attributions); Nominatim
  results are © OpenStreetMap contributors.
- Map: [Leaflet](https://leafletjs.com/) via folium and streamlit-folium.
"""


# --------------------------------------------------------------------------- data


def parse_cli(argv: list[str] | None = None) -> argparse.Namespace:
    """Arguments after ``--`` in ``streamlit run dashboard/app.py -- --articles DIR``."""
    parser = argparse.ArgumentParser(prog="dashboard/app.py", add_help=False)
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES)
    args, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    return args


@st.cache_resource(show_spinner=False)
def _assets_ready() -> str:
    return str(ensure_static_assets())


@st.cache_data(show_spinner="Reading the articles…")
def cached_folder(folder: str, signature: tuple[tuple[str, int, int], ...]) -> tuple[list[Any], list[str]]:
    """:func:`dashboard.source.read_folder`, cached per corpus version (``signature``)."""
    return read_folder(Path(folder))


@st.cache_data(show_spinner="Building the atlas from the articles…", max_entries=8)
def cached_atlas(key: str, _articles: list[Any], label: str, errors: tuple[str, ...]) -> LoadedAtlas:
    """:func:`dashboard.source.atlas_from_articles`, cached per set of articles (``key``)."""
    return atlas_from_articles(_articles, label=label, errors=errors)


@st.cache_resource(show_spinner="Preparing the map…", max_entries=4)
def cached_event_rows(key: str, _loaded: LoadedAtlas) -> EventRows:
    """Escaped popup rows of every event, computed once per atlas (read-only, shared)."""
    return prepare_events(_loaded.frames.events, _loaded.articles)


@st.cache_data(show_spinner=False, max_entries=4)
def cached_options(key: str, _frames: AtlasFrames) -> Options:
    return atlas_options(_frames)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_export(key: str, kind: str, _view: AtlasFrames, description: str) -> bytes:
    if kind == "geojson":
        return geojson_bytes(_view.events)
    if kind == "csv":
        return csv_bytes(_view.events)
    if kind == "gpkg":
        return gpkg_bytes(_view)
    return zip_bytes(_view, description)


def caravan_colours(frames: AtlasFrames) -> dict[str, str]:
    """One colour per caravan over the whole atlas, so filtering does not recolour routes."""
    ids = sorted({str(c) for c in frames.routes.get("caravan_id", pd.Series(dtype=object)).dropna()})
    return {c: CARAVAN_COLOURS[i % len(CARAVAN_COLOURS)] for i, c in enumerate(ids)}


def load(args: argparse.Namespace) -> tuple[LoadedAtlas, str]:
    folder = args.articles.resolve()
    articles, errors = cached_folder(str(folder), corpus_signature(folder))
    uploads = list(st.session_state.get("uploads", []))
    everything = articles + uploads
    key = articles_key(everything) + f"-{folder}"
    label = f"{folder.name}/" + (f" + {len(uploads)} uploaded" if uploads else "")
    return cached_atlas(key, everything, label, tuple(errors)), key


# --------------------------------------------------------------------------- state


WIDGETS = ("f_dates", "f_caravans", "f_types", "f_articles", "f_conf", "f_search", "f_undated", "f_play", "f_upto")


def seed_widgets(state: ViewState, options: Options) -> None:
    """Put the URL's view into the widgets' session state (first run of a session)."""
    f = options.clean(state.filters)
    ss = st.session_state
    if options.date_min is not None:
        ss.f_dates = (f.date_from or options.date_min, f.date_to or options.date_max)
    ss.f_caravans = list(f.caravans)
    ss.f_types = list(f.event_types)
    ss.f_articles = list(f.articles)
    ss.f_conf = f.min_confidence
    ss.f_search = f.search
    ss.f_undated = f.include_undated
    ss.f_play = f.upto is not None
    if f.upto is not None:
        ss.f_upto = f.upto
    ss.sel = state.selected


def filters_from_widgets(options: Options) -> Filters:
    ss = st.session_state
    date_from = date_to = None
    dates = ss.get("f_dates")
    if options.date_min is not None and isinstance(dates, (tuple, list)) and len(dates) == 2:
        date_from = None if dates[0] == options.date_min else dates[0]
        date_to = None if dates[1] == options.date_max else dates[1]
    upto = ss.get("f_upto") if ss.get("f_play") else None
    return Filters(
        date_from=date_from,
        date_to=date_to,
        caravans=tuple(ss.get("f_caravans") or ()),
        event_types=tuple(ss.get("f_types") or ()),
        articles=tuple(ss.get("f_articles") or ()),
        min_confidence=float(ss.get("f_conf") or 0.0),
        search=str(ss.get("f_search") or ""),
        upto=upto if isinstance(upto, dt.date) else None,
        include_undated=bool(ss.get("f_undated", True)),
    )


def url_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params.keys()}


def sync_url(state: ViewState) -> None:
    """Write the view to the URL when it differs (the map's own c/z are kept)."""
    wanted = to_query_params(state)
    current = url_params()
    normal = {k: (v if isinstance(v, list) else [v]) for k, v in wanted.items()}
    if normal != current:
        st.query_params.from_dict(wanted)


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
    """Apply a click reported by the map (the component value arrives before the run)."""
    value = (st.session_state.get(MAP_KEY) or {}).get("last_object_clicked_tooltip")
    if value and value != st.session_state.get("_last_click"):
        st.session_state._last_click = value
        sel = selection_from_click(value, frames, rows)
        if sel:
            st.session_state.sel = sel


# --------------------------------------------------------------------------- callbacks


def _reset_filters(options: Options) -> None:
    seed_widgets(ViewState(), options)
    st.session_state.f_auto = False


def _step(days: tuple[dt.date, ...], direction: int) -> None:
    st.session_state.f_play = True
    st.session_state.f_upto = step_date(days, st.session_state.get("f_upto"), direction)


def _select(value: str | None) -> None:
    st.session_state.sel = value


def _select_place() -> None:
    value = st.session_state.get("place_pick")
    if value:
        st.session_state.sel = f"places:{value}"


def _select_table_row(ids: list[str]) -> None:
    state = st.session_state.get("events_table")
    rows = getattr(getattr(state, "selection", None), "rows", None) or (
        state.get("selection", {}).get("rows", []) if isinstance(state, dict) else []
    )
    if rows and rows[0] < len(ids):
        st.session_state.sel = f"events:{ids[rows[0]]}"


# --------------------------------------------------------------------------- layout


def sidebar(options: Options, loaded: LoadedAtlas) -> None:
    ss = st.session_state
    sb = st.sidebar
    sb.header("Filters")
    if options.date_min is not None and options.date_max is not None and options.date_min < options.date_max:
        sb.slider("Dates", min_value=options.date_min, max_value=options.date_max, key="f_dates",
                  format="YYYY-MM-DD", help="Events whose dates overlap this range")
    elif options.date_min is not None:
        sb.caption(f"All dated events are on {options.date_min.isoformat()}.")
    sb.multiselect("Caravan", options.caravans, key="f_caravans", placeholder="All caravans")
    sb.multiselect("Event type", options.event_types, key="f_types", placeholder="All types",
                   format_func=lambda t: EVENT_TYPES.get(t, (t,))[0])
    titles = {aid: (loaded.articles.get(aid, {}).get("title") or aid) for aid in options.articles}
    sb.multiselect("Source article", options.articles, key="f_articles", placeholder="All articles",
                   format_func=lambda a: str(titles.get(a, a))[:90])
    sb.slider("Minimum confidence", 0.0, 1.0, step=0.05, key="f_conf")
    sb.text_input("Search places", key="f_search", placeholder="e.g. Tapachula")
    sb.checkbox("Include undated events", key="f_undated")
    sb.button("Reset filters", on_click=_reset_filters, args=(options,))

    sb.header("Time")
    if options.date_min is not None and options.date_max is not None and options.date_min < options.date_max:
        sb.toggle("Travel through time", key="f_play",
                  help="Show events up to a day, and routes as travelled by then")
        if ss.get("f_play"):
            if not isinstance(ss.get("f_upto"), dt.date):
                ss.f_upto = options.event_days[0] if options.event_days else options.date_min
            sb.slider("Up to", min_value=options.date_min, max_value=options.date_max, key="f_upto",
                      format="YYYY-MM-DD")
            c1, c2, c3 = sb.columns(3)
            c1.button("◀", help="Previous day with news", on_click=_step, args=(options.event_days, -1),
                      width="stretch")
            c2.toggle("Play", key="f_auto", help="Step through the days with news, one per second")
            c3.button("▶", help="Next day with news", on_click=_step, args=(options.event_days, 1),
                      width="stretch")
    else:
        sb.caption("Not enough dated events to step through time.")

    with sb.expander("Add articles (.md, .txt, .html)"):
        upload_form()
    with sb.expander("About and data credits"):
        st.markdown(ABOUT)


@st.fragment(run_every=1.2)
def player_tick(days: tuple[dt.date, ...]) -> None:
    """While playing, move to the next day with news once a second (then rerun the app)."""
    ss = st.session_state
    if not ss.get("f_auto") or not ss.get("f_play"):
        return
    current = ss.get("f_upto")
    nxt = step_date(days, current, 1)
    if nxt is None or nxt == current:
        ss.f_auto = False
    else:
        ss.f_upto = nxt
    st.rerun(scope="app")


def upload_form() -> None:
    with st.form("upload", clear_on_submit=True):
        files = st.file_uploader("Articles", type=[s.lstrip(".") for s in SUFFIXES], accept_multiple_files=True,
                                 help="Markdown/text with optional YAML front matter, or saved web pages")
        default_date = st.date_input("Published date for articles that give none", value=None,
                                     help="Relative dates ('on Sunday') are resolved against it")
        submitted = st.form_submit_button("Add to the atlas")
    if submitted and files:
        add_uploads(files, default_date)
    if st.session_state.get("uploads"):
        st.caption(f"{len(st.session_state.uploads)} uploaded article(s) in this session.")
        if st.button("Remove uploaded articles"):
            st.session_state.uploads = []
            st.rerun()
    for message in st.session_state.get("upload_messages", []):
        st.warning(message, icon="⚠️")


def add_uploads(files: list[Any], default_date: dt.date | None) -> None:
    """Read the uploaded files (progress bar), keep the good ones, one line per bad one."""
    known = {a.content_hash for a in st.session_state.get("uploads", [])}
    added, messages = [], []
    bar = st.progress(0.0, text="Reading articles…")
    for i, f in enumerate(files):
        label = display_name(f.name)
        bar.progress(i / len(files), text=f"Reading {label} ({i + 1}/{len(files)})")
        try:
            article = read_upload(f.name, f.getvalue(), default_date=default_date)
        except UploadError as err:
            messages.append(str(err))
            continue
        if article.content_hash in known:
            messages.append(f"{label}: already added")
            continue
        if article.published is None:
            messages.append(f"{label}: no published date; relative dates stay unresolved")
        known.add(article.content_hash)
        added.append(article)
    bar.progress(1.0, text=f"Building the atlas with {len(added)} new article(s)…")
    st.session_state.uploads = list(st.session_state.get("uploads", [])) + added
    st.session_state.upload_messages = messages
    bar.empty()
    st.rerun()


def timeline(view: AtlasFrames) -> None:
    table, freq = timeline_counts(view.events)
    if table.empty:
        st.caption("No dated events in this view.")
        return
    labels = {k: v[0] for k, v in EVENT_TYPES.items()}
    table["type"] = table["event_type"].map(lambda t: labels.get(t, "Other"))
    domain = [labels[k] for k in EVENT_TYPES]
    colours = [v[1] for v in EVENT_TYPES.values()]
    unit = "yearmonthdate" if freq == "day" else "yearmonth"
    chart = (
        alt.Chart(table)
        .mark_bar()
        .encode(
            x=alt.X(f"{unit}(period):T", title="Day" if freq == "day" else "Month"),
            y=alt.Y("sum(count):Q", title="Events"),
            color=alt.Color("type:N", scale=alt.Scale(domain=domain, range=colours), title="Event type"),
            tooltip=[alt.Tooltip(f"{unit}(period):T", title="When"), alt.Tooltip("type:N", title="Type"),
                     alt.Tooltip("sum(count):Q", title="Events")],
        )
        .properties(height=180)
    )
    st.altair_chart(chart, width="stretch")


def _safe_link(url: Any) -> str | None:
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None


def events_table(view: AtlasFrames, loaded: LoadedAtlas) -> None:
    ev = view.events
    if len(ev) == 0:
        st.caption("No events in this view.")
        return

    def col(name: str) -> pd.Series:
        return ev[name] if name in ev.columns else pd.Series([None] * len(ev), index=ev.index)

    first_article = col("article_id").where(col("article_id").notna(),
                                            col("article_ids").map(lambda v: (list(v) or [None])[0]
                                                                   if isinstance(v, (list, tuple, np.ndarray)) else v))
    info = first_article.map(lambda a: loaded.articles.get(str(a), {}))
    titles = info.map(lambda d: d.get("title"))
    if "article_title" in ev.columns:
        titles = titles.where(titles.notna(), ev["article_title"])
    urls = info.map(lambda d: d.get("url"))
    if "article_url" in ev.columns:
        urls = urls.where(urls.notna(), ev["article_url"])
    table = pd.DataFrame(
        {
            "date": col("date_start").astype("string"),
            "type": col("event_type").map(lambda t: EVENT_TYPES.get(t, (t,))[0] if isinstance(t, str) else t),
            "place": col("place_name"),
            "caravan": col("caravan_id"),
            "people": pd.to_numeric(col("people_max"), errors="coerce").fillna(pd.to_numeric(col("people_min"), errors="coerce")),
            "status": col("status"),
            "confidence": pd.to_numeric(col("confidence"), errors="coerce"),
            "precision": col("date_precision"),
            "article": titles,
            "link": urls.map(_safe_link),
            "sentence": col("sentence"),
        }
    ).reset_index(drop=True)
    ids = col("event_id").astype(str).tolist()
    st.dataframe(
        table,
        hide_index=True,
        height=300,
        width="stretch",
        key="events_table",
        on_select=lambda: _select_table_row(ids),
        selection_mode="single-row",
        column_config={
            "confidence": st.column_config.ProgressColumn("confidence", min_value=0.0, max_value=1.0, format="%.2f"),
            "link": st.column_config.LinkColumn("link", display_text="open"),
            "people": st.column_config.NumberColumn("people", format="%d"),
        },
    )


def evidence_panel(frames: AtlasFrames, view: AtlasFrames, loaded: LoadedAtlas, selected: str | None,
                   area: str | None) -> None:
    st.subheader("Evidence")
    found = find_feature(frames, selected)
    if found is None:
        st.caption("Click a feature on the map, a row of the events table, or pick a place below to see "
                   "the sentence it comes from, the article, the date's precision, the confidence and the "
                   "alternatives.")
        return
    layer, row = found
    found_view = find_feature(view, selected)
    st.html(evidence_html(layer, row, loaded.articles, visible=found_view is not None, area=area))
    st.button("Clear selection", on_click=_select, args=(None,))


def selection_geometry(frames: AtlasFrames, selected: str | None) -> tuple[dict[str, Any], str | None]:
    """What the map highlights for the selection: areas (country/admin-1), a point or a line."""
    found = find_feature(frames, selected)
    if found is None:
        return {}, None
    layer, row = found
    place = row if layer == "places" else (place_for_event(frames, row) if layer == "events" else None)
    areas = selection_areas(place)
    geom = row.get("geometry")
    out: dict[str, Any] = {"areas": areas}
    if geom is not None and not geom.is_empty:
        if geom.geom_type == "Point":
            out["point"] = (geom.y, geom.x)
        else:
            parts = getattr(geom, "geoms", [geom])
            out["lines"] = [[[round(y, 5), round(x, 5)] for x, y, *_ in p.coords] for p in parts
                            if p.geom_type == "LineString"]
    return out, (areas[0][0] if areas else None)


def exports(view: AtlasFrames, key: str, state: ViewState) -> None:
    st.subheader("Download this view")
    description = "&".join(f"{k}={v}" for k, v in to_query_params(replace(state, center=None, zoom=None)).items())
    cache_key = f"{key}|{description}"
    stamp = dt.date.today().isoformat()
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        st.download_button("Events · GeoJSON", cached_export(cache_key, "geojson", view, description),
                           file_name=f"caravan-atlas-events-{stamp}.geojson", mime="application/geo+json",
                           on_click="ignore", width="stretch", key="dl_geojson")
    with c2:
        st.download_button("Events · CSV", cached_export(cache_key, "csv", view, description),
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


def main() -> None:
    st.set_page_config(page_title="Caravan Atlas", page_icon="🗺️", layout="wide")
    _assets_ready()
    args = parse_cli()
    loaded, key = load(args)
    frames = loaded.frames
    options = cached_options(key, frames)
    rows = cached_event_rows(key, loaded)
    ss = st.session_state

    url_state = from_query_params(url_params())
    if ss.get("_seeded") != key:
        seed_widgets(url_state, options)
        ss._seeded = key
    process_map_click(frames, rows)

    sidebar(options, loaded)
    filters = options.clean(filters_from_widgets(options))
    state = ViewState(filters=filters, selected=ss.get("sel"), center=url_state.center, zoom=url_state.zoom)
    sync_url(state)
    if ss.get("f_auto") and ss.get("f_play"):
        player_tick(options.event_days)

    view = apply_filters(frames, filters)
    mask = event_mask(frames.events, filters)
    ss.view_event_ids = [str(v) for v in view.events.get("event_id", pd.Series(dtype=object)).tolist()]

    st.title("Caravan Atlas")
    if loaded.is_sample:
        st.warning(loaded.note, icon="⚠️")
    for message in loaded.errors:
        st.warning(f"Skipped a file: {message}", icon="⚠️")
    counts = (f"**{len(view.events)}** of {len(frames.events)} events · **{len(view.routes)}** route legs · "
              f"**{len(view.crossings)}** crossings · **{len(view.places)}** places")
    when = f" · up to **{filters.upto.isoformat()}**" if filters.upto else ""
    st.markdown(f"{counts}{when} — {escape_text(loaded.note)}")

    map_col, side_col = st.columns([3, 1.25], gap="medium")
    highlight, area = selection_geometry(frames, ss.get("sel"))
    with map_col:
        base = build_base_map(map_bounds(frames.events, frames.routes, frames.crossings) or map_bounds(frames.places),
                              layer_control=False)
        layers = build_layers(view.events, view.routes, view.places, view.crossings, articles=loaded.articles,
                              prepared=rows, event_mask=mask, selection=highlight,
                              caravan_colours=caravan_colours(frames))
        st_folium(
            base,
            key=MAP_KEY,
            height=MAP_HEIGHT,
            use_container_width=True,
            returned_objects=["last_object_clicked_tooltip"],
            feature_group_to_add=layers,
            layer_control=folium.LayerControl(collapsed=True, position="topright"),
            center=state.center,
            zoom=state.zoom,
        )
    with side_col:
        evidence_panel(frames, view, loaded, ss.get("sel"), area)
        places = view.places
        if len(places):
            names = places.sort_values("name")
            ids = names["place_id"].astype(str).tolist() if "place_id" in names.columns else []
            label = dict(zip(ids, (f"{n} ({k})" for n, k in zip(names["name"], names.get("kind", [""] * len(ids))))))
            st.selectbox("Pick a place", ids, index=None, key="place_pick", on_change=_select_place,
                         format_func=lambda i: str(label.get(i, i)), placeholder="Places in this view")

    st.subheader("Timeline")
    timeline(view)
    st.subheader("Events")
    events_table(view, loaded)
    exports(view, key, state)


main()
