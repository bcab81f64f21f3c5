"""The dashboard's map as a package (issue 13): one module per responsibility under
``dashboard/map/``, no function over 80 lines and no class over 250, and ``dashboard.webmap``
still giving every name it gave before (the same objects)."""

from __future__ import annotations

import ast
from pathlib import Path

import dashboard.webmap as webmap

MAP = Path(__file__).resolve().parents[1] / "dashboard" / "map"
MODULES = {"build", "component", "elements", "extent", "layers", "legend", "library", "outline_files", "outlines",
           "popups", "render", "styles", "values"}


def test_each_responsibility_has_its_module_and_units_stay_small() -> None:
    assert {p.stem for p in MAP.glob("*.py")} - {"__init__"} == MODULES
    for path in [*MAP.glob("*.py"), MAP.parent / "webmap.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                size = node.end_lineno - node.lineno + 1
                limit = 250 if isinstance(node, ast.ClassDef) else 80
                assert size <= limit, f"{path.name}: {node.name} is {size} lines (limit {limit})"


def test_webmap_keeps_its_names() -> None:
    import importlib

    for name in webmap.__all__ + ["_LIBRARY_JS", "_POPUP_CSS", "_area_places", "_selection_data", "_outline_json",
                                  "_simplified_outline", "COUNTRIES_FILE", "PANES", "REFERENCE_LAYER",
                                  "CARAVAN_COLOURS", "atlas_extent"]:
        value = getattr(webmap, name)
        homes = [m for m in MODULES if getattr(importlib.import_module(f"dashboard.map.{m}"), name, None) is value]
        assert homes, name
    assert webmap.COUNTRIES_FILE.exists()  # the data paths still point at the repository's data/
