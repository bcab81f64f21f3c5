"""Import annotated articles (one JSON file each, as written by annotators) into the event set.

    .venv/bin/python benchmarks/events_dev_import.py WORK_DIR
    .venv/bin/python benchmarks/events_dev_import.py --set es /work/devset/es/work   # the Spanish set

Each ``WORK_DIR/<id>.json`` holds the page text, its metadata, gold events and distractors
(format: ``benchmarks/README.md``). This writes ``benchmarks/events_dev/articles.jsonl`` and
``gold.jsonl``; texts whose licence allows it go to ``benchmarks/events_dev/texts/``, every
text to ``.cache/events_dev/`` (not committed). For texts that are not committed, the gold
keeps the sentence's offsets and hash instead of its words.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "events_dev"
CACHE = ROOT / ".cache" / "events_dev"
#: Per set: (data folder, text cache). The Spanish set (dev, validation and held-out ids: :func:`split_of`) is
#: in ``benchmarks/events_dev_es/``.
SETS = {"en": (OUT, CACHE), "es": (ROOT / "benchmarks" / "events_dev_es", ROOT / ".cache" / "events_dev_es")}
#: Licences under which a page's text may be committed.
OPEN_LICENCES = ("public-domain", "us-gov", "reliefweb", "un", "ifrc", "iom", "unhcr", "unicef", "cc-by", "cc by", "wikinews")
#: Articles kept out of tuning: their figures are reported separately.
HELDOUT_SUFFIXES = ("4", "8")


def committable(licence: str) -> bool:
    lic = licence.lower()
    return "all-rights" not in lic and any(k in lic for k in OPEN_LICENCES)


def split_of(aid: str) -> str:
    """Spanish ids say their split ("es_a03" dev, "es_f02" validation, "es_b02" held out); English ids end in it."""
    if aid.startswith("es_"):
        # es_f*, es_h*: validation, scored only as a whole to check that dev fixes carry over before the held-out run
        return "heldout" if aid.startswith(("es_b", "es_i")) else "validation" if aid.startswith(("es_f", "es_h")) else "dev"
    return "heldout" if aid.endswith(HELDOUT_SUFFIXES) else "dev"


def main(work: Path, which: str = "en", cache: Path | None = None) -> int:
    global OUT, CACHE
    OUT, CACHE = SETS[which]
    CACHE = cache or CACHE
    (OUT / "texts").mkdir(parents=True, exist_ok=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    articles, gold = [], []
    problems = []
    for path in sorted(work.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        text = doc["text"]
        aid = doc["id"]
        commit = committable(doc.get("licence", ""))
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        (CACHE / f"{aid}.txt").write_text(text, encoding="utf-8")
        if commit:
            (OUT / "texts" / f"{aid}.txt").write_text(text, encoding="utf-8")
        distractors = []
        for d in doc.get("distractors", []):
            at = text.find(d["text"])
            item = {"what": d["what"], "start": at, "end": at + len(d["text"]) if at >= 0 else -1}
            if commit:
                item["text"] = d["text"]
            distractors.append(item)
        articles.append({
            "id": aid, "url": doc["url"], "title": doc.get("title"), "publisher": doc.get("publisher"),
            "source_kind": doc.get("source_kind"), "licence": doc.get("licence"), "committed": commit,
            "published": doc["published"], "query": doc.get("query"),
            "split": split_of(aid), **({"language": doc["language"]} if doc.get("language") else {}),
            "sha256": sha, "chars": len(text), "distractors": distractors,
        })
        for e in doc.get("events", []):
            at = text.find(e["sentence"])
            if at < 0:  # a held-out article's words are never printed
                problems.append(f"{aid}: sentence not in text" + (
                    f": {e['sentence'][:60]!r}" if split_of(aid) == "dev" else ""))
            row = {"article": aid}
            row.update({k: e.get(k) for k in ("type", "date", "precision", "date_end", "place", "level", "lat", "lon",
                                               "country_code", "status", "people", "date_why", "note")})
            row["sentence_start"], row["sentence_end"] = at, at + len(e["sentence"])
            if commit:
                row["sentence"] = e["sentence"]
            else:
                row["sentence_sha1"] = hashlib.sha1(e["sentence"].encode("utf-8")).hexdigest()[:12]
            gold.append({k: v for k, v in row.items() if v is not None})
    (OUT / "articles.jsonl").write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    (OUT / "gold.jsonl").write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold), encoding="utf-8")
    print(f"{len(articles)} articles ({sum(a['committed'] for a in articles)} texts committed), {len(gold)} gold events")
    for p in problems:
        print("problem:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("work", type=Path)
    ap.add_argument("--set", choices=sorted(SETS), default="en", dest="which")
    ap.add_argument("--cache", type=Path, help="where to put every text (default: the set's folder under .cache); "
                                                "give the same folder to events_dev.py --texts")
    args = ap.parse_args()
    raise SystemExit(main(args.work, args.which, args.cache))
