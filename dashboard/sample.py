"""Atlases that need no pipeline: a labelled sample from the gazetteer, and synthetic ones.

- :func:`gazetteer_sample` — what the app shows when the real atlas cannot be built: the
  curated crossings and the Highway 200 corridor towns from ``data/gazetteer``, with an
  *illustrative* (not reported) route along the corridor. Clearly labelled as a sample.
- :func:`synthetic_atlas` — ``n`` random events (seeded) for tests and benchmarks, with
  optional hostile text injected into every string field.

Both return an :class:`AtlasFrames` with the atlas schema (see ``geo.atlas.build``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point

from geo.atlas.events import EVENT_TYPES as EVENT_TYPE_KEYS

__all__ = ["AtlasFrames", "gazetteer_sample", "synthetic_atlas", "EVENT_TYPE_KEYS"]

ROOT = Path(__file__).resolve().parents[1]
GAZETTEER = ROOT / "data" / "gazetteer"
CRS = "EPSG:4326"


@dataclass(frozen=True)
class AtlasFrames:
    """Four layers in EPSG:4326, as ``geo.atlas.build.Atlas`` has them."""

    events: gpd.GeoDataFrame
    routes: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    crossings: gpd.GeoDataFrame
    label: str = ""
    #: where each article came from (:data:`geo.atlas.layers.ARTICLE_FIELDS` dicts), for the downloads
    articles: tuple[dict, ...] = ()


def _frame(rows: list[dict], columns: list[str]) -> gpd.GeoDataFrame:
    if not rows:
        return gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs=CRS)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)


def _towns() -> pd.DataFrame:
    return pd.read_csv(GAZETTEER / "hwy200_corridor_towns.csv").sort_values("seq")


def _crossings(article_ids: list[str] | None = None) -> gpd.GeoDataFrame:
    rows: list[dict] = []
    south = pd.read_csv(GAZETTEER / "mx_south_crossings.csv")
    for rec in south.to_dict("records"):
        mode = str(rec.get("mode") or "")
        kind = "river" if "river" in mode else ("rail" if "rail" in mode else "bridge")
        rows.append(
            {
                "crossing_id": rec["crossing_id"],
                "name": rec["name"],
                "kind": kind,
                "countries": str(rec.get("country_pair") or "").split("-"),
                "has_rail": "rail" in mode,
                "status": "unknown",
                "article_ids": list(article_ids or []),
                "geometry": Point(float(rec["lon"]), float(rec["lat"])),
            }
        )
    ports = pd.read_csv(GAZETTEER / "us_mexico_ports.csv")
    for rec in ports.to_dict("records"):
        rows.append(
            {
                "crossing_id": f"port:{rec['port_code']}",
                "name": f"{rec['port_name']}, {rec['state_abbr']}",
                "kind": "port_of_entry",
                "countries": ["US", "MX"],
                "has_rail": bool(rec.get("has_rail")),
                "status": "unknown",
                "article_ids": list(article_ids or []),
                "geometry": Point(float(rec["lon"]), float(rec["lat"])),
            }
        )
    return _frame(rows, ["crossing_id", "name", "kind", "countries", "has_rail", "status", "article_ids", "geometry"])


def gazetteer_sample() -> AtlasFrames:
    """A small, clearly labelled sample built from the curated gazetteer files."""
    towns = _towns()
    places = [
        {
            "place_id": f"geonames:{int(t.geonameid)}",
            "name": t.geonames_name,
            "kind": "city",
            "geonameid": int(t.geonameid),
            "country_code": "MX",
            "confidence": 1.0,
            "article_ids": [],
            "geometry": Point(float(t.lon), float(t.lat)),
        }
        for t in towns.itertuples()
    ]
    core = towns[towns.core_stop.astype(bool)]
    coords = [(float(t.lon), float(t.lat)) for t in core.itertuples()]
    routes = [
        {
            "caravan_id": "sample",
            "leg": i + 1,
            "date_start": None,
            "date_end": None,
            "status": "intended",
            "article_ids": [],
            "geometry": LineString([coords[i], coords[i + 1]]),
        }
        for i in range(len(coords) - 1)
    ]
    events = [
        {
            "event_id": "sample-departure",
            "event_type": "departure",
            "date_start": None,
            "date_end": None,
            "date_precision": "unknown",
            "place_name": core.iloc[1].geonames_name,
            "caravan_id": "sample",
            "sentence": "Illustrative sample: caravans usually set off from "
            f"{core.iloc[1].geonames_name} along Highway 200.",
            "people_min": None,
            "people_max": None,
            "status": "hypothetical",
            "confidence": 0.0,
            "article_ids": [],
            "geometry": Point(coords[1]),
        }
    ]
    return AtlasFrames(
        events=_frame(events, []),
        routes=_frame(routes, []),
        places=_frame(places, []),
        crossings=_crossings(),
        label="SAMPLE (gazetteer only, not news): curated crossings and Highway 200 towns",
    )


def synthetic_atlas(
    n_events: int,
    *,
    seed: int = 0,
    n_caravans: int = 3,
    payload: str | None = None,
) -> AtlasFrames:
    """``n_events`` random events around the corridor; ``payload`` goes into every text field."""
    rng = random.Random(seed)
    towns = _towns()
    town_list = [(str(t.geonames_name), float(t.lon), float(t.lat), int(t.geonameid)) for t in towns.itertuples()]
    bad = payload or ""
    articles = _synthetic_articles(max(1, min(2000, n_events // 5)), bad)
    events = _synthetic_events(rng, n_events, town_list, articles, n_caravans, bad)  # the random draws in this order
    routes = _synthetic_routes(rng, n_caravans, town_list, articles, bad)
    places = [
        {
            "place_id": f"geonames:{gid}",
            "name": f"{name}{bad}",
            "kind": "city",
            "geonameid": gid,
            "country_code": "MX",
            "confidence": 0.9,
            "article_ids": [articles[0]["id"]],
            "geometry": Point(lon, lat),
        }
        for name, lon, lat, gid in town_list
    ]
    crossings = _crossings([articles[0]["id"]])
    if bad:
        crossings["name"] = crossings["name"] + bad
    statuses_x = ["open", "closed", "suspended", "restricted", "unknown"]
    crossings["status"] = [statuses_x[i % len(statuses_x)] for i in range(len(crossings))]
    return AtlasFrames(
        events=_frame(events, []),
        routes=_frame(routes, []),
        places=_frame(places, []),
        crossings=crossings,
        label=f"synthetic atlas ({n_events} events)",
    )


def _synthetic_articles(n_articles: int, bad: str) -> list[dict]:
    """Article metadata; every seventh URL is a ``javascript:`` link (the page must not follow it)."""
    return [
        {
            "id": f"a{i:05d}",
            "title": f"Caravan report {i}{bad}",
            "url": f"https://news.example.org/{i}?q={bad}" if i % 7 else f"javascript:alert({i})",
            "source": f"Example News{bad}",
            "date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
        }
        for i in range(n_articles)
    ]


def _synthetic_events(rng: random.Random, n_events: int, town_list: list[tuple[str, float, float, int]],
                      articles: list[dict], n_caravans: int, bad: str) -> list[dict]:
    """Events near random corridor towns, spread north along Mexico, citing the articles in turn."""
    n_articles = len(articles)
    events = []
    for i in range(n_events):
        name, lon, lat, _gid = rng.choice(town_list)
        lon += rng.gauss(0, 0.8)
        lat += rng.gauss(0, 0.6) + rng.random() * 8  # spread north along Mexico
        art = articles[i % n_articles]
        people = rng.choice([None, 50, 300, 1500, 6000])
        place = f"{name}{bad}"
        events.append(
            {
                "event_id": f"e{i:06d}",
                "event_type": EVENT_TYPE_KEYS[i % len(EVENT_TYPE_KEYS)],
                "date_start": art["date"],
                "date_end": art["date"] if i % 3 else None,
                "date_precision": rng.choice(["day", "month", "approximate"]),
                "place_name": place,
                "caravan_id": f"c{i % n_caravans}",
                "sentence": f"Hundreds of migrants left {place} on foot heading north {bad}.",
                "people_min": None if people is None else people // 2,
                "people_max": people,
                "status": rng.choice(["reported", "reported", "planned", "hypothetical"]),
                "confidence": round(rng.random(), 2),
                "alternatives": [f"{rng.choice(town_list)[0]}{bad}"],
                "article_ids": [art["id"]],
                "article_title": art["title"],
                "article_url": art["url"],
                "article_source": art["source"],
                "article_date": art["date"],
                "geometry": Point(round(lon, 5), round(lat, 5)),
            }
        )
    return events


def _synthetic_routes(rng: random.Random, n_caravans: int, town_list: list[tuple[str, float, float, int]],
                      articles: list[dict], bad: str) -> list[dict]:
    """Six-stop legs per caravan through random corridor towns, then on to the north."""
    n_articles = len(articles)
    routes = []
    statuses = ["reported", "inferred", "intended"]
    for c in range(n_caravans):
        stops = sorted(rng.sample(range(len(town_list)), k=min(6, len(town_list))))
        pts = [(town_list[s][1], town_list[s][2] + c * 0.15) for s in stops]
        pts.append((pts[-1][0] + 2.5 + c, pts[-1][1] + 6.0))  # on towards the north
        for leg in range(len(pts) - 1):
            routes.append(
                {
                    "caravan_id": f"c{c}{bad}",
                    "leg": leg + 1,
                    "date_start": "2024-01-01",
                    "date_end": "2024-01-05",
                    "status": statuses[min(leg // 2, 2)],
                    "article_ids": [articles[leg % n_articles]["id"]],
                    "geometry": LineString([pts[leg], pts[leg + 1]]),
                }
            )
    return routes
