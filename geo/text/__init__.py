"""Reading the words: page furniture (bylines, captions, menus), dates, and spaCy's parse.

See docs/architecture.md for what this package may import."""
