"""Atlas build benchmark: end-to-end time, throughput, scaling and peak memory.

    .venv/bin/python benchmarks/build_bench.py                     # demo, LGL, 10,000 articles
    .venv/bin/python benchmarks/build_bench.py --sizes 588 --configs local:1 local:2
    .venv/bin/python benchmarks/build_bench.py --quick             # demo + 588 articles

Corpora: ``demo`` is ``data/articles``; a number N is the LGL development set
(``../shared/eval/lgl.jsonl``) repeated until N articles, each copy with a unique id, written
once as ``.md`` files under ``.cache/bench/lgl_N/``. Every configuration (``local:J`` =
``python -m geo build -j J``, ``dask:W`` = ``--engine dask -j W``, a LocalCluster of W
workers) runs in a fresh process, timed from start to the last file written (so
model loading and worker start-up count), and the GeoJSON/CSV files of every configuration
of one corpus are compared byte for byte. Peak RSS: the build process itself (ru_maxrss)
and the whole process tree (build process + pool or Dask workers, sampled every 0.25 s).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LGL = ROOT.parent / "shared" / "eval" / "lgl.jsonl"
CACHE = ROOT / ".cache" / "bench"
COMPARED = ("places.geojson", "events.geojson", "routes.geojson", "crossings.geojson", "events.csv")

RUN_ONE = r"""
import json, resource, sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from geo.engine import build
engine, jobs = sys.argv[4].split(":")
r = build([sys.argv[2]], sys.argv[3], jobs=int(jobs), engine=engine, fmt=sys.argv[5])
t1 = time.perf_counter()
print(json.dumps({"seconds": t1 - t0, "stages": r.seconds, "articles": r.articles, "counts": r.atlas.counts(),
                  "rss_parent_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def lgl_corpus(n: int) -> Path:
    """LGL repeated to ``n`` articles as .md files with unique ids (written once, cached)."""
    folder = CACHE / f"lgl_{n}"
    done = folder / ".complete"
    if done.exists():
        return folder
    docs = [json.loads(line) for line in LGL.open(encoding="utf-8") if line.strip()]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        d = docs[i % len(docs)]
        copy = i // len(docs)
        aid = f"{d['id']}-r{copy}"
        text = d["text"]
        (folder / f"{i:06d}.md").write_text(f"---\nid: {aid}\n---\n{text}\n", encoding="utf-8")
    done.write_text(str(n))
    return folder


def _tree_rss_mb(proc) -> float:
    """Resident memory of a process and all its descendants (pool and Dask workers), MB."""
    import psutil

    total = 0
    try:
        parent = psutil.Process(proc.pid)
        for p in [parent, *parent.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
    except psutil.Error:
        pass
    return total / 1e6


def run(corpus: Path, config: str, fmt: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="ca-build-") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", RUN_ONE, str(ROOT), str(corpus), out, config, fmt],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        peak_tree = 0.0
        while proc.poll() is None:
            peak_tree = max(peak_tree, _tree_rss_mb(proc))
            time.sleep(0.25)
        stdout, stderr = proc.communicate()
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"{config} on {corpus} failed:\n{stderr[-3000:]}")
        result = json.loads(stdout.strip().splitlines()[-1])
        result["wall"] = wall
        result["rss_tree_mb"] = peak_tree
        digest = hashlib.sha256()
        if fmt == "geojson":
            for name in COMPARED:
                digest.update((Path(out) / name).read_bytes())
        result["digest"] = digest.hexdigest()[:12]
    return result


def command(size: str, config: str) -> str:
    engine, jobs = config.split(":")
    folder = "data/articles" if size == "demo" else f".cache/bench/lgl_{size}"
    extra = " --engine dask" if engine == "dask" else ""
    return f"python -m geo build {folder} -j {jobs}{extra}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="+", default=["demo", "588", "10000"],
                    help="'demo' and/or numbers of LGL articles (default: demo 588 10000)")
    ap.add_argument("--configs", nargs="+", default=["local:1", "local:2", "dask:1", "dask:2"],
                    help="engine:workers (default: local:1 local:2 dask:1 dask:2)")
    ap.add_argument("--demo-configs", nargs="+", default=["local:1", "local:2"],
                    help="configurations for the demo corpus (default: local:1 local:2)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per configuration; the best is shown")
    ap.add_argument("--format", default="geojson", choices=("geojson", "parquet"))
    ap.add_argument("--quick", action="store_true", help="demo and 588 articles only")
    ap.add_argument("--json", action="store_true", help="also print one JSON line per measurement")
    a = ap.parse_args()
    sizes = ["demo", "588"] if a.quick else a.sizes
    if any(s != "demo" for s in sizes) and not LGL.exists():
        print(f"error: {LGL}: LGL not found (expected ../shared/eval beside the repo)", file=sys.stderr)
        return 2
    print(f"{'corpus':>8} {'config':>8} {'articles':>8} {'wall s':>8} {'art/s':>7} {'speed-up':>8} "
          f"{'analyse s':>9} {'assemble s':>10} {'write s':>7} {'RSS MB p/all':>12} {'files':>12}  command")
    for size in sizes:
        corpus = ROOT / "data" / "articles" if size == "demo" else lgl_corpus(int(size))
        configs = a.demo_configs if size == "demo" else a.configs
        walls: dict[str, float] = {}
        digests = set()
        for config in configs:
            runs = [run(corpus, config, a.format) for _ in range(max(1, a.repeat))]
            r = min(runs, key=lambda x: x["wall"])
            engine, jobs = config.split(":")
            walls[config] = r["wall"]
            one = walls.get(f"{engine}:1")
            speedup = f"{one / r['wall']:7.2f}x" if one else f"{'-':>8}"  # against 1 worker, same engine
            digests.add(r["digest"])
            rss = f"{r['rss_parent_mb']:.0f}/{r['rss_tree_mb']:.0f}"
            st = r["stages"]
            print(f"{size:>8} {config:>8} {r['articles']:>8} {r['wall']:8.1f} {r['articles'] / r['wall']:7.1f} "
                  f"{speedup} {st['analyse']:9.1f} {st['assemble']:10.1f} {st['write']:7.1f} {rss:>12} "
                  f"{r['digest']:>12}  {command(size, config)}", flush=True)
            if a.json:
                print("JSON " + json.dumps({"corpus": size, "config": config, "runs": [x["wall"] for x in runs], **r}))
        print(f"{'':>8} identical GeoJSON+CSV across configs: {'yes' if len(digests) == 1 else 'NO'}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
