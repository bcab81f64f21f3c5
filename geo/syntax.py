"""The dependency parse that the event stage reads (spaCy's tagger, lemmatizer and parser).

Recognition runs only ``senter`` + ``ner``; the parser costs time, so the event stage parses
only the sentences that contain a possible event word (:data:`geo.events` decides which),
each as a short document of its own, batched through ``nlp.pipe``.
"""

from __future__ import annotations

import functools
from typing import Sequence

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["load_parser", "parse_sentences"]


@functools.lru_cache(maxsize=1)
def load_parser() -> Language:
    """The shared parsing pipeline: tok2vec, tagger, attribute_ruler, lemmatizer, parser."""
    import spacy

    from .recognize import SPACY_MODEL, _use_numpy_matmul

    _use_numpy_matmul()
    nlp = spacy.load(SPACY_MODEL, exclude=["ner", "senter"])
    nlp.max_length = max(nlp.max_length, 5_000_000)
    return nlp


def parse_sentences(texts: Sequence[str], batch_size: int = 64) -> list[Doc]:
    """One parsed :class:`~spacy.tokens.Doc` per text, in order."""
    if not texts:
        return []
    return list(load_parser().pipe(texts, batch_size=batch_size))
