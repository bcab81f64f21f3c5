"""Issue 11: a toponym's point is its gazetteer entry's point (a country's centre, never a map
label point), and regions (multi-country groups) come out with a point and kind ``region``."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from geo import geoparse
from geo.gazetteer.index import Gazetteer, _region_centroid, load_gazetteer

ROOT = Path(__file__).resolve().parents[1]
COUNTRY_POINTS = ROOT / "data" / "gazetteer" / "country_points.csv"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _published() -> dict[str, tuple[float, float]]:
    with COUNTRY_POINTS.open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {r["country_code"]: (float(r["lat"]), float(r["lon"])) for r in rows}


def test_country_points_file_is_well_formed() -> None:
    pts = _published()
    assert len(pts) > 230
    for cc, (lat, lon) in pts.items():
        assert len(cc) == 2 and cc.isupper()
        assert -90 <= lat <= 90 and -180 <= lon <= 180


@pytest.mark.parametrize("cc", ["ID", "PH", "NZ", "JP", "RU", "BR", "CL", "MN", "CA", "MX", "FR", "HT"])
def test_country_gets_its_published_point(gaz: Gazetteer, cc: str) -> None:
    """Every country with a published point (country_points.csv: the Factbook coordinate, the
    convention GeoNames' country points follow) gets exactly that point, archipelago or not:
    Russia at 60 N 100 E, not its mainland centroid 300 km away."""
    c = gaz.country(cc)
    assert c is not None and c.kind == "country"
    assert (c.lat, c.lon) == pytest.approx(_published()[cc])


def test_united_states_at_the_conterminous_centre(gaz: Gazetteer) -> None:
    """The US is at the geographic centre of the conterminous states (near Lebanon, Kansas),
    where gazetteers put it, not at the Factbook's 38 N 97 W nor in Alaska."""
    us = gaz.country("US")
    assert us is not None
    assert math.dist((us.lat, us.lon), (39.83, -98.58)) < 0.01


def test_country_without_published_point_still_has_one(gaz: Gazetteer) -> None:
    assert "XK" not in _published()
    xk = gaz.country("XK")
    assert xk is not None and 41.8 < xk.lat < 43.3 and 20.0 < xk.lon < 21.8  # inside Kosovo


def test_toponym_point_agrees_with_its_entry(gaz: Gazetteer) -> None:
    text = "Aid flights left Canada for Haiti on Tuesday."
    tops = {t.name: t for t in geoparse(text)}
    for name, cc in (("Canada", "CA"), ("Haiti", "HT")):
        t, entry = tops[name], gaz.country(cc)
        assert t.kind == "country" and t.geonameid == entry.geonameid
        assert (t.lat, t.lon) == (entry.lat, entry.lon)


@pytest.mark.parametrize(
    ("name", "feature_id"),
    [
        ("East Africa", "region:east-africa"),
        ("North Africa", "region:north-africa"),
        ("Western Europe", "region:western-europe"),
        ("Eastern Europe", "region:eastern-europe"),
        ("Central Asia", "region:central-asia"),
        ("Scandinavia", "region:scandinavia"),
        ("the Balkans", "region:balkans"),
        ("the Baltics", "region:baltic-states"),
        ("the Levant", "region:levant"),
        ("the Sahel", "region:sahel"),
    ],
)
def test_new_regions(gaz: Gazetteer, name: str, feature_id: str) -> None:
    first = gaz.lookup(name)[0]
    assert first.kind == "region" and first.feature_id == feature_id


@pytest.mark.parametrize(
    ("name", "box"),
    [  # (lat_min, lat_max, lon_min, lon_max): inside the member countries, not overseas
        ("Western Europe", (45, 52, 2, 11)),  # France's mainland, not French Guiana
        ("Scandinavia", (57, 67, 8, 20)),
        ("Central Asia", (38, 50, 55, 75)),
        ("the Balkans", (41, 45, 18, 24)),
    ],
)
def test_region_point_is_the_centre_of_its_members(gaz: Gazetteer, name: str, box: tuple[float, ...]) -> None:
    c = gaz.lookup(name)[0]
    assert box[0] < c.lat < box[1] and box[2] < c.lon < box[3], (c.lat, c.lon)


def test_region_centroid_of_two_squares() -> None:
    """Two equal squares on the equator: the centre is between them (sea), so a point inside
    one of them is returned instead."""
    sq = lambda x0: {"type": "Polygon", "coordinates": [[[x0, -1], [x0 + 2, -1], [x0 + 2, 1], [x0, 1], [x0, -1]]]}  # noqa: E731
    lat, lon = _region_centroid([sq(0), sq(10)])
    assert -1 <= lat <= 1 and (0 <= lon <= 2 or 10 <= lon <= 12)
    lat, lon = _region_centroid([sq(0), sq(2)])  # touching: the centre of the union
    assert math.isclose(lat, 0, abs_tol=1e-6) and math.isclose(lon, 2, abs_tol=1e-3)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Aid workers flew from Central America to the Middle East.", "Central America"),
        ("Aid workers flew from Central America to the Middle East.", "Middle East"),
        ("Prices of maize rose across Latin America last year.", "Latin America"),
        ("A drought has hit East Africa since spring.", "East Africa"),
        ("Exporters in North Africa expect a good harvest.", "North Africa"),
        ("Trains across Western Europe were late again.", "Western Europe"),
        ("Herders crossed the Sahel on foot.", "Sahel"),
    ],
)
def test_regions_come_out_with_a_point_and_kind(text: str, name: str) -> None:
    tops = {t.name: t for t in geoparse(text)}
    t = tops[name]
    assert t.kind == "region" and t.lat is not None and t.lon is not None


def test_region_demonym_gets_the_region_point(gaz: Gazetteer) -> None:
    tops = {t.name: t for t in geoparse("Scandinavian ministers met in the morning.")}
    t = tops["Scandinavian"]
    region = gaz.lookup("Scandinavia")[0]
    assert t.kind == "demonym" and (t.lat, t.lon) == (region.lat, region.lon)


def _admin1_rows(name: str) -> dict[str, dict[str, str]]:
    with (ROOT / "data" / "geonames" / name).open(encoding="utf-8") as fh:
        return {r["geonames_admin1"]: r for r in csv.DictReader(fh)}


@pytest.mark.parametrize("code", ["US.TX", "US.HI", "MX.05", "GT.16"])
def test_admin1_point_is_its_area_centroid_where_known(gaz: Gazetteer, code: str) -> None:
    """A state of the nine countries with known area centroids sits at its centroid (Hawaii
    between its islands), not at its map label point."""
    row = _admin1_rows("admin1_region_centroids.csv")[code]
    c = gaz.admin1(code)
    assert c is not None and c.kind == "admin1"
    assert (c.lat, c.lon) == pytest.approx((float(row["centroid_lat"]), float(row["centroid_lon"])))


def test_admin1_point_elsewhere_is_the_label_point(gaz: Gazetteer) -> None:
    code = next(k for k, r in _admin1_rows("admin1_world_points.csv").items() if k.startswith("CA.") and r["ne_label_lat"])
    row = _admin1_rows("admin1_world_points.csv")[code]
    c = gaz.admin1(code)
    assert c is not None
    assert (c.lat, c.lon) == pytest.approx((float(row["ne_label_lat"]), float(row["ne_label_lon"])))


def test_state_toponym_point_agrees_with_its_entry(gaz: Gazetteer) -> None:
    tops = {t.name: t for t in geoparse("Ranchers in Texas sold cattle to buyers in Chiapas.")}
    for name, code in (("Texas", "US.TX"), ("Chiapas", "MX.05")):
        t, entry = tops[name], gaz.admin1(code)
        assert t.kind == "admin1" and t.geonameid == entry.geonameid
        assert (t.lat, t.lon) == (entry.lat, entry.lon)
