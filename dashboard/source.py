"""Where the dashboard's atlas comes from: articles through ``geo``, else a labelled sample.

Kept out of ``app.py`` so that results can be pickled by ``st.cache_data`` and tested
without Streamlit. :func:`atlas_from_articles` is the one place where a list of articles
(the store's: corpus folder plus uploads) becomes the dashboard's atlas; it takes the
per-article stage as a parameter (``analyse``) so that the app can cache each article's
analysis by its :func:`article_key`. :func:`with_corrections` applies the store's
corrections to every layer (:func:`geo.store.corrections.apply_corrections`).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.sample import AtlasFrames, gazetteer_sample

__all__ = [
    "LoadedAtlas",
    "corpus_signature",
    "load_atlas",
    "read_folder",
    "ingest_folder",
    "analyse_article",
    "article_key",
    "atlas_from_articles",
    "articles_key",
    "corrections_key",
    "with_corrections",
    "load_built_atlas",
    "built_signature",
]

logger = logging.getLogger(__name__)

SUFFIXES = (".md", ".markdown", ".txt")


@dataclass(frozen=True)
class LoadedAtlas:
    """The atlas layers plus article metadata for the popups and evidence panel."""

    frames: AtlasFrames
    articles: dict[str, dict[str, Any]]
    is_sample: bool
    note: str
    errors: tuple[str, ...] = field(default=())
    #: ids of active corrections whose target is not in this atlas
    skipped: tuple[str, ...] = field(default=())


def corpus_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and mtimes of the corpus files: a cache key for the atlas."""
    if not folder.is_dir():
        return ()
    return tuple(
        (str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix.lower() in SUFFIXES
    )


def read_folder(folder: Path) -> tuple[list[Any], list[str]]:
    """The readable articles of ``folder`` and a one-line message per bad file."""
    import geo

    errors: list = []
    articles = list(geo.read_corpus([folder], errors=errors))
    return articles, [str(e) for e in errors]


def ingest_folder(store: Any, folder: Path, workspace: str = "demo") -> tuple[int, list[str]]:
    """Save the articles of ``folder`` in ``workspace`` of ``store`` (origin ``corpus``; the
    same text is stored once). Returns (articles new to the workspace, one message per
    unreadable file)."""
    articles, errors = read_folder(folder)
    results = store.add_articles(articles, "corpus", workspace=workspace) if articles else []
    return sum(1 for _, created in results if created), errors


def article_key(article: Any) -> str:
    """What one article's analysis depends on (id, date, text): the cache key of :func:`analyse_article`."""
    return articles_key([article])


def analyse_article(article: Any) -> Any:
    """The per-article stage (:func:`geo.atlas.build.analyse_articles`) of one article (picklable)."""
    from geo.atlas.build import analyse_articles

    return next(iter(analyse_articles([article])))


def articles_key(articles: Iterable[Any]) -> str:
    """A short hash of the articles' ids, dates and texts (cache key of a joined atlas)."""
    h = hashlib.sha256()
    for a in articles:
        h.update(f"{a.id}\x00{a.published}\x00{a.content_hash}\x00{a.title}\x00".encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]


def empty_atlas(note: str, errors: Sequence[str] = ()) -> LoadedAtlas:
    """An atlas without a feature (a workspace without articles), saying so in ``note``."""
    from geo.atlas.layers import Atlas

    atlas = Atlas.empty()
    return LoadedAtlas(AtlasFrames(atlas.events, atlas.routes, atlas.places, atlas.crossings), {}, False, note,
                       tuple(errors))


def atlas_from_articles(articles: Sequence[Any], *, label: str = "", errors: Sequence[str] = (),
                        analyse: Callable[[Any], Any] | None = None) -> LoadedAtlas:
    """Build the atlas of ``articles`` (all together, so events merge across articles).

    ``analyse`` is the per-article stage (default :func:`analyse_article`; the app passes a
    cached one); the corpus stage (:func:`geo.atlas.build.assemble_atlas`) runs over all of them.
    On any failure (or no article) the clearly labelled gazetteer sample is returned, so
    the page is never empty.
    """
    try:
        from geo.atlas.build import analyse_articles, assemble_atlas

        articles = list(articles)
        if not articles:
            raise FileNotFoundError(f"no readable articles{' in ' + label if label else ''}")
        analyses = analyse_articles(articles) if analyse is None else (analyse(a) for a in articles)
        atlas = assemble_atlas(analyses)
        frames = AtlasFrames(atlas.events, atlas.routes, atlas.places, atlas.crossings, articles=atlas.articles)
        meta = {
            a.id: {"title": a.title, "url": a.url, "source": a.source, "published": a.published,
                   "origin": (a.extra or {}).get("origin"), "content_hash": a.content_hash,
                   "author": a.author, "file_sha256": a.file_sha256, "extraction": a.extraction}
            for a in articles
        }
        note = f"{len(articles)} articles" + (f" from {label}" if label else "")
        return LoadedAtlas(frames, meta, False, note, tuple(errors))
    except Exception as err:  # noqa: BLE001 - the page must never be empty: fall back to the sample
        logger.warning("atlas unavailable, showing the gazetteer sample: %s", err)
        sample = gazetteer_sample()
        return LoadedAtlas(
            sample, {}, True, f"{sample.label}. The atlas could not be built ({type(err).__name__}: {err}).",
            tuple(errors),
        )


def corrections_key(corrections: Iterable[Any]) -> str:
    """A short hash of the active corrections (ids and times): the cache key of a corrected atlas."""
    h = hashlib.sha256()
    for c in corrections:
        if c.undone_at is None:
            h.update(f"{c.correction_id}\x00{c.created_at}\x00".encode())
    return h.hexdigest()[:16]


def with_corrections(loaded: LoadedAtlas, corrections: Sequence[Any]) -> LoadedAtlas:
    """``loaded`` with the active ``corrections`` applied to every layer at once.

    Every layer gains ``corrected`` and ``original`` (also without corrections, so exports
    always carry them). The sample is returned unchanged.
    """
    if loaded.is_sample:
        return loaded
    from geo.store.corrections import apply_corrections
    from geo.atlas.layers import Atlas

    f = loaded.frames
    if not any(c.undone_at is None for c in corrections):  # fast path: nothing to apply
        def marked(frame: Any) -> Any:
            out = frame.copy()
            geom = out.geometry.name
            out.insert(len(out.columns) - (1 if out.columns[-1] == geom else 0), "corrected",
                       pd.Series(False, index=out.index, dtype="boolean"))
            out.insert(len(out.columns) - (1 if out.columns[-1] == geom else 0), "original",
                       pd.Series([None] * len(out), index=out.index, dtype=object))
            return out

        frames = AtlasFrames(marked(f.events), marked(f.routes), marked(f.places), marked(f.crossings), f.label,
                             f.articles)
        return replace(loaded, frames=frames, skipped=())
    skipped: list[str] = []
    atlas = apply_corrections(Atlas(places=f.places, events=f.events, routes=f.routes, crossings=f.crossings),
                              corrections, skipped=skipped)
    frames = AtlasFrames(atlas.events, atlas.routes, atlas.places, atlas.crossings, f.label, f.articles)
    return replace(loaded, frames=frames, skipped=tuple(skipped))


def load_atlas(folder: Path) -> LoadedAtlas:
    """Build the atlas of the articles in ``folder``; on any failure, the gazetteer sample."""
    try:
        articles, errors = read_folder(folder)
    except Exception as err:  # noqa: BLE001 - a folder that cannot be read leaves the workspace as it was
        logger.warning("cannot read %s: %s", folder, err)
        articles, errors = [], [f"{folder}: {err}"]
    return atlas_from_articles(articles, label=f"{folder.name}/", errors=errors)


def built_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and mtimes of a built atlas folder's files (its cache key)."""
    if not folder.is_dir():
        return ()
    return tuple(sorted((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns)
                        for p in folder.rglob("*") if p.is_file()))


def load_built_atlas(folder: Path) -> LoadedAtlas:
    """An atlas folder written by ``python -m geo build`` (GeoParquet, GeoJSON or GeoPackage)."""
    from geo.errors import AtlasError
    from geo.export import read_atlas

    try:
        atlas = read_atlas(folder)
    except (AtlasError, OSError, ValueError) as err:
        sample = gazetteer_sample()
        return LoadedAtlas(sample, {}, True, f"Could not open {folder.name}: {err}", (str(err),))
    frames = AtlasFrames(events=atlas.events, routes=atlas.routes, places=atlas.places,
                         crossings=atlas.crossings, label=f"atlas {folder.name}/", articles=atlas.articles)
    return LoadedAtlas(frames, {}, False, f"atlas from {folder.name}/ (read-only)")
