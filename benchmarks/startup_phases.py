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
- ``map frame``: the map's iframe starts loading its page (the map component's own iframe, not
  the hidden warm-up instance drawn before it, ``dashboard.map.component.warm_up``);
- ``map code``: Leaflet and its plugins have run in the map's iframe (the map frame's bundle,
  usually from the browser's cache once the warm-up instance has loaded it; in the page's clock);
- ``features``: the events layer is drawn, as Playwright sees it (as ``seen`` in ``startup_bench.py``);
- ``features in page``: the same, as the page itself saw it (checked every 5 ms in the map's
  iframe, ``devtools.headless.FEATURES_PROBE``): what the two differ by is Playwright's own
  delay, which grows with the machine's load;
- ``outlines``: the basemap's country and state outlines are drawn (fetched as static files
  once the data is drawn; in the page's clock).

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

PHASES = ("healthy", "frontend", "page starts", "map payload", "map frame", "map code", "features in page",
          "features", "outlines")


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
        context.add_init_script(headless.FEATURES_PROBE)
        page = context.new_page()
        t0 = time.monotonic()
        epoch0 = time.time()
        # the map component's page, as its iframe's title names it
        map_path = "/component/" + headless.MAP_IFRAME.split('title="', 1)[1].split('"', 1)[0] + "/"

        def mark(name: str) -> None:
            seen.setdefault(name, time.monotonic() - t0)

        def on_frame(payload: bytes | str) -> None:
            mark("page starts" if len(payload) > 1000 else "_")
            if (b"CaravanAtlas.init" if isinstance(payload, bytes) else "CaravanAtlas.init") in payload:
                mark("map payload")  # the message with the map's script (its size no longer tells)

        page.on("websocket", lambda ws: (mark("frontend"), ws.on("framereceived", on_frame)))
        page.on("framenavigated", lambda frame: mark("map frame") if map_path in frame.url else None)
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            headless.wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", proc, 120, poll=0.05, request_timeout=1)
            mark("healthy")
            page.goto(f"http://127.0.0.1:{port}/", wait_until="commit", timeout=120_000)
            page.wait_for_function("() => !!window.__caFeaturesAt", timeout=120_000, polling="raf")
            mark("features")
            page.wait_for_function("() => !!window.__caOutlinesAt", timeout=120_000)
            for name, key in (("map code", "__caLeafletAt"), ("features in page", "__caFeaturesAt"),
                              ("outlines", "__caOutlinesAt")):
                at = page.evaluate(f"window.{key}")
                if at:
                    seen[name] = at / 1000 - epoch0
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
