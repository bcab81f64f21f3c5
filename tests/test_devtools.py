"""The helpers shared by the browser tests and the benchmarks (``devtools/headless.py``)."""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import pytest

from devtools.headless import loopback_guard, wait_healthy


class _Route:
    def __init__(self, url: str) -> None:
        self.request = SimpleNamespace(url=url)
        self.outcome = ""

    def continue_(self) -> None:
        self.outcome = "continued"

    def abort(self) -> None:
        self.outcome = "aborted"


def test_the_guard_lets_only_loopback_and_local_urls_through():
    blocked: list[str] = []
    guard = loopback_guard(blocked)
    urls = {"http://127.0.0.1:8501/app.js": "continued", "http://localhost/x": "continued",
            "http://[::1]:80/": "continued", "data:image/png;base64,AA": "continued", "about:blank": "continued",
            "https://tile.openstreetmap.org/1/0/0.png": "aborted", "https://example.com/127.0.0.1": "aborted"}
    for url, outcome in urls.items():
        route = _Route(url)
        guard(route)
        assert route.outcome == outcome, url
    assert blocked == ["https://tile.openstreetmap.org/1/0/0.png", "https://example.com/127.0.0.1"]
    loopback_guard()(_Route("https://example.com/"))  # without a list: aborted, nothing recorded


def test_waiting_for_health_stops_when_the_server_exits():
    proc = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    proc.wait()
    with pytest.raises(RuntimeError, match="exited with 3"):
        wait_healthy("http://127.0.0.1:9/_stcore/health", proc, timeout=5, poll=0.01)


def test_the_library_and_the_app_never_import_the_devtools():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    wrong = []
    for path in sorted([*(root / "geo").rglob("*.py"), *(root / "dashboard").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            wrong += [f"{path.relative_to(root)}:{node.lineno} imports {n}" for n in names
                      if n == "devtools" or n.startswith("devtools.")]
    assert not wrong, wrong
