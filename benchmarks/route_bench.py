"""Routing cost: what drawing legs along the corridor highways adds to a build.

    .venv/bin/python benchmarks/route_bench.py            # demo corpus + 10,000 random legs
    .venv/bin/python benchmarks/route_bench.py --legs 0   # demo only

Prints: the time to read the chains into the networkx graph (once per process), the time of
``build_routes`` on the demo corpus's caravans with the graph cold and warm, and the time per
leg of ``RoadNetwork.route`` over random pairs of points near the corridor (distinct pairs, so
the path cache does not help). The demo's articles are analysed once first (spaCy), untimed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--legs", type=int, default=10_000, help="random legs to route (0: none)")
    args = parser.parse_args()

    from geo.atlas.build import analyse_articles
    from geo.atlas.caravans import build_routes, group_caravans, merge_events
    from geo.sources.corpus import read_corpus
    from geo.gazetteer.index import load_gazetteer
    from geo.atlas.roads import _cached, build_network, load_network

    gaz = load_gazetteer()
    articles = list(read_corpus([ROOT / "data" / "articles"]))
    analyses = list(analyse_articles(articles))
    homelands = {a.article.id: a.homelands for a in analyses}
    caravans = group_caravans(merge_events([m for a in analyses for m in a.events]), homelands=homelands)
    corridors = {a.article.id: t for a in analyses for t in a.toponyms[::-1] if t.kind == "highway" and t.feature_id}

    t = time.perf_counter()
    network = build_network()
    print(f"chains -> graph: {len(network)} towns, {network.graph.number_of_edges()} edges, "
          f"{(time.perf_counter() - t) * 1000:.1f} ms")

    _cached.cache_clear()
    t = time.perf_counter()
    legs = build_routes(caravans, gaz, corridors)
    cold = time.perf_counter() - t
    t = time.perf_counter()
    build_routes(caravans, gaz, corridors)
    warm = time.perf_counter() - t
    routed = sum(leg.geometry_source == "corridor" for leg in legs)
    print(f"demo build_routes: {len(legs)} legs ({routed} along the corridor), "
          f"{cold * 1000:.1f} ms with the graph cold, {warm * 1000:.1f} ms warm")

    if args.legs:
        rng = random.Random(0)
        towns = load_network().towns()
        pairs = []
        for _ in range(args.legs):
            a, b = rng.sample(towns, 2)
            pairs.append(((a.lat + rng.uniform(-0.1, 0.1), a.lon + rng.uniform(-0.1, 0.1)),
                          (b.lat + rng.uniform(-0.1, 0.1), b.lon + rng.uniform(-0.1, 0.1))))
        net = build_network()  # a fresh path cache
        t = time.perf_counter()
        found = sum(net.route(a, b) is not None for a, b in pairs)
        spent = time.perf_counter() - t
        print(f"{args.legs:,} random legs: {found:,} routed, {spent:.2f} s, {spent / args.legs * 1000:.2f} ms per leg")


if __name__ == "__main__":
    main()
