"""Frozen records that flow through the pipeline: text -> mentions -> toponyms.

Data flows one way: :mod:`geo.geoparsing.recognize` produces :class:`Mention` objects from text,
:mod:`geo.geoparsing.resolve` turns them into :class:`Toponym` objects using the gazetteer's
:class:`Candidate` places. Nothing downstream mutates these records.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Candidate", "Mention", "Toponym", "MENTION_KINDS", "iso_date"]

_ISO_DATE = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")


def iso_date(value: object) -> str | None:
    """``value`` as ``YYYY-MM-DD``: a date, a datetime's day, or a string of that form naming a real
    day; ``None`` stays ``None``; anything else raises ``ValueError``. The one date check of the
    atlas's layers and of user corrections (each wraps the error in its own, naming the record)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise ValueError(f"not an ISO date YYYY-MM-DD: {value!r}")

#: Kinds of place mention. ``demonym`` is evidence of origin ("Honduran migrants"),
#: never the place where something happened.
MENTION_KINDS = (
    "country",
    "admin1",
    "admin2",
    "city",
    "place",  # other populated place or unknown kind from NER
    "crossing",  # border crossing / port of entry / bridge
    "border",  # a border line ("the Guatemala border", "the U.S. southwest border")
    "river",
    "highway",
    "region",  # continents and multi-country regions ("Central America")
    "facility",  # a building, airport, stadium, park ("the White House", "Sea-Tac Airport")
    "street",  # a street or square ("Downing Street", "Tahrir Square")
    "demonym",
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A gazetteer entry that a mention could refer to."""

    geonameid: int | None
    name: str
    lat: float
    lon: float
    kind: str
    country_code: str | None
    admin1: str | None = None  # GeoNames admin-1 code, e.g. "MX.05"
    population: int = 0
    feature_code: str = ""
    source: str = "geonames"  # "geonames" or "curated:<file>"
    feature_id: str | None = None  # stable id for curated features, e.g. "port:2504"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text recognised as naming a place (before resolution)."""

    start: int
    end: int
    name: str  # == text[start:end]
    kind_hint: str  # what recognition believes it is: see MENTION_KINDS, or "ner"
    source: str  # "ner", "gazetteer", "pattern", "demonym"
    label: str = ""  # spaCy label when source == "ner"
    query: str | None = None  # normalised lookup key when it differs from name
    feature_ids: tuple[str, ...] = ()  # curated features the phrase refers to


@dataclass(frozen=True, slots=True)
class Toponym:
    """A resolved place mention: exact span plus the chosen place and its evidence."""

    start: int
    end: int
    name: str
    lat: float | None
    lon: float | None
    kind: str
    geonameid: int | None
    country_code: str | None
    confidence: float
    admin1: str | None = None
    feature_id: str | None = None
    reason: str = ""
    alternatives: tuple[Candidate, ...] = field(default_factory=tuple)

    def to_dict(self, with_alternatives: bool = True) -> dict[str, Any]:
        d = {
            "start": self.start,
            "end": self.end,
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "kind": self.kind,
            "geonameid": self.geonameid,
            "country_code": self.country_code,
            "confidence": round(self.confidence, 4),
            "admin1": self.admin1,
            "feature_id": self.feature_id,
            "reason": self.reason,
        }
        if with_alternatives:
            d["alternatives"] = [c.to_dict() for c in self.alternatives]
        return d
