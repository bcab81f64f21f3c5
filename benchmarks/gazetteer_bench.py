"""Gazetteer figures: index build time, load time and peak RSS in a fresh process, lookups/s.

    .venv/bin/python benchmarks/gazetteer_bench.py            # includes a fresh build (~20 s)
    .venv/bin/python benchmarks/gazetteer_bench.py --no-build # reuse the cached index

The fresh build goes to a temporary directory, so the project's cached index is untouched.
Lookup throughput is measured on (a) 20,000 names sampled from the index and (b) every
1–3-word window of the seed articles (mostly non-names, as recognition sends them), each
twice: a first pass (normalisation and results not cached yet) and a repeat pass.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LOAD_SNIPPET = """
import json, resource, sys, time
t0 = time.perf_counter()
from geo.gazetteer.index import load_gazetteer
g = load_gazetteer(sys.argv[1] if len(sys.argv) > 1 else None)
g.lookup("Tapachula")
t1 = time.perf_counter()
print(json.dumps({"load_s": t1 - t0, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def fresh_load(path: str | None, runs: int = 3) -> tuple[float, float]:
    times, rss = [], []
    for _ in range(runs):
        args = [sys.executable, "-c", LOAD_SNIPPET] + ([path] if path else [])
        out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=True).stdout
        d = json.loads(out.strip().splitlines()[-1])
        times.append(d["load_s"])
        rss.append(d["maxrss_mb"])
    return statistics.median(times), max(rss)


def article_windows() -> list[str]:
    words: list[str] = []
    for p in sorted((ROOT / "data" / "articles").glob("*.md")):
        words += re.findall(r"[\w.'’-]+", p.read_text(encoding="utf-8"))
    return [" ".join(words[i:i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)]


def rate(fn, items: list[str]) -> float:
    t = time.perf_counter()
    for s in items:
        fn(s)
    return len(items) / (time.perf_counter() - t)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-build", action="store_true", help="skip the fresh index build")
    args = ap.parse_args()

    from geo.gazetteer.index import load_gazetteer, normalize_name

    # Everything heavy runs in child processes: a forked child's ru_maxrss starts from its
    # parent's resident size, so this process stays small until the measurements are done.
    if not args.no_build:
        with tempfile.TemporaryDirectory() as tmp:
            code = ("import sys, time; from geo.gazetteer import build_index; t = time.perf_counter(); "
                    "p = build_index(sys.argv[1]); print(time.perf_counter() - t, p.stat().st_size)")
            out = subprocess.run([sys.executable, "-c", code, str(Path(tmp) / "gazetteer.idx")], cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout.split()
        print(f"index build (fresh, cities500 + curated):  {float(out[0]):6.1f} s   ({int(out[1]) / 1e6:.1f} MB)")
    subprocess.run([sys.executable, "-c", "from geo.gazetteer import load_gazetteer; load_gazetteer()"], cwd=ROOT, check=True)
    load_s, rss = fresh_load(None)
    print(f"load in a fresh process (median of 3):     {load_s:6.2f} s   (incl. numpy import, stale check, first lookup)")
    print(f"peak RSS after load (ru_maxrss):           {rss:6.0f} MB")
    gaz = load_gazetteer()
    if args.no_build:
        print(f"index build (recorded in cached index):   {gaz.meta['build_seconds']:6.1f} s   ({gaz.path.stat().st_size / 1e6:.1f} MB)")
    counts = gaz.meta["counts"]
    print(f"entries: {sum(counts[k] for k in ('country', 'admin1', 'region', 'city', 'crossing', 'border', 'river', 'highway')):,} places, "
          f"{counts['names']:,} distinct names")

    rng = random.Random(20241122)
    keys = list(gaz.iter_keys())
    names = rng.sample(keys, 20_000)
    windows = article_windows()
    print(f"\nlookups/s on one core ({len(names):,} index names; {len(windows):,} article 1-3-grams)")
    for label, items in (("index names", names), ("article n-grams", windows)):
        normalize_name.cache_clear()
        gaz._lookup_cache.clear()
        first_contains = rate(gaz.contains, items)
        first_lookup = rate(gaz.lookup, items)
        repeat_lookup = rate(gaz.lookup, items)
        hits = sum(1 for s in items if gaz.contains(s))
        print(f"  {label:16s} contains {first_contains:9,.0f}/s   lookup first {first_lookup:9,.0f}/s   "
              f"lookup repeat {repeat_lookup:9,.0f}/s   ({hits / len(items):.0%} hits)")


if __name__ == "__main__":
    main()
