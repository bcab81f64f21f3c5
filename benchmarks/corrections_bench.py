"""Corrections benchmark: time to apply readers' corrections to an atlas of 10,000 events.

    .venv/bin/python benchmarks/corrections_bench.py [--events 10000] [--corrections 20] [--repeat 3]

The atlas is the demo corpus's (``data/articles``, built once through ``geo``) tiled into
copies until it has ``--events`` events: each copy is shifted on the map and gets its own
ids (places, events, legs, crossings, articles), and each copy's events are repeated
``--per-place`` times (10 by default: many reports at the same towns, as in a large
corpus), so 10,000 events sit at about 1,600 places. The corrections are a mix of every
kind the app saves (move a place, another candidate, not a place, one mention moved,
event date / people edits), spread over the copies. ``apply s`` is the median of
``--repeat`` calls of :func:`geo.store.corrections.apply_corrections` (what the app does when a
correction is saved or undone), ``CPU s`` the median CPU time of the same calls (less
sensitive to other work on the machine). Target: < 0.2 s at 10,000 events.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from shapely import affinity  # noqa: E402

from geo.store.corrections import apply_corrections, choose_candidate, edit_event, move_place, not_a_place  # noqa: E402
from geo.store.corrections import MentionRef  # noqa: E402
from geo.atlas.layers import LAYERS, Atlas  # noqa: E402


def demo_atlas() -> Atlas:
    import geo
    from geo.atlas.build import analyse_articles, assemble_atlas

    articles = list(geo.read_corpus([ROOT / "data" / "articles"]))
    return assemble_atlas(analyse_articles(articles))


def _suffix_sources(sources, tag: str):
    out = copy.deepcopy(sources) if isinstance(sources, list) else sources
    for s in out or []:
        s["article_id"] = f"{s['article_id']}{tag}"
    return out


def tile(atlas: Atlas, copies: int, per_place: int) -> Atlas:
    """``copies`` shifted copies of ``atlas`` with their own ids; events repeated ``per_place`` times."""
    frames: dict[str, list[pd.DataFrame]] = {layer: [] for layer in LAYERS}
    for k in range(copies):
        dx, dy = (k % 40) * 0.37, (k // 40) * 0.29
        for layer, gdf in atlas.layers().items():
            reps = per_place if layer == "events" else 1
            for r in range(reps):
                tag = f"~{k}" + (f".{r}" if reps > 1 else "")
                f = gdf.copy()
                f["geometry"] = f.geometry.map(lambda g, dx=dx, dy=dy: None if g is None else affinity.translate(g, dx, dy))
                idc = {"places": "place_id", "events": "event_id", "routes": "route_id", "crossings": "crossing_id"}[layer]
                f[idc] = f[idc].astype(str) + tag
                f["article_ids"] = f["article_ids"].map(lambda ids, tag=f"~{k}": [f"{a}{tag}" for a in ids])
                f["sources"] = f["sources"].map(lambda s, tag=f"~{k}": _suffix_sources(s, tag))
                if layer == "events":
                    f["article_id"] = f["article_id"].map(lambda a, tag=f"~{k}": None if a is None else f"{a}{tag}")
                if layer == "places":
                    f["feature_id"] = f["feature_id"].map(lambda a, tag=f"~{k}": None if a is None else f"{a}{tag}")
                if layer == "crossings":
                    f["status_events"] = f["status_events"].map(
                        lambda rs, tag=f"~{k}": [{**x, "event_id": None if x.get("event_id") is None
                                                  else f"{x['event_id']}{tag}.0" if per_place > 1
                                                  else f"{x['event_id']}{tag}"} for x in (rs or [])])
                frames[layer].append(f)
    import geopandas as gpd

    from geo.atlas.layers import SORT_KEYS, _nulls_last

    def sorted_frame(layer: str, parts: list[pd.DataFrame]) -> gpd.GeoDataFrame:
        f = pd.concat(parts, ignore_index=True)
        rows = f.to_dict("records")  # rows in the atlas order (geo.atlas.layers.SORT_KEYS), as make_atlas sorts them
        order = sorted(range(len(rows)), key=lambda i: tuple(_nulls_last(rows[i][k]) for k in SORT_KEYS[layer]))
        return gpd.GeoDataFrame(f.take(order).reset_index(drop=True), geometry="geometry", crs="EPSG:4326")

    return Atlas(**{layer: sorted_frame(layer, parts) for layer, parts in frames.items()})


def corrections_for(atlas: Atlas, n: int) -> list:
    """``n`` corrections of every kind, spread over the atlas (times set as the store would)."""
    places = atlas.places.to_dict("records")
    events = atlas.events.to_dict("records")
    out = []
    step_p = max(1, len(places) // max(1, n))
    step_e = max(1, len(events) // max(1, n))
    for i in range(n):
        p = places[(i * step_p) % len(places)]
        e = events[(i * step_e + 1) % len(events)]
        kind = i % 5
        if kind == 0:
            c = move_place(p["place_id"], p["geometry"].y + 0.05, p["geometry"].x + 0.05)
        elif kind == 1:
            alts = p.get("alternatives") or []
            cand = alts[0] if alts else {"name": f"{p['name']} (other)", "lat": p["geometry"].y + 0.1,
                                         "lon": p["geometry"].x + 0.1, "kind": "city"}
            c = choose_candidate(p["place_id"], cand)
        elif kind == 2:
            c = not_a_place(p["place_id"])
        elif kind == 3:
            src = (p.get("sources") or [None])[0]
            if src is None:
                c = move_place(p["place_id"], p["geometry"].y + 0.02, p["geometry"].x)
            else:
                c = move_place(MentionRef(src["article_id"], src["start"], src["end"]),
                               p["geometry"].y + 0.02, p["geometry"].x + 0.02)
        else:
            c = edit_event(e["event_id"], date_start="2024-01-02", people_min=10, people_max=20)
        out.append(c)
    return [type(c)(**{**c.to_dict(), "created_at": f"2026-01-01T00:00:{i:02d}+00:00"}) for i, c in enumerate(out)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--per-place", type=int, default=10)
    parser.add_argument("--corrections", type=int, nargs="+", default=[1, 20, 100])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    base = demo_atlas()
    per_copy = max(1, len(base.events) * args.per_place)
    copies = -(-args.events // per_copy)
    atlas = tile(base, copies, args.per_place)
    counts = ", ".join(f"{k} {v}" for k, v in atlas.counts().items())
    print(f"atlas: {counts} ({copies} copies of the demo atlas)")
    print(f"{'events':>8} {'corrections':>11} {'apply s':>8} {'CPU s':>6}  runs (wall)")
    for n in args.corrections:
        corrections = corrections_for(atlas, n)
        runs, cpu = [], []
        for _ in range(max(1, args.repeat)):
            t0, c0 = time.perf_counter(), time.process_time()
            apply_corrections(atlas, corrections)
            runs.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        print(f"{len(atlas.events):>8} {n:>11} {statistics.median(runs):>8.3f} {statistics.median(cpu):>6.3f}  "
              f"{', '.join(f'{r:.3f}' for r in runs)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
