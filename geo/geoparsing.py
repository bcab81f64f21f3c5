"""Text -> located place mentions: recognition (:mod:`geo.recognize`) then resolution
(:mod:`geo.resolve`). Offline; the NLP runs batched through ``nlp.pipe``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from .model import Toponym

__all__ = ["geoparse", "geoparse_many", "ParsedText", "sentence_spans"]


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
) -> Iterator[ParsedText]:
    """Geoparse many texts, streaming: the NLP is batched, results come back in order."""
    from .gazetteer import load_gazetteer
    from .recognize import recognize_many
    from .resolve import resolve

    gazetteer = load_gazetteer()
    texts_iter = iter(texts)
    for doc, mentions in recognize_many(texts_iter, demonyms=demonyms, batch_size=batch_size):
        toponyms = resolve(doc.text, mentions, gazetteer=gazetteer, config=config)
        yield ParsedText(doc.text, toponyms, sentence_spans(doc))


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


