"""The basemap's outlines (countries, states) as static files that the map fetches.

Embedded in the map's HTML, the simplified Natural Earth outlines were 1.0 of its 1.05 MB:
Streamlit sent them over the websocket, its frontend decoded them and the map's script parsed
them before it drew a single event. Now :func:`outline_file` writes each outline once into the
app's ``static/outlines/`` (gitignored; Streamlit serves it at ``app/static/outlines/``) and the
map fetches it (``CaravanAtlas.outline`` in :mod:`dashboard.map.library`) while it draws the
data, then draws it in its pane under the data once the first frame is painted.

The files hold geometry only (numbers, no names, no article text), written as
:func:`dashboard.map.elements._safe_json` writes the map's data. Their names carry a digest of
their content, so a browser never keeps an outdated one; an older file of the same outline is
removed when a new one is written.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from pathlib import Path

from dashboard.assets import STATIC_DIR
from dashboard.map.outlines import _outline_json
from geo.fileio import write_text_atomic

__all__ = ["FOLDER", "outline_file"]

logger = logging.getLogger(__name__)

#: folder under the app's ``static/``
FOLDER = "outlines"


@functools.lru_cache(maxsize=16)
def outline_file(source: str, tolerance: float, static_dir: str = str(STATIC_DIR)) -> str:
    """The simplified outline of the GeoJSON file ``source`` as a file under ``static_dir``
    (written unless already there); returns its path relative to ``static_dir``, with ``/``
    (``outlines/<name>-<tolerance>-<digest>.json``). Cached in the process."""
    text = _outline_json(source, tolerance)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    stem = f"{Path(source).stem}-{tolerance:g}"
    folder = Path(static_dir) / FOLDER
    target = folder / f"{stem}-{digest}.json"
    if not target.is_file():
        write_text_atomic(target, text)
        for old in folder.glob(f"{stem}-*.json"):
            if old != target and len(old.name) == len(target.name):
                try:
                    old.unlink()
                except OSError as err:  # another process's, or gone already
                    logger.debug("cannot remove %s: %s", old, err)
    return f"{FOLDER}/{target.name}"
