"""End-to-end geoparsing on LGL: recognition P/R/F1, acc@161, throughput and peak memory.

    .venv/bin/python benchmarks/geoparse_lgl.py [--gold FILE] [--limit N] [--no-demonyms] [--region MX,GT,US-TX]
                                               [--no-corpus-prior]

Runs ``geo.geoparse_corpus`` (two passes: each text alone, then with the prior of the corpus's
other texts and of its source, the ``domain`` field where the set has one) over the LGL development set
(``../shared/eval/lgl.jsonl``) in one
process pinned to one core's worth of threads, writes the predictions to
``.cache/bench/<gold>.pred.jsonl`` (written under a per-process name, renamed once scored) and scores them with the reference scorer
(``../shared/eval/score.py``, Gritta et al. 2018 matching).
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import argparse  # noqa: E402 - after the thread settings
import json  # noqa: E402 - after the thread settings
import resource  # noqa: E402 - after the thread settings
import subprocess  # noqa: E402 - after the thread settings
import sys  # noqa: E402 - after the thread settings
import time  # noqa: E402 - after the thread settings
from pathlib import Path  # noqa: E402 - after the thread settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=str(EVAL / "lgl.jsonl"))
    ap.add_argument("--scorer", default=str(EVAL / "score.py"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--no-demonyms", action="store_true",
                    help="no demonyms or adjectival forms (GeoCorpora's convention: 'Syrian' is not a toponym there)")
    ap.add_argument("--region", default="",
                    help="a fixed region of interest to favour, e.g. MX,GT,US-TX (none by default)")
    ap.add_argument("--with-features", action="store_true",
                    help="also score the features common nouns refer to ('the border'), as `geo geoparse --with-features`")
    ap.add_argument("--no-corpus-prior", action="store_true",
                    help="resolve each text alone (geoparse_many), without the corpus and source prior")
    a = ap.parse_args()
    if not Path(a.gold).exists():
        print(f"error: {a.gold}: LGL not found (expected ../shared/eval beside the repo)", file=sys.stderr)
        return 2
    docs = [json.loads(line) for line in open(a.gold, encoding="utf-8") if line.strip()]
    if a.limit:
        docs = docs[: a.limit]

    from geo.geoparsing.pipeline import geoparse_corpus, geoparse_many, is_place_name
    from geo.gazetteer.index import load_gazetteer
    from geo.geoparsing.recognize import load_nlp

    from geo.geoparsing.resolve import ResolverConfig

    config = ResolverConfig(region_prior=tuple(c for c in a.region.split(",") if c))
    t0 = time.perf_counter()
    load_gazetteer()
    load_nlp()
    t_load = time.perf_counter() - t0

    out_dir = ROOT / ".cache" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    # one file per gold set and process: runs on different sets (or worktrees) never clobber each other
    pred_path = out_dir / f"{Path(a.gold).stem}_pred.{os.getpid()}.jsonl"
    t0 = time.perf_counter()
    with open(pred_path, "w", encoding="utf-8") as f:
        texts = [d["text"] for d in docs]
        if a.no_corpus_prior:
            results = geoparse_many(texts, config=config, demonyms=not a.no_demonyms)
        else:
            results = geoparse_corpus(texts, sources=[d.get("domain") for d in docs], config=config,
                                      demonyms=not a.no_demonyms)
        for d, parsed in zip(docs, results):
            tops = [{"start": t.start, "end": t.end, "name": t.name, "lat": t.lat, "lon": t.lon, "kind": t.kind,
                     "geonameid": t.geonameid}
                    for t in parsed.toponyms if a.with_features or is_place_name(t)]
            f.write(json.dumps({"id": d["id"], "toponyms": tops}) + "\n")
    elapsed = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    chars = sum(len(d["text"]) for d in docs)

    gold = a.gold
    if a.limit:
        gold = str(out_dir / f"{Path(a.gold).stem}_gold_subset.{os.getpid()}.jsonl")
        with open(gold, "w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps(d) + "\n")
    res = json.loads(subprocess.run([sys.executable, a.scorer, gold, str(pred_path)], check=True,
                                    capture_output=True, text=True).stdout)
    os.replace(pred_path, out_dir / f"{Path(a.gold).stem}.pred.jsonl")  # kept for error analysis, whole
    if gold != a.gold:
        os.unlink(gold)
    rows = [
        ("articles", f"{len(docs)} (mean {chars / len(docs):.0f} chars)"),
        ("recognition P / R / F1", f"{res['precision']:.3f} / {res['recall']:.3f} / {res['f1']:.3f}"),
        ("acc@161", f"{res.get('acc161', 0):.3f}"),
        ("mean / median error km", f"{res.get('mean_km', 0):.0f} / {res.get('median_km', 0):.1f}"),
        ("AUC (lower is better)", f"{res.get('auc', 0):.3f}"),
        ("throughput (1 process)", f"{len(docs) / elapsed:.1f} articles/s"),
        ("model + gazetteer load", f"{t_load:.2f} s"),
        ("peak RSS", f"{rss_mb:.0f} MB"),
        ("fixed region prior", a.region or "none (the article's own places decide)"),
        ("demonyms", "off" if a.no_demonyms else "on"),
        ("corpus prior", "off" if a.no_corpus_prior else
         ("corpus and source (domain)" if any(d.get("domain") for d in docs) else "corpus")),
    ]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    print()
    print(_by_kind(docs, out_dir / f"{Path(a.gold).stem}.pred.jsonl", a.scorer))
    return 0


def _by_kind(docs: list[dict], pred_path: Path, scorer: str) -> str:
    """Where the remaining errors are: per predicted kind, how many predictions matched a gold
    toponym and how many of those are within 161 km; per gold feature class (where the gold
    says: LGL), recall. Matching is the reference scorer's own (imported from it)."""
    import importlib.util
    from collections import Counter

    spec = importlib.util.spec_from_file_location("reference_scorer", scorer)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    preds = {d["id"]: d["toponyms"] for d in map(json.loads, open(pred_path, encoding="utf-8"))}
    n_pred, n_match, n_near, n_coord = Counter(), Counter(), Counter(), Counter()
    gold_n, gold_hit = Counter(), Counter()
    for d in docs:
        gold = d["toponyms"]
        pairs, _ = ref.match(gold, preds.get(d["id"], []), d["text"], "gritta")
        for p in preds.get(d["id"], []):
            n_pred[p.get("kind") or "?"] += 1
        matched = {id(g) for g, _ in pairs}
        for g in gold:
            cls = g.get("fclass") or "?"
            gold_n[cls] += 1
            gold_hit[cls] += id(g) in matched
        for g, p in pairs:
            k = p.get("kind") or "?"
            n_match[k] += 1
            if p.get("lat") is not None:
                n_coord[k] += 1
                n_near[k] += ref.haversine(g["lat"], g["lon"], p["lat"], p["lon"]) < 161
    lines = ["by predicted kind       predicted  matched  acc@161"]
    for k, n in n_pred.most_common():
        acc = f"{n_near[k] / n_coord[k]:.3f}" if n_coord[k] else "  -  "
        lines.append(f"  {k:<20} {n:>9} {n_match[k] / n:>8.3f}  {acc} ({n_coord[k]})")
    if set(gold_n) != {"?"}:
        lines.append("by gold feature class   gold  recall  (GeoNames: A admin, P populated, H water, L area, T terrain, S spot)")
        for k, n in gold_n.most_common():
            lines.append(f"  {k:<20} {n:>6} {gold_hit[k] / n:.3f}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
