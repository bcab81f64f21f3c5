"""Spans from spaCy's named entities: places, nationalities, organisations that hold a place name,
people (rejected).
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from geo.geoparsing.lexicon import (
    _ABBREV_END,
    _ADMIN_PHRASE,
    _ADMIN_SUFFIX,
    _CIVIC_WORDS,
    _COMMON_WORDS,
    _GEO_HEAD,
    _NOT_PLACE_WORDS,
    _ORG_WORDS,
    _PLACE_PREPS,
    _STREETISH,
    _STREET_END,
    _TITLES,
    _has_upper,
    _trim,
)
from geo.geoparsing.spans.context import RecognitionContext

#: Entity kinds that can hold a country's name without being a place themselves.
_HOLDS_COUNTRY = frozenset(("ORG", "PERSON", "PRODUCT", "WORK_OF_ART", "EVENT", "FAC", "DATE"))
_COUNTRY_CODES = frozenset(("U.S.", "US", "USA", "U.S.A.", "UK", "U.K."))

#: Words of a role or an organisation after which a PERSON entity's earlier words are no name.
_ROLE_WORDS = _TITLES | _ORG_WORDS | _CIVIC_WORDS | frozenset(
    "GM CEO Superintendent Spokesman Spokeswoman Spokesperson Manager Selectman Selectwoman Supervisor "
    "Elementary Councillor Councilor Alderman Parks Recreation".split())


class NerSpans(RecognitionContext):
    """NER stage of recognition."""

    def ner(self) -> None:
        text = self.text
        for ent in self.ents:
            label = ent.label_
            if label in ("PERSON", "ORG", "GPE", "LOC", "FAC") and self.broken(ent):
                if label in _HOLDS_COUNTRY:
                    self._countries_inside(ent)  # "U.S. Customs and Border Protection"
                continue  # its names are found one by one by the gazetteer pass
            s, e = _trim(text, ent.start_char, ent.end_char)
            if e <= s:
                continue
            name = text[s:e]
            if label in ("GPE", "LOC"):
                self._ner_place(ent, s, e, name, label)
            elif label == "FAC":
                if re.search(r"\b(?:[Bb]ridge|[Cc]rossing|[Pp]ort of [Ee]ntry)$", name):
                    self.add(s, e, "crossing", "ner", label=label)
                elif self.place_like(name, 5000) and not self._orgish(name):
                    self.add(s, e, self.kind_for(name), "ner", label=label)
            elif label == "NORP":
                self._ner_norp(ent, s, e, name)
            elif label in ("ORG", "PERSON", "PRODUCT", "WORK_OF_ART", "EVENT"):
                self._ner_other(ent, s, e, name, label)
            if label in _HOLDS_COUNTRY and len(ent) > 1 and not _STREET_END.search(name):
                self._countries_inside(ent)

    def _countries_inside(self, ent: Span) -> None:
        """A country by its own name (or "U.S.", "UK") inside a longer entity of another kind:
        "the U.S. Department of Health", "Nigeria's Ebola success", "Thousands Protest In Hungary
        Against Corruption" (not a street's: "Malta Road"). Weakest source: a place NER or a
        pattern found there wins."""
        toks = [t for t in ent if t.text[:1].isupper()]
        for t in toks:
            for n in (3, 2, 1):
                run = ent.doc[t.i:t.i + n]
                if run.end > ent.end or any(not w.text[:1].isupper() for w in run):
                    continue
                nxt = ent.doc[run.end] if run.end < ent.end else None
                if nxt is not None and nxt.text[:1].isupper() and self.gaz_top(f"{run.text} {nxt.text}") is not None:
                    break  # the start of a longer place name: "Panama City Beach"
                if run.text in _COUNTRY_CODES or self._country_name(run.text):
                    self.add(run.start_char, run.end_char, "country", "gazetteer", label="in-" + ent.label_)
                    break

    def _ner_place(self, ent: Span, s: int, e: int, name: str, label: str) -> None:
        m = re.search(r"(?:\s+[a-z][\w'’-]*)+$", name)  # "Fargo city", "City of" -> drop the tail
        if m:
            e = s + m.start()
            name = self.text[s:e]
        if not _has_upper(name) or name in _NOT_PLACE_WORDS:
            return
        if self.titled(s) or self.after_first_name(s):
            return
        words = name.split()
        if all(w in self.person_tokens for w in words) and not self._strong_place(name):
            return
        if len(words) >= 2 and words[0] in self.first_names and not self.place_like(name, 0) and not _ADMIN_SUFFIX.match(words[-1]):
            return
        if name in self.dem:
            # "American" tagged GPE: it is a demonym.
            self._demonym_at(s, e)
            return
        known = self.place_like(name, 0)
        if self.gaz and not known and name.endswith(" City") and self.place_like(name[:-5], 1000):
            e -= 5
            name = name[:-5]
            known = True
        if not known and _STREETISH.search(name):
            # "Anderson County Jail" -> "Anderson County"; streets and buildings are dropped
            sub = _ADMIN_PHRASE.search(name)
            if sub:
                self.add(s + sub.start("core"), s + sub.end("core"), "admin2", "ner", label=label)
            return
        # An entity that is really an organisation with a place name inside ("Ohio State University").
        if not known and self._orgish(name):
            self._embedded(s, e)
            return
        if self.gaz and not known:
            if not (_GEO_HEAD.search(name) or _ABBREV_END.search(name) or self._ner_context(s, e)):
                return
        self.add(s, e, self.kind_for(name), "ner", label=label)

    def _ner_context(self, s: int, e: int) -> bool:
        """Place-like context for a name NER tagged as a place but the gazetteer does not know."""
        if self.prev_word(s).lower() in _PLACE_PREPS or self._qualified(e):
            return True
        after = self.text[e:e + 12]
        return bool(re.match(r"(?:-based|\s*,\s*[A-Z][a-z]+\.?\s*(?:\(|[—–-]))", after))

    def _ner_norp(self, ent: Span, s: int, e: int, name: str) -> None:
        if name not in self.dem and self._unmistakable(name, True):
            self.add(s, e, "country", "ner", label="NORP")  # "in Togo" tagged as a nationality
            return
        if name not in self.dem and name.lower() not in _COMMON_WORDS \
                and not any(w in self.dem for w in re.findall(r"[A-Z]\w+", name)):
            self._ner_other(ent, s, e, name, "NORP")  # "rebels in Aleppo", "hometown of Lahore"
            return
        if not self.demonyms:
            return
        if name in self.dem:
            self.add(s, e, "demonym", "demonym", label="NORP", query=self.dem[name].country_name)
            return
        # "Russian-American", "Mexican-Americans": each part that is a demonym.
        for m in re.finditer(r"[A-Z][\w]+(?:\s[A-Z][\w]+)?", name):
            part = m.group(0)
            if part in self.dem:
                self.add(s + m.start(), s + m.end(), "demonym", "demonym", label="NORP", query=self.dem[part].country_name)
            elif " " in part:
                for w in re.finditer(r"[A-Z]\w+", part):
                    if w.group(0) in self.dem:
                        self.add(s + m.start() + w.start(), s + m.start() + w.end(), "demonym", "demonym", label="NORP",
                                 query=self.dem[w.group(0)].country_name)

    def _ner_other(self, ent: Span, s: int, e: int, name: str, label: str) -> None:
        """ORG/PERSON/... entities that are places (gazetteer + context), or contain one."""
        if not self.gaz:
            return
        if label == "PERSON" and self.is_blocked(s, e) and not self._qualified(e):
            return
        if self.titled(s):
            return
        words = name.split()
        if (not self._orgish(name) or self._strong_place(name)) and len(words) <= 3:
            if self._strong_place(name) or self._unmistakable(name, bool(ent[0].is_sent_start)) or (
                    self.place_like(name, 1000) and self._place_context(s, e)):
                if not (len(words) == 1 and name in self.person_tokens and not self._strong_place(name)):
                    self.add(s, e, self.kind_for(name), "gazetteer", label=label)
                    return
        if label == "ORG":
            self._embedded(s, e)

    def _embedded(self, s: int, e: int) -> None:
        """Place names inside an organisation's name: "University of Cincinnati", "Ohio State
        University", "Dublin City Council", "Boone County Sheriff's Office"."""
        text = self.text
        sub = text[s:e]
        m = _ADMIN_PHRASE.search(sub)
        if m:
            self.add(s + m.start("core"), s + m.end("core"), "admin2", "gazetteer")
            return
        # "... of X" at the end
        m = re.search(r"\bof\s+(?:the\s+)?(?P<p>[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){0,2})$", sub)
        if m and not self._orgish(m.group("p")) and self.place_like(m.group("p"), 20000):
            # an institution is named after a state or a country when one has that name
            # ("University of Texas"), not after a village of it
            top = self.gaz_top(m.group("p"))
            kind = top.kind if top is not None and top.kind in ("country", "admin1") else self.kind_for(m.group("p"))
            self.add(s + m.start("p"), s + m.end("p"), kind, "gazetteer")
            return
        # "X <org word>..." at the start
        words = list(re.finditer(r"[A-Z][\w.’'-]*", sub))
        for n in (3, 2, 1):
            if len(words) <= n:
                continue
            first, last = words[0], words[n - 1]
            if first.start() != 0:
                break
            cand = sub[first.start():last.end()]
            if self._orgish(cand):
                continue
            nxt = words[n].group(0)
            if nxt in _CIVIC_WORDS and self.place_like(cand, 5000):
                self.add(s + first.start(), s + last.end(), self.kind_for(cand), "gazetteer")
                return
            # "Mount Pleasant High School", "Tennessee Senior Olympics": a state or country heads
            # any organisation's name, a town one named by an organisation word after it; not a
            # word that is also a direction or a common noun ("Western State Hospital"), nor a
            # person's name ("Graham Middle School")
            first_word = cand.split()[0]
            if first_word.lower() in _COMMON_WORDS or first_word in self.first_names or cand in self.person_tokens:
                continue
            if self._strong_place(cand) or (
                    nxt in _ORG_WORDS and self.place_like(cand, 5000 if " " in cand else 50000)):
                self.add(s + first.start(), s + last.end(), self.kind_for(cand), "gazetteer")
                return

    def persons(self) -> None:
        for ent in self.ents:
            if ent.label_ != "PERSON" or self.broken(ent):
                continue
            ent = self._after_role_word(ent)
            if ent is None:
                continue
            if len(ent) > 1 and ent[0].text in self.dem:
                ent = ent[1:]  # "said Honduran Zulma Berrios": the nationality is no part of the name
            toks = [t.text for t in ent if t.is_alpha]
            if _ADMIN_PHRASE.search(ent.text):
                continue
            if self.titled(ent.start_char) or (toks and toks[0] in self.first_names) or (
                len(toks) >= 2 and not self.place_like(ent.text, 0)
            ):
                self.blocked.append((ent.start_char, ent.end_char))
                self.person_tokens.update(t for t in toks if t[:1].isupper())

    def _after_role_word(self, ent: Span) -> Span | None:
        """The part of a PERSON entity that can be a person's name: "Erie GM", "Charles City
        Sheriff Javier Smith", "Lawrenceburg Parks" put a place before a role or an organisation
        word, and the words before it name where, not whom (None when nothing is left). With no
        name after the role word the place must be a town of 10,000 ("Arcade Fire" is a band)."""
        for i, tok in enumerate(ent):
            if i > 0 and tok.text in _ROLE_WORDS:
                rest = ent[i + 1:]
                if self.place_like(ent[:i].text, 1000 if len(rest) else 10_000):
                    return rest if len(rest) else None
        return ent
