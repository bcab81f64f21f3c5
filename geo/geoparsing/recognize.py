"""Place-mention recognition: text -> :class:`~geo.model.Mention` records (no coordinates).

Four sources of candidates, merged into one sorted, non-overlapping list per text:

``pattern``
    Curated regular expressions for what caravan news is full of and statistical NER misses:
    border lines ("the US-Mexico border", "Mexico's southern border with Guatemala",
    "the U.S. southwest border"), border crossings, bridges and ports of entry ("the main
    border crossing with Guatemala", "the San Ysidro port of entry", "the Rodolfo Robles
    bridge"), highways ("Highway 200", "the coastal highway") and rivers ("the Suchiate
    River", "Rio Grande"). Curated features get ``feature_ids`` (``border:US-MX``,
    ``border:MX-GT``, ``border:MX-BZ``, the borders further south ``border:GT-HN`` ...
    ``border:PA-CO``, ``highway:MEX-200``, ``port:<BTS code>`` from
    ``us_mexico_ports.csv``, ``crossing_id`` from ``mx_south_crossings.csv``). The name after a
    place noun ("the town of Vado Hondo", "the city of Juchitan") is a place when the gazetteer
    knows it, however NER split or labelled it.
``ner``
    spaCy entities: GPE and LOC; FAC only when it is a crossing/bridge or a known populated
    place (streets and buildings are not places on a map); ORG and PERSON only when the
    gazetteer knows the name as a sizeable place and the context is place-like.
``demonym``
    Demonyms and adjectival forms ("Honduran migrants", "Central American countries") from
    ``data/gazetteer/demonyms.csv``: ``kind_hint="demonym"`` and ``query`` = the country or
    region they point to. Off with ``demonyms=False``.
``pattern`` (also)
    Hashtags that name a place ("#Ferguson", "#SierraLeone": a country, a big state, or a
    town of 10,000 people or more when capitalised); country and big-city names written all in
    lower case or in capitals ("crossing into mexico", "GENEVA (Reuters)"), never a common word.
``gazetteer``
    Capitalised words NER missed or gave another label, kept when the gazetteer knows them and
    the context is place-like ("in X", "near X", "X, Texas", "walked ... to X", datelines such
    as "COLUMBUS, Ohio --", "X County"). An entity that spans a preposition ("Sayula towards
    Isla" tagged PERSON) is read as the names on either side of it.

Span conventions
----------------
* Spans are exact (``text[m.start:m.end] == m.name``), never include a leading "the", a
  possessive "'s" or trailing punctuation.
* A feature phrase is split into the place names it contains and a *head* mention that carries
  the feature: "Mexico's southern border with Guatemala" gives ``Mexico`` (country),
  ``southern border`` (kind ``border``, ``feature_ids=("border:MX-GT",)``) and ``Guatemala``
  (country); "the US-Mexico border" gives ``US``, ``Mexico`` and ``border``; "the San Ysidro
  port of entry" gives ``San Ysidro`` (place) and ``port of entry`` (``port:2504``). The head
  mention's ``query`` is the whole phrase (e.g. ``"Mexico's southern border with Guatemala"``)
  so a reader sees what it stands for. Country names thus stay toponyms of their own and the
  list stays non-overlapping. Names that *are* the feature (bridges named after people such
  as "Rodolfo Robles bridge", rivers, highways) are one mention.
* Bare "the border" is not a mention; "the southwest border" without a country is the
  US-Mexico border; "the southern border" is offered as the US-Mexico or the Mexico-Guatemala
  border, and a border named by one side ("the Guatemalan border") as each border that side
  shares with a neighbour caravans cross to, the usual one first: resolution picks by the
  story's other places.

The gazetteer is optional: ``recognize_doc(doc, gazetteer=None)`` loads
:func:`geo.gazetteer.index.load_gazetteer` lazily when it can and works without it (NER, patterns and
demonyms only); pass ``gazetteer=False`` to switch it off explicitly.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from geo.model import Mention
from geo.text.nlp import SPACY_MODEL, use_numpy_matmul
from geo.geoparsing.lexicon import (
    Demonym,
    _AT_USER,
    _Cand,
    _RETWEET_MARK,
    load_demonyms,
)
from geo.geoparsing.spans.cues import CueSpans
from geo.geoparsing.spans.facilities import FacilitySpans
from geo.geoparsing.spans.gazetteer import GazetteerSpans
from geo.geoparsing.spans.ner import NerSpans
from geo.geoparsing.spans.patterns import PatternSpans

__all__ = [
    "load_nlp",
    "recognize",
    "recognize_doc",
    "recognize_many",
    "recognize_patterns_with",
    "load_demonyms",
    "Demonym",
    "SPACY_MODEL",
]



log = logging.getLogger(__name__)


# Components recognition does not need. NER has its own embedded tok2vec in the small English
# pipeline, and sentence boundaries come from the fast "senter" instead of the parser.
_EXCLUDE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


@functools.lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The shared spaCy pipeline for recognition: ``senter`` + ``ner`` only (cached)."""
    use_numpy_matmul()
    nlp = spacy.load(SPACY_MODEL, exclude=list(_EXCLUDE))
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    nlp.max_length = max(nlp.max_length, 5_000_000)
    return nlp


class _Recognizer(PatternSpans, FacilitySpans, CueSpans, NerSpans, GazetteerSpans):
    """One text's recognition: every stage's spans, then the mentions (see the stage modules)."""

    # -- merge -------------------------------------------------------------------------
    def mentions(self) -> list[Mention]:
        text = self.text
        chosen: list[_Cand] = []
        for c in sorted(self.cands, key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
            if c.source != "pattern" and self.is_blocked(c.start, c.end):
                continue
            if c.kind == "demonym" and not self.demonyms:
                continue
            if self.disease(c.start, c.end):
                continue
            if _RETWEET_MARK.fullmatch(self.text, c.start, c.end) and _AT_USER.match(self.text, c.end):
                continue  # "MT @user", "HT @user": a tweet's modified-tweet or hat-tip mark, not Montana
            if any(o.start < c.end and c.start < o.end for o in chosen):
                continue
            chosen.append(c)
        chosen.extend(self._propagate(chosen))
        chosen.sort(key=lambda c: (c.start, c.end))
        chosen = self._widened(chosen)
        out = []
        for c in chosen:
            name = text[c.start:c.end]
            query = c.query if c.query and c.query != name else None
            out.append(Mention(start=c.start, end=c.end, name=name, kind_hint=c.kind, source=c.source,
                               label=c.label, query=query, feature_ids=c.feature_ids))
        return out


_GAZ_STATE: dict[str, Any] = {}


def _default_gazetteer() -> Any:
    """The project gazetteer if it can be loaded, else None (recognition works without it)."""
    if "gaz" not in _GAZ_STATE:
        try:
            from geo.gazetteer.index import load_gazetteer

            _GAZ_STATE["gaz"] = load_gazetteer()
        except Exception as err:  # noqa: BLE001 - optional dependency of recognition
            log.warning("recognition runs without the gazetteer: %s", err)
            _GAZ_STATE["gaz"] = None
    return _GAZ_STATE["gaz"]


def recognize_doc(doc: Doc, *, demonyms: bool = True, gazetteer: Any = None) -> list[Mention]:
    """Place mentions in a spaCy ``Doc`` (made by :func:`load_nlp`): sorted, non-overlapping,
    exact spans. ``gazetteer=None`` uses the project gazetteer when available; ``False``
    switches it off; any object with ``lookup(name) -> list[Candidate]`` works."""
    if not doc.text.strip():
        return []
    gaz = _default_gazetteer() if gazetteer is None else (gazetteer or None)
    r = _Recognizer(doc, demonyms, gaz)
    r.persons()
    r.patterns()
    r.facilities()
    r.hashtags()
    r.based_in()
    r.caseless_names()
    r.town_and_postal_code()
    r.names_before_units()
    r.party_homes()
    r.defined_places()
    r.named_by_place_noun()
    r.place_modifiers()
    r.ner()
    r.demonym_tokens()
    r.gazetteer_recovery()
    return r.mentions()


def recognize_patterns_with(
    doc: Doc, candidates: Iterable[tuple[int, int, str, str, str | None, tuple[str, ...]]], *, gazetteer: Any = None
) -> list[Mention]:
    """Place mentions from the curated patterns alone (borders, named bridges, ports,
    highways incl. "Carretera Costera", rivers incl. "río Suchiate": regular expressions that
    read names, not English grammar) plus the caller's ``candidates`` ``(start, end, kind,
    source, query, feature_ids)``, merged as :func:`recognize_doc` merges. No NER, no
    English context rules: the hook :mod:`geo.geoparsing.places_es` uses for Spanish text."""
    if not doc.text.strip():
        return []
    gaz = _default_gazetteer() if gazetteer is None else (gazetteer or None)
    r = _Recognizer(doc, False, gaz)
    r.patterns()
    for start, end, kind, source, query, fids in candidates:
        r.add(start, end, kind, source, query=query, feature_ids=tuple(fids))
    return r.mentions()


def recognize(text: str, *, demonyms: bool = True, gazetteer: Any = None) -> list[Mention]:
    """Place mentions in ``text`` (see :func:`recognize_doc`)."""
    if not isinstance(text, str):
        raise TypeError(f"recognize() needs a str, got {type(text).__name__}")
    return recognize_doc(load_nlp()(text), demonyms=demonyms, gazetteer=gazetteer)


def recognize_many(
    texts: Iterable[str],
    *,
    demonyms: bool = True,
    batch_size: int = 32,
    n_process: int = 1,
    gazetteer: Any = None,
) -> Iterator[tuple[Doc, list[Mention]]]:
    """(doc, mentions) for each text, in order, with the NLP batched through ``nlp.pipe``."""
    nlp = load_nlp()
    for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        yield doc, recognize_doc(doc, demonyms=demonyms, gazetteer=gazetteer)
