"""Caravan Atlas dashboard: layout only. Data, filters, map and exports are pure functions.

Run with ``streamlit run dashboard/app.py`` (demo corpus ``data/articles``) or
``streamlit run dashboard/app.py -- --articles DIR --db URL`` or ``-- --atlas BUILT_DIR`` (a GeoParquet,
GeoJSON or GeoPackage atlas from ``python -m geo build``); config in ``.streamlit/config.toml``.

Everything lives in the store (:class:`geo.store.database.Store`: SQLite ``data/atlas.sqlite`` by
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
- :mod:`dashboard.webmap` draws the map: the frame once, the data layers through
  ``feature_group_to_add`` so that filtering does not reload the map;
- :mod:`dashboard.evidence`, :mod:`dashboard.exports`, :mod:`dashboard.uploads`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` puts dashboard/ first
    sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit.runtime.scriptrunner import get_script_run_ctx  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from dashboard import diskcache  # noqa: E402
from dashboard.assets import ensure_static_assets  # noqa: E402
from dashboard.basemap import ensure_reference_files_in_background  # noqa: E402
from dashboard.escape import escape_text  # noqa: E402
from dashboard.evidence import area_events, evidence_html, find_feature, place_for_event  # noqa: E402
from dashboard.fixes import (  # noqa: E402
    PLACE_ACTIONS,
    candidate_choices,
    candidate_label,
    correction_summary,
    event_changes,
    event_correction,
    mention_choices,
    mention_label,
    names_for,
    place_correction,
    sorted_newest_first,
)
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
from dashboard.intake_panel import intake_panel  # noqa: E402
from dashboard.page_layout import EVIDENCE_ANCHOR, EVIDENCE_HINT_HTML, PAGE_CSS  # noqa: E402
from dashboard.sample import AtlasFrames  # noqa: E402
from dashboard.source import (  # noqa: E402
    LoadedAtlas,
    analyse_article,
    built_signature,
    load_built_atlas,
    article_key,
    articles_key,
    atlas_from_articles,
    corpus_signature,
    corrections_key,
    ingest_folder,
    load_atlas,
    with_corrections,
)
from dashboard.state import ViewState, from_query_params, parse_selection, to_query_params  # noqa: E402
from dashboard.uploads import SUFFIXES, UploadError, display_name, read_upload  # noqa: E402
from dashboard.webmap import (  # noqa: E402
    CARAVAN_COLOURS,
    EVENT_TYPES,
    EventRows,
    atlas_extent,
    build_base_map,
    build_layers,
    prepare_events,
    selection_areas,
)
from geo.store.corrections import Correction  # noqa: E402
from geo.text.dates import PRECISIONS  # noqa: E402
from geo.errors import AtlasError  # noqa: E402
from geo.atlas.events import EVENT_TYPES as EVENT_TYPE_KEYS  # noqa: E402
from geo.store.database import DEMO_WORKSPACE, Store, Workspace, default_url  # noqa: E402

logger = logging.getLogger(__name__)

DEFAULT_ARTICLES = ROOT / "data" / "articles"
MAP_HEIGHT = 620
MAP_KEY = "atlas_map"
PRECISION_CHOICES = tuple(dict.fromkeys((*PRECISIONS, "unknown")))

ABOUT = """
**Caravan Atlas** reads news articles about migrant caravans and maps what they report:
places, dated events, caravan routes and border crossings. Every feature links to its
evidence (sentence, article, confidence, alternatives). Everything on the map is
extracted automatically: check the evidence before you publish.

**Data and credits**

- Places and the map's town and state names: [GeoNames](https://www.geonames.org/) gazetteer,
  licensed [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).
- Country and state boundaries, country names and rivers: [Natural Earth](https://www.naturalearthdata.com/)
  (public domain).
- US county points: medians of ZIP code points from the
  [zipcodes](https://pypi.org/project/zipcodes/) package's data (CC BY 4.0).
- US–Mexico ports of entry: U.S. Bureau of Transportation Statistics
  ([BTS](https://www.bts.gov/)) border crossing data (public domain).
- Optional online basemaps and geocoding: © [OpenStreetMap](https://www.openstreetmap.org/copyright)
  contributors (ODbL), map tiles by [CARTO](https://carto.com/attributions); Nominatim
  results are © OpenStreetMap contributors.
- Map: [Leaflet](https://leafletjs.com/) via folium and streamlit-folium.

**Corrections and uploads**

Anyone can fix a place (another candidate, "not a place", or a pin where it really is) or an
event (dates, type, people); every layer follows at once, corrected features carry a
magenta "corrected" mark and the original values, and exports say `corrected: true` with the
`original`. Corrections and uploaded articles are saved in the app's database (SQLite file
`data/atlas.sqlite` by default, or the database named by `ATLAS_DATABASE_URL`), in the open
workspace (one per corpus: the sidebar names it and switches), shared by every session and
kept across restarts; each can be undone from the Corrections list, and an article removed
from the workspace can be restored.

On Streamlit Community Cloud the disk is **not persistent**: a restart or redeploy loses the
SQLite file, with its uploads and corrections. Point `ATLAS_DATABASE_URL` at a PostgreSQL
database there to keep them.
"""


# --------------------------------------------------------------------------- data


def parse_cli(argv: list[str] | None = None) -> argparse.Namespace:
    """Arguments after ``--`` in ``streamlit run dashboard/app.py -- --articles DIR --db URL``."""
    parser = argparse.ArgumentParser(prog="dashboard/app.py", add_help=False)
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES)
    parser.add_argument("--db", default=None, help="database URL (default: ATLAS_DATABASE_URL or data/atlas.sqlite)")
    parser.add_argument("--atlas", type=Path, default=None,
                        help="open a built atlas folder (GeoParquet, GeoJSON or GeoPackage from `python -m geo build`)")
    args, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    return args


@st.cache_resource(show_spinner=False)
def _assets_ready() -> str:
    static = ensure_static_assets()
    ensure_reference_files_in_background(static)  # the basemap's names (a few seconds, once)
    return str(static)


@st.cache_resource(show_spinner="Opening the database…")
def cached_store(url: str) -> Store:
    """One :class:`Store` (connection pool) per database per process, shared by the sessions."""
    return Store.open(url)


@st.cache_data(show_spinner="Saving the corpus in the database…", max_entries=16)
def cached_ingest(url: str, workspace: str, folder: str,
                  signature: tuple[tuple[str, int, int], ...]) -> tuple[int, tuple[str, ...]]:
    """Ingest the corpus folder into its workspace once per corpus version (idempotent anyway)."""
    added, errors = ingest_folder(cached_store(url), Path(folder), workspace)
    return added, tuple(errors)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_corpus_workspace(url: str, folder: str) -> str:
    """The id of the workspace of the corpus ``folder`` (created on first use)."""
    ws = cached_store(url).workspace_for_corpus(Path(folder))
    assert ws is not None
    return ws.workspace_id


@st.cache_data(show_spinner="Reading the articles…", max_entries=4)
def cached_store_articles(url: str, workspace: str, version: str) -> list[Any]:
    """The articles of a workspace; ``version`` changes when one is added, removed or restored."""
    return cached_store(url).articles(workspace=workspace)


@st.cache_data(show_spinner="Reading the articles…")
def cached_folder(folder: str, signature: tuple[tuple[str, int, int], ...]) -> LoadedAtlas:
    """The atlas of the folder alone (when the database cannot be opened)."""
    return load_atlas(Path(folder))


@st.cache_data(show_spinner=False, max_entries=5000)
def cached_analysis(key: str, _article: Any) -> Any:
    """One article's analysis (geoparse, dates, events), cached by its content (``key``),
    so adding one upload only analyses that article."""
    return analyse_article(_article)


def _analyse(article: Any) -> Any:
    return cached_analysis(article_key(article), article)


@st.cache_data(show_spinner="Building the atlas from the articles…", max_entries=8)
def cached_atlas(key: str, _articles: list[Any], label: str, errors: tuple[str, ...]) -> LoadedAtlas:
    """The uncorrected atlas of a set of articles (``key``), from the cached analyses; kept on
    disk too (:mod:`dashboard.diskcache`), so a restarted server need not analyse them again."""
    # ``key`` covers ids, dates, titles and texts; the popups also show url, source and origin
    shown = [(a.url, a.source, (a.extra or {}).get("origin")) for a in _articles]
    disk_key = "\x00".join((key, label, *errors, repr(shown)))
    atlas = diskcache.load("atlas", disk_key)
    if atlas is None:
        atlas = atlas_from_articles(_articles, label=label, errors=errors, analyse=_analyse)
        if not atlas.is_sample:  # a fallback is not a result
            diskcache.save("atlas", disk_key, atlas)
    return atlas


@st.cache_data(show_spinner="Applying the corrections…", max_entries=8)
def cached_corrected(key: str, _base: LoadedAtlas, _corrections: tuple[Correction, ...]) -> LoadedAtlas:
    """The atlas with the corrections applied (``key``: articles and active corrections)."""
    return with_corrections(_base, _corrections)


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
        return geojson_bytes(_view.events, _view.articles)
    if kind == "csv":
        return csv_bytes(_view.events, _view.articles)
    if kind == "gpkg":
        return gpkg_bytes(_view)
    return zip_bytes(_view, description)


def caravan_colours(frames: AtlasFrames) -> dict[str, str]:
    """One colour per caravan over the whole atlas, so filtering does not recolour routes."""
    ids = sorted({str(c) for c in frames.routes.get("caravan_id", pd.Series(dtype=object)).dropna()})
    return {c: CARAVAN_COLOURS[i % len(CARAVAN_COLOURS)] for i, c in enumerate(ids)}


@dataclass(frozen=True)
class Loaded:
    """What one run works with: the corrected atlas, the uncorrected one and the store."""

    atlas: LoadedAtlas  # corrected
    base: LoadedAtlas  # before corrections (labels of the corrections list)
    base_key: str  # the article set
    key: str  # article set + active corrections
    store: Store | None
    corrections: tuple[Correction, ...]  # all, undone ones too
    store_error: str | None = None
    workspace: Workspace | None = None  # the open workspace (None: a built atlas or no database)
    workspaces: tuple[Workspace, ...] = ()  # every workspace of the store
    workspace_note: str | None = None  # why the link's workspace was not opened


def open_store(url: str) -> tuple[Store | None, str | None]:
    try:
        return cached_store(url), None
    except (AtlasError, OSError) as err:
        logger.warning("store unavailable: %s", err)
        return None, str(err)


@st.cache_data(show_spinner="Opening the atlas…")
def cached_built_atlas(folder: str, signature: tuple[tuple[str, int, int], ...]) -> LoadedAtlas:
    """A built atlas folder (``--atlas DIR``): read-only, no uploads or corrections."""
    return load_built_atlas(Path(folder))


def load(args: argparse.Namespace, requested: str | None = None) -> Loaded:
    """The atlas of the workspace ``requested`` (the URL's ``ws``), else of ``--articles``."""
    if args.atlas is not None:
        folder = args.atlas.resolve()
        base = cached_built_atlas(str(folder), built_signature(folder))
        key = f"atlas-{folder}-{hash(built_signature(folder))}"
        return Loaded(base, base, key, key, None, (), "a built atlas is shown read-only")
    folder = args.articles.resolve()
    url = args.db or default_url()
    store, error = open_store(url)
    if store is None:  # no database: the folder alone, read-only
        base = cached_folder(str(folder), corpus_signature(folder))
        key = articles_key([]) + f"-{folder}"
        return Loaded(base, base, key, key, None, (), error)
    default = cached_corpus_workspace(url, str(folder))
    workspaces = {w.workspace_id: w for w in store.workspaces()}
    note = None
    if requested and requested not in workspaces:
        note = f"There is no workspace {requested!r} in this database: showing {workspaces[default].name}."
    ws = workspaces[requested if requested in workspaces else default]
    errors: tuple[str, ...] = ()
    added = 0
    corpus = ws.corpus_folder
    if corpus is not None and corpus.is_dir():
        added, errors = cached_ingest(url, ws.workspace_id, str(corpus), corpus_signature(corpus))
    articles = cached_store_articles(url, ws.workspace_id, store.workspace_version(ws.workspace_id))
    uploads = sum(1 for a in articles if (a.extra or {}).get("origin") == "upload")
    base_key = f"{ws.workspace_id}-{articles_key(articles)}"
    label = f"workspace {ws.name}" + (f" ({uploads} uploaded)" if uploads else "")
    base = cached_atlas(base_key, articles, label, errors)
    corrections = tuple(store.corrections(include_undone=True, workspace=ws.workspace_id))  # read on every rerun
    active = tuple(c for c in corrections if c.undone_at is None)
    key = f"{base_key}-{corrections_key(active)}"
    if added:  # the counts after the ingest
        workspaces = {w.workspace_id: w for w in store.workspaces()}
    return Loaded(cached_corrected(key, base, active), base, base_key, key, store, corrections,
                  workspace=workspaces[ws.workspace_id], workspaces=tuple(workspaces.values()), workspace_note=note)


def session_id() -> str:
    """This browser session's id (the author of its corrections)."""
    ss = st.session_state
    if "_session_id" not in ss:
        ctx = get_script_run_ctx()
        ss._session_id = getattr(ctx, "session_id", None) or uuid.uuid4().hex
    return str(ss._session_id)



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


def refit_dates(options: Options) -> None:
    """Keep the date widgets inside the atlas's range when it changes (an event's date was
    corrected): a range end that sat on the old extreme follows the new one."""
    ss = st.session_state
    bounds = (options.date_min, options.date_max)
    old = ss.get("_date_bounds")
    ss._date_bounds = bounds
    if old is None or old == bounds or options.date_min is None or options.date_max is None:
        return
    lo, hi = options.date_min, options.date_max
    dates = ss.get("f_dates")
    if isinstance(dates, (tuple, list)) and len(dates) == 2:
        a = lo if dates[0] == old[0] or dates[0] is None else min(max(dates[0], lo), hi)
        b = hi if dates[1] == old[1] or dates[1] is None else min(max(dates[1], lo), hi)
        ss.f_dates = (min(a, b), max(a, b))
    elif "f_dates" not in ss or dates is None:
        ss.f_dates = (lo, hi)
    upto = ss.get("f_upto")
    if isinstance(upto, dt.date):
        ss.f_upto = min(max(upto, lo), hi)


def seed_fix_widgets(frames: AtlasFrames) -> None:
    """Reset the correction widgets to the selected feature's values when the selection changes."""
    ss = st.session_state
    sel = ss.get("sel")
    if ss.get("_fix_for") == sel:
        return
    ss._fix_for = sel
    ss.pick_mode = False
    for k in ("fix_target", "fix_action", "fix_candidate", "fix_candidate_picked"):
        ss.pop(k, None)
    found = find_feature(frames, sel)
    if found is None:
        return
    layer, row = found
    geom = row.get("geometry")
    if layer == "places" and geom is not None and not geom.is_empty:
        ss.pin_lat, ss.pin_lon = round(geom.y, 5), round(geom.x, 5)
    if layer == "events":
        def date(v: Any) -> dt.date | None:
            try:
                return dt.date.fromisoformat(str(v)[:10]) if isinstance(v, str) and v else None
            except ValueError:
                return None

        def count(v: Any) -> int | None:
            return None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else int(v)

        ss.ev_start, ss.ev_end = date(row.get("date_start")), date(row.get("date_end"))
        prec = row.get("date_precision")
        ss.ev_precision = prec if isinstance(prec, str) and prec in PRECISION_CHOICES else "unknown"
        etype = row.get("event_type")
        ss.ev_type = etype if isinstance(etype, str) and etype in EVENT_TYPE_KEYS else "other"
        ss.ev_min, ss.ev_max = count(row.get("people_min")), count(row.get("people_max"))


# --------------------------------------------------------------------------- callbacks


def _reset_filters(options: Options) -> None:
    seed_widgets(ViewState(), options)
    st.session_state.f_auto = False


def _step(days: tuple[dt.date, ...], direction: int) -> None:
    st.session_state.f_play = True
    st.session_state.f_upto = step_date(days, st.session_state.get("f_upto"), direction)


def _select(value: str | None) -> None:
    st.session_state.sel = value


def _candidate_picked() -> None:
    st.session_state.fix_candidate_picked = True  # the map shows it and pans to it


def _select_place() -> None:
    value = st.session_state.get("place_pick")
    if value:
        st.session_state.sel = f"places:{value}"


def feature_articles(row: dict[str, Any], articles: dict[str, dict[str, Any]]) -> list[str]:
    """Content hashes of the articles a place or event was built from (its evidence)."""
    ids = row.get("article_ids")
    if not isinstance(ids, (list, tuple, np.ndarray)):
        ids = [src.get("article_id") for src in (row.get("sources") if isinstance(row.get("sources"), (list, tuple, np.ndarray)) else [])
               if isinstance(src, dict)]
    return sorted({str(articles[str(a)]["content_hash"]) for a in ids
                   if str(a) in articles and articles[str(a)].get("content_hash")})


def _save(store: Store, build: Any, workspace: str = DEMO_WORKSPACE, hashes: Any = ()) -> None:
    """Build a correction from the widgets' current values and save it in ``workspace``,
    attached to the articles ``hashes`` (a list, or a function of the correction)."""
    ss = st.session_state
    try:
        correction = build()
        store.add_correction(correction, workspace=workspace,
                             articles=hashes(correction) if callable(hashes) else hashes)
    except (AtlasError, ValueError) as err:
        ss.fix_message = ("error", str(err))
        return
    ss.fix_message = ("ok", "Saved: every layer follows. Undo it in the Corrections list.")
    ss.pick_mode = False


def _meta() -> dict[str, str]:
    sid = session_id()
    return {"author": sid, "session": sid}


def _save_place_fix(store: Store, place_id: str, mentions: dict[str, Any], candidates: list[dict[str, Any]],
                    workspace: str = DEMO_WORKSPACE, articles: dict[str, dict[str, Any]] | None = None,
                    place_hashes: tuple[str, ...] = ()) -> None:
    ss = st.session_state

    def hashes(c: Correction) -> Any:  # one mention: its article; the place: every article naming it
        if c.target == "mention":
            return feature_articles({"article_ids": [c.target_id]}, articles or {})
        return place_hashes

    def build() -> Correction:
        target = mentions.get(ss.get("fix_target") or "", place_id)
        index = ss.get("fix_candidate")
        candidate = candidates[index] if isinstance(index, int) and 0 <= index < len(candidates) else None
        return place_correction(ss.get("fix_action") or "choose_candidate", target, candidate=candidate,
                                lat=ss.get("pin_lat"), lon=ss.get("pin_lon"), **_meta())

    _save(store, build, workspace, hashes)


def _save_event_fix(store: Store, row: dict[str, Any], workspace: str = DEMO_WORKSPACE,
                    hashes: tuple[str, ...] = ()) -> None:
    ss = st.session_state

    def build() -> Correction:
        changes = event_changes(row, {
            "date_start": ss.get("ev_start"), "date_end": ss.get("ev_end"),
            "date_precision": ss.get("ev_precision"),
            "event_type": ss.get("ev_type"), "people_min": ss.get("ev_min"), "people_max": ss.get("ev_max"),
        })
        return event_correction(str(row["event_id"]), changes, **_meta())

    _save(store, build, workspace, hashes)


def _undo(store: Store, correction_id: str) -> None:
    try:
        store.undo_correction(correction_id)
        st.session_state.fix_message = ("ok", "Undone.")
        st.session_state._fix_for = object()  # the form shows the feature's values again
    except AtlasError as err:
        st.session_state.fix_message = ("error", str(err))


def _switch_workspace() -> None:
    """Open the workspace picked in the sidebar: its own view, fitted to its extent."""
    ss = st.session_state
    target = ss.get("ws_pick")
    if not target:
        return
    st.query_params.from_dict({"ws": target})  # the old view (c, z, filters) belongs to the old workspace
    for k in ("sel", "_link_view", "_seeded", "place_pick", "ws_message"):
        ss.pop(k, None)


def _remove_article(store: Store, workspace: str, article_id: str, title: str) -> None:
    try:
        store.remove_article(article_id, workspace=workspace)
        st.session_state.ws_message = ("removed", article_id, title)
    except AtlasError as err:
        st.session_state.ws_message = ("error", str(err), "")


def _restore_article(store: Store, workspace: str, article_id: str, title: str) -> None:
    try:
        store.restore_article(article_id, workspace=workspace)
        st.session_state.ws_message = ("restored", article_id, title)
    except AtlasError as err:
        st.session_state.ws_message = ("error", str(err), "")


def _select_table_row(ids: list[str]) -> None:
    state = st.session_state.get("events_table")
    rows = getattr(getattr(state, "selection", None), "rows", None) or (
        state.get("selection", {}).get("rows", []) if isinstance(state, dict) else []
    )
    if rows and rows[0] < len(ids):
        st.session_state.sel = f"events:{ids[rows[0]]}"


# --------------------------------------------------------------------------- layout


MAX_LISTED_ARTICLES = 200


def workspace_panel(data: Loaded) -> None:
    """The sidebar's workspace: its name, the others to switch to, its articles (remove, restore)."""
    sb = st.sidebar
    ws, store = data.workspace, data.store
    if ws is None or store is None:
        return
    names = {w.workspace_id: w for w in data.workspaces}

    def label(i: str) -> str:
        n = names[i].articles
        return names[i].name + (f" · {n} article{'s' if n != 1 else ''}" if n else "")

    st.session_state.ws_pick = ws.workspace_id  # set before the widget: the open one is shown
    sb.selectbox("Workspace", list(names), key="ws_pick", on_change=_switch_workspace, format_func=label,
                 help="Each workspace is one corpus with its own uploads and corrections; nothing in one "
                      "shows in another. Pick another to open it (the page URL names it: share it).")
    message = st.session_state.pop("ws_message", None)
    if message and message[0] == "error":
        sb.error(escape_text(message[1]))
    elif message:
        kind, article_id, title = message
        sb.success(f"{'Removed' if kind == 'removed' else 'Restored'}: {escape_text(title)[:80]}"
                   + (" (and what was built from it alone)." if kind == "removed" else "."))
        if kind == "removed":
            sb.button("Undo", key="ws_undo_remove", icon=":material/undo:", on_click=_restore_article,
                      args=(store, ws.workspace_id, article_id, title))
    with sb.expander(f"Articles in this workspace ({ws.articles})"):
        articles = [(aid, meta) for aid, meta in data.base.articles.items() if meta.get("content_hash")]
        for aid, meta in articles[:MAX_LISTED_ARTICLES]:  # the atlas's own list: no extra read
            title = str(meta.get("title") or aid)
            # the title, then its button under it (a narrow column would cut the button to "R…")
            st.html(f"<div style='font:13px/1.3 system-ui,sans-serif'>{escape_text(title[:120])}</div>")
            st.button("Remove", key=f"rm_{meta['content_hash']}", on_click=_remove_article,
                      args=(store, ws.workspace_id, meta["content_hash"], title), icon=":material/delete:",
                      width="content",
                      help="Take it out of this workspace with everything built from it alone (undo: Restore)")
        if len(articles) > MAX_LISTED_ARTICLES:
            st.caption(f"{len(articles) - MAX_LISTED_ARTICLES} more: `python -m geo article list {ws.workspace_id}`")
        removed = store.articles(workspace=ws.workspace_id, removed=True) if ws.removed else []
        if removed:
            st.caption(f"Removed ({len(removed)})")
        for a in removed[:MAX_LISTED_ARTICLES]:
            title = a.title or a.id
            st.html(f"<div style='font:13px/1.3 system-ui,sans-serif;color:#777'>{escape_text(title[:120])}</div>")
            st.button("Restore", key=f"rs_{a.extra['content_hash']}", on_click=_restore_article,
                      args=(store, ws.workspace_id, a.extra["content_hash"], title), icon=":material/undo:",
                      width="content")


def sidebar(options: Options, loaded: LoadedAtlas, store: Store | None, workspace: str = DEMO_WORKSPACE) -> None:
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
        upload_form(store, loaded, workspace)
    with sb.expander("About and data credits"):
        st.markdown(ABOUT)


STEP_SECONDS = 1.0  # the player's step, as its help says


def apply_player_step() -> None:
    """Apply the step the player asked for in its last tick (before any widget exists: a
    widget's session state cannot be set once the widget is instantiated in a run)."""
    ss = st.session_state
    pending = ss.pop("_player_next", None)
    if pending is None:
        return
    if pending == "stop":
        ss.f_auto = False
    elif isinstance(pending, dt.date):
        ss.f_upto = pending
        # learn the round trip (tick -> rerun) so that steps come once a second, not 1.3 s
        now, last = time.monotonic(), ss.get("_player_step_at")
        if last is not None and now - last < 3 * STEP_SECONDS:
            bias = ss.get("_player_bias", 0.0) + 0.5 * (now - last - STEP_SECONDS)
            ss._player_bias = min(0.6, max(0.0, bias))
        ss._player_step_at = now


def _player_tick(days: tuple[dt.date, ...]) -> None:
    """While playing, ask for the next day with news (applied by the app run that follows)."""
    ss = st.session_state
    if ss.pop("_player_full_run", False):  # called by the app run itself: only (re)arm the timer
        return
    if not ss.get("f_auto") or not ss.get("f_play"):
        return
    current = ss.get("f_upto")
    nxt = step_date(days, current, 1)
    ss._player_next = "stop" if nxt is None or nxt == current else nxt
    st.rerun(scope="app")


def player_tick(days: tuple[dt.date, ...], run_started: float) -> None:
    """Arm the player's timer at the end of an app run, so that the next step comes
    ``STEP_SECONDS`` after this step began (the run's own time and the measured round trip
    of a tick count in the second)."""
    st.session_state._player_full_run = True
    elapsed = time.monotonic() - run_started
    wait = max(0.2, STEP_SECONDS - elapsed - st.session_state.get("_player_bias", 0.0))
    st.fragment(run_every=wait)(_player_tick)(days)


def upload_form(store: Store | None, loaded: LoadedAtlas, workspace: str = DEMO_WORKSPACE) -> None:
    if store is None:
        st.caption("Uploads need the database, which cannot be opened.")
        return
    with st.form("upload", clear_on_submit=True):
        files = st.file_uploader("Articles", type=[s.lstrip(".") for s in SUFFIXES], accept_multiple_files=True,
                                 help="Markdown/text with optional YAML front matter, or saved web pages")
        default_date = st.date_input("Published date for articles that give none", value=None,
                                     help="Relative dates ('on Sunday') are resolved against it")
        submitted = st.form_submit_button("Add to the atlas")
    if submitted and files:
        add_uploads(store, files, default_date, workspace)
    uploads = sum(1 for info in loaded.articles.values() if info.get("origin") == "upload")
    if uploads:
        st.caption(f"{uploads} uploaded article(s) saved in this workspace, visible to every session.")
    success = st.session_state.pop("upload_success", None)
    if success:
        st.success(success, icon="✅")
    for message in st.session_state.get("upload_messages", []):
        st.warning(message, icon="⚠️")


def add_uploads(store: Store, files: list[Any], default_date: dt.date | None,
                workspace: str = DEMO_WORKSPACE) -> None:
    """Read the uploaded files (progress bar) and save the good ones in ``workspace`` (origin
    ``upload``: they persist and every session of the workspace sees them); one line per bad one."""
    added, messages = 0, []
    bar = st.progress(0.0, text="Reading articles…")
    for i, f in enumerate(files):
        label = display_name(f.name)
        bar.progress(i / len(files), text=f"Reading {label} ({i + 1}/{len(files)})")
        try:
            article = read_upload(f.name, f.getvalue(), default_date=default_date)
            _, created = store.add_article(article, origin="upload", workspace=workspace)
        except UploadError as err:
            messages.append(str(err))
            continue
        except AtlasError as err:
            messages.append(f"{label}: cannot be saved ({err})")
            continue
        if not created:
            messages.append(f"{label}: already in this workspace")
            continue
        if article.published is None:
            messages.append(f"{label}: no published date; relative dates stay unresolved")
        added += 1
    bar.progress(1.0, text=f"Building the atlas with {added} new article(s)…")
    st.session_state.upload_messages = messages
    st.session_state.upload_success = (f"Added {added} article{'s' if added != 1 else ''} to the atlas of this "
                                       "workspace: every session of it sees them." if added else None)
    bar.empty()
    st.rerun()


def timeline(view: AtlasFrames) -> None:
    import altair as alt  # here, not at the top: it is drawn after the map (faster first paint)

    table, freq = timeline_counts(view.events)
    if table.empty:
        st.caption("No dated events in this view.")
        return
    labels = {k: v[0] for k, v in EVENT_TYPES.items()}
    table["type"] = table["event_type"].map(lambda t: labels.get(t, "Other"))
    # The legend lists the types in view (in the map's order and colours), and the chart is tall
    # enough for it: a legend taller than the chart is cut off at the chart's bottom edge.
    present = set(table["event_type"].map(lambda t: t if t in EVENT_TYPES else "other"))
    domain = [labels[k] for k in EVENT_TYPES if k in present]
    colours = [v[1] for k, v in EVENT_TYPES.items() if k in present]
    height = max(180, 20 * len(domain) + 40)
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
        .properties(height=height)
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
            "language": col("language"),
            "corrected": col("corrected").fillna(False).astype(bool) if "corrected" in ev.columns else False,
        }
    ).reset_index(drop=True)
    for name in ("date", "type", "place", "caravan", "status", "precision", "article", "sentence", "language"):
        # a missing value is an empty cell, not "None"
        table[name] = table[name].astype(object).map(lambda v: "" if v is None or v is pd.NA or
                                                     (isinstance(v, float) and np.isnan(v)) else str(v))
    ids = col("event_id").astype(str).tolist()
    st.dataframe(
        table,
        hide_index=True,
        height=300,
        width="stretch",
        key="events_table",
        on_select=lambda: _select_table_row(ids),
        selection_mode="single-row",
        placeholder="",  # a missing value (an event without a people count) is an empty cell, not "None"
        column_config={
            "confidence": st.column_config.ProgressColumn("confidence", min_value=0.0, max_value=1.0, format="%.2f"),
            "link": st.column_config.LinkColumn("link", display_text="open"),
            "people": st.column_config.NumberColumn("people", format="localized"),  # 2,000,000
            "corrected": st.column_config.CheckboxColumn("corrected", help="Corrected by a reader"),
        },
    )


def evidence_panel(frames: AtlasFrames, view: AtlasFrames, loaded: LoadedAtlas, selected: str | None,
                   area: str | None) -> tuple[str, dict[str, Any]] | None:
    st.subheader("Evidence", anchor=EVIDENCE_ANCHOR)
    found = find_feature(frames, selected)
    if found is None:
        st.caption("Click a feature on the map, a row of the events table, or pick a place below to see "
                   "the sentence it comes from, the article, the date's precision, the confidence and the "
                   "alternatives, and to correct it.")
        return None
    layer, row = found
    found_view = find_feature(view, selected)
    if layer == "places":
        area_event_list(view, row)  # first: the place's sources can be long
    st.html(evidence_html(layer, row, loaded.articles, visible=found_view is not None, area=area))
    st.button("Clear selection", on_click=_select, args=(None,))
    return found


def area_event_list(view: AtlasFrames, place: dict[str, Any]) -> None:
    """The events known only at this country's (state's, region's) level, each selectable:
    the map shows them as one badge on the area, not as points."""
    found = area_events(view.events, place)
    if len(found) == 0:
        return
    st.markdown(f"**{len(found)} event{'s' if len(found) != 1 else ''} known only at this "
                f"{escape_text(str(found['place_kind'].iloc[0]))} level** (no town given)")
    for i, r in enumerate(found.head(30).itertuples()):
        label = EVENT_TYPES.get(r.event_type, (str(r.event_type),))[0]
        st.button(f"{r.date_start or 'undated'} · {label}", key=f"area_ev_{i}_{r.event_id}", on_click=_select,
                  args=(f"events:{r.event_id}",), width="stretch")
    if len(found) > 30:
        st.caption(f"… and {len(found) - 30} more (see the events table).")


def fix_message() -> None:
    message = st.session_state.pop("fix_message", None)
    if message:
        kind, text = message
        (st.success if kind == "ok" else st.error)(escape_text(text))  # may quote article text


def place_fix_form(store: Store, row: dict[str, Any], articles: dict[str, dict[str, Any]],
                   workspace: str = DEMO_WORKSPACE) -> None:
    """Choose another candidate, mark "not a place" or drop a pin (the place or one mention)."""
    ss = st.session_state
    place_id = str(row.get("place_id"))
    mentions = {f"m{i}": (ref, src) for i, (ref, src) in enumerate(mention_choices(row))}
    labels = {"": "Every mention of this place"} | {k: "Only: " + mention_label(src, articles)
                                                     for k, (_, src) in mentions.items()}
    if len(mentions) > 1:
        st.selectbox("Correct", list(labels), key="fix_target", format_func=lambda k: labels.get(k, k))
    st.radio("Fix", list(PLACE_ACTIONS), key="fix_action", format_func=lambda k: PLACE_ACTIONS[k],
             label_visibility="collapsed")
    action = ss.get("fix_action") or "choose_candidate"
    candidates = candidate_choices(row)
    refs = {k: ref for k, (ref, _) in mentions.items()}
    if action == "choose_candidate":
        if not candidates:
            st.caption("The gazetteer offered no other candidate: drop a pin instead.")
            return
        st.selectbox("Candidate", list(range(len(candidates))), key="fix_candidate",
                     format_func=lambda i: candidate_label(candidates[i]), on_change=_candidate_picked,
                     help="The map shows the candidate picked here (dashed blue ring)")
    elif action == "move":
        c1, c2 = st.columns(2)
        c1.number_input("Latitude", min_value=-90.0, max_value=90.0, step=0.01, format="%.5f", key="pin_lat")
        c2.number_input("Longitude", min_value=-180.0, max_value=180.0, step=0.01, format="%.5f", key="pin_lon")
        st.toggle("Pick on map", key="pick_mode",
                  help="While on, a click on the map sets the latitude and longitude (and selects nothing)")
        if ss.get("pick_mode"):
            st.caption("Click the map where the place really is.")
    label = {"choose_candidate": "Use this candidate", "not_a_place": "Mark as not a place",
             "move": "Move the pin here"}[action]
    st.button(label, type="primary", key="fix_apply", on_click=_save_place_fix,
              args=(store, place_id, refs, candidates, workspace, articles, tuple(feature_articles(row, articles))))


def event_fix_form(store: Store, row: dict[str, Any], workspace: str = DEMO_WORKSPACE,
                   articles: dict[str, dict[str, Any]] | None = None) -> None:
    """Fix an event's dates (and precision), type or people count."""
    c1, c2 = st.columns(2)
    c1.date_input("Start", key="ev_start", format="YYYY-MM-DD", min_value=dt.date(1900, 1, 1),
                  max_value=dt.date(2100, 12, 31))
    c2.date_input("End", key="ev_end", format="YYYY-MM-DD", min_value=dt.date(1900, 1, 1),
                  max_value=dt.date(2100, 12, 31))
    c1.selectbox("Date precision", PRECISION_CHOICES, key="ev_precision")
    c2.selectbox("Type", EVENT_TYPE_KEYS, key="ev_type", format_func=lambda t: EVENT_TYPES.get(t, (t,))[0])
    c1.number_input("People (min)", min_value=0, step=1, key="ev_min")
    c2.number_input("People (max)", min_value=0, step=1, key="ev_max")
    st.button("Save the event fix", type="primary", key="fix_event", on_click=_save_event_fix,
              args=(store, row, workspace, tuple(feature_articles(row, articles or {}))))


def fix_panel(store: Store | None, found: tuple[str, dict[str, Any]] | None, loaded: LoadedAtlas,
              workspace: str = DEMO_WORKSPACE) -> None:
    fix_message()
    if store is None or found is None or loaded.is_sample:
        return
    layer, row = found
    if layer not in ("places", "events"):
        return
    with st.expander("Correct this " + ("place" if layer == "places" else "event"), expanded=True):
        if layer == "places":
            place_fix_form(store, row, loaded.articles, workspace)
        else:
            event_fix_form(store, row, workspace, loaded.articles)


def corrections_list(store: Store | None, loaded: Loaded) -> None:
    """Every correction, newest first, with an undo button for the active ones."""
    if store is None:
        return
    active = [c for c in loaded.corrections if c.undone_at is None]
    with st.expander(f"Corrections ({len(active)} active)", expanded=False):
        if not loaded.corrections:
            st.caption("No corrections yet. Select a place or an event to correct it.")
            return
        shown = sorted_newest_first(loaded.corrections)[:100]
        names = names_for(loaded.base.frames.places, loaded.base.frames.events, loaded.base.articles,
                          ids={c.target_id for c in shown})
        me = session_id()
        skipped = set(loaded.atlas.skipped)
        for c in shown:
            who = "you" if c.session == me else "another session"
            when = (c.created_at or "")[:16].replace("T", " ")
            state = (f"undone {(c.undone_at or '')[:16].replace('T', ' ')}" if c.undone_at
                     else "not applied (its target is gone or its values conflict)" if c.correction_id in skipped
                     else "active")
            # text, then its Undo button under it (a narrow column cut the button to "U…")
            st.html(f"<div style='font:13px/1.35 system-ui,sans-serif'>{escape_text(correction_summary(c, names))}"
                    f"<br><span style='color:#666;font-size:12px'>{escape_text(who)}, {escape_text(when)} UTC · "
                    f"{escape_text(state)}</span></div>")
            if c.undone_at is None:
                st.button("Undo", key=f"undo_{c.correction_id}", on_click=_undo, args=(store, c.correction_id),
                          icon=":material/undo:", width="content")


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
    run_started = time.monotonic()
    st.set_page_config(page_title="Caravan Atlas", page_icon="🗺️", layout="wide")
    _assets_ready()
    args = parse_cli()
    url_state = from_query_params(url_params())
    data = load(args, url_state.workspace)
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
    link_view = ss._link_view
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

    st.html(PAGE_CSS)
    map_col, side_col = st.columns([3, 1.25], gap="medium")
    picked = ss.get("fix_candidate") if ss.get("fix_candidate_picked") and \
        (ss.get("fix_action") or "choose_candidate") == "choose_candidate" else None
    highlight, area = selection_geometry(frames, ss.get("sel"), picked)
    picking = bool(ss.get("pick_mode"))
    with map_col:
        # the workspace's own extent: its events, routes, crossings and places, wherever they are
        # (before corrections: a correction must not reload the map)
        bf = data.base.frames
        base = build_base_map(atlas_extent(bf.events, bf.routes, bf.crossings, bf.places),
                              layer_control=False, workspace=ws_id)
        layers = build_layers(view.events, view.routes, view.places, view.crossings, articles=loaded.articles,
                              prepared=rows, event_mask=mask, selection=highlight,
                              caravan_colours=caravan_colours(frames))
        if picking:
            st.info("Pick on map is on: click where the place really is.", icon="📍")
        st_folium(
            base,
            key=MAP_KEY,
            height=MAP_HEIGHT,
            use_container_width=True,
            # last_clicked only while picking a pin, so that panning never reruns the app
            returned_objects=["last_object_clicked_tooltip"] + (["last_clicked"] if picking else []),
            feature_group_to_add=layers,
            layer_control=folium.LayerControl(collapsed=True, position="topright"),
            # The map owns its view: it opens on the URL's c/z (a shared link) and keeps them in
            # the URL itself. Only the link's view, the same on every rerun (so never re-applied):
            # the URL's c/z as the server last heard them may be stale.
            center=link_view[0],
            zoom=link_view[1],
        )
        if ss.get("sel"):
            st.html(EVIDENCE_HINT_HTML)  # (shown at a phone's width only, where the evidence is below)
    with side_col:
        found = evidence_panel(frames, view, loaded, ss.get("sel"), area)
        fix_panel(data.store, found, loaded, ws_id or DEMO_WORKSPACE)
        places = view.places
        if len(places):
            names = places.sort_values("name")
            ids = names["place_id"].astype(str).tolist() if "place_id" in names.columns else []
            label = dict(zip(ids, (f"{n} ({k})" for n, k in zip(names["name"], names.get("kind", [""] * len(ids))))))
            st.selectbox("Pick a place", ids, index=None, key="place_pick", on_change=_select_place,
                         format_func=lambda i: str(label.get(i, i)), placeholder="Places in this view")
        corrections_list(data.store, data)

    st.subheader("Timeline")
    timeline(view)
    st.subheader("Events")
    events_table(view, loaded)
    exports(view, key, state)
    if ss.get("f_auto") and ss.get("f_play"):
        player_tick(options.event_days, run_started)


main()
