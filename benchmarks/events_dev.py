"""Score the atlas's dated events against the hand-annotated real-news event set.

    .venv/bin/python benchmarks/events_dev.py                 # dev and held-out splits
    .venv/bin/python benchmarks/events_dev.py --split dev --errors 30   # list errors to study
    .venv/bin/python benchmarks/events_dev.py --set es        # the Spanish set (benchmarks/events_dev_es/)

Data: ``benchmarks/events_dev/`` (see ``benchmarks/README.md`` for how it was annotated):
``articles.jsonl`` (one line per article: URL, title, publisher, publication date, licence,
split, SHA-256 of the text), ``gold.jsonl`` (one line per gold event) and ``texts/`` (the
texts whose licence lets us commit them). The other texts are looked for in ``--texts``
(default ``.cache/events_dev/``); an article whose text is missing or differs from the
annotated one (hash) is skipped and reported.

An atlas event counts for every article it cites. It is **right** when a gold event of that
article has its place within the gold event's tolerance and a compatible date. Tolerances by
the gold place's level: site 15 km, town 30 km, state 150 km, country: inside the country
(Natural Earth, 25 km of slack). Dates are compatible when the atlas interval overlaps the
gold one (one day of slack each side) and is no wider than a month when the gold date is a
day. Recall: gold events matched by at least one atlas event. Date accuracy: among atlas
events placed right, the share with a compatible date; place accuracy: among atlas events
with a compatible date and the gold type, the share placed right.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.sources.corpus import Article  # noqa: E402

DATA = ROOT / "benchmarks" / "events_dev"
#: Per set: (data folder, default text cache).
SETS = {"en": (DATA, ROOT / ".cache" / "events_dev"), "es": (ROOT / "benchmarks" / "events_dev_es", ROOT / ".cache" / "events_dev_es")}
TOLERANCE_KM = {"site": 15.0, "town": 30.0, "state": 150.0}


def _haversine(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def _interval(date: str, precision: str, date_end: str | None = None) -> tuple[dt.date, dt.date]:
    parts = [int(x) for x in date.split("-")]
    if len(parts) == 3:
        lo = dt.date(*parts)
        hi = lo
    elif len(parts) == 2:
        lo = dt.date(parts[0], parts[1], 1)
        nxt = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        hi = nxt - dt.timedelta(days=1)
    else:
        lo, hi = dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if date_end:
        hi = _interval(date_end, precision)[1]
    return lo, hi


class _Countries:
    def __init__(self) -> None:
        import geopandas as gpd

        gdf = gpd.read_file(ROOT / "data" / "boundaries" / "ne_50m_admin_0_countries.geojson")
        self.shapes = {}
        for _, row in gdf.iterrows():
            code = row.get("ISO_A2_EH") or row.get("ISO_A2")
            if code and code != "-99":
                self.shapes[code] = row.geometry.buffer(0.25)

    def contains(self, code: str, lat: float, lon: float) -> bool:
        from shapely.geometry import Point

        shape = self.shapes.get(code)
        return shape is not None and shape.contains(Point(lon, lat))


def load(split: str, texts_dir: Path, ids: set[str] | None = None) -> tuple[list[dict], dict[str, list[dict]], list[str]]:
    articles, skipped = [], []
    for line in (DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        meta = json.loads(line)
        if split != "all" and meta["split"] != split or ids and meta["id"] not in ids:
            continue
        path = DATA / "texts" / f"{meta['id']}.txt"
        if not path.exists():
            path = texts_dir / f"{meta['id']}.txt"
        if not path.exists():
            skipped.append(f"{meta['id']}: text not available (licence: {meta['licence']}; {meta['url']})")
            continue
        text = path.read_text(encoding="utf-8")
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != meta["sha256"]:
            skipped.append(f"{meta['id']}: text differs from the annotated one (sha256)")
            continue
        meta["text"] = text
        articles.append(meta)
    ids = {a["id"] for a in articles}
    texts = {a["id"]: a["text"] for a in articles}
    gold: dict[str, list[dict]] = defaultdict(list)
    for line in (DATA / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        if g["article"] in ids:
            g["interval"] = _interval(g["date"], g["precision"], g.get("date_end"))
            g.setdefault("sentence", texts[g["article"]][g["sentence_start"]:g["sentence_end"]])
            gold[g["article"]].append(g)
    return articles, gold, skipped


def _place_ok(g: dict, lat: float, lon: float, countries: _Countries) -> bool:
    if g["level"] == "country":
        return countries.contains(g["country_code"], lat, lon)
    return _haversine(g["lat"], g["lon"], lat, lon) <= TOLERANCE_KM.get(g["level"], 30.0)


def _day(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def _date_ok(g: dict, start: dt.date | None, end: dt.date | None) -> bool:
    if start is None:
        return False
    end = end or start
    lo, hi = g["interval"]
    if g["precision"] == "day" and (end - start).days > 31:
        return False
    slack = dt.timedelta(days=1)
    return start <= hi + slack and lo - slack <= end


def score(split: str, texts_dir: Path, errors: int = 0, ids: set[str] | None = None, read_as: str | None = None) -> dict:
    from geo.atlas.build import build_atlas

    articles, gold, skipped = load(split, texts_dir, ids)
    corpus = [Article(id=a["id"], text=a["text"], title=a.get("title"), published=dt.date.fromisoformat(a["published"]),
                      url=a.get("url"), language=read_as or a.get("language")) for a in articles]
    t0 = time.perf_counter()
    atlas = build_atlas(corpus)
    seconds = time.perf_counter() - t0
    countries = _Countries()
    predicted = []  # (article id, event row)
    for _, row in atlas.events.iterrows():
        if row.geometry is None or row.geometry.is_empty:
            continue
        for aid in row.article_ids:
            predicted.append((aid, row))
    right = 0
    matched_gold: set[tuple[str, int]] = set()
    place_right = date_right_given_place = 0
    date_and_type = place_right_given_date = 0
    wrong: list[str] = []
    by_type = Counter()
    for aid, row in predicted:
        lat, lon = row.geometry.y, row.geometry.x
        start, end = _day(row.date_start), _day(row.date_end)
        golds = gold.get(aid, [])
        hits = [i for i, g in enumerate(golds) if _place_ok(g, lat, lon, countries) and _date_ok(g, start, end)]
        placed = [g for g in golds if _place_ok(g, lat, lon, countries)]
        dated = [g for g in golds if _date_ok(g, start, end) and g["type"] == row.event_type]
        if placed:
            place_right += 1
            date_right_given_place += any(_date_ok(g, start, end) for g in placed)
        if dated:
            date_and_type += 1
            place_right_given_date += any(_place_ok(g, lat, lon, countries) for g in dated)
        if hits:
            right += 1
            matched_gold.update((aid, i) for i in hits)
        else:
            why = "place and date" if not placed and not any(_date_ok(g, start, end) for g in golds) else (
                "place" if not placed else "date")
            by_type[row.event_type] += 1
            wrong.append(f"WRONG {why:14s} {aid} {row.event_type:11s} {start} {row.date_precision:5s} "
                         f"{row.place_name} | {row.reason[:110]}\n      {row.sentence[:200]!r}")
    n_gold = sum(len(v) for v in gold.values())
    missed = [f"MISSED {aid} {g['type']:11s} {g['date']} {g['place']} ({g['level']})\n      "
              f"{(g.get('sentence') or '')[:200]!r}"
              for aid, gs in sorted(gold.items()) for i, g in enumerate(gs) if (aid, i) not in matched_gold]
    result = {
        "split": split,
        "articles": len(articles),
        "skipped": skipped,
        "gold_events": n_gold,
        "atlas_events": len(predicted),
        "recall": len(matched_gold) / n_gold if n_gold else float("nan"),
        "precision": right / len(predicted) if predicted else float("nan"),
        "date_accuracy": date_right_given_place / place_right if place_right else float("nan"),
        "place_accuracy": place_right_given_date / date_and_type if date_and_type else float("nan"),
        "articles_per_s": len(articles) / seconds if seconds else float("nan"),
        "wrong_by_type": dict(by_type.most_common()),
    }
    if errors:
        for line in wrong[:errors] + missed[:errors]:
            print(line)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "validation", "heldout", "all", "both"), default="both",
                    help="both: dev, validation (where the set has one) and held out")
    ap.add_argument("--set", choices=sorted(SETS), default="en", dest="which",
                    help="en: the English set; es: the Spanish set (es_a/c/d/e/g* dev, es_f/h* validation, es_b/i* held out)")
    ap.add_argument("--texts", type=Path, default=None, help="where uncommitted texts are (default: the set's cache)")
    ap.add_argument("--errors", type=int, default=0, help="print this many wrong and missed events")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--read-as", choices=("en", "es"), help="read every article as this language (e.g. the Spanish "
                                                             "set through the English pipeline, for comparison)")
    ap.add_argument("--ids", help="comma-separated article ids: score only these")
    args = ap.parse_args(argv)
    global DATA
    DATA, default_texts = SETS[args.which]
    args.texts = args.texts or default_texts
    if args.which == "es" and args.errors and args.split != "dev":
        ap.error("--errors lists the Spanish DEV split only (--split dev): held-out texts are not studied")
    splits = ("dev", "validation", "heldout") if args.split == "both" else (args.split,)
    ids = set(args.ids.split(",")) if args.ids else None
    rows = [score(s, args.texts, args.errors, ids, args.read_as) for s in splits]
    rows = [r for r in rows if r["articles"] or r["skipped"] or r["split"] != "validation"]
    if args.json:
        print(json.dumps(rows, indent=1, default=str))
        return 0
    print(f"{'split':10s} {'articles':>8s} {'gold':>5s} {'atlas':>5s} {'recall':>7s} {'precision':>9s} {'date acc':>8s} {'place acc':>9s}")
    for r in rows:
        print(f"{r['split']:10s} {r['articles']:8d} {r['gold_events']:5d} {r['atlas_events']:5d} {r['recall']:7.3f} "
              f"{r['precision']:9.3f} {r['date_accuracy']:8.3f} {r['place_accuracy']:9.3f}")
        for s in r["skipped"]:
            print(f"  skipped {s}")
        print(f"  wrong events by type: {r['wrong_by_type']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
