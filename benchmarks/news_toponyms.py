"""Geoparsing on real caravan and border news pages: recognition P/R/F1 and acc@161 against a
reader's gold toponyms.

    .venv/bin/python benchmarks/news_toponyms.py --split dev|heldout [--no-demonyms] [--errors N]
    .venv/bin/python benchmarks/news_toponyms.py --import /work/devset/topo/work   # annotators' files

The pages are the 66 English pages of the event set (``benchmarks/events_dev/``: 2018–2024
news, wire copy, government and humanitarian releases, as saved with their furniture), split as
there: 51 development pages, 15 held out. Annotators who never saw the geoparser's output
marked every toponym (modern corpora's conventions: demonyms, metonyms, facilities, streets,
place names inside other names) with its point and, where the gazetteer has it, its GeoNames id
(``benchmarks/news_toponyms/<id>.json``: offsets, kinds, points and the text's SHA-256; no
text). Texts come from ``benchmarks/events_dev/texts/`` (committed where the licence allows)
or ``.cache/events_dev/`` (restore with ``benchmarks/events_dev_import.py``).

This writes the gold in the reference scorer's format to ``.cache/bench/news_toponyms_<split>.jsonl``
and runs ``benchmarks/geoparse_lgl.py`` on it (same matching, same figures); ``--errors N``
then lists the grouped errors with N examples each (development pages only).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "benchmarks" / "news_toponyms"
ARTICLES = ROOT / "benchmarks" / "events_dev" / "articles.jsonl"
TEXT_DIRS = (ROOT / "benchmarks" / "events_dev" / "texts", ROOT / ".cache" / "events_dev")
KINDS = ("country", "admin1", "admin2", "city", "neighbourhood", "region", "physical", "facility", "street",
         "demonym")


def _text(aid: str) -> str | None:
    for d in TEXT_DIRS:
        p = d / f"{aid}.txt"
        if p.exists():
            return p.read_text(encoding="utf-8")
    return None


def import_annotations(work: Path) -> int:
    """Check the annotators' files against the texts and copy them (without text) into the set."""
    GOLD_DIR.mkdir(parents=True, exist_ok=True)
    ok = 0
    for path in sorted(work.glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as e:
            print(f"error: {path}: not JSON ({e})", file=sys.stderr)
            continue
        text = _text(doc.get("id", ""))
        problem = _problem(doc, text)
        if problem:
            print(f"error: {path}: {problem}", file=sys.stderr)
            continue
        tops = [{k: t.get(k) for k in ("start", "end", "text", "type", "geonameid", "lat", "lon", "country",
                                       "metonym", "embedded", "note")} for t in doc["toponyms"]]
        out = {"id": doc["id"], "sha256": doc["sha256"], "toponyms": tops}
        (GOLD_DIR / f"{doc['id']}.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n",
                                                    encoding="utf-8")
        ok += 1
    print(f"imported {ok} page(s) into {GOLD_DIR.relative_to(ROOT)}")
    return 0


def _problem(doc: dict, text: str | None) -> str | None:
    if text is None:
        return f"no text for page {doc.get('id')!r} (restore it with benchmarks/events_dev_import.py)"
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != doc.get("sha256"):
        return "the text's SHA-256 differs from the one annotated"
    end = -1
    for t in doc.get("toponyms", []):
        if text[t["start"]:t["end"]] != t["text"]:
            return f"span {t['start']}-{t['end']} reads {text[t['start']:t['end']]!r}, not {t['text']!r}"
        if t["start"] < end:
            return f"span {t['start']}-{t['end']} overlaps the one before"
        if t.get("type") not in KINDS:
            return f"span {t['start']}-{t['end']}: unknown type {t.get('type')!r}"
        if t.get("lat") is None or t.get("lon") is None:
            return f"span {t['start']}-{t['end']}: no point"
        end = t["end"]
    return None


def build_gold(split: str) -> tuple[Path, int]:
    """The split's gold in the reference scorer's format; pages that fail a check are left out
    with a one-line error."""
    meta = {d["id"]: d for d in map(json.loads, ARTICLES.read_text(encoding="utf-8").splitlines()) if d}
    out = ROOT / ".cache" / "bench" / f"news_toponyms_{split}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for path in sorted(GOLD_DIR.glob("*.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            m = meta.get(doc["id"])
            if m is None or m["split"] != split:
                continue
            text = _text(doc["id"])
            problem = _problem(doc, text)
            if problem:
                print(f"error: {path.relative_to(ROOT)}: {problem}", file=sys.stderr)
                continue
            tops = [{"start": t["start"], "end": t["end"], "name": t["text"], "lat": t["lat"], "lon": t["lon"],
                     "geonameid": t.get("geonameid"), "fclass": t["type"]} for t in doc["toponyms"]]
            f.write(json.dumps({"id": doc["id"], "text": text, "domain": m.get("publisher"), "toponyms": tops},
                               ensure_ascii=False) + "\n")
            n += 1
    return out, n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("dev", "heldout"), default="dev")
    ap.add_argument("--no-demonyms", action="store_true", help="leave demonyms out of the gold and the predictions")
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="grouped errors, N examples each (dev only)")
    ap.add_argument("--import", dest="work", type=Path, help="import annotators' files from this folder")
    a = ap.parse_args()
    if a.work:
        return import_annotations(a.work)
    if a.errors and a.split != "dev":
        print("error: --errors reads development pages only; held-out pages are scored, never read", file=sys.stderr)
        return 2
    gold, n = build_gold(a.split)
    if a.no_demonyms:
        docs = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()]
        for d in docs:
            d["toponyms"] = [t for t in d["toponyms"] if t["fclass"] != "demonym"]
        gold = gold.with_name(gold.stem + "_no_demonyms.jsonl")
        gold.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    if not n:
        print(f"error: no annotated {a.split} page with its text", file=sys.stderr)
        return 2
    bench = [sys.executable, str(ROOT / "benchmarks" / "geoparse_lgl.py"), "--gold", str(gold)]
    subprocess.run(bench + (["--no-demonyms"] if a.no_demonyms else []), check=True)
    if a.errors:
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "geoparse_errors.py"), "--gold", str(gold),
                        "--examples", str(a.errors)], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
