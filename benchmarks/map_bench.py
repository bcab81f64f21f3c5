"""Map benchmark: build time, HTML size, filter response and browser time-to-map.

    .venv/bin/python benchmarks/map_bench.py [--sizes 1000 10000 100000] [--no-browser] [--without-names]

Columns: ``prepare s`` escapes every event's popup row once per atlas (cached by the app);
``build s`` builds the whole map (frame + layers) and ``render s`` renders its HTML;
``filter s`` is what the app does on a filter change: ``apply_filters`` + ``event_mask`` +
``build_layers`` from the prepared rows + rendering the frame and the layers for the map frame
(``dashboard.map.render.render_map``, as the app does on every run).
The HTML is saved with its assets in a temporary folder served on 127.0.0.1 and opened in
headless Chromium (every non-loopback request blocked). ``browser s`` is measured in the
page: from navigation start (``performance.now()`` origin) until the events layer has drawn
its clusters, as Playwright sees it; ``paint s`` the frame after the first cluster, measured
in the page (Playwright's polling can be held up by work the page does after that frame);
``names s`` until the offline basemap has drawn its first names (fetched after
the first paint from ``static/basemap/``, see ``dashboard/basemap.py``). Targets: 10k events
< 1 s to the map in the browser, filter < 0.5 s.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.assets import STATIC_DIR, ensure_static_assets  # noqa: E402
from dashboard.basemap import ensure_reference_files  # noqa: E402
from dashboard.sample import synthetic_atlas  # noqa: E402
import datetime as dt  # noqa: E402

from dashboard.filters import Filters, apply_filters, event_mask  # noqa: E402
from dashboard.webmap import build_layers, build_map, prepare_events  # noqa: E402
from devtools.headless import chromium_path, launch_chromium, loopback_guard  # noqa: E402


def filter_seconds(atlas, rows) -> float:
    """One filter change as the app handles it (median of 3)."""
    import folium

    from dashboard.assets import bundle_links
    from dashboard.map.render import render_map
    from dashboard.webmap import build_base_map

    times = []
    for conf in (0.2, 0.4, 0.6):
        f = Filters(event_types=("march", "policy", "border_crossing"), min_confidence=conf,
                    date_from=dt.date(2024, 2, 1))
        t0 = time.perf_counter()
        view = apply_filters(atlas, f)
        mask = event_mask(atlas.events, f)
        groups = build_layers(view.events, view.routes, view.places, view.crossings, prepared=rows, event_mask=mask)
        frame = build_base_map([[14.0, -100.0], [30.0, -85.0]], layer_control=False)
        render_map(frame, groups, folium.LayerControl(collapsed=True), bundled=bundle_links())
        times.append(time.perf_counter() - t0)
    return sorted(times)[1]

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


#: In the page: the time of the first frame after the first cluster is in the DOM (Playwright's
#: own polling can be held up by whatever the page does after that frame).
_PAINT_PROBE = """new MutationObserver(function (_, obs) {
  if (document.querySelector('.marker-cluster')) {
    obs.disconnect();
    requestAnimationFrame(function () { window.__caPaint = performance.now(); });
  }
}).observe(document, {subtree: true, childList: true});"""


def time_to_map(url: str, executable: str, timeout_s: float = 120.0) -> tuple[float, int, float, float]:
    """Seconds from navigation start until Playwright sees clusters in the DOM, the cluster count,
    the seconds until the frame after the first cluster (measured in the page), and the seconds
    until the basemap's names are drawn (NaN when the page has none)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw, executable)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route("**/*", loopback_guard())
            page.add_init_script(_PAINT_PROBE)
            page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
            page.wait_for_selector(".marker-cluster", timeout=timeout_s * 1000)
            elapsed = page.evaluate("performance.now()") / 1000.0
            page.wait_for_function("() => window.__caPaint", timeout=timeout_s * 1000)
            paint = page.evaluate("window.__caPaint") / 1000.0
            clusters = page.evaluate("document.querySelectorAll('.marker-cluster').length")
            names = float("nan")
            if page.evaluate("!!window.CaravanReference"):
                page.wait_for_function("() => (window.CaravanReference.layer.drawn || []).length > 0",
                                       timeout=timeout_s * 1000)
                names = page.evaluate("performance.now()") / 1000.0
        finally:
            browser.close()
    return elapsed, clusters, paint, names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--without-names", action="store_true",
                        help="leave the offline basemap's names out (to measure what they cost)")
    args = parser.parse_args(argv)

    executable = None if args.no_browser else chromium_path()
    with tempfile.TemporaryDirectory(prefix="map-bench-") as tmp:
        folder = Path(tmp)
        ensure_static_assets(folder)
        (folder / "basemap").symlink_to(ensure_reference_files(), target_is_directory=True)
        # the basemap's outlines (written into the app's static/outlines/ by build_map)
        (folder / "outlines").symlink_to(STATIC_DIR / "outlines", target_is_directory=True)
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        print(f"{'events':>8} {'atlas s':>8} {'prepare s':>9} {'build s':>8} {'render s':>9} {'filter s':>9} "
              f"{'HTML MB':>8} {'browser s':>10} {'clusters':>9} {'paint s':>8} {'names s':>8}")
        try:
            for n in args.sizes:
                t0 = time.perf_counter()
                atlas = synthetic_atlas(n, seed=n)
                t1 = time.perf_counter()
                rows = prepare_events(atlas.events)
                prepare_s = time.perf_counter() - t1
                filter_s = filter_seconds(atlas, rows)
                t1 = time.perf_counter()
                m = build_map(atlas.events, atlas.routes, atlas.places, atlas.crossings, asset_base="./",
                              reference=not args.without_names)
                t2 = time.perf_counter()
                html = m.get_root().render()
                t3 = time.perf_counter()
                path = folder / f"map_{n}.html"
                path.write_text(html, encoding="utf-8")
                browser_s, clusters, paint_s, names_s = (float("nan"), 0, float("nan"), float("nan"))
                if executable:
                    browser_s, clusters, paint_s, names_s = time_to_map(base + path.name, executable)
                print(
                    f"{n:>8} {t1 - t0 - prepare_s - filter_s:>8.2f} {prepare_s:>9.2f} {t2 - t1:>8.2f} {t3 - t2:>9.2f} "
                    f"{filter_s:>9.2f} "
                    f"{len(html.encode()) / 1e6:>8.2f} {browser_s:>10.2f} {clusters:>9} {paint_s:>8.2f} {names_s:>8.2f}",
                    flush=True,
                )
        finally:
            server.shutdown()
            server.server_close()
    if not executable and not args.no_browser:
        print("(no Chromium found: browser times skipped)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
