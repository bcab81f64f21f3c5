"""Atlas layers and exports: real files in tmp_path, read back and compared."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point, Polygon

from geo.sources.corpus import Article
from geo.export import (
    ExportError,
    atomic_write,
    read_geojson_layer,
    read_gpkg_layer,
    to_csv_str,
    to_geojson_str,
    validate_geojson,
    write_atlas,
    write_geojson,
    write_gpkg,
)
from geo.atlas.layers import (
    GEOMETRY_TYPES,
    LAYER_COLUMNS,
    LAYERS,
    Atlas,
    CrossingRecord,
    CrossingStatus,
    EventRecord,
    Evidence,
    LayerError,
    PlaceRecord,
    RouteLeg,
    make_atlas,
)
from geo.model import Candidate

ROOT = Path(__file__).resolve().parents[1]
GEOJSON_FILES = [f"{layer}.geojson" for layer in LAYERS]

# Text that has broken map renderers or CSV readers before (see SECURITY.md); exports keep it raw.
HOSTILE = (
    "Migrantes \"marchan\" {{ cycler.__init__.__globals__.os.popen('id').read() }} {% if %} "
    "<script>alert(1)</script> ${x} `tick` \\ back\\slash; =cmd|'/C calc'!A0, 👣 ñandú\u2028é\u0301 عربى"
)

A1_TEXT = (
    "The caravan left Tapachula on Sunday with 6,000 people. "
    + HOSTILE
    + "\nThey reached Ciudad Tecun Uman later."
)
A2_TEXT = "Rail traffic at El Paso was suspended. It resumed days later near the bridge."


def _ev(article_id: str, text: str, phrase: str, sentence: str) -> Evidence:
    ss = text.index(sentence)
    start = text.index(phrase, ss)
    return Evidence(article_id, start, start + len(phrase), sentence, ss, ss + len(sentence))


ARTICLES = [Article(id="a1", text=A1_TEXT), Article(id="a2", text=A2_TEXT)]
S1 = "The caravan left Tapachula on Sunday with 6,000 people."
E_TAPACHULA = _ev("a1", A1_TEXT, "Tapachula", S1)
E_HOSTILE = Evidence("a1", A1_TEXT.index(HOSTILE), A1_TEXT.index(HOSTILE) + 10, HOSTILE,
                     A1_TEXT.index(HOSTILE), A1_TEXT.index(HOSTILE) + len(HOSTILE))
E_TECUN = _ev("a1", A1_TEXT, "Ciudad Tecun Uman", "They reached Ciudad Tecun Uman later.")
E_ELPASO = _ev("a2", A2_TEXT, "El Paso", "Rail traffic at El Paso was suspended.")
E_BRIDGE = _ev("a2", A2_TEXT, "bridge", "It resumed days later near the bridge.")


def _records():
    places = [
        PlaceRecord("Tapachula", 14.90541, -92.25891, "city", 0.93, geonameid=3516266, country_code="MX",
                    admin1="MX.05", sources=(E_TAPACHULA,),
                    alternatives=(Candidate(3516267, "Tapachula", 15.0, -92.3, "city", "MX", population=10),)),
        # A second mention of the same GeoNames place: merged into one feature.
        PlaceRecord("Tapachula de Córdova y Ordóñez", 14.905, -92.259, "city", 0.7, geonameid=3516266,
                    country_code="MX", sources=(E_HOSTILE,)),
        PlaceRecord("Ciudad Tecún Umán", 14.67611, -92.14361, "city", 0.88, geonameid=3598129, country_code="GT",
                    sources=(E_TECUN,)),
        PlaceRecord("El Paso", 31.75872, -106.48693, "city", 0.95, geonameid=5520993, country_code="US",
                    sources=(E_ELPASO,)),
    ]
    events = [
        EventRecord("departure", "reported", 0.9, lat=14.90541, lon=-92.25891, place_name="Tapachula",
                    caravan_id="c-2023-12", date_start="2023-12-24", date_end="2023-12-24", date_precision="day",
                    people_min=6000, people_max=6000, sources=(E_TAPACHULA,)),
        EventRecord("march", "reported", 0.6, lat=14.67611, lon=-92.14361, place_name="Ciudad Tecún Umán",
                    caravan_id="c-2023-12", date_start="2023-12-01", date_end="2023-12-31", date_precision="month",
                    people_min=float("nan"), people_max=np.nan, sources=(E_HOSTILE,)),
        # No location: kept with a null geometry, never dropped.
        EventRecord("blockade", "hypothetical", 0.4, sources=(E_BRIDGE,)),
    ]
    routes = [
        RouteLeg("c-2023-12", 1, ((14.67611, -92.14361), (14.90541, -92.25891), (16.2, -93.9)), "reported",
                 date_start="2023-12-24", date_end="2023-12-26", from_place="Ciudad Tecún Umán", to_place="Arriaga",
                 sources=(E_TAPACHULA,)),
        RouteLeg("c-2023-12", 2, ((16.2, -93.9), (31.75872, -106.48693)), "intended", to_place="El Paso"),
    ]
    crossings = [
        CrossingRecord("El Paso – Ciudad Juárez border", "border", ((31.7587, -106.4869), (31.7489, -106.4504)),
                       countries=("us", "mx"), has_rail=True,
                       status_events=(CrossingStatus("suspended", "2023-12-18", "a2", "Rail traffic at El Paso was suspended."),
                                      CrossingStatus("resumed", "2023-12-23", "a2", "It resumed days later near the bridge.")),
                       sources=(E_ELPASO, E_BRIDGE)),
        CrossingRecord("Puente Dr. Rodolfo Robles", "bridge", ((14.67877, -92.14617),), countries=("GT", "MX"),
                       crossing_id="mxgt_suchiate_rodolfo_robles", has_rail=False),
    ]
    return places, events, routes, crossings


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return make_atlas(*_records(), articles=ARTICLES)


@pytest.fixture(scope="module")
def written(atlas, tmp_path_factory) -> dict[str, Path]:
    return write_atlas(atlas, tmp_path_factory.mktemp("build"))


# --------------------------------------------------------------------------- layers


def test_layers_have_schema_columns_crs_and_geometry_types(atlas):
    assert atlas.counts() == {"places": 3, "events": 3, "routes": 2, "crossings": 2}
    for layer, gdf in atlas.layers().items():
        assert list(gdf.columns) == [c.name for c in LAYER_COLUMNS[layer]] + ["geometry"]
        assert gdf.crs.to_epsg() == 4326
        types_ = set(gdf.geometry.dropna().geom_type)
        expected = {"Point", "LineString"} if GEOMETRY_TYPES[layer] == "Geometry" else {GEOMETRY_TYPES[layer]}
        assert types_ <= expected


def test_lat_lon_become_x_lon_y_lat(atlas):
    tap = atlas.places.set_index("name").loc["Tapachula"]
    assert (tap.geometry.x, tap.geometry.y) == (-92.25891, 14.90541)


def test_places_merged_with_union_of_evidence(atlas):
    tap = atlas.places[atlas.places.geonameid == 3516266]
    assert len(tap) == 1
    row = tap.iloc[0]
    assert row["name"] == "Tapachula"  # from the most confident mention
    assert row["mentions"] == 2 and row["confidence"] == 0.93
    assert [s["start"] for s in row["sources"]] == sorted(s["start"] for s in row["sources"])
    assert row["alternatives"][0]["geonameid"] == 3516267


def test_event_columns(atlas):
    ev = atlas.events.set_index("event_type")
    march = ev.loc["march"]
    assert march["people_min"] is pd.NA and march["people_max"] is pd.NA
    assert march["sentence"] == HOSTILE
    assert A1_TEXT[march["sentence_start"]:march["sentence_end"]] == HOSTILE
    assert ev.loc["departure", "people_min"] == 6000
    assert ev.loc["blockade"].geometry is None
    # Sorted by date_start (nulls last).
    assert atlas.events["date_start"].tolist() == ["2023-12-01", "2023-12-24", None]


def test_crossing_latest_status(atlas):
    border = atlas.crossings.set_index("kind").loc["border"]
    assert border["latest_status"] == "resumed" and border["latest_status_date"] == "2023-12-23"
    assert border["countries"] == ["MX", "US"]
    assert border["article_ids"] == ["a2"]


def test_ids_and_order_do_not_depend_on_input_order(atlas):
    records = _records()
    rng = random.Random(7)
    shuffled = [rng.sample(r, len(r)) for r in records]
    again = make_atlas(*shuffled, articles=ARTICLES)
    for layer in LAYERS:
        pd.testing.assert_frame_equal(pd.DataFrame(again.layers()[layer]), pd.DataFrame(atlas.layers()[layer]))


@pytest.mark.parametrize(
    "record, message",
    [
        (PlaceRecord("X", 95.0, 10.0, "city", 0.5), "out of range"),
        (PlaceRecord("X", 0.0, 0.0, "city", 0.5), "null island"),
        (PlaceRecord("X", float("nan"), 10.0, "city", 0.5), "not finite"),
        (PlaceRecord("X", 10.0, 10.0, "city", 1.5), "confidence"),
        (EventRecord("march", "rumoured", 0.5), "status must be one of"),
        (EventRecord("march", "reported", 0.5, date_start="24/12/2023"), "ISO date"),
        (EventRecord("march", "reported", 0.5, date_start="2023-12-24", date_end="2023-12-01"), "before"),
        (EventRecord("march", "reported", 0.5, people_min=-3), "people_min"),
        (EventRecord("march", "reported", 0.5, people_min=10, people_max=5), "below"),
        (RouteLeg("c", 1, ((14.9, -92.2),), "reported"), "at least 2"),
        (RouteLeg("c", 1, ((14.9, -92.2), (15.0, -93.0)), "walked"), "status must be one of"),
        (EventRecord("march", "reported", 0.5, sources=(Evidence("nope", 0, 3),)), "unknown article id"),
        (EventRecord("march", "reported", 0.5, sources=(Evidence("a2", 0, 3, "wrong", 0, 5),)), "does not match"),
    ],
)
def test_bad_records_are_refused_with_the_value(record, message):
    layers = {PlaceRecord: 0, EventRecord: 1, RouteLeg: 2, CrossingRecord: 3}
    args: list[list] = [[], [], [], []]
    args[layers[type(record)]].append(record)
    with pytest.raises(LayerError, match=message):
        make_atlas(*args, articles=ARTICLES)


def test_empty_sentence_is_filled_from_article():
    ev = Evidence("a2", 16, 23, "", 0, 38)
    atlas = make_atlas([], [EventRecord("march", "reported", 0.5, sources=(ev,))], [], [], articles=ARTICLES)
    assert atlas.events.iloc[0]["sentence"] == "Rail traffic at El Paso was suspended."


# --------------------------------------------------------------------------- files


def test_write_atlas_writes_every_file(written):
    assert list(written) == GEOJSON_FILES + ["events.csv", "atlas.gpkg"]
    for path in written.values():
        assert path.exists() and path.stat().st_size > 0
    assert not [p for p in written["atlas.gpkg"].parent.iterdir() if p.name.startswith(".")]  # no temp files


@pytest.mark.parametrize("name", GEOJSON_FILES)
def test_geojson_valid_schema_and_rfc7946(written, name):
    path = written[name]
    assert validate_geojson(path) == []
    text = path.read_text("utf-8")
    obj = json.loads(text)
    assert "crs" not in obj and text.endswith("]}\n")
    for token in ("NaN", "Infinity", "undefined"):
        assert token not in text


@pytest.mark.parametrize("layer", LAYERS)
def test_geojson_read_back_with_geopandas(atlas, written, layer):
    original = atlas.layers()[layer]
    back = gpd.read_file(written[f"{layer}.geojson"])
    assert back.crs.to_epsg() == 4326
    id_col = next(c.name for c in LAYER_COLUMNS[layer])
    assert back[id_col].tolist() == original[id_col].tolist()
    for a, b in zip(original.geometry, back.geometry):
        if a is None:
            assert b is None or b.is_empty
        else:
            assert a.geom_type == b.geom_type
            assert np.allclose(np.asarray(a.coords), np.asarray(b.coords), atol=1e-6)
    for col in (c.name for c in LAYER_COLUMNS[layer] if c.kind == "date"):
        assert [None if pd.isna(v) else str(v)[:10] for v in back[col]] == original[col].tolist()


@pytest.mark.parametrize("layer", LAYERS)
def test_geojson_read_back_with_our_reader_restores_values(atlas, written, layer):
    original = atlas.layers()[layer]
    back = read_geojson_layer(written[f"{layer}.geojson"])
    _assert_same_layer(original, back)


@pytest.mark.parametrize("layer", LAYERS)
def test_gpkg_has_every_layer_and_reads_back(atlas, written, layer):
    path = written["atlas.gpkg"]
    listed = dict(pyogrio.list_layers(path))
    assert list(listed) == list(LAYERS) + (["articles"] if atlas.articles else [])  # + the provenance table
    assert listed[layer] == {"Geometry": "Unknown"}.get(GEOMETRY_TYPES[layer], GEOMETRY_TYPES[layer])
    info = pyogrio.read_info(path, layer=layer)
    assert info["crs"] == "EPSG:4326" and info["features"] == len(atlas.layers()[layer])
    plain = gpd.read_file(path, layer=layer)
    assert len(plain) == len(atlas.layers()[layer])
    if "article_ids" in plain and len(plain):
        assert json.loads(plain["article_ids"].iloc[0]) == atlas.layers()[layer]["article_ids"].iloc[0]
    _assert_same_layer(atlas.layers()[layer], read_gpkg_layer(path, layer))


def _assert_same_layer(original: gpd.GeoDataFrame, back: gpd.GeoDataFrame) -> None:
    assert list(back.columns) == list(original.columns)
    pd.testing.assert_frame_equal(
        pd.DataFrame(back.drop(columns="geometry")), pd.DataFrame(original.drop(columns="geometry")),
    )
    for a, b in zip(original.geometry, back.geometry):
        assert (a is None) == (b is None)
        if a is not None:
            assert a.geom_type == b.geom_type
            assert np.allclose(np.asarray(a.coords), np.asarray(b.coords), atol=1e-6)


def test_hostile_text_survives_every_format_unchanged(atlas, written):
    for reader in (lambda: read_geojson_layer(written["events.geojson"]),
                   lambda: read_gpkg_layer(written["atlas.gpkg"], "events")):
        assert HOSTILE in reader()["sentence"].tolist()
    csv_back = pd.read_csv(written["events.csv"], dtype=str, keep_default_na=False)
    assert HOSTILE in csv_back["sentence"].tolist()
    assert json.loads(csv_back["article_ids"].iloc[0]) == ["a1"]
    march = csv_back.set_index("event_type").loc["march"]
    assert march["people_min"] == "" and march["lat"] == "14.67611" and march["lon"] == "-92.14361"


def test_files_are_byte_identical_when_written_twice(atlas, written, tmp_path):
    again = write_atlas(make_atlas(*_records(), articles=ARTICLES), tmp_path / "again")
    for name in GEOJSON_FILES + ["events.csv"]:
        assert again[name].read_bytes() == written[name].read_bytes(), name
    # Holds with GDAL 3.12 (fixed gpkg_contents.last_change); documented in docs/atlas.md.
    assert again["atlas.gpkg"].read_bytes() == written["atlas.gpkg"].read_bytes()
    # Overwriting in place gives the same bytes too.
    third = write_atlas(atlas, tmp_path / "again")
    assert third["events.geojson"].read_bytes() == written["events.geojson"].read_bytes()


def test_empty_atlas_writes_valid_files(tmp_path):
    files = write_atlas(Atlas.empty(), tmp_path)
    for name in GEOJSON_FILES:
        assert validate_geojson(files[name]) == []
        assert json.loads(files[name].read_text()) == {"type": "FeatureCollection", "features": []}
        back = read_geojson_layer(files[name])
        assert len(back) == 0 and list(back.columns) == [c.name for c in LAYER_COLUMNS[Path(name).stem]] + ["geometry"]
    assert files["events.csv"].read_text().splitlines()[0].startswith("event_id,event_type,status,")
    listed = dict(pyogrio.list_layers(files["atlas.gpkg"]))
    assert listed == {"places": "Point", "events": "Point", "routes": "LineString", "crossings": "Unknown"}
    for layer in LAYERS:
        assert len(read_gpkg_layer(files["atlas.gpkg"], layer)) == 0
        assert pyogrio.read_info(files["atlas.gpkg"], layer=layer)["fields"].tolist() == [
            c.name for c in LAYER_COLUMNS[layer]
        ]


# --------------------------------------------------------------------------- generic GeoJSON writer


def _signed_area(ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:])) / 2


def test_clockwise_polygon_is_written_counter_clockwise(tmp_path):
    cw_shell = [(-92.3, 14.9), (-92.3, 15.0), (-92.2, 15.0), (-92.2, 14.9), (-92.3, 14.9)]  # clockwise
    ccw_hole = [(-92.28, 14.92), (-92.22, 14.92), (-92.22, 14.98), (-92.28, 14.98), (-92.28, 14.92)]
    assert _signed_area(cw_shell) < 0 < _signed_area(ccw_hole)
    gdf = gpd.GeoDataFrame({"name": ["zone"]}, geometry=[Polygon(cw_shell, [ccw_hole])], crs="EPSG:4326")
    path = write_geojson(gdf, tmp_path / "zone.geojson")
    rings = json.loads(path.read_text())["features"][0]["geometry"]["coordinates"]
    assert _signed_area(rings[0]) > 0 and _signed_area(rings[1]) < 0
    assert validate_geojson(path) == []


def test_writer_handles_nan_na_timestamps_numpy_and_reprojects():
    gdf = gpd.GeoDataFrame(
        {
            "f": [float("nan"), np.float32(1.5)],
            "i": pd.array([pd.NA, 3], dtype="Int64"),
            "b": pd.array([pd.NA, True], dtype="boolean"),
            "t": [pd.NaT, pd.Timestamp("2023-12-24")],
            "d": [None, pd.Timestamp("2023-12-24 13:05")],
            "inf": [float("inf"), -float("inf")],
            "lst": [np.array(["a", "b"]), []],
        },
        geometry=[Point(-92.25891234567, 14.905411111), Point(-106.4869, 31.7587)],
        crs="EPSG:4326",
    ).to_crs(3857)
    text = to_geojson_str(gdf)
    assert "NaN" not in text and "Infinity" not in text
    props = [f["properties"] for f in json.loads(text)["features"]]
    assert props[0] == {"f": None, "i": None, "b": None, "t": None, "d": None, "inf": None, "lst": ["a", "b"]}
    assert props[1] == {"f": 1.5, "i": 3, "b": True, "t": "2023-12-24", "d": "2023-12-24T13:05:00",
                        "inf": None, "lst": []}
    coords = json.loads(text)["features"][0]["geometry"]["coordinates"]
    assert coords == [pytest.approx(-92.258912, abs=1e-6), pytest.approx(14.905411, abs=1e-6)]
    assert all(len(repr(v).split(".")[1]) <= 6 for v in coords)
    assert validate_geojson(text.encode()) == []
    assert "nan" not in to_csv_str(gdf).lower().replace("nandú", "")


def test_writer_refuses_frames_without_crs_and_odd_values():
    with pytest.raises(ExportError, match="no CRS"):
        to_geojson_str(gpd.GeoDataFrame({"a": [1]}, geometry=[Point(1, 2)]))
    with pytest.raises(ExportError, match="set"):
        to_geojson_str(gpd.GeoDataFrame({"a": [{1, 2}]}, geometry=[Point(1, 2)], crs=4326))
    with pytest.raises(ExportError, match="null island"):
        to_geojson_str(gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0)], crs=4326))


# --------------------------------------------------------------------------- atomic writes


def test_atomic_writer_keeps_old_file_when_writer_raises(tmp_path):
    target = tmp_path / "events.geojson"
    target.write_text("old content\n")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as fh:
            fh.write("half of the new ")
            raise RuntimeError("killed mid-way")
    assert target.read_text() == "old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["events.geojson"]


def test_write_geojson_failure_keeps_previous_file(tmp_path, atlas):
    target = write_geojson(atlas.events, tmp_path / "events.geojson")
    before = target.read_bytes()
    bad = atlas.events.copy()
    bad["sentence"] = [object()] * len(bad)
    with pytest.raises(ExportError, match="sentence"):
        write_geojson(bad, target)
    assert target.read_bytes() == before


def test_gpkg_failure_mid_way_keeps_previous_file(tmp_path, atlas, monkeypatch):
    target = write_gpkg(atlas, tmp_path / "atlas.gpkg")
    before = target.read_bytes()
    real = pyogrio.write_dataframe
    calls = []

    def flaky(df, path, **kw):
        calls.append(kw["layer"])
        if len(calls) == 3:
            raise OSError("disk full")
        return real(df, path, **kw)

    monkeypatch.setattr(pyogrio, "write_dataframe", flaky)
    with pytest.raises(ExportError, match="disk full"):
        write_gpkg(atlas, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["atlas.gpkg"]


# --------------------------------------------------------------------------- validator


def _fc(geometry, **extra):
    return {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": geometry}], **extra}


@pytest.mark.parametrize(
    "doc, expected",
    [
        (b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":NaN},"geometry":null}]}',
         "not strict JSON"),
        (_fc({"type": "Point", "coordinates": [14.9, -92.3]}), "latitude -92.3"),
        (_fc({"type": "Point", "coordinates": [190.0, 10.0]}), "longitude 190.0"),
        (_fc({"type": "Point", "coordinates": [0, 0]}), "null island"),
        (_fc({"type": "Point", "coordinates": [-92.0, 14.0]}, crs={"type": "name"}), "'crs' member"),
        (b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
         b'"geometry":{"type":"Point","coordinates":[-92.123456789,14.5]}}]}', "9 decimals"),
        (_fc({"type": "Polygon", "coordinates": [[[0.5, 1], [0.5, 2], [1.5, 2], [1.5, 1], [0.5, 1]]]}), "clockwise"),
        (_fc({"type": "LineString", "coordinates": [[179.5, 10], [-179.5, 10]]}), "antimeridian"),
        (_fc({"type": "Point"}), "schema"),
        ({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None}]}, "'properties' is a required"),
    ],
)
def test_validator_finds_problems(doc, expected):
    problems = validate_geojson(doc)
    assert any(expected in p for p in problems), problems


# --------------------------------------------------------------------------- CLI and docs


def _article_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for a in ARTICLES:
        (folder / f"{a.id}.md").write_text(f"---\nid: {a.id}\n---\n{a.text}", encoding="utf-8")
    (folder / "broken.md").write_bytes(b"not \x00 text")
    return folder


@pytest.fixture
def fake_pipeline(monkeypatch):
    """Stand in for the extraction (geo.engine.analyse and geo.atlas.build.assemble_atlas are tested on their own)."""
    import geo.atlas.build
    import geo.engine

    seen = {}

    def analyse(articles, **kwargs):
        return iter(list(articles))

    def assemble_atlas(analyses, report=None):
        articles = list(analyses)
        seen["ids"] = [a.id for a in articles]
        if report is not None:
            report.articles += len(articles)
        return make_atlas(*_records(), articles=articles)

    monkeypatch.setattr(geo.engine, "analyse", analyse)
    monkeypatch.setattr(geo.atlas.build, "assemble_atlas", assemble_atlas)
    return seen


def test_cli_build_writes_files_and_summary(tmp_path, fake_pipeline, capsys):
    from geo.cli import main

    out = tmp_path / "build"
    assert main(["build", str(_article_dir(tmp_path)), "--out", str(out), "--check"]) == 0
    assert sorted(fake_pipeline["ids"]) == ["a1", "a2"]  # the broken file was skipped
    captured = capsys.readouterr()
    assert "layer" in captured.out and "features" in captured.out and "atlas.gpkg" in captured.out
    assert "events.geojson" in captured.out
    assert "skipped 1 unreadable file" in captured.err
    assert sorted(p.name for p in out.iterdir()) == sorted(GEOJSON_FILES + ["events.csv", "atlas.gpkg"])


def test_cli_build_without_usable_articles_exits_2(tmp_path, fake_pipeline, capsys):
    from geo.cli import main

    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "x.md").write_bytes(b"\x00\x01")
    assert main(["build", str(folder), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("error:") == 1 and "no usable articles" in err


def test_docs_describe_every_column():
    doc = (ROOT / "docs" / "atlas.md").read_text("utf-8")
    for layer, columns in LAYER_COLUMNS.items():
        assert f"`{layer}`" in doc
        for col in columns:
            assert f"`{col.name}`" in doc, (layer, col.name)


def test_schema_copy_is_the_shared_one():
    shared = Path("/work/shared/schemas/GeoJSON.schema.json")
    if not shared.exists():
        pytest.skip("shared schema not mounted")
    assert (ROOT / "data" / "schemas" / "GeoJSON.schema.json").read_bytes() == shared.read_bytes()


def test_float_columns_stay_finite(atlas):
    for gdf in atlas.layers().values():
        for col in gdf.select_dtypes("float").columns:
            assert all(math.isfinite(v) for v in gdf[col].dropna())


def test_places_merged_as_they_come_give_the_same_layer() -> None:
    """assemble_atlas merges place mentions as they come (PlaceMerger) instead of holding
    every mention with its alternatives: the places layer is the same as from the list."""
    from geo.atlas.layers import PlaceMerger

    places, events, routes, crossings = _records()
    many = places * 50  # the same mentions again and again, as in a large corpus
    texts = {a.id: a.text for a in ARTICLES}
    merger = PlaceMerger(texts)
    for record in reversed(many):  # any order
        merger.add(record)
    assert len(merger) == 3  # one entry per place, not per mention
    expected = make_atlas(many, events, routes, crossings, articles=ARTICLES)
    got = make_atlas(merger, events, routes, crossings, articles=ARTICLES)
    assert got.places.to_json() == expected.places.to_json()
    tapachula = got.places[got.places["geonameid"] == 3516266].iloc[0]
    assert tapachula["name"] == "Tapachula" and tapachula["mentions"] == 2


def test_place_merger_checks_evidence_against_the_texts() -> None:
    from geo.atlas.layers import PlaceMerger

    merger = PlaceMerger({"a1": A1_TEXT})
    with pytest.raises(LayerError, match="unknown article id 'a2'"):
        merger.add(PlaceRecord("El Paso", 31.75872, -106.48693, "city", 0.95, sources=(E_ELPASO,)))


def test_large_layers_are_written_without_holding_their_text(tmp_path: Path) -> None:
    """write_geojson / write_csv stream feature by feature: peak memory while writing stays
    under the file size (building the whole text first took 2-4 times its size)."""
    import tracemalloc

    from geo.export import to_csv_str, to_geojson_str, write_csv, write_geojson

    atlas = make_atlas(*_records(), articles=ARTICLES)
    big = pd.concat([atlas.events] * 3000, ignore_index=True)
    big["event_id"] = [f"ev_{i}" for i in range(len(big))]
    big = gpd.GeoDataFrame(big, geometry="geometry", crs="EPSG:4326")
    for write, text in ((write_geojson, to_geojson_str), (write_csv, to_csv_str)):
        path = tmp_path / f"big.{write.__name__}"
        tracemalloc.start()
        try:
            write(big, path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        size = path.stat().st_size
        assert size > 2_000_000
        assert peak < size, (write.__name__, peak, size)  # before: twice the size or more
        assert path.read_bytes() == text(big).encode("utf-8")  # the same bytes as before
