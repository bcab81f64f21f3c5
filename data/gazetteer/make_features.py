"""Regenerate ``data/gazetteer/features.geojson`` from the project's shared data.

    .venv/bin/python data/gazetteer/make_features.py

Inputs (all in ``data/``): ``gazetteer/us_mexico_ports.csv`` (BTS), ``gazetteer/mx_south_crossings.csv``,
``gazetteer/hwy200_corridor_towns.csv`` (GeoNames), ``gazetteer/feature_aliases.csv`` (curated
names) and ``boundaries/ne_50m_admin_0_countries.geojson`` (Natural Earth).

Derivation:

- border lines ``border:US-MX``, ``border:MX-GT``, ``border:MX-BZ`` and the borders further south
  (``border:GT-HN`` ... ``border:PA-CO``, see ``BORDERS``): the shared boundary of the two
  Natural Earth 50m country polygons (``make_valid``), i.e. ``A.boundary ∩ buffer(B, 0.001°)``,
  merged into lines;
- rivers: stretches of those lines clipped to a box (the Suchiate's point is the point of
  its line nearest its main crossing, the Rodolfo Robles bridge at Ciudad Hidalgo–Tecún Umán, where the rafts and
  caravans cross) — Rio Grande / Río Bravo = the US–MX line east
  of El Paso (lon ≥ -106.53); Suchiate = the MX–GT line south of 15.08° N (mouth to the Tacaná
  foothills, Ciudad Hidalgo–Tecún Umán); Usumacinta = the MX–GT line between 16.45° N (Pasión–Salinas
  confluence) and 17.245° N (below the 17°15′ parallel segment);
- ``highway:MEX-200``: a LineString through the corridor towns in ``seq`` order (a schematic of the
  Chiapas–Oaxaca coastal route, not the road's true course);
- ports of entry and southern crossings: points as given in the CSVs.

Line features carry ``label_lat``/``label_lon``: the point halfway along the line. Output is
RFC 7946 (lon/lat, no ``crs`` member, 6 decimals), features sorted by ``feature_id``, written
atomically; running the script twice gives the same bytes.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from shapely import make_valid
from shapely.geometry import LineString, MultiLineString, Point, box, mapping, shape
from shapely.ops import linemerge

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
NE = DATA / "boundaries" / "ne_50m_admin_0_countries.geojson"
OUT = HERE / "features.geojson"

BORDERS = {
    "border:US-MX": ("US", "MX", "US–Mexico border"),
    "border:MX-GT": ("MX", "GT", "Mexico–Guatemala border"),
    "border:MX-BZ": ("MX", "BZ", "Mexico–Belize border"),
    # the borders caravans cross further south, Darién to Guatemala
    "border:GT-HN": ("GT", "HN", "Guatemala–Honduras border"),
    "border:GT-SV": ("GT", "SV", "Guatemala–El Salvador border"),
    "border:HN-SV": ("HN", "SV", "Honduras–El Salvador border"),
    "border:HN-NI": ("HN", "NI", "Honduras–Nicaragua border"),
    "border:NI-CR": ("NI", "CR", "Nicaragua–Costa Rica border"),
    "border:CR-PA": ("CR", "PA", "Costa Rica–Panama border"),
    "border:PA-CO": ("PA", "CO", "Panama–Colombia border"),
}
# (feature_id, name, border it follows, clip box (minx, miny, maxx, maxy), countries)
RIVERS = [
    ("river:rio-grande", "Rio Grande", "border:US-MX", (-106.53, 25.0, -96.0, 32.5), ["US", "MX"]),
    ("river:suchiate", "Suchiate River", "border:MX-GT", (-92.40, 14.40, -92.00, 15.08), ["MX", "GT"]),
    ("river:usumacinta", "Usumacinta River", "border:MX-GT", (-91.50, 16.45, -90.30, 17.245), ["MX", "GT"]),
]
#: A river's representative point, where it is not the middle of its border stretch: the crossing news is about.
RIVER_POINTS = {"river:suchiate": "mxgt_suchiate_rodolfo_robles"}
#: corridor_places.csv kinds -> gazetteer kinds
CORRIDOR_KINDS = {
    "village": "city", "border_post": "crossing", "river_crossing": "crossing", "checkpoint": "crossing",
    "shelter": "facility", "camp": "facility", "reception_station": "facility", "detention_center": "facility",
    "plaza": "facility",
}
PORT_SUFFIXES = ("{} port of entry", "{} port", "port of {}", "{} crossing", "{} border crossing")


def _round(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, 6)
    if isinstance(obj, (list, tuple)):
        return [_round(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _round(v) for k, v in obj.items()}
    return obj


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if line.strip() and not line.startswith("#")))


def _bool(s: str) -> bool:
    return s.strip().lower() in ("true", "1", "yes")


def _lines(geom: Any) -> LineString | MultiLineString:
    """Keep only the linear parts of an intersection and merge them."""
    parts: list[LineString] = []
    stack = [geom]
    while stack:
        g = stack.pop()
        if g.is_empty:
            continue
        if g.geom_type == "LineString":
            parts.append(g)
        elif hasattr(g, "geoms"):
            stack.extend(g.geoms)
    merged = linemerge(MultiLineString(parts)) if len(parts) > 1 else parts[0]
    return merged


def _label(geom: Any) -> tuple[float, float]:
    if geom.geom_type == "MultiLineString":
        geom = max(geom.geoms, key=lambda g: g.length)
    p = geom.interpolate(0.5, normalized=True)
    return p.y, p.x


def _feature(geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": _round(geometry)}


def build_features() -> dict[str, Any]:
    aliases: dict[str, list[str]] = {}
    for row in _read_csv(HERE / "feature_aliases.csv"):
        aliases.setdefault(row["feature_id"], []).append(row["alias"])

    ne = json.loads(NE.read_text(encoding="utf-8"))
    polys = {}
    for f in ne["features"]:
        cc = f["properties"]["ISO_A2_EH"]
        if cc in {c for a, b, _ in BORDERS.values() for c in (a, b)}:
            polys[cc] = make_valid(shape(f["geometry"]))

    feats: list[dict[str, Any]] = []
    border_geoms = {}
    for fid, (a, b, name) in BORDERS.items():
        line = _lines(polys[a].boundary.intersection(polys[b].buffer(1e-3)))
        border_geoms[fid] = line
        lat, lon = _label(line)
        feats.append(_feature(
            mapping(line), feature_id=fid, kind="border", name=name, aliases=aliases.get(fid, []),
            countries=[a, b], country_code=None, admin1=None, feature_code="",
            label_lat=lat, label_lon=lon, source="curated:ne_50m_admin_0_countries",
            derivation="shared boundary of Natural Earth 50m admin-0 polygons",
        ))
    south = {r["crossing_id"]: r for r in _read_csv(HERE / "mx_south_crossings.csv")}
    for fid, name, border, bbox, countries in RIVERS:
        line = _lines(border_geoms[border].intersection(box(*bbox)))
        lat, lon = _label(line)
        if fid in RIVER_POINTS:
            # the river's point is where people cross it (news about the Suchiate is about Ciudad Hidalgo–Tecún Umán)
            at = south[RIVER_POINTS[fid]]
            merged = line if line.geom_type == "LineString" else max(line.geoms, key=lambda g: g.length)
            p = merged.interpolate(merged.project(Point(float(at["lon"]), float(at["lat"]))))  # on the line, nearest the bridge
            lat, lon = p.y, p.x
        feats.append(_feature(
            mapping(line), feature_id=fid, kind="river", name=name, aliases=aliases.get(fid, []),
            countries=countries, country_code=None, admin1=None, feature_code="STM",
            label_lat=lat, label_lon=lon, source="curated:ne_50m_admin_0_countries",
            derivation=f"{border} clipped to {list(bbox)} (the river forms the border there)",
        ))

    towns = sorted(_read_csv(HERE / "hwy200_corridor_towns.csv"), key=lambda r: int(r["seq"]))
    hwy = LineString([(float(t["lon"]), float(t["lat"])) for t in towns])
    lat, lon = _label(hwy)
    feats.append(_feature(
        mapping(hwy), feature_id="highway:MEX-200", kind="highway", name="Highway 200",
        aliases=aliases.get("highway:MEX-200", []), country_code="MX", admin1=None, feature_code="RD",
        ref="MEX-200", towns=[int(t["geonameid"]) for t in towns], label_lat=lat, label_lon=lon,
        source="curated:hwy200_corridor_towns.csv",
        derivation="line through the corridor towns in seq order (schematic)",
    ))

    for r in _read_csv(HERE / "us_mexico_ports.csv"):
        fid = f"port:{r['port_code']}"
        name = r["port_name"]
        names = [s.format(name) for s in PORT_SUFFIXES] + aliases.get(fid, [])
        feats.append(_feature(
            {"type": "Point", "coordinates": [float(r["lon"]), float(r["lat"])]},
            feature_id=fid, kind="crossing", name=name, aliases=names, country_code="US",
            admin1=f"US.{r['state_abbr']}", feature_code="PSTB", country_pair="US-MX",
            port_code=r["port_code"], state=r["state"], has_rail=_bool(r["has_rail"]),
            has_rail_since_2020=_bool(r["has_rail_since_2020"]), last_rail_month=r["last_rail_month"] or None,
            inbound_persons_2023=int(r["inbound_persons_2023"] or 0), inbound_persons_2024=int(r["inbound_persons_2024"] or 0),
            coord_note=r["coord_note"] or None, source="curated:us_mexico_ports.csv",
        ))

    for r in _read_csv(HERE / "mx_south_crossings.csv"):
        fid = r["crossing_id"]
        feats.append(_feature(
            {"type": "Point", "coordinates": [float(r["lon"]), float(r["lat"])]},
            feature_id=fid, kind="crossing", name=r["name"], aliases=aliases.get(fid, []), country_code="MX",
            admin1=r["mx_admin1"] or None, feature_code="PSTB", country_pair=r["country_pair"],
            mx_place=r["mx_place"], mx_geonameid=int(r["mx_geonameid"]) if r["mx_geonameid"] else None,
            other_place=r["other_place"], other_geonameid=int(r["other_geonameid"]) if r["other_geonameid"] else None,
            other_admin1=r["other_admin1"] or None, mode=[m for m in r["mode"].split(";") if m],
            official=_bool(r["official"]), has_rail=False, coord_method=r["coord_method"],
            coord_uncertainty_km=float(r["coord_uncertainty_km"]), notes=r["notes"], urls=r["source"].split(),
            source="curated:mx_south_crossings.csv",
        ))

    admin1_codes = {}
    for line in (DATA / "geonames" / "admin1CodesASCII.txt").read_text(encoding="utf-8").splitlines():
        code, name, ascii_name = line.split("\t")[:3]
        cc = code.split(".")[0]
        admin1_codes[(cc, name.lower())] = admin1_codes[(cc, ascii_name.lower())] = code
    corridor = HERE / "corridor_places.csv"
    for r in _read_csv(corridor) if corridor.exists() else []:
        fid = f"corridor:{r['place_id']}"
        kind = CORRIDOR_KINDS[r["kind"]]
        cc = r["country_code"]
        feats.append(_feature(
            {"type": "Point", "coordinates": [float(r["lon"]), float(r["lat"])]},
            feature_id=fid, kind=kind, name=r["name"], aliases=[a.strip() for a in r["alt_names"].split(";") if a.strip()],
            country_code=cc, admin1=admin1_codes.get((cc, r["admin1_name"].strip().lower())),
            feature_code=r["kind"], place_kind=r["kind"], coord_uncertainty_km=float(r["coord_uncertainty_km"]),
            urls=r["source"].split(), notes=r["notes"] or None, source="curated:corridor_places.csv",
        ))

    feats.sort(key=lambda f: f["properties"]["feature_id"])
    for f in feats:
        f["properties"] = _round(f["properties"])
    return {
        "type": "FeatureCollection",
        "attribution": "Natural Earth (public domain); US BTS Border Crossing Entry Data (public domain); "
        "GeoNames (geonames.org) CC BY 4.0; curated Caravan Atlas aliases",
        "features": feats,
    }


def write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main() -> None:
    fc = build_features()
    text = json.dumps(fc, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
    write_atomic(OUT, text)
    kinds: dict[str, int] = {}
    for f in fc["features"]:
        kinds[f["properties"]["kind"]] = kinds.get(f["properties"]["kind"], 0) + 1
    print(f"wrote {OUT} ({len(text):,} bytes): {kinds}")


if __name__ == "__main__":
    main()
