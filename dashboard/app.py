"""Caravan Atlas dashboard: layout only. Data, filters, map and exports are pure functions.

Run with ``streamlit run dashboard/app.py`` (demo corpus ``data/articles``) or
``streamlit run dashboard/app.py -- --articles DIR --db URL`` or ``-- --atlas BUILT_DIR`` (a GeoParquet,
GeoJSON or GeoPackage atlas from ``python -m geo build``); config in ``.streamlit/config.toml``.

Everything lives in the store (:class:`geo.store.Store`: SQLite ``data/atlas.sqlite`` by
default, ``ATLAS_DATABASE_URL`` or ``--db`` for another database, PostgreSQL included), in
workspaces: one per corpus, with its own uploads and corrections. ``--articles DIR`` opens
the workspace of DIR (the demo corpus has its own); the URL's ``ws`` opens another one. The
workspace's corpus folder is ingested when it is opened (the same text is stored once),
uploads are saved into it with origin ``upload``, and readers' corrections are saved with
their time and session. Every session builds its atlas from the workspace's articles (each
article's analysis cached by its content) and applies its corrections, read again on every
rerun, so a correction made in one session shows in the others at their next rerun.

- :mod:`dashboard.source` builds the atlas from the store's articles and applies corrections;
- :mod:`dashboard.fixes` lists and labels what a reader can correct;
- :mod:`dashboard.filters` filters it (map, timeline, table and exports use one view);
- :mod:`dashboard.state` keeps the view in the URL (``st.query_params``); the map itself
  writes its centre and zoom into the URL (``c``, ``z``) without a rerun;
- :mod:`dashboard.webmap` builds the map: the frame once, the data layers apart, so that
  filtering does not reload the map (:mod:`dashboard.map.component` draws it);
- :mod:`dashboard.evidence`, :mod:`dashboard.exports`, :mod:`dashboard.uploads`.

This file is the page: what it shows, in order. Each part of the page is its own module:
:mod:`dashboard.loading` (store, workspace, cached atlas), :mod:`dashboard.widgets` (the
view in the widgets and the URL), :mod:`dashboard.workspace_panel`, :mod:`dashboard.sidebar`
(filters, time, :mod:`dashboard.upload_panel`), :mod:`dashboard.player` (travel through
time), :mod:`dashboard.map_section`, :mod:`dashboard.evidence_panel`,
:mod:`dashboard.correction_panel`, :mod:`dashboard.timeline`, :mod:`dashboard.events_table`
and :mod:`dashboard.export_panel`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` puts dashboard/ first
    sys.path.insert(0, str(ROOT))

from dashboard import preload  # noqa: E402

preload.wait()  # `python -m dashboard` imports what follows in the background while the browser loads

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from dashboard.correction_panel import corrections_list, fix_panel, seed_fix_widgets  # noqa: E402
from dashboard.escape import escape_text  # noqa: E402
from dashboard.events_table import events_table  # noqa: E402
from dashboard.evidence_panel import evidence_panel, place_picker  # noqa: E402
from dashboard.export_panel import exports  # noqa: E402
from dashboard.filters import Filters, apply_filters, event_mask  # noqa: E402
from dashboard.loading import (  # noqa: E402
    Loaded,
    assets_ready,
    cached_event_rows,
    cached_options,
    load,
    parse_cli,
)
from dashboard.map.component import warm_up  # noqa: E402
from dashboard.map_section import draw_map, process_map_click  # noqa: E402
from dashboard.page_layout import PAGE_CSS  # noqa: E402
from dashboard.player import apply_player_step, player_tick  # noqa: E402
from dashboard.sample import AtlasFrames  # noqa: E402
from dashboard.intake_panel import intake_panel  # noqa: E402
from dashboard.sidebar import sidebar  # noqa: E402
from dashboard.state import ViewState, from_query_params  # noqa: E402
from dashboard.timeline import timeline  # noqa: E402
from dashboard.widgets import (  # noqa: E402
    filters_from_widgets,
    refit_dates,
    seed_widgets,
    sync_url,
    url_params,
)
from dashboard.workspace_panel import workspace_panel  # noqa: E402
from geo.store import DEMO_WORKSPACE  # noqa: E402

# The tab's icon (the world map emoji) as an ASCII data URL: an emoji string made Streamlit
# load its emoji catalogue, 0.1-1 s of the first run, and the data URL needs no network.
PAGE_ICON = ("data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%20viewBox='0%200%20100%20100'%3E"
             "%3Ctext%20y='.9em'%20font-size='90'%3E%F0%9F%97%BA%EF%B8%8F%3C/text%3E%3C/svg%3E")


def page_header(data: Loaded, frames: AtlasFrames, view: AtlasFrames, filters: Filters) -> None:
    """The title, what could not be opened or read, and the counts of the view."""
    loaded = data.atlas
    st.title("Caravan Atlas")
    if data.store_error:
        st.warning(f"The database cannot be opened, so uploads and corrections are off: {data.store_error}",
                   icon="⚠️")
    if data.workspace_note:
        st.warning(escape_text(data.workspace_note), icon="⚠️")
    if loaded.is_sample:
        st.warning(loaded.note, icon="⚠️")
    for message in loaded.errors:
        st.warning(f"Skipped a file: {message}", icon="⚠️")
    n_fixes = sum(1 for c in data.corrections if c.undone_at is None)
    counts = (f"**{len(view.events)}** of {len(frames.events)} events · **{len(view.routes)}** route legs · "
              f"**{len(view.crossings)}** crossings · **{len(view.places)}** places")
    when = f" · up to **{filters.upto.isoformat()}**" if filters.upto else ""
    fixes = f" · {n_fixes} correction{'s' if n_fixes != 1 else ''}" if n_fixes else ""
    st.markdown(f"{counts}{when} — {escape_text(loaded.note)}{fixes}")


def main() -> None:
    run_started = time.monotonic()
    st.set_page_config(page_title="Caravan Atlas", page_icon=PAGE_ICON, layout="wide")
    st.html(PAGE_CSS)  # (style only: it takes no room)
    warm_up()  # the map frame's code and Leaflet, loaded while this run builds the page
    assets_ready()
    url_state = from_query_params(url_params())
    data = load(parse_cli(), url_state.workspace)
    ws_id = data.workspace.workspace_id if data.workspace else None
    loaded, key = data.atlas, data.key
    frames = loaded.frames
    options = cached_options(key, frames)
    rows = cached_event_rows(key, loaded)
    ss = st.session_state

    if ss.get("_seeded") != data.base_key:  # a new set of articles (not a new correction)
        seed_widgets(url_state, options)
        ss._seeded = data.base_key
        ss._date_bounds = (options.date_min, options.date_max)
    if "_link_view" not in ss or ss.get("_link_ws") != ws_id:  # the view of the link the workspace was opened with
        ss._link_ws = ws_id
        ss._link_view = (list(url_state.center) if url_state.center else None, url_state.zoom)
    refit_dates(options)
    apply_player_step()
    process_map_click(frames, rows)
    seed_fix_widgets(frames)

    workspace_panel(data)
    sidebar(options, loaded, data.store, ws_id or DEMO_WORKSPACE)
    intake_panel(data.store, ws_id)
    filters = options.clean(filters_from_widgets(options))
    state = ViewState(filters=filters, selected=ss.get("sel"), center=url_state.center, zoom=url_state.zoom,
                      workspace=ws_id)
    sync_url(state)

    view = apply_filters(frames, filters)
    mask = event_mask(frames.events, filters)
    ss.view_event_ids = [str(v) for v in view.events.get("event_id", pd.Series(dtype=object)).tolist()]

    page_header(data, frames, view, filters)
    map_col, side_col = st.columns([3, 1.25], gap="medium")
    with map_col:
        area = draw_map(data.base.frames, view, frames, loaded.articles, rows, mask, ws_id, ss._link_view)
    with side_col:
        found = evidence_panel(frames, view, loaded, ss.get("sel"), area)
        fix_panel(data.store, found, loaded, ws_id or DEMO_WORKSPACE)
        place_picker(view)
        corrections_list(data.store, data)

    st.subheader("Timeline")
    timeline(view)
    st.subheader("Events")
    events_table(view, loaded)
    exports(view, key, state)
    if ss.get("f_auto") and ss.get("f_play"):
        player_tick(options.event_days, run_started)


main()
