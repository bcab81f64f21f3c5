"""Where the dashboard's atlas comes from: articles through ``geo``, else a labelled sample.

Kept out of ``app.py`` so that results can be pickled by ``st.cache_data`` and tested
without Streamlit. :func:`atlas_from_articles` is the one place where a list of articles
(a corpus folder, plus uploads, later a persistent store) becomes the dashboard's atlas.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.sample import AtlasFrames, gazetteer_sample

__all__ = ["LoadedAtlas", "corpus_signature", "load_atlas", "read_folder", "atlas_from_articles", "articles_key"]

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


def articles_key(articles: Iterable[Any]) -> str:
    """A short hash of the articles' ids, dates and texts (cache key of a joined atlas)."""
    h = hashlib.sha256()
    for a in articles:
        h.update(f"{a.id}\x00{a.published}\x00{a.content_hash}\x00{a.title}\x00".encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]


def atlas_from_articles(articles: Sequence[Any], *, label: str = "", errors: Sequence[str] = ()) -> LoadedAtlas:
    """Build the atlas of ``articles`` (all together, so events merge across articles).

    On any failure (or no article) the clearly labelled gazetteer sample is returned, so
    the page is never empty.
    """
    try:
        import geo

        articles = list(articles)
        if not articles:
            raise FileNotFoundError(f"no readable articles{' in ' + label if label else ''}")
        atlas = geo.build_atlas(articles)
        frames = AtlasFrames(atlas.events, atlas.routes, atlas.places, atlas.crossings)
        meta = {
            a.id: {"title": a.title, "url": a.url, "source": a.source, "published": a.published}
            for a in articles
        }
        note = f"{len(articles)} articles" + (f" from {label}" if label else "")
        return LoadedAtlas(frames, meta, False, note, tuple(errors))
    except Exception as err:  # the page must never be empty: fall back to the sample
        logger.warning("atlas unavailable, showing the gazetteer sample: %s", err)
        sample = gazetteer_sample()
        return LoadedAtlas(
            sample, {}, True, f"{sample.label}. The atlas could not be built ({type(err).__name__}: {err}).",
            tuple(errors),
        )


def load_atlas(folder: Path) -> LoadedAtlas:
    """Build the atlas of the articles in ``folder``; on any failure, the gazetteer sample."""
    try:
        articles, errors = read_folder(folder)
    except Exception as err:
        logger.warning("cannot read %s: %s", folder, err)
        articles, errors = [], [f"{folder}: {err}"]
    return atlas_from_articles(articles, label=f"{folder.name}/", errors=errors)
