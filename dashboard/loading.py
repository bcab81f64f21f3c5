"""Loading what one app run shows: the store, the open workspace's articles and its atlas.

Everything goes through Streamlit's caches (per server process) and, for the built atlas,
:mod:`dashboard.diskcache` (between server starts). :func:`load` opens the workspace the
URL names (``ws``), else the one of ``--articles``; ``--atlas DIR`` opens a built atlas
read-only.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from dashboard import diskcache
from dashboard.assets import ensure_static_assets
from dashboard.basemap import ensure_reference_files_in_background
from dashboard.filters import Options, atlas_options
from dashboard.sample import AtlasFrames
from dashboard.source import (
    LoadedAtlas,
    analyse_article,
    article_key,
    articles_key,
    atlas_from_articles,
    empty_atlas,
    built_signature,
    corpus_signature,
    corrections_key,
    ingest_folder,
    load_atlas,
    load_built_atlas,
    with_corrections,
)
from dashboard.webmap import EventRows, prepare_events
from geo.store.corrections import Correction
from geo.errors import AtlasError
from geo.store import Store, Workspace, default_url

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]


DEFAULT_ARTICLES = ROOT / "data" / "articles"


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
def assets_ready() -> str:
    """Leaflet and its plugins in dashboard/static/ (once per process), the basemap's names in the background."""
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


def _link_legacy(store: Store, workspace: str, base: LoadedAtlas) -> None:
    """Corrections made before workspaces land in the workspace whose atlas shows their feature
    (a no-op once none is left); a failure leaves them where they are."""
    try:
        store.link_legacy_corrections(workspace, base.frames.events, base.frames.places)
    except AtlasError as err:
        logger.warning("corrections made before workspaces not linked: %s", err)


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
    if articles:
        base = cached_atlas(base_key, articles, label, errors)
    else:  # a new or emptied workspace: an empty map that says so (not the sample)
        base = empty_atlas(f"no articles in {label} yet: add some under “Add articles” in the sidebar", errors)
    _link_legacy(store, ws.workspace_id, base)
    corrections = tuple(store.corrections(include_undone=True, workspace=ws.workspace_id))  # read on every rerun
    active = tuple(c for c in corrections if c.undone_at is None)
    key = f"{base_key}-{corrections_key(active)}-{hashlib.sha256(label.encode()).hexdigest()[:8]}"  # with the name: a rename shows at once
    if added:  # the counts after the ingest
        workspaces = {w.workspace_id: w for w in store.workspaces()}
    return Loaded(cached_corrected(key, base, active), base, base_key, key, store, corrections,
                  workspace=workspaces[ws.workspace_id], workspaces=tuple(workspaces.values()), workspace_note=note)
