"""Text -> located place mentions: recognition (:mod:`geo.geoparsing.recognize`) then resolution
(:mod:`geo.geoparsing.resolve`). Offline; the NLP runs batched through ``nlp.pipe``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from collections import Counter
from itertools import islice
from typing import Iterable, Iterator, Sequence

from geo.model import Toponym

__all__ = ["geoparse", "geoparse_many", "geoparse_corpus", "corpus_priors", "ParsedText", "sentence_spans", "recognize_by_language",
           "is_place_name"]

#: Words that name no place by themselves: a border, crossing, river or highway mention made of
#: these alone ("the border", "the southern border", "the bridge", "la frontera sur") refers to a
#: curated feature the story's places decide, not to a place by its name.
_GENERIC_FEATURE_WORDS = frozenset(
    """the a an this that border borders boundary crossing crossings point points bridge bridges port ports of
    entry international wall walls fence fences checkpoint checkpoints river rivers highway highways road line
    frontier southern northern southwest southwestern northeast southeast south north east west eastern western
    la el los las del de frontera fronteras sur norte puente puentes garita garitas cruce cruces paso río rio
    carretera muro valla""".split())
_FEATURE_KINDS = frozenset(("border", "crossing", "river", "highway"))


def is_place_name(toponym: Toponym) -> bool:
    """Whether a toponym names a place ("Tapachula", "the Suchiate River", "San Ysidro Port of
    Entry") rather than refers to a curated feature by common nouns alone ("the border", "the
    southern border", "the bridge"). Both are located and both serve the atlas's events; only
    names are toponyms in the geoparsing corpora's sense, which is what ``geo geoparse`` writes."""
    if toponym.kind not in _FEATURE_KINDS:
        return True
    return any(w.lower() not in _GENERIC_FEATURE_WORDS for w in re.findall(r"[^\W_]+", toponym.name))  # "Highway 49"


@dataclass(frozen=True, slots=True)
class ParsedText:
    """One text after geoparsing: the toponyms plus its sentence boundaries."""

    text: str
    toponyms: list[Toponym]
    sentences: list[tuple[int, int]]


def geoparse(text: str, published: dt.date | None = None, *, demonyms: bool = True) -> list[Toponym]:
    """Find and locate every place ``text`` names.

    ``published`` is accepted for symmetry with the atlas API (dates do not change where a
    place is). Returns toponyms in text order with exact spans (``text[t.start:t.end] == t.name``).
    """
    del published  # places do not depend on the publication date
    return next(geoparse_many([text], demonyms=demonyms)).toponyms


def geoparse_many(
    texts: Iterable[str],
    *,
    demonyms: bool = True,
    batch_size: int = 32,
    config: object | None = None,
    detect_spanish: bool = True,
) -> Iterator[ParsedText]:
    """Geoparse many texts, streaming: the NLP is batched, results come back in order. A text
    detected as Spanish is read by the Spanish recognizer (:func:`recognize_by_language`);
    ``detect_spanish=False`` reads every text as English (the atlas, which has already routed
    each article by its own language, front matter included)."""
    from geo.gazetteer.index import load_gazetteer
    from geo.geoparsing.resolve import resolve

    gazetteer = load_gazetteer()
    if detect_spanish:
        recognised = recognize_by_language(texts, demonyms=demonyms, batch_size=batch_size)
    else:
        from geo.geoparsing.recognize import recognize_many
        recognised = recognize_many(iter(texts), demonyms=demonyms, batch_size=batch_size)
    for doc, mentions in recognised:
        toponyms = resolve(doc.text, mentions, gazetteer=gazetteer, config=config)
        yield ParsedText(doc.text, toponyms, sentence_spans(doc))


def recognize_by_language(texts: Iterable[str], *, demonyms: bool = True, batch_size: int = 32) -> Iterator[tuple]:
    """(doc, mentions) for each text, in order: a text :func:`geo.text.language.detect_language`
    finds Spanish goes through the Spanish recognizer (blank Spanish tokenizer, sentencizer and
    place patterns, as the atlas reads Spanish articles), never through the English NER, which
    reads Spanish capitalised words as places ("Los"); the English texts are batched through
    ``nlp.pipe`` as before."""
    from geo.geoparsing.places_es import load_nlp_es, recognize_es
    from geo.geoparsing.recognize import recognize_many
    from geo.text.language import SPANISH, detect_language

    it = iter(texts)
    while chunk := list(islice(it, max(1, batch_size) * 4)):
        spanish = [detect_language(t) == SPANISH for t in chunk]
        english = recognize_many(iter([t for t, es in zip(chunk, spanish) if not es]),
                                 demonyms=demonyms, batch_size=batch_size)
        for text, es in zip(chunk, spanish):
            if es:
                doc = load_nlp_es()(text)
                yield doc, recognize_es(text, doc)
            else:
                yield next(english)


#: Toponyms that count towards the corpus prior: confidently placed, below country level
#: for the admin-1 shares (a story about Texas names Texan towns, not only "Texas").
PRIOR_MIN_CONFIDENCE = 0.8
_SUB_COUNTRY = frozenset({"city", "admin2", "admin1", "crossing", "facility"})


def _places_of(toponyms: Sequence[Toponym]) -> set[str]:
    """The countries and admin-1 units a text is confidently about (each counted once)."""
    keys: set[str] = set()
    for t in toponyms:
        if t.confidence < PRIOR_MIN_CONFIDENCE or t.country_code is None or t.kind == "demonym":
            continue
        keys.add(t.country_code)
        if t.kind in _SUB_COUNTRY and t.admin1:
            keys.add(t.admin1)
    return keys


def corpus_priors(toponyms: Sequence[Sequence[Toponym]], sources: Sequence[str | None] | None = None
                  ) -> list[dict[str, float]]:
    """Each text's prior from the *other* texts of its source: the share of them confidently
    about each country and admin-1 unit (a local paper's other stories are about its state).
    Leave-one-out, so a text never votes for itself. A text with no source, or alone in its
    source, gets an empty prior: the whole corpus's shares were tried and helped nowhere (on
    LGL, WikToR and GeoCorpora), so texts of unknown provenance are resolved alone."""
    places = [_places_of(t) for t in toponyms]
    n = len(places)
    sources = list(sources) if sources is not None else [None] * n
    if len(sources) != n:
        raise ValueError(f"{len(sources)} sources for {n} texts")
    by_source: dict[str, Counter[str]] = {}
    size: Counter[str] = Counter()
    for keys, src in zip(places, sources):
        if src:
            by_source.setdefault(src, Counter()).update(keys)
            size[src] += 1
    out = []
    for keys, src in zip(places, sources):
        prior: dict[str, float] = {}
        if src and size[src] > 1:
            m = size[src] - 1
            for k, c in by_source[src].items():
                share = (c - (k in keys)) / m
                if share > 0:
                    prior[k] = share
        out.append(prior)
    return out


def geoparse_corpus(
    texts: Sequence[str],
    *,
    sources: Sequence[str | None] | None = None,
    demonyms: bool = True,
    batch_size: int = 32,
    config: object | None = None,
    progress: object | None = None,
) -> list[ParsedText]:
    """Geoparse a corpus in two passes: every text alone, then every text again with the prior
    of the other texts of its source (:func:`corpus_priors`; ``sources`` names each text's
    source, e.g. the web site; without sources the result is that of :func:`geoparse_many`).
    The NLP runs once; only resolution runs twice. ``progress``, if given, is called with the
    number of texts recognised so far."""
    from geo.gazetteer.index import load_gazetteer
    from geo.geoparsing.resolve import resolve

    gazetteer = load_gazetteer()
    recognised = []
    first = []
    for doc, mentions in recognize_by_language(texts, demonyms=demonyms, batch_size=batch_size):
        recognised.append((doc.text, mentions, sentence_spans(doc)))
        first.append(resolve(doc.text, mentions, gazetteer=gazetteer, config=config))
        if progress is not None:
            progress(len(recognised))
    priors = corpus_priors(first, sources)
    # a text with no prior (no source, or alone in it) keeps its first resolution
    return [ParsedText(text, resolve(text, mentions, gazetteer=gazetteer, config=config, prior=prior)
                       if prior else alone, spans)
            for (text, mentions, spans), alone, prior in zip(recognised, first, priors)]


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def sentence_spans(doc) -> list[tuple[int, int]]:
    """Sentence character spans from the parser, also cut at paragraph breaks (a headline
    or caption never runs into the first sentence), leading/trailing blanks trimmed."""
    text = doc.text
    if not text.strip():
        return []
    raw = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") else [(0, len(text))]
    spans: list[tuple[int, int]] = []
    for a, b in raw:
        cuts = [a] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text, a, b)] + [b]
        for x, y in zip(cuts, cuts[1:]):
            while x < y and text[x].isspace():
                x += 1
            while y > x and text[y - 1].isspace():
                y -= 1
            if x < y:
                spans.append((x, y))
    return spans


