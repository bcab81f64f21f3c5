"""Main-process memory of ``geo build`` at N articles, without waiting for N analyses.

    .venv/bin/python benchmarks/assemble_memory_bench.py [--articles 10000] [--repeat 1]

What ``geo build`` keeps in its main process is the corpus stage: it receives every
article's analysis from the workers, assembles the atlas and writes it. This benchmark
measures that stage alone at corpus sizes whose analysis would take many minutes: the LGL
development set (588 articles) is analysed once (2 processes, as ``geo build -j 2``; kept in
``.cache/bench/lgl_588.analyses.pickle``), then a fresh process streams copies of those
analyses with unique article ids — the corpus ``benchmarks/build_bench.py`` builds (LGL
repeated to N articles, ``{id}-r{copy}``) — through :func:`geo.atlas.build.assemble_atlas` and
writes the atlas as ``geo build`` does (GeoJSON, CSV, GeoPackage). Printed: the peak RSS of
that process (``ru_maxrss``; it includes the 588 cached analyses it replays, ~30 MB, and not
the worker pool of a real build), the seconds and a digest of the written files (the same
digest means the same output). ``benchmarks/build_bench.py --sizes 10000 --configs local:2``
measures the real build (about 4 minutes on 2 idle cores).
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "bench"

REPLAY = r"""
import dataclasses, hashlib, json, pickle, resource, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from geo.atlas.build import assemble_atlas
from geo.export import write_atlas

with open(sys.argv[2], "rb") as fh:
    base = pickle.load(fh)
n = int(sys.argv[3])

def stream():
    for i in range(n):
        a = base[i % len(base)]
        copy = i // len(base)
        aid = f"{a.article.id}-r{copy}"
        copy = dataclasses.replace(a, article=dataclasses.replace(a.article, id=aid),
                                   events=tuple(dataclasses.replace(m, article_id=aid) for m in a.events))
        yield pickle.loads(pickle.dumps(copy))  # its own objects, as a worker's result is

t0 = time.perf_counter()
atlas = assemble_atlas(stream())
with tempfile.TemporaryDirectory() as out:
    write_atlas(atlas, out)
    digest = hashlib.sha256()
    for name in ("places.geojson", "events.geojson", "routes.geojson", "crossings.geojson", "events.csv"):
        digest.update((Path(out) / name).read_bytes())
print(json.dumps({"seconds": time.perf_counter() - t0, "counts": atlas.counts(),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "digest": digest.hexdigest()[:12]}))
"""


def base_analyses() -> Path:
    """The LGL development set analysed once (cached)."""
    path = CACHE / "lgl_588.analyses.pickle"
    if path.exists():
        return path
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from build_bench import lgl_corpus

    from geo.sources.corpus import iter_article_paths, read_corpus
    from geo.engine import analyse

    files = list(iter_article_paths([lgl_corpus(588)]))
    analyses = list(analyse(read_corpus(files), jobs=2))
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(analyses, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, nargs="+", default=[10_000])
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    analyses = base_analyses()
    print(f"{'articles':>8} {'peak RSS MB':>11} {'seconds':>8} {'files':>12}  places/events/routes/crossings")
    for n in a.articles:
        for _ in range(max(1, a.repeat)):
            out = subprocess.run([sys.executable, "-c", REPLAY, str(ROOT), str(analyses), str(n)], cwd=ROOT,
                                 capture_output=True, text=True)
            if out.returncode != 0:
                raise SystemExit(out.stderr[-3000:])
            r = json.loads(out.stdout.strip().splitlines()[-1])
            c = r["counts"]
            print(f"{n:>8} {r['rss_mb']:>11.0f} {r['seconds']:>8.1f} {r['digest']:>12}  "
                  f"{c['places']}/{c['events']}/{c['routes']}/{c['crossings']}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
