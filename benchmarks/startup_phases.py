"""Where the dashboard's cold start goes: the phases from server start to the map's features.

    .venv/bin/python benchmarks/startup_phases.py [--repeat 3]

Starts ``streamlit run dashboard/app.py`` as ``benchmarks/startup_bench.py`` does (fresh server,
own empty SQLite store, the on-disk atlas cache already filled: a "next start"), opens it in
headless system Chromium (offline) and prints, as the median over ``--repeat`` runs, the time
from server start at which the browser saw each phase:

- ``healthy``: the server answers ``/_stcore/health`` (Python start, Streamlit import, server);
- ``frontend``: Streamlit's page and scripts loaded, its websocket open (the session starts and
  the script's first run begins);
- ``page starts``: the session's first message over 1 kB arrives (the script's imports, the store, the
  cached atlas, the sidebar are done);
- ``map payload``: the map component's arguments arrive (the map built and rendered to HTML);
- ``map frame``: the map's iframe is in the page;
- ``map code``: the map component and Leaflet are loaded in the iframe;
- ``features``: the events layer is drawn (as in ``startup_bench.py``).

Run the script once before (``startup_bench.py`` does) so that the atlas is cached on disk.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import startup_bench as bench  # noqa: E402

ROOT = bench.ROOT
PHASES = ("healthy", "frontend", "page starts", "map payload", "map frame", "map code", "features")


def one_start(browser) -> dict[str, float]:
    port = bench._free_port()
    seen: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="startup-phases-") as tmp:
        env = dict(os.environ, PYTHONPATH=str(ROOT), ATLAS_DATABASE_URL=f"sqlite:///{Path(tmp) / 'atlas.sqlite'}")
        cmd = [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1"]
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.route("**/*", lambda route: route.continue_()
                      if (urlsplit(route.request.url).hostname or "") in ("127.0.0.1", "localhost")
                      or route.request.url.startswith(("data:", "blob:", "about:"))
                      else route.abort())
        page = context.new_page()
        t0 = time.monotonic()

        def mark(name: str) -> None:
            seen.setdefault(name, time.monotonic() - t0)

        def on_frame(payload: bytes | str) -> None:
            mark("page starts" if len(payload) > 1000 else "_")
            if len(payload) > 100_000:
                mark("map payload")

        page.on("websocket", lambda ws: (mark("frontend"), ws.on("framereceived", on_frame)))
        page.on("frameattached", lambda frame: mark("map frame"))
        page.on("requestfinished", lambda req: mark("map code") if "leaflet.textpath" in req.url else None)
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            bench._wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", proc, 120)
            mark("healthy")
            page.goto(f"http://127.0.0.1:{port}/", wait_until="commit", timeout=120_000)
            frame = page.wait_for_selector(bench.MAP_IFRAME, timeout=120_000).content_frame()
            frame.wait_for_function(bench.FEATURES_VISIBLE, timeout=120_000, polling="raf")
            mark("features")
        finally:
            context.close()
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    return seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    executable = bench._chromium()
    if executable is None:
        print("error: no Chromium found (make browser)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=bench.CHROMIUM_ARGS, headless=True)
        try:
            runs = [one_start(browser) for _ in range(max(1, args.repeat))]
        finally:
            browser.close()
    print(f"{'phase':>12} {'at s (median)':>14} {'phase s':>8}")
    previous = 0.0
    for phase in PHASES:
        values = [r[phase] for r in runs if phase in r]
        if not values:
            print(f"{phase:>12} {'—':>14}")
            continue
        at = statistics.median(values)
        print(f"{phase:>12} {at:>14.2f} {at - previous:>8.2f}")
        previous = at
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
