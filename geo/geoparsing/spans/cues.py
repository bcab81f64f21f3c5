"""Spans the text itself marks as places: names it defines ('the town of X'), 'X-based', place
nouns, place names used as modifiers ('the Napa earthquake'), lower-case names, hashtags.
"""

from __future__ import annotations

import re


from geo.geoparsing.lexicon import (
    _APPOSITIVE_PLACE,
    _BASED_IN,
    _CASELESS,
    _COMMON_WORDS,
    _DEFINED_PLACE,
    _HASHTAG,
    _HASHTAG_CUT,
    _MODIFIER_NOT_NAME,
    _NAMES_BEFORE_UNITS,
    _NOT_NAMES,
    _NOT_PLACE_WORDS,
    _PARTY_HOME,
    _PLACE_MODIFIER,
    _PLACE_NOUN_NAME,
    _RIVER_BAD_FIRST,
    _TOWN_POSTAL,
    _US_STATE_ABBREV,
    _fold,
    _trim,
)
from geo.geoparsing.spans.context import RecognitionContext


class CueSpans(RecognitionContext):
    """Cue stage of recognition."""

    # -- passes ------------------------------------------------------------------------
    def defined_places(self) -> None:
        """Names the text defines as places: "X is a town in Y", "X, a city near Y,"."""
        text = self.text
        for rx in (_DEFINED_PLACE, _APPOSITIVE_PLACE):
            for m in rx.finditer(text):
                s, e = m.span("name")
                name = m.group("name")
                if name.split()[0] in _NOT_NAMES or name in _NOT_PLACE_WORDS or name in self.dem:
                    continue
                if rx is _APPOSITIVE_PLACE and (not self.place_like(name, 0) or m.group("noun").lower().startswith(
                        ("district", "department", "region"))):
                    continue  # an appositive is weaker evidence: the gazetteer must know the name ("a school district")
                if m.group("noun")[:1].isupper() and m.group("noun").lower().startswith(("department", "district", "region")):
                    continue  # "a Department of Defense agency": an organisation
                noun = m.group("noun").lower()
                kind = ("admin2" if noun.startswith(("count", "parish")) else
                        "admin1" if noun.startswith(("state", "province")) else
                        "country" if noun.startswith("countr") else "city" if noun.startswith(
                            ("cit", "town", "village", "hamlet", "municip", "census", "cdp", "populated", "borough",
                             "communit", "suburb", "commune", "localit", "settlement")) else "ner")
                self.add(s, e, kind, "pattern", label="place-def")

    def based_in(self) -> None:
        """"the Sligo-based mother", "a Columbia-based firm": a place by the "-based" after it."""
        if not self.gaz:
            return
        for m in _BASED_IN.finditer(self.text):
            words = list(re.finditer(r"\S+", m.group("name")))
            for w in words:  # the longest place that ends before "-based" ("A Columbia-based")
                name = m.group("name")[w.start():]
                if name in self.dem or name.lower() in _COMMON_WORDS or self._orgish(name):
                    continue
                if self.place_like(name, 1000):
                    self.add(m.start("name") + w.start(), m.end("name"), self.kind_for(name), "pattern")
                    break

    def caseless_names(self) -> None:
        """Country, state and big-city names written all in lower case or in capitals."""
        if not self.gaz:
            return
        for m in _CASELESS.finditer(self.text):
            raw = m.group("name")
            name = raw.title()
            if raw.isupper() and re.search(r"\b(?:BY|By|by)\s+$", self.text[max(0, m.start() - 4):m.start()]):
                continue  # a byline in capitals ("BY KENT SMITH")
            first, _, second = name.partition(" ")
            # the two words together, else each alone ("earthquake japan": the second)
            for cand, off in ((name, 0), (first, 0), (second, len(first) + 1)) if second else ((name, 0),):
                if cand.lower() in _COMMON_WORDS or cand.split()[0].lower() in _COMMON_WORDS or cand in self.dem \
                        or cand in _NOT_PLACE_WORDS:
                    continue
                if self._big_place(cand, 1_000_000 if raw.islower() else 100_000, exact=True):
                    s = m.start("name") + off
                    self.add(s, s + len(cand), "ner", "pattern", label="caseless", query=cand)
                    break

    def town_and_postal_code(self) -> None:
        """"Modesto, CA", "Moore, OK, tornado", "Kingsport TN": a town followed by the postal code
        of a US state it lies in (by the gazetteer) names the town and the state."""
        if not self.gaz:
            return
        for m in _TOWN_POSTAL.finditer(self.text):
            words = list(re.finditer(r"\S+", m.group("town")))
            state = "US." + m.group("st")
            for w in words:  # the longest name that ends before the code ("In Moore": "Moore")
                s = m.start("town") + w.start()
                town = _trim(self.text, s, m.end("town"))
                name = self.text[town[0]:town[1]]
                if any(c.admin1 == state for c in self.gaz_lookup(name)):
                    self.add(town[0], town[1], self.kind_for(name, "city"), "pattern", label="postal")
                    self.add(m.start("st"), m.end("st"), "admin1", "pattern", label="postal")
                    break

    def party_homes(self) -> None:
        """"Tom Bakk, DFL-Cook, said", "Rep. Torrey Westrom (R-Elbow Lake)", "both D-W. Va.": the
        home after a legislator's party letter is a place, whatever NER made of it. The longest
        run of its words that is a state's abbreviation, a gazetteer place or a county ("D-Kanawha"
        is Kanawha County when no town has the name)."""
        if not self.gaz:
            return
        for m in _PARTY_HOME.finditer(self.text):
            words = list(re.finditer(r"\S+", m.group("home")))
            for n in range(len(words), 0, -1):
                s, e = m.start("home"), m.start("home") + words[n - 1].end()
                name = self.text[s:e]
                code = _US_STATE_ABBREV.get(name)
                state = self.gaz.admin1("US." + code) if code and hasattr(self.gaz, "admin1") else None
                if state is not None:
                    self.add(s, e, "admin1", "pattern", label="party-home", query=state.name)
                    break
                if name.endswith("."):
                    e -= 1
                    name = name[:-1]
                if name in _NOT_PLACE_WORDS or name.lower() in _COMMON_WORDS:
                    continue
                if self.place_like(name, 0):
                    self.add(s, e, self.kind_for(name), "pattern", label="party-home")
                    break
                if self.place_like(f"{name} County", 0) or self._is_county(f"{name} County"):
                    self.add(s, e, "admin2", "pattern", label="party-home", query=f"{name} County")
                    break

    def _is_county(self, name: str) -> bool:
        top = self.gaz_top(name)
        return top is not None and top.kind == "admin2"

    def names_before_units(self) -> None:
        """"Barrow, Jackson and Madison counties", "the Williams and Cranberry rivers": each name
        of a list before a plural unit noun is one of those units, whatever NER made of it."""
        for m in _NAMES_BEFORE_UNITS.finditer(self.text):
            unit = m.group("unit")
            kind = "river" if unit == "rivers" else "admin2"
            head = {"counties": "County", "parishes": "Parish", "rivers": "River"}[unit]
            for n in re.finditer(r"[A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*)?", m.group("list")):
                s, e = m.start("list") + n.start(), m.start("list") + n.end()
                first = n.group(0).split()[0]
                if first in _RIVER_BAD_FIRST or first in _NOT_NAMES:  # "In Barrow", "The Williams"
                    s += len(first) + 1
                if s < e:  # looked up as the unit it is: "Douglas" as "Douglas County"
                    self.add(s, e, kind, "pattern", label="unit-list", query=f"{self.text[s:e]} {head}")

    def named_by_place_noun(self) -> None:
        """"the town of Vado Hondo": the longest run of capitalised words after a place noun
        that the gazetteer knows is a place, however NER split or labelled it."""
        if not self.gaz:
            return
        text = self.text
        for m in _PLACE_NOUN_NAME.finditer(text):
            words = list(re.finditer(r"\S+", m.group("name")))
            for n in range(len(words), 0, -1):
                if words[n - 1].group(0)[:1].islower():
                    continue  # a name does not end on a particle
                s, e = m.start("name"), m.start("name") + words[n - 1].end()
                e = _trim(text, s, e)[1]
                name = text[s:e]
                top = self.gaz_top(name)
                if top is not None and top.kind in ("city", "admin2", "crossing", "facility", "place") and name not in self.dem:
                    self.add(s, e, "city" if top.kind == "city" else top.kind, "pattern", label="place-noun")
                    break

    def hashtags(self) -> None:
        """"#Ferguson", "#SierraLeone": a hashtag naming a country, a state or a sizeable town."""
        if not self.gaz:
            return
        for m in _HASHTAG.finditer(self.text):
            tag = m.group("tag")
            words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", tag)
            name = words if words != tag else (tag.title() if tag.islower() or tag.isupper() else tag)
            if name in self.dem or name in _NOT_PLACE_WORDS or name.lower() in _COMMON_WORDS:
                continue
            # a town needs a capital letter ("#Berkeley"); in lower case ("#police", "#sunset")
            # only a country, a big state or a big city, by its own name
            if self._big_place(name, 10_000) if tag[:1].isupper() else self._big_place(name, 1_000_000, exact=True):
                self.add(m.start("tag"), m.end("tag"), "ner", "pattern", label="hashtag", query=name if name != tag else None)
            elif words != tag:
                self._hashtag_part(m.start("tag"), tag)
        self._cut_hashtags()

    def _cut_hashtags(self) -> None:
        """"#Gaza_Under_Attack", "#Ceasefire4Gaza": each run of letters of a hashtag cut by digits
        or underscores is read as a camel-case hashtag's words are (a run alone as a whole word)."""
        for m in _HASHTAG_CUT.finditer(self.text):
            for run in re.finditer(r"[A-Za-z]+", m.group("tag")):
                self._hashtag_part(m.start("tag") + run.start(), run.group(0), whole=True)

    def _hashtag_part(self, start: int, tag: str, whole: bool = False) -> None:
        """"#GazaUnderAttack", "#PrayForBrazil", "#FergusonOctober": the longest run of a
        camel-case hashtag's words that names a country or a town of 10,000 by its own name."""
        parts = [(p.start(), p.end()) for p in re.finditer(r"[A-Z][a-z]+", tag)]
        for n in range(len(parts) - (0 if whole else 1), 0, -1):
            for i in range(len(parts) - n + 1):
                run = parts[i:i + n]
                if any(run[k][1] != run[k + 1][0] for k in range(n - 1)):
                    continue
                name = " ".join(tag[a:b] for a, b in run)
                if len(name) < 4 or name in self.dem or name in _NOT_PLACE_WORDS or name.lower() in _COMMON_WORDS:
                    continue
                if self._big_place(name, 10_000, exact=True) or any(
                        c.kind == "city" and c.population >= 10_000 and _fold(c.name) == _fold(name)
                        for c in self.gaz_lookup(name)):
                    s, e = start + run[0][0], start + run[-1][1]
                    self.add(s, e, "ner", "pattern", label="hashtag", query=name if n > 1 else None)
                    return

    def place_modifiers(self) -> None:
        """"Ferguson protest", "the Napa earthquake", "NYC students": the longest tail of the
        capitalised words before an event or civic noun that the gazetteer knows as a country,
        a state or a town of 1,000 by its own name (not a common word, a given name or a demonym)."""
        if not self.gaz:
            return
        text = self.text
        for m in _PLACE_MODIFIER.finditer(text):
            run = m.group("run")
            words = list(re.finditer(r"\S+", run))
            for w in words:
                name = run[w.start():].rstrip(".")
                if not name[:1].isupper() or name in self.dem or name in _NOT_PLACE_WORDS \
                        or name.lower() in _COMMON_WORDS or name in self.first_names or name in _NOT_NAMES \
                        or any(x in _MODIFIER_NOT_NAME for x in name.split()):
                    continue
                top = self.gaz_top(name)
                if top is None or _fold(top.name) != _fold(name) and top.kind not in ("country", "admin1"):
                    continue
                if name.isupper() and len(name) > 3 and top.kind != "country":
                    continue  # "POLICE OFFICERS RAIDED": a shouted word, not Police, Poland
                # the whole capitalised run, or a tail of it that is a town of 10,000 ("Criticize Ferguson")
                if not self.place_like(name, 1000 if w.start() == 0 else 10_000):
                    continue
                s = m.start("run") + w.start()
                if self.titled(s) or self.after_first_name(s):
                    break
                self.add(s, s + len(name), self.kind_for(name), "gazetteer", label="place-modifier")
                break
