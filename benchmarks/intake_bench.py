"""Web intake speed: reading saved pages (trafilatura + htmldate vs the plain HTML reader)
and fetching through the cache, on the seed articles wrapped as news pages and served from a
loopback server (no internet).

    .venv/bin/python benchmarks/intake_bench.py [--rounds N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from geo.sources.corpus import html_to_text  # noqa: E402
from geo.sources.fetch import Fetcher  # noqa: E402
from geo.sources.feeds import parse_link_list  # noqa: E402
from geo.sources.intake import read_links  # noqa: E402
from geo.sources.webpage import extract_page  # noqa: E402
from web_support import SEEDS, NewsServer, seed_page  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=30)
    args = ap.parse_args()
    pages = [seed_page(s, canonical=f"https://news.example.org/{s.stem}") for s in SEEDS]
    extract_page(pages[0])  # imports and first-call set-up
    n = args.rounds * len(pages)
    t0 = time.perf_counter()
    for _ in range(args.rounds):
        for p in pages:
            extract_page(p)
    t1 = time.perf_counter()
    for _ in range(args.rounds):
        for p in pages:
            html_to_text(p)
    t2 = time.perf_counter()
    print(f"extract_page (trafilatura + htmldate): {1000 * (t1 - t0) / n:.1f} ms/page ({n} pages of "
          f"{sum(map(len, pages)) // len(pages) // 1000} kB)")
    print(f"html_to_text (html.parser):            {1000 * (t2 - t1) / n:.1f} ms/page")
    with NewsServer() as server, tempfile.TemporaryDirectory() as tmp:
        for i, p in enumerate(pages):
            server.page(f"/news/{i}.html", p)
        links = parse_link_list("\n".join(f"{server.base}/news/{i}.html" for i in range(len(pages))), where="bench")
        fetcher = Fetcher(Path(tmp) / "cache", min_interval=0.0)
        t0 = time.perf_counter()
        first = read_links(links, fetcher)
        t1 = time.perf_counter()
        again = Fetcher(Path(tmp) / "cache", min_interval=0.0)
        second = read_links(links, again)
        t2 = time.perf_counter()
        print(f"fetch + read, loopback, no politeness wait: {1000 * (t1 - t0) / len(links):.1f} ms/page "
              f"({fetcher.requests} requests for {len(first.articles)} pages)")
        print(f"read from the cache: {1000 * (t2 - t1) / len(links):.1f} ms/page ({again.requests} requests, "
              f"{len(second.articles)} pages)")
        print("with the default politeness (1 request/s/host) a first fetch of N pages of one host takes about N + 1 s")


if __name__ == "__main__":
    main()
