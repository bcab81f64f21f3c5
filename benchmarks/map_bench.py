"""Map benchmark: build_map time, HTML size and browser time-to-map for synthetic atlases.

    .venv/bin/python benchmarks/map_bench.py [--sizes 1000 10000 100000] [--no-browser]

The HTML is saved with its assets in a temporary folder served on 127.0.0.1 and opened in
headless Chromium (every non-loopback request blocked). Time-to-map is measured from the
start of navigation until the event clusters are in the DOM. Target: 10k events < 3 s.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.assets import ensure_static_assets  # noqa: E402
from dashboard.sample import synthetic_atlas  # noqa: E402
from dashboard.webmap import build_map  # noqa: E402

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


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def time_to_map(url: str, executable: str, timeout_s: float = 120.0) -> tuple[float, int]:
    """Seconds from navigation start until clusters are in the DOM, and the cluster count."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route(
                "**/*",
                lambda route: route.continue_()
                if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost")
                else route.abort(),
            )
            start = time.perf_counter()
            page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
            page.wait_for_selector(".marker-cluster", timeout=timeout_s * 1000)
            elapsed = time.perf_counter() - start
            clusters = page.evaluate("document.querySelectorAll('.marker-cluster').length")
        finally:
            browser.close()
    return elapsed, clusters


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)

    executable = None if args.no_browser else _chromium()
    with tempfile.TemporaryDirectory(prefix="map-bench-") as tmp:
        folder = Path(tmp)
        ensure_static_assets(folder)
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        print(f"{'events':>8} {'atlas s':>8} {'build s':>8} {'render s':>9} {'HTML MB':>8} {'browser s':>10} {'clusters':>9}")
        try:
            for n in args.sizes:
                t0 = time.perf_counter()
                atlas = synthetic_atlas(n, seed=n)
                t1 = time.perf_counter()
                m = build_map(atlas.events, atlas.routes, atlas.places, atlas.crossings, asset_base="./")
                t2 = time.perf_counter()
                html = m.get_root().render()
                t3 = time.perf_counter()
                path = folder / f"map_{n}.html"
                path.write_text(html, encoding="utf-8")
                browser_s, clusters = (float("nan"), 0)
                if executable:
                    browser_s, clusters = time_to_map(base + path.name, executable)
                print(
                    f"{n:>8} {t1 - t0:>8.2f} {t2 - t1:>8.2f} {t3 - t2:>9.2f} "
                    f"{len(html.encode()) / 1e6:>8.2f} {browser_s:>10.2f} {clusters:>9}",
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
