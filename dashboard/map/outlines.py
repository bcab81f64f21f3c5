"""Natural Earth outlines: simplified country/admin-1 polygons (cached on disk) for the
basemap and the highlighted area of a selected country or state."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import shapely

from dashboard import diskcache
from dashboard.escape import escape_text
from dashboard.map.elements import _safe_json
from dashboard.map.values import _is_missing, _num

ROOT = Path(__file__).resolve().parents[2]
COUNTRIES_FILE = ROOT / "data" / "boundaries" / "ne_50m_admin_0_countries.geojson"
ADMIN1_FILE = ROOT / "data" / "boundaries" / "ne_10m_admin_1_region_simplified.geojson"
ADMIN1_POINTS = ROOT / "data" / "geonames" / "admin1_world_points.csv"


# --------------------------------------------------------------------------- basemap


def _round_coords(coords: Any, ndigits: int) -> Any:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(c), ndigits) for c in coords[:2]]
    return [_round_coords(c, ndigits) for c in coords]


@functools.lru_cache(maxsize=8)
def _outline_json(path: str, tolerance: float, ndigits: int = 3) -> str:
    """Geometry-only, simplified FeatureCollection from a local GeoJSON file, as the JSON text
    the map embeds (:func:`_safe_json`). Cached in the process and on disk as that text:
    simplifying the world's outlines took most of a second per start, and reading them back
    as nested lists then writing them out as JSON again another 0.2 s."""
    key = repr((path, tolerance, ndigits))
    outline = diskcache.load("outline", key)
    if not isinstance(outline, str):
        outline = _safe_json(_simplified_outline(path, tolerance, ndigits))
        diskcache.save("outline", key, outline)
    return outline


def _simplified_outline(path: str, tolerance: float, ndigits: int) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        src = json.load(fh)
    features = []
    for feature in src.get("features", []):
        if not feature.get("geometry"):
            continue
        geom = shapely.geometry.shape(feature["geometry"]).simplify(tolerance, preserve_topology=True)
        if geom.is_empty:
            continue
        mapping = shapely.geometry.mapping(geom)
        features.append(
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": mapping["type"], "coordinates": _round_coords(mapping["coordinates"], ndigits)},
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------- selection areas


@functools.lru_cache(maxsize=1)
def _boundary_index() -> dict[str, Any]:
    """Natural Earth polygons by ISO alpha-2 (countries) and GeoNames admin-1 code / id."""
    countries: dict[str, Any] = {}
    with open(COUNTRIES_FILE, encoding="utf-8") as fh:
        for feature in json.load(fh).get("features", []):
            props = feature.get("properties") or {}
            code = props.get("ISO_A2_EH") or props.get("ISO_A2")
            if code and code != "-99" and feature.get("geometry"):
                countries[str(code).upper()] = (props.get("NAME") or props.get("ADMIN") or code, feature["geometry"])
    admin1: dict[str, Any] = {}
    by_gid: dict[int, str] = {}
    if ADMIN1_FILE.exists():
        with open(ADMIN1_FILE, encoding="utf-8") as fh:
            for feature in json.load(fh).get("features", []):
                props = feature.get("properties") or {}
                code = props.get("gn_a1_code")
                if code and feature.get("geometry"):
                    admin1[str(code)] = (props.get("name") or code, feature["geometry"])
                    if props.get("gn_id"):
                        by_gid[int(props["gn_id"])] = str(code)
    if ADMIN1_POINTS.exists():
        points = pd.read_csv(ADMIN1_POINTS, usecols=["geonames_admin1", "geonameid"], dtype=str)
        for code, gid in zip(points["geonames_admin1"], points["geonameid"]):
            if isinstance(gid, str) and gid.isdigit() and code in admin1:
                by_gid.setdefault(int(gid), code)
    return {"countries": countries, "admin1": admin1, "admin1_by_gid": by_gid}


def _simplified(geometry: Mapping[str, Any], tolerance: float = 0.01) -> dict[str, Any]:
    geom = shapely.geometry.shape(geometry).simplify(tolerance, preserve_topology=True)
    mapping = shapely.geometry.mapping(geom)
    return {"type": mapping["type"], "coordinates": _round_coords(mapping["coordinates"], 4)}


def selection_areas(place: Mapping[str, Any] | None) -> list[tuple[str, dict[str, Any]]]:
    """Natural Earth polygon(s) of a place of kind country/demonym or admin1: [(name, geometry)].

    Countries are joined on ``ISO_A2_EH`` (the place's ``country_code``); admin-1 areas on
    the GeoNames admin-1 code (``admin1``, e.g. ``MX.05``) or, failing that, the GeoNames
    id through ``data/geonames/admin1_world_points.csv``.
    """
    if not place:
        return []
    kind = str(place.get("kind") or "").lower()
    index = _boundary_index()
    if kind in ("country", "demonym"):
        code = place.get("country_code")
        found = index["countries"].get(str(code).upper()) if isinstance(code, str) else None
        return [(found[0], _simplified(found[1]))] if found else []
    if kind in ("admin1", "state", "province"):
        code = place.get("admin1")
        if not (isinstance(code, str) and code in index["admin1"]):
            gid = place.get("geonameid")
            gid = None if _is_missing(gid) else _num(gid)
            code = index["admin1_by_gid"].get(int(gid)) if gid is not None else None
        found = index["admin1"].get(code) if code else None
        return [(found[0], _simplified(found[1], 0.005))] if found else []
    return []


def _selection_data(selection: Mapping[str, Any] | None) -> dict[str, Any]:
    """``selection``: {"areas": [(name, geometry)], "point": (lat, lon) | None, "lines": [...],
    "key": what is selected (the map pans when it changes), "candidate": (lat, lon, label) of
    the alternative picked in the corrections form, or None}."""
    selection = selection or {}
    features = [
        {"type": "Feature", "properties": {"name": escape_text(name)}, "geometry": geometry}
        for name, geometry in selection.get("areas", [])
    ]
    point = selection.get("point")
    candidate = selection.get("candidate")
    return {
        "areas": {"type": "FeatureCollection", "features": features},
        "points": [[round(float(point[0]), 5), round(float(point[1]), 5)]] if point else [],
        "lines": selection.get("lines", []),
        "key": escape_text(selection.get("key") or ""),
        "candidate": {"ll": [round(float(candidate[0]), 5), round(float(candidate[1]), 5)],
                      "label": escape_text(candidate[2])} if candidate else None,
    }
