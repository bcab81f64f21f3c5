"""Coordinate sanity checks: out-of-range values, (0, 0) "null island", and latitude and
longitude swapped (the point is far outside its stated country, and the swapped point is
inside it). Checks return problems as one-line strings; callers flag or refuse, never
export such a point silently.
"""

from __future__ import annotations

import functools
import json
import math
from geo.paths import DATA

__all__ = ["coordinate_problems", "in_country"]

_BOUNDARIES = DATA / "boundaries" / "ne_50m_admin_0_countries.geojson"
#: A point this far (in degrees, ~25 km) outside its country's polygon still counts as in it:
#: Natural Earth 50m is generalised (Ciudad Hidalgo's point falls ~1 km inside Guatemala).
TOLERANCE_DEG = 0.25


@functools.lru_cache(maxsize=1)
def _countries() -> dict:
    from shapely.geometry import shape
    from shapely.prepared import prep
    from shapely.validation import make_valid

    out = {}
    data = json.loads(_BOUNDARIES.read_text(encoding="utf-8"))
    for f in data["features"]:
        cc = (f["properties"].get("ISO_A2_EH") or "").upper()
        if len(cc) == 2 and f.get("geometry"):
            geom = make_valid(shape(f["geometry"])).buffer(TOLERANCE_DEG)
            out[cc] = prep(geom)
    return out


def in_country(lat: float, lon: float, country_code: str) -> bool | None:
    """Whether (lat, lon) lies in the country (within the tolerance); None if unknown."""
    from shapely.geometry import Point

    geom = _countries().get((country_code or "").upper())
    if geom is None:
        return None
    return bool(geom.contains(Point(lon, lat)))  # shapely wants (x=lon, y=lat)


def coordinate_problems(lat: object, lon: object, country_code: str | None = None) -> list[str]:
    """Problems with a (lat, lon) position, as short phrases; [] when it looks right."""
    try:
        la, lo = float(lat), float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return [f"not numeric: ({lat!r}, {lon!r})"]
    if not (math.isfinite(la) and math.isfinite(lo)):
        return [f"not finite: ({la}, {lo})"]
    problems = []
    if not (-90 <= la <= 90 and -180 <= lo <= 180):
        problems.append(f"out of range: lat {la} must be in -90..90 and lon {lo} in -180..180")
        if -90 <= lo <= 90 and -180 <= la <= 180:
            problems.append(f"latitude and longitude look swapped: ({lo}, {la}) would be valid")
    if la == 0.0 and lo == 0.0:
        problems.append("(0, 0) is 'null island', not a place")
    if not problems and country_code:
        inside = in_country(la, lo, country_code)
        if inside is False and -90 <= lo <= 90 and in_country(lo, la, country_code):
            problems.append(f"latitude and longitude look swapped: ({lo}, {la}) is in {country_code.upper()}")
        elif inside is False:
            problems.append(f"({la}, {lo}) is not in {country_code.upper()}")
    return problems
