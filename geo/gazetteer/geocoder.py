"""The offline gazetteer behind geopy's geocoder interface.

>>> from geo.gazetteer.geocoder import OfflineGeocoder
>>> loc = OfflineGeocoder().geocode("Paris, Texas")
>>> loc.address, loc.raw["admin1"]
('Paris, Texas, United States', 'US.TX')
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.gazetteer.index import Gazetteer, load_gazetteer
from geo.model import Candidate

__all__ = ["OfflineGeocoder", "candidate_to_location", "describe"]

log = logging.getLogger(__name__)


def describe(gaz: Gazetteer, cand: Candidate) -> tuple[str | None, str | None]:
    """(admin-1 name, country name) of a candidate, None where unknown or not applicable."""
    a1 = gaz.admin1(cand.admin1) if cand.admin1 and cand.kind != "admin1" else None
    country = gaz.country(cand.country_code) if cand.country_code and cand.kind != "country" else None
    return (a1.name if a1 else None, country.name if country else None)


def candidate_to_location(gaz: Gazetteer, cand: Candidate) -> Location:
    """A geopy ``Location``: address "name, admin-1, country"; ``raw`` is the candidate's
    fields plus the curated feature's properties (``has_rail``, ``port_code``, …), the
    admin-1 and country names and the data attribution."""
    a1_name, country_name = describe(gaz, cand)
    address = ", ".join(p for p in (cand.name, a1_name, country_name) if p)
    raw: dict[str, Any] = {}
    if cand.feature_id:
        raw.update(gaz.properties(cand.feature_id))
    raw.update(cand.to_dict())
    raw["admin1_name"] = a1_name
    raw["country_name"] = country_name
    raw["attribution"] = gaz.meta.get("attribution", "")
    # geopy's Location takes (latitude, longitude): the gazetteer stores both explicitly.
    return Location(address, (cand.lat, cand.lon), raw)


class OfflineGeocoder(Geocoder):
    """Geocode place names with the embedded gazetteer: no network, ever.

    Parameters
    ----------
    gazetteer
        A loaded gazetteer; by default the process-wide one from :func:`load_gazetteer`.

    Queries may qualify a name with later comma-separated parts naming an admin-1 unit or a
    country ("Paris, Texas", "Escuintla, Chiapas, Mexico", "San Ysidro, CA"); each part
    restricts the candidates. Otherwise candidates are ranked by population (countries
    and admin-1 units first on ties, curated features last).
    """

    def __init__(self, gazetteer: Gazetteer | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("user_agent", "caravan-atlas-offline")
        super().__init__(**kwargs)
        self._gaz = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gaz is None:
            self._gaz = load_gazetteer()
        return self._gaz

    def candidates(
        self,
        query: str,
        *,
        country_codes: str | Iterable[str] | None = None,
        kinds: Iterable[str] | None = None,
    ) -> list[Candidate]:
        """Ranked candidates for ``query`` (see the class docstring for the query syntax)."""
        if not isinstance(query, str):
            raise TypeError(f"query must be a string, not {type(query).__name__}: {query!r}")
        gaz = self.gazetteer
        parts = [p.strip() for p in query.split(",") if p.strip()]
        if not parts:
            return []
        cands = gaz.lookup(parts[0])
        for qualifier in parts[1:]:
            a1s, ccs = self._qualifier(qualifier)
            if not a1s and not ccs:
                log.debug("ignoring qualifier %r of %r: not an admin-1 unit or country", qualifier, query)
                continue
            cands = [c for c in cands if (c.admin1 in a1s and c.kind != "country") or (c.country_code in ccs and c.kind != "country")
                     or self._feature_countries(c) & ccs]
        if country_codes is not None:
            wanted = {country_codes.upper()} if isinstance(country_codes, str) else {c.upper() for c in country_codes}
            cands = [c for c in cands if c.country_code in wanted or self._feature_countries(c) & wanted]
        if kinds is not None:
            kind_set = set(kinds)
            cands = [c for c in cands if c.kind in kind_set]
        return cands

    def _qualifier(self, part: str) -> tuple[set[str], set[str]]:
        gaz = self.gazetteer
        a1s: set[str] = set()
        ccs: set[str] = set()
        for c in gaz.lookup(part):
            if c.kind == "admin1" and c.admin1:
                a1s.add(c.admin1)
            elif c.kind == "country" and c.country_code:
                ccs.add(c.country_code)
        stripped = part.strip()
        if len(stripped) == 2 and stripped.isalpha() and stripped.isupper():
            if gaz.country(stripped) is not None:
                ccs.add(stripped)
        return a1s, ccs

    def _feature_countries(self, cand: Candidate) -> set[str]:
        if cand.feature_id is None:
            return set()
        return set(self.gazetteer.properties(cand.feature_id).get("countries", ()))

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        limit: int | None = None,
        country_codes: str | Sequence[str] | None = None,
        kinds: Iterable[str] | None = None,
        timeout: Any = None,
    ) -> Location | list[Location] | None:
        """Return a ``Location`` (``exactly_one``) or a list of them, or None if nothing matches.

        ``timeout`` is accepted for geopy compatibility and ignored (nothing leaves the machine).
        """
        cands = self.candidates(query, country_codes=country_codes, kinds=kinds)
        if not cands:
            return None
        if exactly_one:
            return candidate_to_location(self.gazetteer, cands[0])
        if limit is not None:
            if limit < 1:
                raise ValueError(f"limit must be a positive integer, not {limit!r}")
            cands = cands[:limit]
        return [candidate_to_location(self.gazetteer, c) for c in cands]

    def reverse(self, query: Any, *, exactly_one: bool = True, timeout: Any = None) -> Location | list[Location] | None:
        raise NotImplementedError(
            "OfflineGeocoder does not reverse-geocode (the gazetteer indexes names, not areas); "
            "use geo.gazetteer.online.OnlineGeocoder.reverse or a spatial join against data/boundaries/"
        )
