"""The atlas of the seed articles: events, caravans, routes and crossings (issue 3)."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from pyproj import Geod
from shapely.geometry import Point

from geo.atlas.build import AtlasReport, build_atlas
from geo.sources.corpus import parse_article
from geo.export import validate_geojson, write_atlas
from geo.gazetteer.index import load_gazetteer

GEOD = Geod(ellps="WGS84")
A000, A001, A002 = "000_97c7dfc788958548", "001_ee0222d4101fa411", "002_5b1550301e27eabb"


@pytest.fixture(scope="module")
def atlas(seed_articles):
    return build_atlas(seed_articles)


def _km(line) -> float:
    return GEOD.geometry_length(line) / 1000


def test_layers_are_geodataframes_in_wgs84(atlas):
    for name in ("places", "events", "routes", "crossings"):
        frame = getattr(atlas, name)
        assert isinstance(frame, gpd.GeoDataFrame)
        assert frame.crs.to_epsg() == 4326
        assert "article_ids" in frame.columns
        assert len(frame) > 0, name


def test_one_departure_from_tapachula_reported_by_both_articles(atlas):
    ev = atlas.events
    dep = ev[(ev.event_type == "departure") & (ev.place_name == "Tapachula")]
    assert len(dep) == 1, dep[["event_id", "article_ids"]]
    row = dep.iloc[0]
    assert sorted(row.article_ids) == [A000, A001]
    assert (row.date_start, row.date_end, row.date_precision) == ("2023-12-24", "2023-12-24", "day")
    # one article says about 6,000, the other 7,000: a range, each figure with its source
    assert (row.people_min, row.people_max) == (6000, 7000)
    figures = {(p["article_id"], p["min"]) for p in row.people_sources}
    assert figures == {(A000, 6000), (A001, 7000)}
    assert row.status == "reported"
    assert row.geometry.distance(Point(-92.259, 14.905)) < 0.01


def test_caravans_are_told_apart(atlas):
    ev = atlas.events
    caravans = set(ev.caravan_id.dropna())
    dec_2023 = {c for c in caravans if c.startswith("caravan-2023-12-24")}
    assert dec_2023 == {"caravan-2023-12-24-tapachula"}
    assert any(c.startswith("caravan-2018-10") for c in caravans)
    # seeds 000 and 001 describe one caravan; seed 002 a different one
    tap = ev[ev.caravan_id == "caravan-2023-12-24-tapachula"]
    assert {a for ids in tap.article_ids for a in ids} == {A000, A001}
    old = ev[ev.caravan_id.fillna("").str.startswith("caravan-2018")]
    assert {a for ids in old.article_ids for a in ids} == {A002}


def test_a_clause_hanging_on_an_earlier_date_takes_that_date(atlas):
    # "the largest since June 2022, when a similarly sized group set off as President Biden
    # hosted leaders in Los Angeles": the meeting is in June 2022, not on the publication day
    ev = atlas.events
    la = ev[ev.place_name == "Los Angeles"]
    assert len(la) == 1 and la.iloc[0].date_start == "2022-06-01" and la.iloc[0].date_precision == "month"
    # the June 2022 departure names no place: it is not drawn at Tapachula
    tap = ev[ev.place_name == "Tapachula"]
    assert not tap.date_start.str.startswith("2022").any()


def test_the_2018_caravan_meets_police_at_the_mexico_guatemala_border(atlas):
    ev = atlas.events
    police = ev[(ev.event_type == "blocked") & (ev.place_name == "Mexico–Guatemala border")]
    assert len(police) == 1
    row = police.iloc[0]
    assert row.article_ids == [A002] and row.caravan_id.startswith("caravan-2018-10")
    # no date in the sentence, past tense: the week before publication (2018-10-22), said so
    assert (row.date_start, row.date_end, row.date_precision) == ("2018-10-15", "2018-10-22", "week")
    assert "police lined the entrance" in row.sentence
    assert "no date stated" in row.reason


def test_route_of_the_2018_caravan_from_honduras_through_guatemala(atlas):
    routes = atlas.routes[atlas.routes.caravan_id.str.startswith("caravan-2018")].sort_values("leg")
    first = routes.iloc[0]
    assert (first.from_place, first.to_place, first.status) == ("Honduras", "Mexico–Guatemala border at Ciudad Tecún Umán", "inferred")
    assert "country of origin" in first.reason
    countries = gpd.read_file("data/boundaries/ne_50m_admin_0_countries.geojson")
    guatemala = countries[countries.ISO_A2_EH == "GT"].geometry.iloc[0]
    assert first.geometry.intersects(guatemala)  # the leg runs through Guatemala


def test_route_of_the_december_caravan(atlas):
    gaz = load_gazetteer()
    routes = atlas.routes[atlas.routes.caravan_id == "caravan-2023-12-24-tapachula"].sort_values("leg")
    assert list(routes.status) == ["reported", "intended"]
    first, intended = routes.iloc[0], routes.iloc[1]
    # ~15 km from Tapachula along the coastal highway (Highway 200), heading north-west
    assert first.from_place == "Tapachula"
    assert first.date_start == "2023-12-24"
    assert 13 <= _km(first.geometry) <= 17
    start, end = first.geometry.coords[0], first.geometry.coords[-1]
    assert Point(start).distance(Point(-92.259, 14.905)) < 0.02
    assert end[0] < start[0]  # west along the corridor, towards Huixtla
    corridor = gaz.geometry("highway:MEX-200")
    assert corridor.distance(Point(end)) < 0.01
    # a separate leg to the stated destination, the US border: by road to the crossing nearest by road
    assert intended.to_place.startswith("US–Mexico border at ")
    assert gaz.geometry("border:US-MX").distance(Point(intended.geometry.coords[-1])) < 0.15
    assert intended.geometry.coords[0] == pytest.approx(end)
    assert (first.geometry_source, intended.geometry_source) == ("corridor", "corridor")
    assert intended.chains[0] == "mex200_chiapas"


def test_route_of_the_2018_caravan_is_intended_towards_the_us(atlas):
    routes = atlas.routes[atlas.routes.caravan_id.str.startswith("caravan-2018")]
    assert "intended" in set(routes.status)
    # "if the caravan manages to reach the US border": a destination, not a position
    assert [p.split(" at ")[0] for p in routes[routes.status == "intended"].to_place] == ["US–Mexico border"]
    assert not any(p.startswith("US–Mexico border") for p in routes[routes.status != "intended"].to_place)


def test_crossings_referenced_by_the_articles(atlas):
    cx = atlas.crossings.set_index("crossing_id")
    # "the main border crossing with Guatemala" is the Ciudad Hidalgo–Tecún Umán bridge, blocked in November
    bridge = cx.loc["mxgt_suchiate_rodolfo_robles"]
    assert bridge.latest_status == "blocked"
    blocked = [s for s in bridge.status_events if s["status"] == "blocked"]
    assert blocked and blocked[0]["date"].startswith("2023-11")
    # "cross-border rail traffic in Texas" names no port: no Texas port gets a status from it,
    # the statement stays a status event at Texas
    assert not [i for i in cx.index if i.startswith("port:")]
    texas = atlas.events[(atlas.events.event_type == "port_status") & (atlas.events.place_name == "Texas")]
    assert len(texas) == 1 and "rail traffic in Texas" in texas.iloc[0].sentence
    # "Mexico's southern border with Guatemala" is the border line itself
    line = cx.loc["border:MX-GT"]
    assert line.kind == "border_line" and line.geometry.geom_type == "LineString"
    assert sorted(line.countries) == ["GT", "MX"]


def test_dates_and_people_counts(atlas):
    ev = atlas.events
    blocked = ev[ev.event_type == "port_status"]
    assert ((blocked.people_min == 3000) & (blocked.date_start == "2023-11-01")).any()  # "over 3,000 migrants"
    # tallies are not events: "up to 10,000 daily migrant arrests", "apprehensions ... surpassed two million"
    assert not (ev.people_max == 10000).any()
    assert not (ev.date_precision == "fiscal_year").any()
    hypothetical = ev[ev.status == "hypothetical"]
    assert (hypothetical.place_name == "US–Mexico border").any()  # "if the caravan manages to reach the US border"


def test_every_event_is_traceable_to_its_sentence(atlas, seed_articles):
    texts = {a.id: a.text for a in seed_articles}
    for _, row in atlas.events.iterrows():
        assert row.sources
        for src in row.sources:
            text = texts[src["article_id"]]
            assert text[src["sentence_start"]:src["sentence_end"]] == src["sentence"]
            assert src["sentence_start"] <= src["start"] < src["end"] <= src["sentence_end"]
        assert 0 < row.confidence <= 1


def test_places_keep_evidence_and_alternatives(atlas):
    places = atlas.places.set_index("name")
    tap = places.loc["Tapachula"]
    assert tap.kind == "city" and tap.country_code == "MX"
    assert {s["article_id"] for s in tap.sources} == {A000, A001}
    assert "Honduras" in set(atlas.places.name)
    for person in ("Cristian Rivera", "Blinken", "López Obrador", "Rivera"):
        assert person not in set(atlas.places.name)


def test_article_without_published_date_is_built_and_relative_dates_stay_unresolved():
    text = ("Thousands of migrants set off from Tapachula on Sunday, heading for the US border. "
            "In October, another caravan left Tapachula. In June 2022 a similar group set off from Huixtla.")
    article = parse_article(text, path="undated.md", default_id="undated")
    report = AtlasReport()
    atlas = build_atlas([article], report=report)
    assert len(atlas.places) > 0
    unresolved = {expr for _, expr in report.unresolved_dates}
    assert {"Sunday", "October"} <= unresolved
    dated = atlas.events[atlas.events.date_start.notna()]
    assert set(dated.date_start) == {"2022-06-01"}  # only the absolute date resolves


def test_exported_files_are_valid_geojson_and_read_back(atlas, tmp_path):
    paths = write_atlas(atlas, tmp_path)
    for layer in ("places", "events", "routes", "crossings"):
        path = tmp_path / f"{layer}.geojson"
        assert validate_geojson(path) == []
        back = gpd.read_file(path)
        assert len(back) == len(getattr(atlas, layer))
        raw = json.loads(path.read_text(encoding="utf-8"))
        assert "crs" not in raw
    assert (tmp_path / "atlas.gpkg").exists() and (tmp_path / "events.csv").exists()
    assert {p.name for p in paths.values()} >= {"places.geojson", "events.geojson", "routes.geojson", "crossings.geojson"}


def test_building_twice_gives_byte_identical_files(seed_articles, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_atlas(build_atlas(seed_articles), a)
    write_atlas(build_atlas(list(reversed(seed_articles))), b)
    for name in ("places.geojson", "events.geojson", "routes.geojson", "crossings.geojson", "events.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_country_and_state_level_events_carry_their_place_kind(atlas, tmp_path):
    # (before: no place_kind column; an event at "United States" looked like one in a town)
    import json

    from geo.export import read_geojson_layer, to_geojson_str

    ev = atlas.events.set_index("place_name")
    assert ev.loc["United States", "place_kind"] == "country"
    assert ev.loc["Texas", "place_kind"] == "admin1"
    assert ev.loc["Tapachula", "place_kind"].tolist() == ["city", "city"]
    features = json.loads(to_geojson_str(atlas.events))["features"]
    kinds = {f["properties"]["place_name"]: f["properties"]["place_kind"] for f in features if f["geometry"]}
    assert kinds["United States"] == "country" and kinds["Texas"] == "admin1"
    path = tmp_path / "events.geojson"
    path.write_text(to_geojson_str(atlas.events), encoding="utf-8")
    back = read_geojson_layer(path, "events")
    assert set(back.place_kind.dropna()) == set(atlas.events.place_kind.dropna())
