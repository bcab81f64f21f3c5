"""The dependency parse that the event stage reads (spaCy's tagger, lemmatizer and parser).

Recognition runs only ``senter`` + ``ner``; the parser costs time, so the event stage parses
only the sentences that contain a possible event word (:data:`geo.atlas.events` decides which),
each as a short document of its own, batched through ``nlp.pipe``.

spaCy's attribute ruler and lemmatizer cost as much as the parser on these short texts, and the
event stage needs lemmas only for its own vocabulary: the caller passes that table
(inflected form -> lemma) and the coarse part of speech is read off the fine-grained tag.
"""

from __future__ import annotations

import functools
from typing import Sequence

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["load_parser", "parse_sentences"]


@functools.lru_cache(maxsize=1)
def load_parser() -> Language:
    """The shared parsing pipeline: tok2vec, tagger, parser."""
    import spacy

    from geo.text.nlp import SPACY_MODEL, use_numpy_matmul

    use_numpy_matmul()
    nlp = spacy.load(SPACY_MODEL, exclude=["ner", "senter", "attribute_ruler", "lemmatizer"])
    nlp.max_length = max(nlp.max_length, 5_000_000)
    return nlp


_POS = {"VB": "VERB", "MD": "AUX", "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "JJ": "ADJ",
        "JJR": "ADJ", "JJS": "ADJ", "RB": "ADV", "RBR": "ADV", "RBS": "ADV", "IN": "ADP", "RP": "ADP", "CD": "NUM",
        "DT": "DET", "PRP": "PRON", "PRP$": "PRON", "CC": "CCONJ", "TO": "PART", "POS": "PART", "UH": "INTJ"}
_AUX_LEMMAS = frozenset(("be", "have", "do", "will", "shall"))


def parse_sentences(texts: Sequence[str], lemmas: dict[str, str] | None = None, batch_size: int = 64) -> list[Doc]:
    """One parsed :class:`~spacy.tokens.Doc` per text, in order, with ``pos_`` from the tag
    and ``lemma_`` from ``lemmas`` (lower-cased form -> lemma; else the lower-cased form,
    a plural noun without its "s")."""
    if not texts:
        return []
    lemmas = lemmas or {}
    docs = list(load_parser().pipe(texts, batch_size=batch_size))
    for doc in docs:
        for tok in doc:
            tag = tok.tag_
            low = tok.lower_
            lemma = lemmas.get(low)
            if lemma is None:
                lemma = low[:-1] if tag == "NNS" and low.endswith("s") and len(low) > 3 else low
            pos = "VERB" if tag.startswith("VB") else _POS.get(tag, "X")
            if pos == "VERB" and lemma in _AUX_LEMMAS and tok.dep_ in ("aux", "auxpass"):
                pos = "AUX"
            tok.pos_ = pos
            tok.lemma_ = lemma
    return docs
