"""The dashboard in a headless browser, for the browser tests and the benchmarks that time it:
the system Chromium launched through Playwright, a route guard that lets only loopback
requests through, and the dashboard (``python -m dashboard``, or ``streamlit run
dashboard/app.py``) on a free port, waited on until its
health endpoint answers.

It lives in ``devtools/`` (not in ``tests/`` or ``benchmarks/``) so that both may import it
without the tests depending on the benchmarks or the other way round.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]

#: Flags for the system Chromium: headless, no sandbox (containers), nothing fetched in the background.
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
#: The iframe that holds the map (the component ``dashboard.map.component`` declares; a test
#: checks that the two agree).
MAP_IFRAME = 'iframe[title="dashboard.map.component.atlas_map"]'


#: A script for every frame of a page (``BrowserContext.add_init_script``): in the frame that
#: draws the map (``window.CaravanAtlas``), it notes in the top page, in the page's own clock
#: (milliseconds since the epoch), when Leaflet had run (``__caLeafletAt``), when the events
#: layer had its first markers or clusters drawn (``__caFeaturesAt``) and when every basemap
#: outline the map asked for was drawn (``__caOutlinesAt``), checked every 5 ms. It
#: finds the map whatever its iframe is (this version's component or an older one), so that a
#: benchmark can time two versions alike, without Playwright's own delay in seeing it.
FEATURES_PROBE = """(() => {
  if (window === window.top) { return; }
  const now = () => performance.timeOrigin + performance.now();
  let leaflet = null, features = false;
  (function check() {
    if (leaflet === null && window.L) { leaflet = now(); }
    const A = window.CaravanAtlas, e = A && A.layers && A.layers.events;
    try {
      if (!features && e && e._g && e._map && e._g.getLayers().length > 0) {
        features = true;
        if (!window.top.__caFeaturesAt) { window.top.__caLeafletAt = leaflet; window.top.__caFeaturesAt = now(); }
      }
      if (features && (!A.outlines || A.outlines.pending === 0)) {
        if (!window.top.__caOutlinesAt) { window.top.__caOutlinesAt = now(); }
        return;
      }
    } catch (err) { return; /* another origin: nothing to note */ }
    setTimeout(check, 5);
  })();
})();"""


def chromium_path() -> str | None:
    """The system Chromium (Debian's package; Playwright's own download does not work here)."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def launch_chromium(playwright: Any, executable: str | None = None) -> Any:
    """A headless Chromium browser from a started ``sync_playwright()``; close it when done."""
    executable = executable or chromium_path()
    if executable is None:
        raise RuntimeError("no Chromium installed (make browser)")
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)


def loopback_guard(blocked: list[str] | None = None) -> Callable[[Any], None]:
    """A Playwright route handler: loopback, ``data:``, ``blob:`` and ``about:`` requests go
    through; any other is aborted (and its URL appended to ``blocked`` when given)."""

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:", "about:")) or (urlsplit(url).hostname or "") in LOOPBACK:
            route.continue_()
        else:
            if blocked is not None:
                blocked.append(url)
            route.abort()

    return guard


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float, *, poll: float = 0.3,
                 request_timeout: float = 2.0) -> None:
    """Return once ``url`` answers 200; raise if ``proc`` exits first or ``timeout`` seconds pass.
    ``poll`` is the pause between attempts (benchmarks that time the start use a short one)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=request_timeout) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(poll)
    raise TimeoutError(f"{url} not healthy after {timeout}s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


#: How the server is started: ``launcher`` is ``python -m dashboard`` (what ``make run`` does: the
#: page's modules imported while the browser loads), ``streamlit`` is ``streamlit run dashboard/app.py``.
COMMANDS = {
    "launcher": [sys.executable, "-m", "dashboard"],
    "streamlit": [sys.executable, "-m", "streamlit", "run", "dashboard/app.py"],
}


@contextlib.contextmanager
def streamlit_app(*app_args: str, port: int | None = None, database_url: str | None = None,
                  log: IO[str] | int | None = subprocess.DEVNULL,
                  env: dict[str, str] | None = None, command: str = "launcher",
                  root: Path = ROOT) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start the dashboard (``python -m dashboard -- APP_ARGS``, or with ``command="streamlit"``
    ``streamlit run dashboard/app.py -- APP_ARGS``) on 127.0.0.1 (``port`` or a free one),
    with the store at ``database_url`` when given, ``env`` added to the environment and its
    output to ``log``; yields the app's URL and the process (not waited on: see
    ``wait_healthy``), and stops it on exit. ``root``: the checkout whose dashboard is started
    (another one for a before/after comparison; the same Python environment)."""
    port = port or free_port()
    env = dict(os.environ, PYTHONPATH=str(root), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", **(env or {}))
    if database_url is not None:
        env["ATLAS_DATABASE_URL"] = database_url
    cmd = [*COMMANDS[command], "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1"]
    if app_args:
        cmd += ["--", *app_args]
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{port}/", proc
    finally:
        stop(proc)


def health_url(app_url: str) -> str:
    return app_url + "_stcore/health"
