"""Place-mention recognition on LGL (the development corpus): precision/recall/F1 and speed.

Runs :func:`geo.geoparsing.recognize.recognize_many` over every article of ``lgl.jsonl`` in one process
(one core), writes the predictions as JSONL (``{"id", "toponyms": [{"start", "end", "name"}]}``)
and scores them with the reference scorer (``score.py``, Gritta et al. matching: span
mid-points < 10 characters apart and equal strings ignoring case; recognition figures do not
use coordinates).

    .venv/bin/python benchmarks/recognition_lgl.py [--gold /work/shared/eval/lgl.jsonl]
        [--out test-artifacts/recognition_lgl.jsonl] [--limit N] [--no-demonyms] [--no-gazetteer]

Every mention is a prediction, including border/highway/river heads ("southern border",
"Highway 19"): nothing is filtered for the benchmark.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_GOLD = Path(os.environ.get("ATLAS_EVAL_DIR", ROOT.parent / "shared" / "eval")) / "lgl.jsonl"
if not DEFAULT_GOLD.exists():
    DEFAULT_GOLD = Path("/work/shared/eval/lgl.jsonl")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "recognition_lgl.jsonl")
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--no-demonyms", action="store_true")
    ap.add_argument("--no-gazetteer", action="store_true")
    args = ap.parse_args(argv)

    from geo.geoparsing.recognize import load_nlp, recognize_many

    if not args.gold.exists():
        print(f"error: gold file not found: {args.gold}", file=sys.stderr)
        return 2
    with open(args.gold, encoding="utf-8") as fh:
        articles = [json.loads(line) for line in fh if line.strip()]
    if args.limit:
        articles = articles[: args.limit]

    gazetteer = False if args.no_gazetteer else None
    if gazetteer is None:
        from geo.geoparsing.recognize import _default_gazetteer

        _default_gazetteer()  # load once, outside the timed loop
    load_nlp()
    recognize_many(["warm up"], gazetteer=gazetteer).__next__()

    args.out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    n_mentions = 0
    with open(args.out, "w", encoding="utf-8") as out:
        texts = (a["text"] for a in articles)
        for art, (_doc, mentions) in zip(
            articles,
            recognize_many(texts, demonyms=not args.no_demonyms, batch_size=args.batch_size, gazetteer=gazetteer),
        ):
            n_mentions += len(mentions)
            toponyms = [{"start": m.start, "end": m.end, "name": m.name} for m in mentions]
            out.write(json.dumps({"id": art["id"], "toponyms": toponyms}, ensure_ascii=False) + "\n")
    elapsed = time.perf_counter() - t0
    rate = len(articles) / elapsed if elapsed else float("inf")

    gold = args.gold
    if args.limit:
        gold = args.out.with_name(args.out.stem + ".gold.jsonl")
        gold.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    scorer = args.gold.parent / "score.py"
    res = subprocess.run([sys.executable, str(scorer), str(gold), str(args.out)], capture_output=True, text=True, check=True)
    scores = json.loads(res.stdout)
    print(f"articles: {len(articles)}  mentions: {n_mentions}  time: {elapsed:.1f} s  speed: {rate:.1f} articles/s (1 process)")
    print(f"recognition  P={scores['precision']:.3f}  R={scores['recall']:.3f}  F1={scores['f1']:.3f}"
          f"  (tp={scores['tp']}, predicted={scores['predicted']}, gold={scores['gold_toponyms_with_coords']})")
    if "incl_unresolved_gold" in scores:
        u = scores["incl_unresolved_gold"]
        print(f"incl. unresolved gold  P={u['precision']:.3f}  R={u['recall']:.3f}  F1={u['f1']:.3f}")
    print(f"predictions: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
