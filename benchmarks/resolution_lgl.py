"""Resolution-only benchmark on LGL: gold spans in, :func:`geo.geoparsing.resolve.resolve` decides.

Every gold span of an article (with or without coordinates) becomes a :class:`Mention`
(``kind_hint="ner"``, ``source="gold"``); spans that recognition would flag as demonyms
("American", "Georgians") get ``kind_hint="demonym"`` and their country as ``query`` when
:mod:`geo.geoparsing.recognize` offers a demonym table. Predictions are scored by the shared scorer::

    .venv/bin/python benchmarks/resolution_lgl.py                 # default config (no fixed region)
    .venv/bin/python benchmarks/resolution_lgl.py --region        # with the old fixed region prior
    .venv/bin/python benchmarks/resolution_lgl.py --both          # both, one after the other

It prints the scorer's figures (acc@161, mean/median km, AUC) and the runtime per article.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.model import Mention  # noqa: E402
from geo.geoparsing.resolve import DEFAULT_REGION, ResolverConfig, resolve  # noqa: E402

GOLD = Path("/work/shared/eval/lgl.jsonl")
SCORER = Path("/work/shared/eval/score.py")


def _demonym_lookup() -> Callable[[str], str | None]:
    """Demonym -> country name, as recognition would set ``Mention.query``.

    Uses :func:`geo.geoparsing.recognize.load_demonyms` (exact, case-sensitive forms), else the project's
    ``data/gazetteer/demonyms.csv`` (the same table recognition reads).
    """
    try:
        from geo.geoparsing import recognize

        forms = recognize.load_demonyms()  # exact form -> Demonym(country_name=...)

        def from_recognizer(name: str) -> str | None:
            d = forms.get(name.strip())
            return d.country_name if d is not None else None

        return from_recognizer
    except Exception:  # noqa: BLE001 - recognition is optional here
        pass
    table: dict[str, str] = {}
    path = ROOT / "data" / "gazetteer" / "demonyms.csv"
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            rows = csv.DictReader(line for line in fh if not line.startswith("#"))
            for row in rows:
                table[row["demonym"].strip().casefold()] = row["country_name"].strip()
    return lambda name: table.get(name.strip().casefold())


def gold_mentions(doc: dict, demonym: Callable[[str], str | None]) -> list[Mention]:
    spans = [*doc["toponyms"], *doc.get("unresolved_toponyms", [])]
    out = []
    for t in sorted(spans, key=lambda t: t["start"]):
        country = demonym(t["name"])
        if country:
            out.append(Mention(t["start"], t["end"], t["name"], "demonym", "gold", query=country))
        else:
            out.append(Mention(t["start"], t["end"], t["name"], "ner", "gold"))
    return out


def run(config: ResolverConfig, out_path: Path, gold: Path = GOLD) -> dict:
    from geo.gazetteer.index import load_gazetteer

    t0 = time.perf_counter()
    gaz = load_gazetteer()
    load_s = time.perf_counter() - t0
    demonym = _demonym_lookup()
    docs = [json.loads(line) for line in gold.open(encoding="utf-8") if line.strip()]
    t1 = time.perf_counter()
    with out_path.open("w", encoding="utf-8") as f:
        for doc in docs:
            mentions = gold_mentions(doc, demonym)
            tops = resolve(doc["text"], mentions, gazetteer=gaz, config=config)
            f.write(json.dumps({"id": doc["id"], "toponyms": [
                {"start": t.start, "end": t.end, "name": t.name, "lat": t.lat, "lon": t.lon,
                 "kind": t.kind, "geonameid": t.geonameid, "country_code": t.country_code,
                 "confidence": t.confidence, "reason": t.reason}
                for t in tops]}) + "\n")
    resolve_s = time.perf_counter() - t1
    scored = subprocess.run([sys.executable, str(SCORER), str(gold), str(out_path)],
                            check=True, capture_output=True, text=True)
    res = json.loads(scored.stdout)
    res["gazetteer_load_s"] = round(load_s, 2)
    res["resolve_ms_per_article"] = round(1000 * resolve_s / len(docs), 2)
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--region", action="store_true", help="favour a fixed region (MX, Central America, US border states)")
    ap.add_argument("--both", action="store_true", help="run without and with that fixed region")
    ap.add_argument("--out", type=Path, default=None, help="keep the predictions JSONL here")
    a = ap.parse_args(argv)
    settings = [("no fixed region", ResolverConfig())]
    fixed = ("fixed region MX+CA+US border", dataclasses.replace(ResolverConfig(), region_prior=DEFAULT_REGION))
    if a.region:
        settings = [fixed]
    elif a.both:
        settings.append(fixed)
    with tempfile.TemporaryDirectory() as tmp:
        for label, config in settings:
            out = a.out if a.out and len(settings) == 1 else Path(tmp) / "pred.jsonl"
            res = run(config, out)
            keys = ("acc161", "mean_km", "median_km", "auc", "n_matched_with_coords", "tp",
                    "gold_toponyms_with_coords", "resolve_ms_per_article", "gazetteer_load_s")
            print(f"LGL resolution-only ({label}): " + ", ".join(
                f"{k}={res[k]:.4g}" if isinstance(res.get(k), float) else f"{k}={res.get(k)}" for k in keys))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
