"""The stages of place recognition, one mixin each, combined by
:class:`geo.geoparsing.recognize._Recognizer`: shared context, patterns, spaCy NER, gazetteer recovery."""
