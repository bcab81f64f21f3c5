"""Route legs on the ground: the corridor highway chains (data/roads) and legs drawn along them."""

from __future__ import annotations

import csv
import datetime as dt
import json
import statistics
from functools import lru_cache
from pathlib import Path

import pytest
from shapely.geometry import LineString, Point, shape
from shapely.ops import unary_union

from geo.atlas.build import analyse_articles
from geo.atlas.caravans import build_routes, group_caravans, merge_events
from geo.sources.corpus import Article
from geo.errors import AtlasError
from geo.gazetteer.index import load_gazetteer
from geo.atlas.roads import CROSSING_KM, ROADS_DIR, SNAP_KM, build_network, load_network

ROOT = Path(__file__).resolve().parents[1]
PUB = dt.date(2024, 3, 10)  # stories below are told after the fact
#: Natural Earth 50m coastlines are generalised: a coastal town can be a few km "at sea".
COAST_TOLERANCE_DEG = 0.05


@lru_cache(maxsize=1)
def land():
    with open(ROOT / "data" / "boundaries" / "ne_50m_admin_0_countries.geojson", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    return unary_union([shape(f["geometry"]).buffer(0) for f in features]).buffer(COAST_TOLERANCE_DEG)


def at_sea(line: LineString) -> list[tuple[float, float]]:
    """Points of ``line`` (every vertex and every ~1 km along it) that are off land."""
    n = max(2, int(line.length / 0.01))
    points = list(line.coords) + [line.interpolate(i / n, normalized=True).coords[0] for i in range(n + 1)]
    return [p for p in points if not land().contains(Point(p))]


def on_a_chain(xy: tuple[float, float], km: float = 1.0) -> bool:
    town = load_network().nearest(xy[1], xy[0], max_km=km)
    return town is not None


def legs_of(text: str, **kw):
    analyses = list(analyse_articles([Article(id="a", text=text, published=PUB)]))
    caravans = group_caravans(merge_events([m for a in analyses for m in a.events]))
    return build_routes(caravans, load_gazetteer(), **kw)


# ------------------------------------------------------------------ the chains


def test_every_chain_town_is_the_gazetteer_entry_it_names():
    gaz = load_gazetteer()
    for path in sorted(ROADS_DIR.glob("*.csv")):
        if path.name == "chains.csv":
            continue
        with open(path, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                entry = gaz.get(int(row["geonameid"])) if row["geonameid"] else gaz.feature(row["feature_id"])
                assert entry is not None, (path.name, row["name"])
                assert entry.name == row["name"], (path.name, row["name"])
                assert (float(row["lat"]), float(row["lon"])) == pytest.approx((entry.lat, entry.lon), abs=1e-4)


def test_chains_are_towns_a_few_tens_of_km_apart_and_all_connected():
    network = load_network()
    import networkx as nx

    assert nx.is_connected(network.graph)  # Darién to every US border crossing
    km = [d["km"] for _, _, d in network.graph.edges(data=True)]
    assert statistics.median(km) <= 40
    assert max(km) < 200  # the longest stretches cross the Sonoran and Coahuila deserts
    assert len(network) > 300


def test_no_road_stretch_runs_across_the_sea():
    network = load_network()
    wet = []
    for a, b, d in network.graph.edges(data=True):
        if d["mode"] != "road":
            continue  # Necoclí–Acandí and Bajo Chiquito–Lajas Blancas are by boat, and say so
        ta, tb = network.town(a), network.town(b)
        if at_sea(LineString([(ta.lon, ta.lat), (tb.lon, tb.lat)])):
            wet.append((ta.name, tb.name))
    assert wet == []


def test_a_bad_chain_file_is_one_clear_error(tmp_path):
    (tmp_path / "chains.csv").write_text("chain_id,title,file,highway\nx,X road,x.csv,\n", encoding="utf-8")
    (tmp_path / "x.csv").write_text("seq,name,geonameid,feature_id,lat,lon,mode\n0,A,1,,95,10,road\n", encoding="utf-8")
    with pytest.raises(AtlasError, match=r"x\.csv, line 2: bad town row: coordinates out of range"):
        build_network(tmp_path)


# ------------------------------------------------------------------ legs


def test_a_leg_tapachula_to_mexico_city_follows_the_corridor_on_land():
    [leg] = [g for g in legs_of("Thousands of migrants left Tapachula, Chiapas, on March 4. "
                                "On March 6 the caravan arrived in Mexico City.") if g.status != "intended"]
    assert (leg.from_name, leg.to_name, leg.geometry_source) == ("Tapachula", "Mexico City", "corridor")
    assert leg.chains == ("mex200_chiapas", "mex185_isthmus", "mex145_150_puebla")
    coords = list(leg.geometry.coords)
    assert len(coords) > 30
    assert at_sea(leg.geometry) == []
    assert all(on_a_chain(xy) for xy in coords)
    assert "Federal Highway 185" in leg.reason
    # before: a straight line, two vertices, cutting across the Sierra Madre
    assert leg.geometry.length > 1.2 * LineString([coords[0], coords[-1]]).length


def test_an_intended_leg_to_the_us_border_ends_at_a_crossing_by_road():
    gaz = load_gazetteer()
    legs = legs_of("Thousands of migrants left Tapachula, Chiapas, on March 4, heading for the United States.")
    [leg] = [g for g in legs if g.status == "intended"]
    end = Point(leg.geometry.coords[-1])
    border = gaz.geometry("border:US-MX")
    town = load_network().nearest(end.y, end.x, max_km=0.5)
    assert town is not None and town.crossing  # a crossing town, not a point of the line or a state centroid
    assert border.distance(end) < CROSSING_KM / 100
    assert leg.to_name == f"US–Mexico border at {town.name}"
    assert leg.geometry_source == "corridor" and leg.chains[0] == "mex200_chiapas"
    assert at_sea(leg.geometry) == []
    assert all(on_a_chain(xy) for xy in leg.geometry.coords)


def test_a_leg_between_two_points_no_chain_joins_is_straight_and_says_so():
    [leg] = [g for g in legs_of("Hundreds of migrants left Mérida, Yucatán, on March 4. "
                                "On March 6 the caravan arrived in Chetumal, Quintana Roo.") if g.status != "intended"]
    assert leg.geometry_source == "straight" and leg.chains == ()
    assert len(leg.geometry.coords) == 2
    assert "straight line" in leg.reason and "more than 30 km from every corridor highway town" in leg.reason


def test_a_reported_stop_at_a_border_is_where_a_road_crosses_it():
    legs = legs_of("Hundreds of Honduran migrants left San Pedro Sula on March 4. "
                   "On March 6 the caravan reached the Mexico–Guatemala border.")
    [leg] = [g for g in legs if g.status != "intended"]
    assert leg.to_name in ("Mexico–Guatemala border at Ciudad Tecún Umán", "Mexico–Guatemala border at Ciudad Hidalgo")
    assert leg.geometry_source == "corridor" and at_sea(leg.geometry) == []


def test_the_seed_legs_are_on_land_and_the_export_says_how_each_was_drawn(tmp_path):
    from geo.atlas.build import build_atlas
    from geo.sources.corpus import read_corpus
    from geo.export import validate_geojson, write_atlas

    atlas = build_atlas(list(read_corpus([ROOT / "data" / "articles"])))
    assert len(atlas.routes) >= 3
    for leg in atlas.routes.itertuples():
        assert at_sea(leg.geometry) == [], (leg.caravan_id, leg.leg)
    path = write_atlas(atlas, tmp_path)["routes.geojson"]
    assert validate_geojson(path) == []
    features = json.loads(path.read_text("utf-8"))["features"]
    assert {f["properties"]["geometry_source"] for f in features} == {"corridor", "straight"}
    for f in features:
        props, coords = f["properties"], f["geometry"]["coordinates"]
        if props["geometry_source"] == "corridor":
            assert props["chains"] and len(coords) > 2
            assert all(on_a_chain(xy, km=SNAP_KM) for xy in coords)
        else:  # the one straight leg: from Honduras (its country point), far from every highway
            assert props["chains"] == [] and len(coords) == 2 and "straight line" in props["reason"]


def test_the_evidence_panel_says_how_a_leg_was_drawn():
    from dashboard.evidence import evidence_html

    row = {"caravan_id": "c", "leg": 1, "from_place": "Mérida", "to_place": "Chetumal", "status": "inferred",
           "reason": "between two reported positions; straight line: no corridor highway joins them",
           "geometry_source": "straight", "route_id": "rt_x"}
    html = evidence_html("routes", row, {})
    assert "<th>Drawn</th><td>between two reported positions; straight line: no corridor highway joins them</td>" in html
