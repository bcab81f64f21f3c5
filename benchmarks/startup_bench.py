"""Cold-start benchmark: server start to the map's features visible in headless Chromium.

    .venv/bin/python benchmarks/startup_bench.py [--repeat 3] [--articles DIR] [--command launcher|streamlit]
        [--only first|next] [--root OTHER_CHECKOUT]

Each run starts a fresh server, ``python -m dashboard`` as ``make run`` does (or ``streamlit run
dashboard/app.py`` with ``--command streamlit``; a new process, so every
in-memory Streamlit cache is empty) on a free port, with its own empty SQLite store in a
temporary folder, and opens the app in headless system Chromium (launched beforehand, as a
reader's browser is already open; every non-loopback request blocked). The clock starts when
the server process is started and stops when the map's events layer has its markers or
clusters drawn inside the map's iframe: ``in page`` as the page itself saw it (checked every
5 ms, ``devtools.headless.FEATURES_PROBE``), ``seen`` when Playwright saw it (on an animation
frame), which adds Playwright's own delay, larger on a loaded machine (the figure of earlier
versions of this script). The gazetteer index must already be built (``python -m geo index``).
``--root`` times another checkout's dashboard (say, the main branch's) the same way, for a
before/after comparison: run the two alternately.

Two situations are measured, ``--repeat`` times each (median shown, as the CPU is shared):

- ``first start``: the on-disk cache (``.cache/dashboard``, see ``dashboard/diskcache.py``)
  is emptied before the run: the corpus is analysed as on the very first start;
- ``next starts``: the cache holds the corpus's atlas from an earlier start.
Target: next starts ≤ 3 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from devtools import headless  # noqa: E402  (shared with the browser tests)

def one_start(browser, articles: Path | None, timeout_s: float = 120.0,
              command: str = "launcher", root: Path = ROOT) -> tuple[float, float, float]:
    """(seconds to a healthy server, seconds to the map's features in the page, seconds until
    Playwright saw them) for one fresh server."""
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp:
        app_args = ("--articles", str(articles)) if articles is not None else ()
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.route("**/*", headless.loopback_guard())
        context.add_init_script(headless.FEATURES_PROBE)
        page = context.new_page()
        t0, epoch0 = time.monotonic(), time.time()
        try:
            with headless.streamlit_app(*app_args, database_url=f"sqlite:///{Path(tmp) / 'atlas.sqlite'}",
                                        command=command, root=root) as (url, proc):
                headless.wait_healthy(headless.health_url(url), proc, timeout_s, poll=0.05, request_timeout=1)
                healthy = time.monotonic() - t0
                page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
                page.wait_for_function("() => !!window.__caFeaturesAt", timeout=timeout_s * 1000, polling="raf")
                seen = time.monotonic() - t0
                in_page = page.evaluate("window.__caFeaturesAt") / 1000 - epoch0
        finally:
            context.close()
    return healthy, in_page, seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per situation; the median is shown")
    parser.add_argument("--articles", type=Path, default=None, help="corpus folder (default: the demo)")
    parser.add_argument("--only", choices=("first", "next"), default=None, help="measure one situation only")
    parser.add_argument("--command", choices=tuple(headless.COMMANDS), default="launcher",
                        help="start the server with `python -m dashboard` (launcher, as `make run`) or "
                             "`streamlit run dashboard/app.py`")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the checkout whose dashboard is timed (default: this one)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    executable = headless.chromium_path()
    if executable is None:
        print("error: no Chromium found (make browser)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    cache = root / ".cache" / "dashboard"
    situations = [s for s in ("first", "next") if args.only in (None, s)]
    print(f"{'situation':>12} {'healthy s':>10} {'map s (median)':>15} {'seen s':>7}  runs (map s, in the page)")
    with sync_playwright() as pw:
        browser = headless.launch_chromium(pw, executable)
        try:
            for situation in situations:
                runs = []
                for _ in range(max(1, args.repeat)):
                    if situation == "first":
                        shutil.rmtree(cache, ignore_errors=True)
                    elif not runs and not cache.exists():
                        one_start(browser, args.articles, command=args.command, root=root)  # fill the cache
                    runs.append(one_start(browser, args.articles, command=args.command, root=root))
                healthy = statistics.median(r[0] for r in runs)
                visible = statistics.median(r[1] for r in runs)
                seen = statistics.median(r[2] for r in runs)
                print(f"{situation + ' start' + ('s' if situation == 'next' else ''):>12} {healthy:>10.2f} "
                      f"{visible:>15.2f} {seen:>7.2f}  {', '.join(f'{r[1]:.2f}' for r in runs)}", flush=True)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
