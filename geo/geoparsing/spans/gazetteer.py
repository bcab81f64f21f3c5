"""Spans the gazetteer recovers where NER saw none, names propagated to their other mentions, and
demonyms.
"""

from __future__ import annotations

import re


from geo.geoparsing.lexicon import (
    _ADMIN_PHRASE,
    _CALENDAR_WORDS,
    _CIVIC_WORDS,
    _Cand,
    _DATELINE,
    _LANGUAGE_LIKE,
    _NOT_AFTER_DEMONYM,
    _NOT_PLACE_WORDS,
    _ORG_WORDS,
    _PLACE_PREPS,
    _PLACE_PREPS_CAP,
    _RIVER_BAD_FIRST,
    _STREET_END,
    _STRONG_PREPS,
    _TITLES,
    _demonym_re,
)
from geo.geoparsing.spans.context import RecognitionContext


#: Entity labels of names a place name can open ("Dublin Arts Council", "Lansing Superior Court").
_ORG_LABELS = frozenset(("ORG", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT"))


#: Words a place span is never widened to: unit and organisation words after a place's name.
_WIDEN_STOP = frozenset(
    """State Province Department Region County Sector Border Port Bridge International Police City The A An This
    That These Those In On At And Or But Of To From For By With Along Across Near Into After Before""".split())


class GazetteerSpans(RecognitionContext):
    """Gazetteer stage of recognition."""

    def gazetteer_recovery(self) -> None:
        """Capitalised words NER did not tag, kept when the gazetteer knows them as places and
        the context is place-like."""
        text = self.text
        for m in _ADMIN_PHRASE.finditer(text):
            s, e = m.span("core")
            words = m.group("core").split()
            # drop leading words that are not part of the name ("In Boone County")
            while len(words) > 2 and (words[0] in _RIVER_BAD_FIRST or words[0] in _TITLES):
                s += len(words[0]) + 1
                words = words[1:]
            if len(words) >= 2 and (words[0] in _RIVER_BAD_FIRST or words[0] in _ORG_WORDS):
                s += len(words[0]) + 1
                words = words[1:]
            if len(words) >= 2:
                self.add(s, e, "admin2", "gazetteer")
        for m in _DATELINE.finditer(text):
            core = m.group("core")
            if len(core) < 3 or not self.gaz:
                continue
            title = " ".join(w.capitalize() for w in core.split())
            if re.search(r"\s(?:County|Parish|Borough)$", title):
                self.add(m.start("core"), m.end("core"), "admin2", "gazetteer", query=title)
            elif self.place_like(title, 1000):
                self.add(m.start("core"), m.end("core"), self.kind_for(title), "gazetteer", query=title)
        if not self.gaz:
            return
        doc = self.doc
        in_ent = set()
        for ent in self.ents:
            if not self.broken(ent):
                in_ent.update(range(ent.start, ent.end))
        max_n = 3
        i = 0
        n = len(doc)
        while i < n:
            tok = doc[i]
            if i in in_ent or not tok.is_title or tok.is_sent_start and i > 0 and doc[i - 1].text not in _PLACE_PREPS:
                i += 1
                continue
            prev = doc[i - 1].text.lower() if i > 0 else ""
            found = None
            for k in range(max_n, 0, -1):
                if i + k > n or any((j in in_ent) or not doc[j].is_title for j in range(i, i + k)):
                    continue
                span = doc[i:i + k]
                name = span.text
                # not the start of a longer capitalised name ("in Tom Smith's")
                if i + k < n and doc[i + k].is_title and doc[i + k].text not in self.dem and doc[i + k].text not in _CALENDAR_WORDS \
                        and not (self._country_name(name) and self.gaz_top(f"{name} {doc[i + k].text}") is None):
                    continue  # (but "Tapachula Sunday": a weekday or month does not lengthen a name;
                    # and a country stays a country in a title-case headline, "Earthquake Shakes Iceland
                    # Volcano", unless the longer name is a place too: "Panama City")
                if name in self.first_names or name in _NOT_PLACE_WORDS or name in self.person_tokens \
                        or i > 0 and doc[i - 1].is_title and doc[i - 1].text not in _RIVER_BAD_FIRST \
                        and self.gaz_top(f"{doc[i - 1].text} {name}") is not None:
                    continue  # (nor the end of one: "New Jersey")
                if name in self.dem:
                    continue
                if (prev in _STRONG_PREPS or self.after_place_noun(span.start_char) or self.motion_to(span.start_char)) \
                        and self.place_like(name, 1000):
                    found = span
                elif self._qualified(span.end_char) and self.place_like(name, 0):
                    found = span
                elif self._unmistakable(name, i == 0 or doc[i].is_sent_start):
                    found = span
                if found is not None:
                    break
            if found is None:
                i += 1
                continue
            if not self.titled(found.start_char) and not self.after_first_name(found.start_char):
                self.add(found.start_char, found.end_char, self.kind_for(found.text), "gazetteer")
            i = found.end

    def _widened(self, chosen: list[_Cand]) -> list[_Cand]:
        """A place span widened to the longer name its neighbours complete, when the gazetteer
        knows both as names of one entry: NER's "Tuxtla" + "Gutiérrez" is "Tuxtla Gutiérrez",
        "Tecun Uman" after "Ciudad" is "Ciudad Tecún Umán" ("Entre" + "Rios" is no name of the
        same place). Up to two words on each side, capitalised (or "de", "del", "la" inside),
        never into another span or a unit word ("Chiapas State")."""
        if not self.gaz:
            return chosen
        text = self.text
        out = []
        for i, c in enumerate(chosen):
            if c.source not in ("ner", "gazetteer") or c.kind == "demonym":
                out.append(c)
                continue
            lo = chosen[i - 1].end if i else 0
            hi = chosen[i + 1].start if i + 1 < len(chosen) else len(text)
            starts = self._word_edges(c.start, lo, before=True)
            ends = self._word_edges(c.end, hi, before=False)
            if len(starts) == len(ends) == 1:
                out.append(c)  # no name word beside it: nothing to look up
                continue
            best = (c.start, c.end)
            own = self._entries(text[c.start:c.end])
            for s in starts:
                for e in ends:
                    if (s, e) != (c.start, c.end) and e - s > best[1] - best[0] and own & self._entries(text[s:e]):
                        best = (s, e)
            out.append(c if best == (c.start, c.end) else _Cand(best[0], best[1], c.kind, c.source, label=c.label))
        return out

    def _word_edges(self, at: int, limit: int, *, before: bool) -> list[int]:
        """``at`` and the edges one and two name words away from it (towards ``limit``)."""
        edges, pos = [at], at
        for _ in range(2):
            if before:  # "Ciudad ", "Playas de "
                m = re.search(r"(?:^|(?<=\s))(?P<w>[A-ZÁÉÍÓÚÑ][\w’'-]*)(?:\s(?:de|del|la))?\s$",
                              self.text[max(limit, pos - 40):pos])
            else:  # " Gutiérrez", " de la Frontera"
                m = re.match(r"\s(?:(?:de|del|la)\s)?(?P<w>[A-ZÁÉÍÓÚÑ][\w’'-]*)", self.text[pos:min(limit, pos + 40)])
            if m is None or m.group("w") in _WIDEN_STOP:
                break
            pos = pos - len(m.group(0)) if before else pos + m.end()
            edges.append(pos)
        return edges

    def _entries(self, name: str) -> set:
        """The gazetteer entries (GeoNames ids, curated feature ids) ``name`` can be."""
        return {c.geonameid or c.feature_id for c in self.gaz_lookup(name)} - {None}

    def _propagate(self, chosen: list[_Cand]) -> list[_Cand]:
        """One sense per discourse: a name recognised as a place once is a place at its other
        occurrences too ("in Gainesville" ... "Gainesville Police said"), unless they are part
        of a longer capitalised name or a person's name."""
        text = self.text
        person_votes: dict[str, int] = {}
        for ent in self.ents:
            if ent.label_ == "PERSON":
                person_votes[ent.text] = person_votes.get(ent.text, 0) + 1
        place_votes: dict[str, int] = {}
        for c in chosen:
            name = text[c.start:c.end]
            place_votes[name] = place_votes.get(name, 0) + 1
        names: dict[str, _Cand] = {}
        for c in chosen:
            if c.label == "place-def":
                names.setdefault(text[c.start:c.end], c)  # the text says it is a place: every mention is
                continue
            if (c.source in ("ner", "gazetteer") or c.label == "place-noun") and c.kind != "demonym":
                name = text[c.start:c.end]
                if (
                    len(name) >= 3 and not name.isupper() and name not in self.person_tokens
                    and name not in self.first_names and self.place_like(name, 1000)
                    and place_votes[name] >= person_votes.get(name, 0)
                ):
                    names.setdefault(name, c)
        if not names:
            return []
        taken = sorted((c.start, c.end) for c in chosen)
        extra: list[_Cand] = []
        rx = re.compile(r"(?<![\w.-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w-])")
        for m in rx.finditer(text):
            s, e = m.span()
            if any(a < e and s < b for a, b in taken) or self.is_blocked(s, e):
                continue
            after = re.match(r"\s+([A-Z][\w’']*)", text[e:e + 30])
            if after and after.group(1) not in _CIVIC_WORDS and after.group(1) not in _ORG_WORDS \
                    and not self._opens_org(s, e):
                continue
            before = re.search(r"([A-Z][\w’']*)\s+$", text[max(0, s - 30):s])
            if before and not re.search(r"(?:[.!?\"“”]|\n)\s*\S+\s+$", text[max(0, s - 40):s]) and before.group(1) not in _PLACE_PREPS_CAP:
                continue
            if self.titled(s) or self.after_first_name(s):
                continue
            src = names[m.group(0)]
            extra.append(_Cand(s, e, src.kind, src.source, label=src.label, query=src.query))
            taken.append((s, e))
        return extra

    def _opens_org(self, start: int, end: int) -> bool:
        """``text[start:end]`` opens the name of an organisation, a building or an event that NER
        found ("the Dublin Arts Council", "Lansing State Journal"), not of a street."""
        return any(ent.label_ in _ORG_LABELS and ent.start_char <= start and ent.end_char > end
                   and self.text[ent.start_char:start].strip().lower() in ("", "the")
                   and not _STREET_END.search(ent.text) for ent in self.ents)

    def demonym_tokens(self) -> None:
        """Demonyms NER did not label NORP ("Honduran migrants" tagged nothing or GPE)."""
        if not self.demonyms:
            return
        text = self.text
        spans = [(e.start_char, e.end_char, e.label_) for e in self.ents]
        for m in _demonym_re().finditer(text):
            s, e = m.span()
            word = m.group(0)
            a, b, label = next(((a, b, lab) for a, b, lab in spans if a <= s < b), (s, e, ""))
            if label in ("LANGUAGE", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "FAC"):
                continue
            if label in ("PERSON", "ORG") and text[a:s].strip().lower() not in ("", "the"):
                continue  # inside a name ("Bank of Mexican Workers"), not its adjective
            # the whole of an ORG entity ("Guatemalan authorities": NER tags the adjective alone) or
            # before a person's name ("said Honduran Zulma Berrios"), it says whose
            if label == "ORG" and text[e:b].strip():
                if self.gaz_top(text[s:b]) is not None:
                    continue  # the name of a place itself: "the European Union"
                # opening a longer organisation's name ("the Guatemalan National Civil Police", "the
                # British Overseas Territory"): a toponym, but no evidence of where the story is
                label = "in-ORG"
            if word in _LANGUAGE_LIKE and label != "NORP":
                # "speaks Spanish": a language unless followed by a noun-like lower-case word
                nxt = re.match(r"\s+([a-z]+)", text[e:e + 30])
                if nxt is None or nxt.group(1) in _NOT_AFTER_DEMONYM:
                    continue
            self.add(s, e, "demonym", "demonym", label=label, query=self.dem[word].country_name)

    def _demonym_at(self, start: int, end: int) -> None:
        if not self.demonyms:
            return
        form = self.text[start:end]
        d = self.dem.get(form)
        if d is None and form == "U.S.":
            return
        if d is not None:
            self.add(start, end, "demonym", "demonym", query=d.country_name)
