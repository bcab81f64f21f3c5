"""Where the dashboard's cold start goes: the phases from server start to the map's features.

    .venv/bin/python benchmarks/startup_phases.py [--repeat 3] [--command launcher|streamlit]

Starts the dashboard as ``benchmarks/startup_bench.py`` does (``python -m dashboard``, or
``streamlit run dashboard/app.py`` with ``--command streamlit``; fresh server,
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
- ``map code``: Leaflet and its plugins are loaded in the iframe (the map frame's bundle; with
  the streamlit-folium component of older versions, its last plugin);
- ``features``: the events layer is drawn (as in ``startup_bench.py``);
- ``outlines``: the basemap's country and state outlines are drawn (fetched as static files
  once the data is drawn; a map of an older version, which embedded them, had them before its
  features).

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

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from devtools import headless  # noqa: E402  (shared with the browser tests)

# the events layer is on the map with its markers or clusters drawn (as in startup_bench.py)
FEATURES_VISIBLE = """() => { const e = window.CaravanAtlas && window.CaravanAtlas.layers.events;
    return !!(e && e._g && e._map && e._g.getLayers().length > 0); }"""
PHASES = ("healthy", "frontend", "page starts", "map payload", "map frame", "map code", "features", "outlines")
# every outline the map asked for is drawn (true at once for a map that embeds them)
OUTLINES_DRAWN = """() => { const o = window.CaravanAtlas && window.CaravanAtlas.outlines;
    return !o || o.pending === 0; }"""


def one_start(browser, command: str) -> dict[str, float]:
    port = headless.free_port()
    seen: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="startup-phases-") as tmp:
        env = dict(os.environ, PYTHONPATH=str(ROOT), ATLAS_DATABASE_URL=f"sqlite:///{Path(tmp) / 'atlas.sqlite'}")
        cmd = [*headless.COMMANDS[command], "--server.headless", "true",
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
            if (b"CaravanAtlas.init" if isinstance(payload, bytes) else "CaravanAtlas.init") in payload:
                mark("map payload")  # the message with the map's script (its size no longer tells)

        page.on("websocket", lambda ws: (mark("frontend"), ws.on("framereceived", on_frame)))
        page.on("frameattached", lambda frame: mark("map frame"))
        page.on("requestfinished", lambda req: mark("map code") if any(
            name in req.url for name in ("map-bundle.js", "leaflet.textpath")) else None)
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            headless.wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", proc, 120, poll=0.05, request_timeout=1)
            mark("healthy")
            page.goto(f"http://127.0.0.1:{port}/", wait_until="commit", timeout=120_000)
            frame = page.wait_for_selector(headless.MAP_IFRAME, timeout=120_000).content_frame()
            frame.wait_for_function(FEATURES_VISIBLE, timeout=120_000, polling="raf")
            mark("features")
            frame.wait_for_function(OUTLINES_DRAWN, timeout=120_000, polling="raf")
            mark("outlines")
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
    parser.add_argument("--command", choices=tuple(headless.COMMANDS), default="launcher",
                        help="`python -m dashboard` (launcher, as `make run`) or `streamlit run dashboard/app.py`")
    args = parser.parse_args(argv)
    executable = headless.chromium_path()
    if executable is None:
        print("error: no Chromium found (make browser)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = headless.launch_chromium(pw, executable)
        try:
            runs = [one_start(browser, args.command) for _ in range(max(1, args.repeat))]
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
