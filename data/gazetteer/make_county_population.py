"""Regenerate ``data/gazetteer/us_county_population.csv``: an estimated population for every US
county of the ``zipcodes`` package, used only to rank counties of the same name that nothing
else tells apart (``geo/geoparsing/county_population.py``).

    .venv/bin/python data/gazetteer/make_county_population.py

Derivation: for each (state, county) of the active ZIP codes of ``zipcodes`` (data CC BY 4.0),
the set of the ZIP codes' town names ("Kansas City", "Liberty", ... for Clay County, Missouri);
the estimate is the sum, over those names, of the population of the gazetteer town of that
exact name in that state (GeoNames cities500, CC BY 4.0; the most populous one when there are
several). A ZIP code's town is where its mail goes, so a city whose ZIP codes reach into
several counties counts fully in each: a rough estimate, for ordering only. Rows are sorted by
state and county; running the script twice gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

OUT = HERE / "us_county_population.csv"


def build_rows() -> list[tuple[str, str, int]]:
    import zipcodes

    from geo.gazetteer.index import load_gazetteer, normalize_name

    gaz = load_gazetteer()
    towns: dict[tuple[str, str], set[str]] = {}
    for z in zipcodes.list_all():
        county, state, town = ((z.get(k) or "").strip() for k in ("county", "state", "city"))
        if county and len(state) == 2 and town and z.get("active", True):
            towns.setdefault((state, county), set()).add(town)
    rows = []
    for (state, county), names in sorted(towns.items()):
        total = 0
        for town in sorted(names):
            key = normalize_name(town)
            total += max((c.population for c in gaz.lookup(town)
                          if c.kind == "city" and c.admin1 == f"US.{state}" and normalize_name(c.name) == key), default=0)
        rows.append((state, county, total))
    return rows


def render(rows: list[tuple[str, str, int]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["state", "county", "population_estimate"])
    w.writerows(rows)
    return buf.getvalue()


def main() -> int:
    from geo.fileio import atomic_write

    text = render(build_rows())
    with atomic_write(OUT) as fh:
        fh.write(text)
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} counties)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
