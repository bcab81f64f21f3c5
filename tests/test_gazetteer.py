"""The offline gazetteer on the real data (GeoNames cities500, Natural Earth, curated CSVs)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from geo.gazetteer import index as gz
from geo.gazetteer.index import Gazetteer, load_gazetteer, normalize_name
from geo.model import MENTION_KINDS, Candidate

ROOT = Path(__file__).resolve().parents[1]
FEATURES = ROOT / "data" / "gazetteer" / "features.geojson"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("U.S.", "us"),
        ("US", "us"),
        ("  Tecún   Umán ", "tecun uman"),
        ("TAPACHULA", "tapachula"),
        ("U.S.–Mexico border", "us mexico border"),
        ("U.S.-Mexico border", "us mexico border"),
        ("Winston-Salem", "winston salem"),
        ("St. Louis", "saint louis"),
        ("Saint Louis", "saint louis"),
        ("Ft. Worth", "fort worth"),
        ("Mexico\u2019s southern border", "mexico's southern border"),
        ("Río Bravo", "rio bravo"),
        ("Michoacán", "michoacan"),
        ("Straße", "strasse"),
        ("(Chiapas)", "chiapas"),
        ("", ""),
        ("...", ""),
    ],
)
def test_normalize_name(raw: str, key: str) -> None:
    assert normalize_name(raw) == key


def test_normalize_name_is_idempotent() -> None:
    for s in ("Ciudad Hidalgo", "U.S.", "St. Louis", "Tecún Umán", "Mexico’s"):
        assert normalize_name(normalize_name(s)) == normalize_name(s)


# --------------------------------------------------------------------------- lookups


def _admin1s(cands: list[Candidate]) -> set[str | None]:
    return {c.admin1 for c in cands}


def test_tapachula(gaz: Gazetteer) -> None:
    (c,) = gaz.lookup("Tapachula")
    assert (c.geonameid, c.kind, c.country_code, c.admin1) == (3516266, "city", "MX", "MX.05")
    assert c.population > 300_000
    assert math.isclose(c.lat, 14.90541) and math.isclose(c.lon, -92.25891)


def test_ciudad_hidalgo_has_two_candidates(gaz: Gazetteer) -> None:
    cands = [c for c in gaz.lookup("Ciudad Hidalgo") if c.kind == "city"]
    assert _admin1s(cands) == {"MX.05", "MX.16"}
    assert {c.geonameid for c in cands} == {3530595, 4013712}
    assert [c.population for c in cands] == sorted((c.population for c in cands), reverse=True)


def test_escuintla_chiapas_and_guatemala(gaz: Gazetteer) -> None:
    cands = gaz.lookup("Escuintla")
    cities = {(c.country_code, c.admin1) for c in cands if c.kind == "city"}
    assert ("MX", "MX.05") in cities
    assert ("GT", "GT.06") in cities


def test_san_ysidro_california_and_new_mexico(gaz: Gazetteer) -> None:
    cands = gaz.lookup("San Ysidro")
    assert {"US.CA", "US.NM"} <= _admin1s(cands)
    ca = next(c for c in cands if c.admin1 == "US.CA")
    assert ca.kind == "crossing" and ca.feature_id == "port:2504"


def test_paris_france_and_texas(gaz: Gazetteer) -> None:
    cands = gaz.lookup("Paris")
    assert cands[0].country_code == "FR"
    assert any(c.admin1 == "US.TX" for c in cands)


def test_piedras_negras_coahuila(gaz: Gazetteer) -> None:
    cands = gaz.lookup("Piedras Negras")
    assert cands[0].admin1 == "MX.07"
    assert cands[0].population > 100_000


@pytest.mark.parametrize("name", ["U.S.", "US", "USA", "United States", "the States", "America"])
def test_united_states_aliases(gaz: Gazetteer, name: str) -> None:
    first = gaz.lookup(name)[0]
    assert (first.kind, first.country_code) == ("country", "US")


def test_chiapas_is_admin1(gaz: Gazetteer) -> None:
    first = gaz.lookup("Chiapas")[0]
    assert (first.kind, first.admin1, first.country_code, first.geonameid) == ("admin1", "MX.05", "MX", 3531011)


def test_guatemala_country_first(gaz: Gazetteer) -> None:
    cands = gaz.lookup("Guatemala")
    assert (cands[0].kind, cands[0].country_code) == ("country", "GT")
    assert {c.kind for c in cands} >= {"country", "admin1", "city"}


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("TX", "admin1", "US.TX"),
        ("Calif.", "admin1", "US.CA"),
        ("Ariz.", "admin1", "US.AZ"),
        ("N.M.", "admin1", "US.NM"),
        ("CDMX", "admin1", "MX.09"),
        ("Oaxaca", "admin1", "MX.20"),
    ],
)
def test_admin1_aliases(gaz: Gazetteer, name: str, kind: str, expected: str) -> None:
    assert any(c.kind == kind and c.admin1 == expected for c in gaz.lookup(name))


@pytest.mark.parametrize(
    ("name", "feature_id"),
    [
        ("Central America", "region:central-america"),
        ("Northern Triangle", "region:northern-triangle"),
        ("Latin America", "region:latin-america"),
        ("the Caribbean", "region:caribbean"),
        ("South America", "region:south-america"),
        ("Europe", "region:europe"),
    ],
)
def test_regions(gaz: Gazetteer, name: str, feature_id: str) -> None:
    first = gaz.lookup(name)[0]
    assert first.kind == "region" and first.feature_id == feature_id


def test_lookup_sorted_by_population(gaz: Gazetteer) -> None:
    for name in ("San José", "Santa Cruz", "Paris", "Hidalgo", "Victoria"):
        pops = [c.population for c in gaz.lookup(name)]
        assert pops == sorted(pops, reverse=True), name


def test_lookup_is_case_and_accent_insensitive(gaz: Gazetteer) -> None:
    assert gaz.lookup("ciudad tecun uman") == gaz.lookup("Ciudad Tecún Umán") != []
    assert gaz.lookup("Tecún Umán")[0].geonameid == 3598129  # place_aliases.csv
    assert gaz.lookup("MICHOACAN")[0].admin1 == "MX.16"


def test_airport_codes_are_not_names(gaz: Gazetteer) -> None:
    assert not any(c.name == "Tapachula" for c in gaz.lookup("TAP"))


def test_unknown_names(gaz: Gazetteer) -> None:
    assert gaz.lookup("Xyzzyville Qwerty") == []
    assert not gaz.contains("Xyzzyville Qwerty")
    assert gaz.lookup("") == [] and not gaz.contains("  ")


def test_contains(gaz: Gazetteer) -> None:
    assert gaz.contains("Tapachula") and gaz.contains("tapachula") and gaz.contains("U.S.")
    assert gaz.contains("the Rio Grande") and gaz.contains("Rio Grande")
    assert gaz.contains_key("tapachula")


def test_lookup_returns_fresh_lists(gaz: Gazetteer) -> None:
    a = gaz.lookup("Tapachula")
    a.clear()
    assert gaz.lookup("Tapachula")


def test_get_country_admin1(gaz: Gazetteer) -> None:
    assert gaz.get(3516266).name == "Tapachula"
    assert gaz.get(-5) is None and gaz.get(999_999_999) is None
    us = gaz.country("US")
    assert us is not None and us.kind == "country" and 30 < us.lat < 45 and -110 < us.lon < -85
    fr = gaz.country("fr")  # ISO_A2 is -99 for France in Natural Earth: joined on ISO_A2_EH
    assert fr is not None and 42 < fr.lat < 51
    assert gaz.country("ZZ") is None
    chiapas = gaz.admin1("MX.05")
    assert chiapas is not None and chiapas.name == "Chiapas" and chiapas.kind == "admin1"
    assert gaz.admin1("MX.16").name == "Michoacán"
    assert gaz.admin1("XX.99") is None


def test_every_kind_is_a_mention_kind(gaz: Gazetteer) -> None:
    assert set(gz.KINDS) <= set(MENTION_KINDS)
    assert {c.kind for c in gaz.features()} <= set(MENTION_KINDS)


# --------------------------------------------------------------------------- curated features


def test_ports_and_rail(gaz: Gazetteer) -> None:
    ports = [c for c in gaz.features("crossing") if c.feature_id and c.feature_id.startswith("port:")]
    assert len(ports) == 28
    eagle = gaz.feature("port:2303")
    el_paso = gaz.feature("port:2402")
    san_ysidro = gaz.feature("port:2504")
    assert eagle.name == "Eagle Pass" and el_paso.name == "El Paso"
    assert gaz.properties("port:2303")["has_rail"] is True
    assert gaz.properties("port:2402")["has_rail"] is True
    assert gaz.properties("port:2504")["has_rail"] is False
    assert eagle.admin1 == "US.TX" and san_ysidro.admin1 == "US.CA" and eagle.source == "curated:us_mexico_ports.csv"
    assert gaz.properties("nope") == {}


def test_southern_crossings(gaz: Gazetteer) -> None:
    south = [c for c in gaz.features("crossing") if c.feature_id and c.feature_id.startswith(("mxgt_", "mxbz_"))]
    assert len(south) == 12
    assert gaz.lookup("Puente Rodolfo Robles")[0].feature_id == "mxgt_suchiate_rodolfo_robles"
    assert gaz.lookup("Talisman bridge")[0].feature_id == "mxgt_talisman"
    assert gaz.lookup("Talismán bridge")[0].feature_id == "mxgt_talisman"
    assert any(c.feature_id == "port:2303" for c in gaz.lookup("Eagle Pass"))
    assert gaz.lookup("San Ysidro port of entry")[0].feature_id == "port:2504"


@pytest.mark.parametrize(
    ("name", "feature_id", "kind"),
    [
        ("U.S.-Mexico border", "border:US-MX", "border"),
        ("US–Mexico border", "border:US-MX", "border"),
        ("the southern border", "border:US-MX", "border"),
        ("Mexico-Guatemala border", "border:MX-GT", "border"),
        ("Mexico–Belize border", "border:MX-BZ", "border"),
        ("Highway 200", "highway:MEX-200", "highway"),
        ("Carretera Federal 200", "highway:MEX-200", "highway"),
        ("MEX-200", "highway:MEX-200", "highway"),
        ("the coastal highway", "highway:MEX-200", "highway"),
        ("Río Bravo", "river:rio-grande", "river"),
        ("Rio Grande", "river:rio-grande", "river"),
        ("Suchiate River", "river:suchiate", "river"),
        ("Usumacinta", "river:usumacinta", "river"),
    ],
)
def test_curated_names(gaz: Gazetteer, name: str, feature_id: str, kind: str) -> None:
    hits = [c for c in gaz.lookup(name) if c.feature_id == feature_id]
    assert hits and hits[0].kind == kind


def test_border_geometry(gaz: Gazetteer) -> None:
    g = gaz.geometry("border:US-MX")
    assert g.geom_type in ("LineString", "MultiLineString")
    # Natural Earth 50m generalises the Rio Grande's meanders: ~24.8 degrees of line.
    assert g.length > 20
    minx, miny, maxx, maxy = g.bounds
    assert 25 <= miny and maxy <= 33 and -118 < minx and maxx < -96
    gt = gaz.geometry("border:MX-GT")
    assert gt.geom_type in ("LineString", "MultiLineString") and 14.4 < gt.bounds[1] < 14.7
    assert gaz.geometry("border:MX-BZ").length > 1


def test_river_and_highway_geometry(gaz: Gazetteer) -> None:
    rio = gaz.geometry("river:rio-grande")
    assert rio.bounds[0] >= -106.54 and rio.within(gaz.geometry("border:US-MX").buffer(1e-6))
    suchiate = gaz.geometry("river:suchiate")
    assert suchiate.bounds[1] < 14.6 and suchiate.bounds[3] <= 15.08 + 1e-9
    hwy = gaz.geometry("highway:MEX-200")
    assert hwy.geom_type == "LineString" and len(hwy.coords) == 18
    assert hwy.coords[0] == pytest.approx((-92.15195, 14.68018))  # Ciudad Hidalgo first
    # label points of line features lie on the line
    for fid in ("border:US-MX", "river:suchiate", "highway:MEX-200"):
        c = gaz.feature(fid)
        from shapely.geometry import Point

        assert gaz.geometry(fid).distance(Point(c.lon, c.lat)) < 1e-5


def test_point_geometry_and_unknown(gaz: Gazetteer) -> None:
    p = gaz.geometry("port:2303")
    assert p.geom_type == "Point" and (p.x, p.y) == pytest.approx((-100.511977, 28.705483))
    assert gaz.geometry("region:central-america").geom_type == "Point"
    assert gaz.geometry("nope:1") is None


def test_features_listing(gaz: Gazetteer) -> None:
    feats = gaz.features()
    ids = [c.feature_id for c in feats]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert {c.kind for c in gaz.features("border")} == {"border"} and len(gaz.features("border")) == 10
    assert len(gaz.features("river")) == 3 and len(gaz.features("highway")) == 1
    # curated towns are only the corridor's villages; its shelters and camps are facilities
    assert {c.feature_id.split(":")[0] for c in gaz.features("city")} == {"corridor"}
    shelters = {c.name: c for c in gaz.features("facility")}
    assert shelters["Albergue Hermanos en el Camino"].country_code == "MX" and shelters["La 72"].admin1 == "MX.27"


# --------------------------------------------------------------------------- features.geojson


def test_features_geojson_is_rfc7946() -> None:
    text = FEATURES.read_text(encoding="utf-8")
    fc = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    assert fc["type"] == "FeatureCollection" and "crs" not in fc

    def positions(coords):
        if isinstance(coords[0], (int, float)):
            yield coords
        else:
            for c in coords:
                yield from positions(c)

    for f in fc["features"]:
        assert f["type"] == "Feature" and f["properties"]["feature_id"]
        for lon, lat in positions(f["geometry"]["coordinates"]):
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert round(lon, 6) == lon and round(lat, 6) == lat


def test_features_geojson_is_reproducible() -> None:
    sys.path.insert(0, str(FEATURES.parent))
    try:
        import make_features
    finally:
        sys.path.pop(0)
    rebuilt = json.dumps(make_features.build_features(), ensure_ascii=False, indent=1, allow_nan=False) + "\n"
    assert rebuilt == FEATURES.read_text(encoding="utf-8"), "run data/gazetteer/make_features.py"


# --------------------------------------------------------------------------- index life cycle


def test_load_is_cached_per_process(gaz: Gazetteer) -> None:
    assert load_gazetteer() is gaz
    assert gaz.meta["version"] == gz.INDEX_VERSION
    assert gaz.meta["counts"]["city"] > 200_000


def test_stale_index_detected(gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> None:
    assert gz._is_fresh(gaz.path)
    real = gz._fingerprint()
    monkeypatch.setattr(gz, "_fingerprint", lambda: {**real, "regions": "changed"})
    assert not gz._is_fresh(gaz.path)


def test_corrupt_index_is_a_gazetteer_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not an index")
    with pytest.raises(gz.GazetteerError, match="bad.npz"):
        Gazetteer(bad)
    assert not gz._is_fresh(bad)


def test_cache_dir_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path / "c"))
    assert gz.default_index_path().parent == tmp_path / "c"
    assert (tmp_path / "c").is_dir()


def test_a_fresh_process_loads_the_index_in_little_memory(gaz: Gazetteer) -> None:
    # VmHWM (Linux) is the child's own peak; ru_maxrss of a forked child would start at
    # pytest's resident size. benchmarks/gazetteer_bench.py reports ru_maxrss from a small parent.
    code = (
        "import resource, time; t = time.perf_counter(); "
        "from geo.gazetteer import load_gazetteer; g = load_gazetteer(); g.lookup('Tapachula'); "
        "s = time.perf_counter() - t; "
        "hwm = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')] "
        "if __import__('os').path.exists('/proc/self/status') else []; "
        "print(s, hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    seconds, rss_kb = out.split()
    assert float(seconds) > 0  # the time is a figure of benchmarks/gazetteer_bench.py, not a test
    assert int(rss_kb) / 1024 < 300
