"""Shared helpers for the browser tests: the Streamlit app on a free port (own SQLite store),
headless system Chromium through Playwright, and a ``Session`` on one page of the app with
every non-loopback request blocked. Imported by ``test_browser.py`` and
``test_browser_visibility.py`` (fixtures are imported by name, as ``pg.py``'s are).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from devtools.headless import (  # noqa: E402  (shared with the benchmarks)
    LOOPBACK,
    MAP_IFRAME,
    chromium_path,
    health_url,
    launch_chromium,
    loopback_guard,
    streamlit_app,
    wait_healthy,
)

__all__ = ["ARTIFACTS", "LOOPBACK", "MAP_IFRAME", "ROOT", "Session", "app_url", "browser",
           "chromium_path", "run_app"]

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    from dashboard.basemap import ensure_reference_files

    ensure_reference_files()  # the basemap's names (as `make test` does; else the app writes them in the background)
    db = tmp_path_factory.mktemp("store") / "atlas.sqlite"
    with run_app(db, log_name="streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium installed (make browser)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = launch_chromium(pw, executable)
        try:
            yield b
        finally:
            b.close()


class Session:
    """One page of the app, with the network blocked and errors collected."""

    def __init__(self, browser, url: str, viewport: tuple[int, int] = (1500, 1000), touch: bool = False,
                 mobile: bool = False) -> None:
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True,
                                           has_touch=touch or mobile, is_mobile=mobile)
        self.context.route("**/*", loopback_guard(self.blocked))
        self.page = self.context.new_page()
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.t0 = time.monotonic()
        self.page.goto(url, wait_until="domcontentloaded", timeout=30_000)
        self.page.wait_for_selector("[data-testid='stApp']", timeout=30_000)
        iframe = self.page.wait_for_selector(MAP_IFRAME, timeout=60_000)
        self.page.wait_for_function(
            f"""() => {{ const f = document.querySelector('{MAP_IFRAME}');
                       return f && f.getBoundingClientRect().height > 100; }}""",
            timeout=30_000,
        )
        self.frame = iframe.content_frame()
        self.frame.wait_for_selector(".leaflet-container", timeout=20_000)
        self.frame.wait_for_function("() => window.CaravanAtlas && window.CaravanAtlas.layers.events", timeout=30_000)
        # the basemap's outlines are fetched as static files and drawn after the data
        self.frame.wait_for_function("() => window.CaravanAtlas.outlines.pending === 0", timeout=30_000)
        self.time_to_map = time.monotonic() - self.t0

    def events_shown(self) -> int:
        return self.frame.evaluate("window.CaravanAtlas.layers.events.d.rows.length")

    def wait_events(self, predicate: str, timeout: float = 20_000) -> None:
        self.frame.wait_for_function(
            f"() => window.CaravanAtlas && window.CaravanAtlas.layers.events && "
            f"(n => {predicate})(window.CaravanAtlas.layers.events.d.rows.length)",
            timeout=timeout,
        )

    def settle(self) -> None:
        self.page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
        )
        self.page.wait_for_timeout(400)

    def check_clean(self) -> None:
        assert self.frame.evaluate("window.CaravanAtlas.outlines.failed") == 0, "an outline file was not fetched"
        assert not self.dialogs, self.dialogs
        assert not self.errors, self.errors
        assert not self.blocked, self.blocked[:10]

    def close(self) -> None:
        self.context.close()


def run_app(db: Path, *app_args: str, log_name: str = "streamlit-app.log", env: dict[str, str] | None = None):
    """Start ``streamlit run dashboard/app.py -- APP_ARGS`` on a free port with its own
    SQLite store ``db`` (and ``env`` added to the environment); a context manager yielding
    the app's URL (stopped on exit)."""
    extra_env = dict(env or {})
    import contextlib

    @contextlib.contextmanager
    def running():
        ARTIFACTS.mkdir(exist_ok=True)
        with open(ARTIFACTS / log_name, "w") as log, \
                streamlit_app(*app_args, database_url=f"sqlite:///{db}", log=log, env=extra_env) as (url, proc):
            wait_healthy(health_url(url), proc, 40)
            yield url

    return running()
