"""Spans of facilities and sub-city places: famous landmarks from ``landmarks.csv`` ("protest at
the White House", "Tahrir Square") and facilities a pattern reads ("Biola University", "Sea-Tac
Airport", "the Egyptian Embassy"). Points are given at resolution
(:mod:`geo.geoparsing.facilities`).

A facility whose name starts with a place the gazetteer knows ("Donetsk airport", "University of
Cincinnati", "Hartford Hospital") is left to the other stages: the town is the toponym there,
as local news annotates it.
"""

from __future__ import annotations

import functools
import re

from geo.geoparsing.facilities import Landmark, load_landmarks
from geo.geoparsing.spans.context import RecognitionContext

# "at the White House", "outside the Kremlin", "in front of the Pentagon": a place, not the
# institution inside it ("the Kremlin said").
_LOCATIVE_BEFORE = re.compile(
    r"(?:\b(?:[Aa]t|[Ii]n|[Ii]nside|[Oo]utside|[Nn]ear|[Ii]nto|[Oo]nto|[Oo]n|[Oo]ver|[Aa]round|[Aa]cross|[Tt]o|"
    r"[Ff]rom|[Tt]owards?|[Bb]eside|[Bb]ehind|[Pp]ast|[Tt]hrough|[Ff]ront\s+of|(?:steps|lawn|gates|grounds)\s+of)"
    r"\s+(?:the\s+|our\s+)?)$")
# "the White House press secretary", "Pentagon officials": the institution.
_INSTITUTION_AFTER = re.compile(
    r"['’]s\s+(?:decision|position|policy|statement)|\s+(?:spokes\w+|press|officials?|chief|aides?|staff|budget|"
    r"correspondents?|advis[eo]rs?|sources?|counsel|lawyers?|said|says|announced)\b")

_NAME = r"(?:[A-Z][\w'’&-]*\.?)(?:\s+[A-Z][\w'’&-]*\.?){0,3}"
#: Head words of facilities a pattern reads. Hospitals, universities, bridges and streets were
#: measured too (docs/geoparsing.md): on the development sets they cost more than they gave
#: (local news annotates the town in "Hartford Hospital", not the hospital).
_HEADS = {
    "airport": r"(?:(?:International|Municipal|Regional)\s+)?[Aa]irport",
    "stadium": r"Stadium|Arena|Coliseum",
    "square": r"Square",
}
_FACILITY_RE = re.compile(rf"(?<![\w.'’-])(?P<name>{_NAME})\s+(?P<head>{'|'.join(_HEADS.values())})(?![\w-])")
#: Words that make no name on their own ("General Hospital", "Town Square").
_GENERIC = frozenset(
    """The A An This That Our Your His Her Their Its My Every Each Any No Best Top Old New Main General
    Catholic Children's Childrens Memorial Community Regional State Medical Public National Central City
    County Municipal Christian Methodist Baptist University College Sports Health Research Technical Tech
    North South East West Northern Southern Eastern Western Upper Lower Town Village Local Big Little Great
    Royal St. Saint Mount Mt. International Airport Square Street Road Bridge Avenue Lane Boulevard Flood
    Riot Protest Tornado Earthquake Fire Ebola Flu Measles Malaria""".split())
#: The owner of an embassy: "the U.S. Embassy", "the Egyptian Embassy", "Nepal Embassy".
_EMBASSY = re.compile(r"(?<![\w.])(?P<owner>U\.S\.|US|UK|[A-Z][a-z]+)\s+(?P<head>[Ee]mbassy|[Cc]onsulate)\b")


@functools.lru_cache(maxsize=1)
def _landmark_re() -> tuple[re.Pattern[str], dict[str, str]]:
    ids: dict[str, str] = {}
    for lm in load_landmarks().values():
        for n in lm.names:
            ids[n] = lm.id
    alts = "|".join(re.escape(n) for n in sorted(ids, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])"), ids


@functools.lru_cache(maxsize=1)
def _landmarks_folded() -> dict[str, Landmark]:
    return {n.casefold(): lm for lm in load_landmarks().values() for n in lm.names}


def _landmark_named(name: str) -> Landmark | None:
    return _landmarks_folded().get(re.sub(r"\s+", " ", name).casefold())


class FacilitySpans(RecognitionContext):
    """Facility stage of recognition."""

    def facilities(self) -> None:
        self._landmarks()
        for m in _FACILITY_RE.finditer(self.text):
            self._pattern_facility(m)
        for m in _EMBASSY.finditer(self.text):
            self._embassy(m)

    def _landmarks(self) -> None:
        rx, ids = _landmark_re()
        table = load_landmarks()
        text = self.text
        for m in rx.finditer(text):
            lm = table[ids[m.group(0)]]
            if re.match(r"\s+[A-Z]", text[m.end():m.end() + 2]):
                continue  # part of a longer name: "the Camp David Accords", "White House Correspondents"
            if lm.locative_only and (not _LOCATIVE_BEFORE.search(text, max(0, m.start() - 40), m.start())
                                     or _INSTITUTION_AFTER.match(text, m.end())):
                continue
            self.add(m.start(), m.end(), lm.kind, "pattern", query=lm.names[0], feature_ids=(f"landmark:{lm.id}",))

    def _pattern_facility(self, m: re.Match[str]) -> None:
        """"<Name> <head>" when the name is a name of its own, not a town's or a person's."""
        name, start = m.group("name"), m.start("name")
        owner = next(reversed(list(re.finditer(r"['’]s\s+", name))), None)
        if owner is not None:  # "New York's John F. Kennedy Airport": the facility is after the owner
            name, start = name[owner.end():], start + owner.end()
        if name:
            self._named_facility(name.split(), start, m)

    def _named_facility(self, words: list[str], start: int, m: re.Match[str]) -> None:
        if all(w in _GENERIC for w in words) or words[0] in _GENERIC and len(words) == 1:
            return
        if words[0] in self.first_names or words[0] in self.dem or words[0].isupper() and len(words[0]) > 3:
            return
        for k in range(1, len(words) + 1):
            prefix = " ".join(words[:k]).rstrip(".")
            if prefix in self.dem or self.gaz and self.place_like(prefix, 1000):
                return  # "Donetsk airport", "Kansas State University": the place is the toponym
        head = m.group("head")
        lm = _landmark_named(self.text[start:m.end("head")])
        if lm is not None:  # "McCarran airport": a landmark of the table, with its own point
            self.add(start, m.end("head"), lm.kind, "pattern", query=lm.names[0], feature_ids=(f"landmark:{lm.id}",))
            return
        kind = "street" if head == "Square" else "facility"
        self.add(start, m.end("head"), kind, "pattern")

    def _embassy(self, m: re.Match[str]) -> None:
        owner = m.group("owner")
        if owner not in ("U.S.", "US", "UK") and owner not in self.dem and not self._country_name(owner):
            return
        self.add(m.start("owner"), m.end("head"), "facility", "pattern")
