"""Results kept on disk between server starts, keyed by their inputs and the code version.

Streamlit's caches live in the server process: every start rebuilt the demo atlas (spaCy
loading and analysis, seconds) and the simplified boundary outlines before the first map
could be drawn. This module keeps such results as pickles under ``<cache dir>/dashboard/``
(:func:`geo.gazetteer.index.cache_dir`: ``$ATLAS_CACHE_DIR``, else ``<repo>/.cache``), one file per
``(namespace, key)``. The file name also holds :func:`code_version`, a hash of everything
else the results depend on — the source of ``geo/`` and ``dashboard/``, the bundled data
files (names, sizes, times), the gazetteer index and the versions of the libraries whose
objects are pickled — so that a change to any of them starts afresh. Only this process
writes these files (atomically); an unreadable or stale file is a miss, never an error.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["code_version", "load", "save", "cache_folder"]

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
#: The files per namespace that are kept (the newest); older ones are removed on save.
KEEP = 8
_PACKAGES = ("numpy", "pandas", "geopandas", "shapely", "pyproj", "spacy", "en_core_web_sm", "folium")


def cache_folder() -> Path:
    from geo.gazetteer.index import cache_dir

    return cache_dir() / "dashboard"


def _stat_token(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return f"{path.name}:missing"
    return f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{st.st_size}:{st.st_mtime_ns}"


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A short hash of the code, data and libraries that cached results depend on."""
    from importlib.metadata import PackageNotFoundError, version

    from geo.gazetteer.index import default_index_path

    h = hashlib.sha256()
    for package in ("geo", "dashboard"):
        for path in sorted((ROOT / package).rglob("*.py")):
            h.update(str(path.relative_to(ROOT)).encode())
            h.update(path.read_bytes())
    for folder in ("gazetteer", "geonames", "boundaries"):
        for path in sorted((ROOT / "data" / folder).rglob("*")):
            if path.is_file():
                h.update(_stat_token(path).encode())
    h.update(_stat_token(default_index_path()).encode())
    for name in _PACKAGES:
        try:
            h.update(f"{name}={version(name)}".encode())
        except PackageNotFoundError:
            h.update(f"{name}=missing".encode())
    return h.hexdigest()[:16]


def _path(namespace: str, key: str) -> Path:
    digest = hashlib.sha256(f"{namespace}\x00{key}".encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return cache_folder() / namespace / f"{code_version()}-{digest}.pickle"


def load(namespace: str, key: str) -> Any | None:
    """The value saved under ``(namespace, key)`` by this code version, else None."""
    try:
        path = _path(namespace, key)
        with open(path, "rb") as fh:
            value = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as err:  # noqa: BLE001 - a stale or broken file (any unpickling error) is a miss
        logger.warning("ignoring the cached %s %s: %s", namespace, key[:40], err)
        return None
    try:
        os.utime(path)  # recently used: kept by the pruning in save()
    except OSError:
        pass
    return value


def save(namespace: str, key: str, value: Any) -> None:
    """Save ``value`` under ``(namespace, key)`` (atomic; failures are logged, not raised)."""
    try:
        path = _path(namespace, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        files = sorted(path.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP:]:
            old.unlink(missing_ok=True)
    except Exception as err:  # noqa: BLE001 - the disk cache is an optimisation: never fail the page for it
        logger.warning("could not cache %s on disk: %s", namespace, err)
