"""Old module paths from before the sub-packages (``geo.recognize`` …) still import, with a
:class:`DeprecationWarning` naming the new path. Remove after one release."""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings

__all__ = ["MOVED", "install"]

#: old module -> new module (see docs/architecture.md)
MOVED = {
    "geo.furniture": "geo.text.furniture",
    "geo.dates": "geo.text.dates",
    "geo.syntax": "geo.text.syntax",
    "geo.corpus": "geo.sources.corpus",
    "geo.webpage": "geo.sources.webpage",
    "geo.feeds": "geo.sources.feeds",
    "geo.fetch": "geo.sources.fetch",
    "geo.intake": "geo.sources.intake",
    "geo.geocoder": "geo.gazetteer.geocoder",
    "geo.online": "geo.gazetteer.online",
    "geo.coords": "geo.gazetteer.coords",
    "geo.recognize": "geo.geoparsing.recognize",
    "geo.resolve": "geo.geoparsing.resolve",
    "geo.events": "geo.atlas.events",
    "geo.caravans": "geo.atlas.caravans",
    "geo.roads": "geo.atlas.roads",
    "geo.crossings": "geo.atlas.crossings",
    "geo.layers": "geo.atlas.layers",
    "geo.corrections": "geo.store.corrections",
}


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self) -> None:
        self._real_specs: dict[str, importlib.machinery.ModuleSpec] = {}  # old name -> the module's own spec

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001 - importlib's signature
        if fullname in MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):  # noqa: ANN001
        new = MOVED[spec.name]
        warnings.warn(f"{spec.name} moved to {new}", DeprecationWarning, stacklevel=3)
        module = importlib.import_module(new)
        self._real_specs[spec.name] = module.__spec__
        return module

    def exec_module(self, module) -> None:  # noqa: ANN001
        # The import system has just given the module the alias's spec: give it back its own,
        # so that the module stays what it is under its new name (reload, pickling, tracebacks).
        module.__spec__ = self._real_specs.pop(module.__spec__.name)


def install() -> None:
    """Put the alias finder on ``sys.meta_path`` once."""
    if not any(isinstance(f, _Alias) for f in sys.meta_path):
        sys.meta_path.append(_Alias())
