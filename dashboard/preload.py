"""Importing what the page's first run needs while the browser is still loading Streamlit.

A reader's first session starts only once the browser has loaded Streamlit's frontend (about a
second after the server is up); the page script's imports (pandas, folium, geopandas,
SQLAlchemy, the dashboard's modules: ~0.9 s) then came on top. :func:`start` imports them in a
background thread of the server process once the server listens (``python -m dashboard`` does
it, see :mod:`dashboard.__main__`; started with the server, the imports slowed the server's own
start by more than they gained), and the page script calls :func:`wait`
before its own imports, so the two never import at the same time and the first run finds them
loaded. Under a plain ``streamlit run dashboard/app.py`` nothing is started and :func:`wait`
returns at once.

The modules are the ones ``dashboard/app.py`` imports at its top (read from its source, so the
list cannot go stale) and :data:`FIRST_RUN_EXTRAS`, which the first run imports lazily, except
what imports a package that declares a Streamlit component on import (:data:`COMPONENT_PACKAGES`,
such as ``streamlit_folium``: Streamlit registers a component only when it is declared during a
script run; the page imports those modules itself). The dashboard's own map component
(:mod:`dashboard.map.component`) is declared when the map is drawn, so it is preloaded with the
rest. A module that fails to import is logged and left to the page, which then reports it as
usual.

Standard library only: the page imports this module before anything else.
"""

from __future__ import annotations

import ast
import importlib
import logging
import threading
import time
from pathlib import Path

__all__ = ["COMPONENT_PACKAGES", "FIRST_RUN_EXTRAS", "page_modules", "start", "wait", "started"]

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"
#: packages that declare a Streamlit component when imported: Streamlit registers a component
#: only when it is declared during a script run, so the page imports these itself
COMPONENT_PACKAGES = ("streamlit_folium",)

#: imported lazily by the first run of the page (the store's SQLite dialect, the table's Arrow
#: conversion, the cached atlas's classes)
FIRST_RUN_EXTRAS = (
    "sqlite3",
    "sqlalchemy.dialects.sqlite",
    "pyarrow",
    "pyarrow.pandas_compat",
    "geo.atlas.layers",
    "geo.gazetteer.index",
    "streamlit.components.v1",
)
THREAD_NAME = "dashboard-preload"


def _not_from_preload(record: logging.LogRecord) -> bool:
    """Streamlit warns of a "missing ScriptRunContext" when a module it imports calls it outside a
    script run: expected here, so not logged for this thread."""
    return record.threadName != THREAD_NAME

_thread: threading.Thread | None = None
_lock = threading.Lock()
#: seconds the background imports took (None until they are done)
took: float | None = None


def _top_imports(path: Path) -> list[str]:
    """The absolute imports at the top level of the Python file ``path``, in order."""
    names: list[str] = []
    for node in ast.parse(path.read_text(encoding="utf-8"), filename=str(path)).body:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module != "__future__":
            names.append(node.module)
    return names


def _source(name: str) -> Path | None:
    """The file of one of our own modules (``dashboard.*``, ``geo.*``), else None."""
    if name.split(".")[0] not in ("dashboard", "geo"):
        return None
    base = ROOT.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _needs_script(name: str, seen: dict[str, bool]) -> bool:
    """Does importing ``name`` import a component package (directly or through our modules)?"""
    if name in seen:
        return seen[name]
    seen[name] = False  # (an import cycle)
    if name.split(".")[0] in COMPONENT_PACKAGES:
        seen[name] = True
        return True
    path = _source(name)
    seen[name] = path is not None and any(_needs_script(n, seen) for n in _top_imports(path))
    return seen[name]


def page_modules(app: Path = APP) -> list[str]:
    """What to import ahead of the page script ``app``: its top-level imports, in order, then
    :data:`FIRST_RUN_EXTRAS`; a module of ours that imports a component package is replaced by
    its own imports (recursively), and the component packages are left to the page."""
    seen: dict[str, bool] = {}
    out: list[str] = []

    def visit(name: str) -> None:
        if name in out:
            return
        if not _needs_script(name, seen):
            out.append(name)
            return
        path = _source(name)
        if path is not None:
            for inner in _top_imports(path):
                visit(inner)

    for name in [*_top_imports(app), *FIRST_RUN_EXTRAS]:
        visit(name)
    return out


def _server_started(timeout: float = 60.0) -> None:
    """Return once Streamlit's runtime has started (its server is listening), or after ``timeout``."""
    from streamlit.runtime import Runtime, RuntimeState

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Runtime.exists() and Runtime.instance().state != RuntimeState.INITIAL:
            return
        time.sleep(0.02)


def _import_all(names: list[str], after_start: bool = False) -> None:
    global took
    if after_start:
        _server_started()
    t0 = time.perf_counter()
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as err:  # noqa: BLE001 - the page imports it again and reports it
            logger.warning("preloading %s failed: %s", name, err)
    took = time.perf_counter() - t0
    logger.debug("preloaded %d modules in %.2f s", len(names), took)


def start(names: list[str] | None = None, *, after_start: bool = False) -> threading.Thread:
    """Start importing ``names`` (default: :func:`page_modules`) in a daemon thread, once; with
    ``after_start``, the thread waits until Streamlit's server has started."""
    global _thread
    with _lock:
        if _thread is None:
            logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_not_from_preload)
            _thread = threading.Thread(target=_import_all, args=(page_modules() if names is None else names, after_start),
                                       name=THREAD_NAME, daemon=True)
            _thread.start()
        return _thread


def started() -> bool:
    return _thread is not None


def wait(timeout: float | None = None) -> None:
    """Return once the background imports (if any were started) are done."""
    thread = _thread
    if thread is not None:
        thread.join(timeout)
