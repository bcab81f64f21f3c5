"""The import direction that docs/architecture.md documents: each layer of ``geo/`` imports
only its own layer and the layers below it, and ``geo/`` never imports the dashboard.

The check reads every ``import`` statement (top-level and inside functions) with :mod:`ast`,
so a lazy import against the direction fails too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Bottom to top; a module may import from its own layer and any layer before it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("geo.errors", "geo.model", "geo.fileio", "geo.paths", "geo._lazy", "geo._moved")),
    ("text", ("geo.text",)),
    ("sources", ("geo.sources",)),
    ("gazetteer", ("geo.gazetteer",)),
    ("geoparsing", ("geo.geoparsing",)),
    ("atlas", ("geo.atlas",)),
    ("store", ("geo.store",)),
    ("export", ("geo.export",)),
    ("commands", ("geo.engine", "geo.cli", "geo.__main__", "geo")),
]


def layer_of(module: str) -> int:
    """Index in :data:`LAYERS` of a ``geo`` module name (the longest matching prefix)."""
    best, best_len = None, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and len(p) > best_len:
                best, best_len = i, len(p)
    if best is None:
        raise KeyError(module)
    return best


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(path: Path, me: str) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in ``path``, the source of module ``me``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def geo_modules() -> list[Path]:
    return sorted((ROOT / "geo").rglob("*.py"))


def test_every_geo_module_has_a_layer():
    for path in geo_modules():
        layer_of(module_name(path))  # raises KeyError for a module outside the documented layers


def violations(path: Path, me: str) -> list[str]:
    """Imports in ``path`` (module ``me``) that go against the documented direction."""
    mine = layer_of(me)
    wrong = []
    for line, target in imported(path, me):
        where = f"{path.name}:{line} ({me}, {LAYERS[mine][0]})"
        if target.split(".")[0] == "dashboard":
            wrong.append(f"{where} imports {target}: geo/ never imports the dashboard")
        elif target == "geo" and me != "geo":
            wrong.append(f"{where} imports the package root")
        elif target.startswith("geo.") and layer_of(target) > mine:
            wrong.append(f"{where} imports {target} ({LAYERS[layer_of(target)][0]})")
    return wrong


@pytest.mark.parametrize("path", geo_modules(), ids=module_name)
def test_imports_follow_the_documented_direction(path):
    wrong = violations(path, module_name(path))
    assert not wrong, "\n".join(wrong)


def test_the_check_reports_upward_and_dashboard_imports(tmp_path):
    fake = tmp_path / "dates.py"
    fake.write_text("from geo.errors import AtlasError\n"
                    "def f():\n    from geo.atlas.events import extract_events\n    import dashboard.app\n")
    wrong = violations(fake, "geo.text.dates")
    assert len(wrong) == 2
    assert "geo.atlas.events (atlas)" in wrong[0] and "dashboard" in wrong[1]


#: The size limits docs/architecture.md states for one unit of code.
MAX_FUNCTION_LINES = 80
MAX_CLASS_LINES = 250


def oversized(path: Path) -> list[str]:
    """Functions over :data:`MAX_FUNCTION_LINES` and classes over :data:`MAX_CLASS_LINES` lines in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            limit = MAX_CLASS_LINES if isinstance(node, ast.ClassDef) else MAX_FUNCTION_LINES
            size = node.end_lineno - node.lineno + 1
            if size > limit:
                found.append(f"{path.name}:{node.lineno} {node.name} is {size} lines (limit {limit})")
    return found


def test_no_function_or_class_over_the_size_limits():
    paths = sorted((ROOT / "geo").rglob("*.py")) + sorted((ROOT / "dashboard").rglob("*.py"))
    too_big = [msg for p in paths if "static" not in p.parts for msg in oversized(p)]
    assert not too_big, "\n".join(too_big)


def test_the_size_check_sees_a_long_function(tmp_path):
    long = tmp_path / "long.py"
    long.write_text("def f():\n" + "    x = 1\n" * MAX_FUNCTION_LINES + "    return x\n")
    assert oversized(long) == [f"long.py:1 f is {MAX_FUNCTION_LINES + 2} lines (limit {MAX_FUNCTION_LINES})"]


def test_an_old_module_path_imports_the_moved_module_with_a_warning():
    """``geo.events`` (before the sub-packages) is ``geo.atlas.events``, says so, and leaves the
    module its own spec (so reload and pickling keep working under the new name)."""
    import importlib
    import sys
    import warnings

    import geo.atlas.events as events

    sys.modules.pop("geo.events", None)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        old = importlib.import_module("geo.events")
    assert old is events
    assert any(issubclass(w.category, DeprecationWarning) and "geo.atlas.events" in str(w.message) for w in seen)
    assert events.__spec__.name == "geo.atlas.events"
    assert importlib.reload(events) is events
