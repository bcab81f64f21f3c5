"""Shared helpers for the browser tests: the Streamlit app on a free port (own SQLite store),
headless system Chromium through Playwright, and a ``Session`` on one page of the app with
every non-loopback request blocked. Imported by ``test_browser.py`` and
``test_browser_visibility.py`` (fixtures are imported by name, as ``pg.py``'s are).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} not healthy after {timeout}s")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    from dashboard.basemap import ensure_reference_files

    ensure_reference_files()  # the basemap's names (as `make test` does; else the app writes them in the background)
    port = _free_port()
    db = tmp_path_factory.mktemp("store") / "atlas.sqlite"
    env = dict(os.environ, PYTHONPATH=str(ROOT), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
               ATLAS_DATABASE_URL=f"sqlite:///{db}")
    log_path = ARTIFACTS / "streamlit.log"
    ARTIFACTS.mkdir(exist_ok=True)
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", "dashboard/app.py",
                "--server.headless", "true",
                "--server.port", str(port),
                "--server.address", "127.0.0.1",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", proc, 40)
            yield f"http://127.0.0.1:{port}/"
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _guard(blocked: list[str]):
    def guard(route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:", "about:")) or host in LOOPBACK:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    return guard


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium installed (make browser)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


class Session:
    """One page of the app, with the network blocked and errors collected."""

    def __init__(self, browser, url: str, viewport: tuple[int, int] = (1500, 1000), touch: bool = False) -> None:
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True,
                                           has_touch=touch)
        self.context.route("**/*", _guard(self.blocked))
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
        port = _free_port()
        env = dict(os.environ, PYTHONPATH=str(ROOT), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
                   ATLAS_DATABASE_URL=f"sqlite:///{db}", **extra_env)
        ARTIFACTS.mkdir(exist_ok=True)
        with open(ARTIFACTS / log_name, "w") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.headless", "true",
                 "--server.port", str(port), "--server.address", "127.0.0.1", "--", *app_args],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
            try:
                _wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", proc, 40)
                yield f"http://127.0.0.1:{port}/"
            finally:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()

    return running()
