"""Where the dashboard's atlas comes from: the corpus through ``geo``, else a labelled sample.

Kept out of ``app.py`` so the result can be pickled by ``st.cache_data`` and tested without
Streamlit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dashboard.sample import AtlasFrames, gazetteer_sample

__all__ = ["LoadedAtlas", "corpus_signature", "load_atlas"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedAtlas:
    """The atlas layers plus article metadata for the popups."""

    frames: AtlasFrames
    articles: dict[str, dict[str, Any]]
    is_sample: bool
    note: str


def corpus_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and mtimes of the corpus files: a cache key for the atlas."""
    if not folder.is_dir():
        return ()
    return tuple(
        (p.name, p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
        if p.suffix in (".md", ".txt")
    )


def load_atlas(folder: Path) -> LoadedAtlas:
    """Build the atlas of the articles in ``folder``; on any failure, the gazetteer sample."""
    try:
        import geo

        articles = list(geo.read_corpus([folder]))
        if not articles:
            raise FileNotFoundError(f"no articles in {folder}")
        atlas = geo.build_atlas(articles)
        frames = AtlasFrames(atlas.events, atlas.routes, atlas.places, atlas.crossings)
        meta = {
            a.id: {"title": a.title, "url": a.url, "source": a.source, "published": a.published}
            for a in articles
        }
        return LoadedAtlas(frames, meta, False, f"{len(articles)} articles from {folder.name}/")
    except Exception as err:  # the page must never be empty: fall back to the sample
        logger.warning("atlas unavailable, showing the gazetteer sample: %s", err)
        sample = gazetteer_sample()
        return LoadedAtlas(
            sample, {}, True, f"{sample.label}. The atlas could not be built ({type(err).__name__}: {err})."
        )
