"""``python -m dashboard [STREAMLIT OPTIONS] [-- APP ARGS]``: the dashboard's server, started faster.

The same as ``streamlit run dashboard/app.py [STREAMLIT OPTIONS] [-- APP ARGS]`` (which keeps
working), except that the modules the page's first run needs are imported in the background
while the server starts and the reader's browser loads Streamlit's frontend
(:mod:`dashboard.preload`). ``make run`` uses it.

    .venv/bin/python -m dashboard
    .venv/bin/python -m dashboard --server.port 8502 -- --articles DIR --db URL
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


def skip_component_manifest_scan() -> bool:
    """Streamlit's runtime, as it starts, reads every installed package's metadata looking for
    "v2" component manifests (about 0.3 s before the server answers, with the ~500 packages of
    this environment). The dashboard declares no v2 component (its map is a v1 component,
    :mod:`dashboard.map.component`; ``tests/test_preload.py`` checks that no module uses v2), so
    the launcher skips that scan. Returns whether it did (False if Streamlit has no such scan)."""
    try:
        from streamlit.components.v2.component_manager import BidiComponentManager
    except ImportError:
        return False
    if not callable(getattr(BidiComponentManager, "discover_and_register_components", None)):
        return False

    def no_scan(self, *args, **kwargs) -> None:
        return None

    BidiComponentManager.discover_and_register_components = no_scan
    return True


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    # Streamlit is imported here, before the background imports start, so that the two threads
    # never import the same package at once (that can deadlock the import locks).
    from streamlit.web import bootstrap, cli  # noqa: F401  (bootstrap: the server's modules too)

    from dashboard import preload

    skip_component_manifest_scan()
    # once the server listens: started earlier, the imports slowed the server's own start
    # (GIL) by more than they gained
    preload.start(after_start=True)
    # click exits through SystemExit with the server's exit code
    cli.main(args=["run", str(APP), *args], prog_name="streamlit")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
