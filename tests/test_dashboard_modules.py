"""The dashboard's page is split by responsibility: ``dashboard/app.py`` is a short page script
and no function of it or of the page's modules is over 80 lines (issue 13)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE_MODULES = ("app", "about", "loading", "widgets", "player", "map_section", "correction_panel",
                "workspace_panel", "upload_panel", "sidebar", "events_table", "evidence_panel",
                "export_panel", "timeline")


def _long_functions(path: Path, limit: int = 80) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{path.name}:{node.name} ({node.end_lineno - node.lineno + 1} lines)" for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > limit]


def test_no_function_of_the_page_is_over_80_lines() -> None:
    long = [f for name in PAGE_MODULES for f in _long_functions(ROOT / "dashboard" / f"{name}.py")]
    assert not long, long


def test_app_is_a_short_page_script() -> None:
    lines = (ROOT / "dashboard" / "app.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) < 250, len(lines)
