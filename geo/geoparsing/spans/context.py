"""What every stage reads: the text, the gazetteer, the spans found so far, and small tests on
words around a span.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc, Span

from geo.geoparsing.lexicon import (
    gazetteer_top,
    UNMISTAKABLE_CITY_POP,
    _COMMON_WORDS,
    _Cand,
    _DISEASE_AFTER,
    _DISEASE_NAMES,
    _DISEASE_NOT_AFTER,
    _MOTION_TO,
    _MOVERS,
    _MOVE_VERBS,
    _NAME_BREAKERS,
    _NOT_PLACE_WORDS,
    _ORG_WORDS,
    _PLACE_NOUN_OF,
    _STRONG_PREPS,
    _TITLES,
    _US_STATE_ABBR,
    _first_names,
    _fold,
    _has_upper,
    _trim,
    load_demonyms,
)


class RecognitionContext:
    """The shared state of one recognition and the word tests every stage uses (the base of the stage mixins)."""

    def __init__(self, doc: Doc, demonyms: bool, gaz: Any) -> None:
        self.doc = doc
        self.ents = tuple(doc.ents)
        self.text = doc.text
        self.demonyms = demonyms
        self.gaz = gaz
        self.cands: list[_Cand] = []
        self.blocked: list[tuple[int, int]] = []  # person-name character ranges
        self.person_tokens: set[str] = set()
        self.first_names = _first_names()
        self.dem = load_demonyms()

    # -- gazetteer helpers -------------------------------------------------------------
    def gaz_lookup(self, name: str) -> list:
        """Every gazetteer entry of ``name``; none when there is no gazetteer or it is broken."""
        if not self.gaz:
            return []
        try:
            return self.gaz.lookup(name)
        except Exception:  # noqa: BLE001 - a broken gazetteer must not stop recognition
            return []

    def _corridor_feature(self, name: str) -> bool:
        return any((c.feature_id or "").startswith("corridor:") for c in self.gaz_lookup(name))

    def gaz_top(self, name: str) -> Any:
        return gazetteer_top(self.gaz, name)

    def kind_for(self, name: str, default: str = "ner") -> str:
        """The kind the words themselves state ("Rapides Parish" is a county). What the
        gazetteer knows about the name is for resolution to weigh, not a textual hint."""
        if re.search(r"\b(?:County|Parish|Borough)$", name):
            return "admin2"
        return default

    def place_like(self, name: str, min_pop: int) -> bool:
        top = self.gaz_top(name)
        if top is None:
            return False
        if " " in name and self._corridor_feature(name):
            return True  # a curated corridor site ("El Florido", "Vado Hondo"): small, but what caravan news names
        if top.kind in ("country", "admin1", "region"):
            return True
        return top.kind == "city" and top.population >= min_pop

    # -- helpers -----------------------------------------------------------------------
    def add(self, start: int, end: int, kind: str, source: str, **kw: Any) -> None:
        start, end = _trim(self.text, start, end)
        if end <= start or not _has_upper(self.text[start:end]) and source != "pattern":
            return
        self.cands.append(_Cand(start, end, kind, source, **kw))

    def is_blocked(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.blocked)

    def prev_word(self, start: int) -> str:
        m = re.search(r"([A-Za-z]+)\.?\s*$", self.text[max(0, start - 30):start])
        return m.group(1) if m else ""

    def titled(self, start: int) -> bool:
        return self.prev_word(start) in _TITLES

    def after_first_name(self, start: int) -> bool:
        m = re.search(r"([A-ZÁÉÍÓÚ][a-záéíóúñ]+)\s+$", self.text[max(0, start - 25):start])
        return bool(m and m.group(1) in self.first_names)

    @staticmethod
    def broken(ent: Span) -> bool:
        """An entity with a preposition inside ("Sayula towards Isla"): not one name."""
        return any(t.text in _NAME_BREAKERS for t in ent[1:-1])

    def _big_place(self, name: str, min_pop: int, exact: bool = False) -> bool:
        """A country, a big state or a town of ``min_pop`` or more; ``exact``: by its own name
        only, not an alternate one ("southern", "part" are alternate names of something)."""
        top = self.gaz_top(name)
        if top is None or exact and (top.kind == "region" or _fold(top.name) != _fold(name)):
            return False
        if exact and min_pop >= 1_000_000 and top.kind == "admin1":
            return False  # lower case: many states are named after common words ("rivers", "delta")
        if top.kind in ("country", "admin1", "region"):
            return top.kind != "admin1" or top.population >= 500_000
        return top.kind == "city" and top.population >= min_pop

    def _orgish(self, name: str) -> bool:
        return any(w in _ORG_WORDS for w in re.findall(r"[A-Za-z]+", name)[1:]) or name.split()[0] in ("University",)

    def _strong_place(self, name: str) -> bool:
        top = self.gaz_top(name)
        if top is not None and top.kind == "country" and name.lower() not in _COMMON_WORDS:
            return True  # a small country is a country too ("Nauru", "Vanuatu" tagged ORG or PERSON)
        if top is not None and " " in name and (top.kind == "region" and _fold(top.name) == _fold(name)
                                                or self._corridor_feature(name)):
            return True  # a region or a corridor site by its full name: "the Darien Gap", "Bajo Chiquito"
        return top is not None and top.kind in ("country", "admin1", "region") and top.population >= 500_000

    def _qualified(self, end: int) -> bool:
        """Followed by ", <state or country>" (", Texas", ", Ga.", ", Mexico")."""
        after = self.text[end:end + 40]
        if _US_STATE_ABBR.match(after):
            return True
        m = re.match(r"\s*,\s*(?:in\s+)?([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)", after)
        if m and self.gaz:
            top = self.gaz_top(m.group(1))
            return top is not None and top.kind in ("country", "admin1")
        return False

    def _place_context(self, start: int, end: int) -> bool:
        prev = self.prev_word(start).lower()
        if prev in _MOVE_VERBS:
            return bool(_MOVERS.search(self.text, max(0, start - 60), start))
        return self._qualified(end) or prev in _STRONG_PREPS or self.after_place_noun(start) or self.motion_to(start)

    def motion_to(self, start: int) -> bool:
        return _MOTION_TO.search(self.text, max(0, start - 70), start) is not None

    def after_place_noun(self, start: int) -> bool:
        """"the city of X", "the border town of X", "the cities of X and Y": a place by its head noun."""
        return _PLACE_NOUN_OF.search(self.text, max(0, start - 60), start) is not None

    def disease(self, start: int, end: int) -> bool:
        """The span names a disease, not a place (see _DISEASE_NAMES)."""
        if _DISEASE_AFTER.match(self.text, end):
            return True
        return self.text[start:end].lower() in _DISEASE_NAMES and not _DISEASE_NOT_AFTER.match(self.text, end)

    def _country_name(self, name: str) -> bool:
        """A country by its own name, capitalised (not an alias, not a given name: "Iceland",
        "China", not "Chad")."""
        if name in self.first_names or not name[:1].isupper():
            return False
        top = self.gaz_top(name)
        return top is not None and top.kind == "country" and _fold(top.name) == _fold(name)

    def _unmistakable(self, name: str, sent_start: bool) -> bool:
        """A capitalised name that is a place wherever it stands, with no place context around
        it ("Nigeria has suffered ...", "march through Bristol"): a country by its own name or
        an alias, a state or province of a million people or a city of UNMISTAKABLE_CITY_POP by
        their own names — never a given name or a demonym, and a common word only when it is a
        country's own name away from a sentence's start ("Why Is China Having ..."). A state or city
        opening a sentence ("Man down.") is not enough: there its capital letter says nothing."""
        if name in _NOT_PLACE_WORDS or name in self.first_names:
            return False
        top = self.gaz_top(name)
        if top is None:
            return False
        if name.lower() in _COMMON_WORDS:
            # a country named like a common word ("China", "Turkey", "Niger") when its capital
            # letter says so: not opening a sentence, and by its own name
            return top.kind == "country" and not sent_start and _fold(top.name) == _fold(name)
        if top.kind == "country":
            return True
        if sent_start or _fold(top.name) != _fold(name):
            return False
        if top.kind == "admin1":
            return top.population >= 1_000_000
        return top.kind == "city" and top.population >= UNMISTAKABLE_CITY_POP
