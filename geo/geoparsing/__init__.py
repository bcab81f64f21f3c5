"""Text to toponyms: recognition (spaCy NER, gazetteer spans, patterns, demonyms) and resolution
(candidate ranking with context and coherence), and corpus-level source priors.

See docs/architecture.md for what this package may import."""

from geo._lazy import lazy_exports

#: Names importable from the package itself (the pipeline module's public names, as before the move).
_EXPORTS = {
    "geoparse": "pipeline",
    "geoparse_many": "pipeline",
    "geoparse_corpus": "pipeline",
    "corpus_priors": "pipeline",
    "ParsedText": "pipeline",
    "sentence_spans": "pipeline",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
