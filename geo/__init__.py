"""Caravan Atlas: turn news about migrant caravans into a map people can trust.

Public API (imported lazily so ``import geo`` stays fast):

- :func:`geoparse` — text -> list of :class:`Toponym` (offline); :func:`geoparse_corpus` — many
  texts, each informed by the other texts of its source.
- :class:`OfflineGeocoder` — the embedded GeoNames gazetteer behind geopy's interface.
- :func:`build_atlas` — articles -> :class:`Atlas` of four GeoDataFrames.
- :func:`read_corpus`, :class:`Article` — the corpus format (``.md``/``.txt`` + front matter).
"""

from __future__ import annotations

import importlib
from typing import Any

from geo import _moved

_moved.install()

__all__ = [
    "geoparse",
    "geoparse_corpus",
    "Toponym",
    "Candidate",
    "OfflineGeocoder",
    "build_atlas",
    "Atlas",
    "Article",
    "read_corpus",
    "AtlasError",
]

_LAZY = {
    "geoparse": "geo.geoparsing.pipeline",
    "geoparse_corpus": "geo.geoparsing.pipeline",
    "Toponym": "geo.model",
    "Candidate": "geo.model",
    "OfflineGeocoder": "geo.gazetteer.geocoder",
    "build_atlas": "geo.atlas.build",
    "Atlas": "geo.atlas.build",
    "Article": "geo.sources.corpus",
    "read_corpus": "geo.sources.corpus",
    "AtlasError": "geo.errors",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'geo' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
