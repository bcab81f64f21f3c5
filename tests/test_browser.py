"""The dashboard in a real browser, with every non-loopback request blocked.

Starts ``streamlit run dashboard/app.py`` on a free port, drives Debian's Chromium through
Playwright and checks that Leaflet, the routes and the event clusters render inside the
st_folium iframe without any network, and that no dialog fires. Leaves a screenshot in
``test-artifacts/dashboard.png``.
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

pytestmark = pytest.mark.browser

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
def app_url():
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
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


def test_dashboard_renders_offline(app_url: str) -> None:
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium installed (make browser)")
    sync_api = pytest.importorskip("playwright.sync_api")

    blocked: list[str] = []
    dialogs: list[str] = []
    page_errors: list[str] = []

    def guard(route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:", "about:")) or host in LOOPBACK:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 950})
            context.route("**/*", guard)
            page = context.new_page()

            def on_dialog(dialog) -> None:
                dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            page.on("pageerror", lambda err: page_errors.append(str(err)))
            page.goto(app_url, wait_until="domcontentloaded", timeout=30_000)
            page.wait_for_selector("[data-testid='stApp']", timeout=30_000)
            iframe = page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=40_000)
            page.wait_for_function(
                """() => { const f = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
                           return f && f.getBoundingClientRect().height > 100; }""",
                timeout=30_000,
            )
            frame = iframe.content_frame()
            assert frame is not None
            frame.wait_for_selector(".leaflet-container", timeout=20_000)
            # Routes are SVG paths, events are clusters (or canvas markers), crossings div icons.
            frame.wait_for_function(
                "() => document.querySelectorAll('.leaflet-overlay-pane path').length > 0", timeout=20_000
            )
            frame.wait_for_function(
                """() => document.querySelectorAll('.marker-cluster, .ca-crossing').length > 0
                         || document.querySelectorAll('.leaflet-overlay-pane canvas').length > 0""",
                timeout=20_000,
            )
            n_paths = frame.evaluate("document.querySelectorAll('.leaflet-overlay-pane path').length")
            n_crossings = frame.evaluate("document.querySelectorAll('.ca-crossing').length")
            layer_names = frame.evaluate(
                "Array.from(document.querySelectorAll('.leaflet-control-layers label')).map(l => l.textContent.trim())"
            )
            assert frame.evaluate("typeof L !== 'undefined' && typeof L.markerClusterGroup === 'function'")
            assert n_paths > 0
            assert n_crossings > 0
            assert {"Routes", "Events", "Crossings", "Places"} <= set(layer_names)
            attribution = frame.inner_text(".leaflet-control-attribution")
            assert "Natural Earth" in attribution and "GeoNames" in attribution

            # Click a crossing: its popup opens with escaped text and nothing fires.
            frame.eval_on_selector(".ca-crossing", "el => el.click()")
            frame.wait_for_selector(".leaflet-popup-content .ca-pop", timeout=5_000)
            page.wait_for_timeout(500)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
        finally:
            browser.close()

    assert not dialogs, dialogs
    assert not page_errors, page_errors
    # Nothing the page needs comes from outside; tile layers are off by default.
    assert not blocked, blocked[:10]


# --------------------------------------------------------------------------- hostile text


@pytest.fixture()
def served_dir(tmp_path):
    """``tmp_path`` served over http on 127.0.0.1 (with the vendored assets in it)."""
    import functools
    import http.server
    import threading

    from dashboard.assets import ensure_static_assets

    ensure_static_assets(tmp_path)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # noqa: D401 - keep test output clean
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_hostile_text_is_inert_in_the_browser(served_dir) -> None:
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium installed (make browser)")
    sync_api = pytest.importorskip("playwright.sync_api")
    from dashboard.sample import synthetic_atlas
    from dashboard.webmap import build_map

    payload = (
        " {{ cycler.__init__.__globals__.os.popen('id').read() }} {% for x in range(3) %}X{% endfor %}"
        " <img src=x onerror=alert(1)> ${alert(2)} \\`;alert(3);// </script><script>alert(4)</script>"
        " \"'><svg onload=alert(5)>"
    )
    atlas = synthetic_atlas(40, seed=7, payload=payload)
    folder, base = served_dir
    m = build_map(atlas.events, atlas.routes, atlas.places, atlas.crossings, asset_base="./")
    m.save(str(folder / "map.html"))

    dialogs: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.route(
                "**/*",
                lambda route: route.continue_()
                if (urlsplit(route.request.url).hostname or "") in LOOPBACK
                else route.abort(),
            )
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda err: errors.append(str(err)))
            page.goto(base + "map.html", wait_until="load")
            page.wait_for_selector(".marker-cluster", timeout=15_000)
            texts = page.evaluate(
                """() => {
                  const out = [];
                  const grab = () => { const c = document.querySelector('.leaflet-popup-content');
                                       if (c) out.push(c.textContent); };
                  // The same content function a click on a marker calls, opened on the map.
                  for (const g of [window.caravanAtlas.events, window.caravanAtlas.places]) {
                    const content = g.getPopup()._content;
                    for (const layer of g.getLayers()) {
                      L.popup().setLatLng(layer.getLatLng()).setContent(content(layer)).openOn(g._map);
                      grab();
                    }
                  }
                  for (const el of document.querySelectorAll('.ca-crossing, .leaflet-overlay-pane path.leaflet-interactive')) {
                    el.dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: 5, clientY: 5}));
                    el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
                    grab();
                  }
                  return out;
                }"""
            )
            page.wait_for_timeout(300)
            live = page.evaluate(
                "document.querySelectorAll('.leaflet-pane img, .leaflet-pane script, "
                ".leaflet-popup svg, .leaflet-tooltip img, .leaflet-tooltip svg').length"
            )
        finally:
            browser.close()

    assert len(texts) > 40
    assert any("<img src=x onerror=alert(1)>" in t for t in texts), texts[:2]  # shown as text
    assert any("{{ cycler" in t for t in texts)
    assert not any("uid=" in t for t in texts)
    assert live == 0
    assert not dialogs, dialogs
    assert not errors, errors
