"""`python -m dashboard` imports the page's modules while the browser loads Streamlit's
frontend (dashboard/preload.py, dashboard/__main__.py); `streamlit run dashboard/app.py` works
as before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import preload

ROOT = Path(__file__).resolve().parents[1]


def test_the_page_modules_are_the_app_imports_and_the_map_component() -> None:
    names = preload.page_modules()
    for wanted in ("pandas", "streamlit", "dashboard.loading", "dashboard.sidebar",
                   "geo.store", "sqlalchemy.dialects.sqlite",
                   # the map's own component is declared when the map is drawn, not on import
                   "dashboard.map_section"):
        assert wanted in names, wanted
    assert "streamlit_folium" not in names
    assert len(names) == len(set(names))


def test_the_map_component_is_declared_during_the_run_not_on_import() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    script = ("import streamlit.components.v1 as c\ncalls = []\nc.declare_component = lambda *a, **k: calls.append(a)\n"
              "import dashboard.map_section, dashboard.map.component\nprint(len(calls))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "0"


def test_a_module_importing_a_component_is_replaced_by_its_imports(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    app = tmp_path / "app.py"
    app.write_text("import json\nfrom dashboard.map_section import draw_map\nimport streamlit_folium\n")
    names = preload.page_modules(app)
    assert "streamlit_folium" not in names and "dashboard.map_section" in names
    # (were folium a package that declares a component on import)
    monkeypatch.setattr(preload, "COMPONENT_PACKAGES", ("streamlit_folium", "folium"))
    names = preload.page_modules(app)
    assert "json" in names and "dashboard.webmap" not in names and "dashboard.evidence" in names
    assert not {"dashboard.map_section", "streamlit_folium", "folium"} & set(names)


SCRIPT = """
import json, sys
from dashboard import preload
assert not preload.started()
preload.wait()  # nothing started: returns at once
preload.start(["colorsys", "no_such_module_here", "dashboard.escape"])
preload.wait(60)
print(json.dumps({"loaded": [m for m in ("colorsys", "dashboard.escape") if m in sys.modules],
                  "took": preload.took, "started": preload.started()}))
"""


def test_start_imports_in_the_background_and_wait_joins() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["loaded"] == ["colorsys", "dashboard.escape"] and out["started"] and out["took"] is not None
    assert "preloading no_such_module_here failed" in done.stderr  # logged, not raised


def test_the_launcher_runs_the_app_with_streamlit(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.web import cli

    import dashboard.__main__ as launcher

    calls: dict = {}
    monkeypatch.setattr(preload, "start", lambda after_start: calls.setdefault("preload", after_start))
    monkeypatch.setattr(cli, "main", lambda args, prog_name: calls.setdefault("args", args))
    launcher.main(["--server.port", "8599", "--", "--articles", "data/articles"])
    assert calls["preload"]
    assert calls["args"] == ["run", str(ROOT / "dashboard" / "app.py"), "--server.port", "8599", "--",
                             "--articles", "data/articles"]


def test_the_page_waits_for_the_preload_before_its_imports() -> None:
    source = (ROOT / "dashboard" / "app.py").read_text(encoding="utf-8")
    assert source.index("preload.wait()") < source.index("import pandas")


def test_make_run_uses_the_launcher() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = makefile[makefile.index("\nrun:"):].split("\n\n")[0]
    assert "-m dashboard" in run


def test_the_launcher_skips_streamlits_v2_component_scan_and_nothing_needs_it() -> None:
    # the dashboard declares no v2 component, so `python -m dashboard` may skip the scan of every
    # installed package's metadata that Streamlit's runtime makes at start; if a module starts
    # using v2 components, this fails and the skip in dashboard/__main__.py must go
    for path in set((ROOT / "dashboard").rglob("*.py")) - {ROOT / "dashboard" / "__main__.py"}:
        assert "components.v2" not in path.read_text(encoding="utf-8"), path
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    script = ("from dashboard.__main__ import skip_component_manifest_scan\n"
              "from streamlit.components.v2 import manifest_scanner as ms\n"
              "from streamlit.components.v2.component_manager import BidiComponentManager\n"
              "calls = []\nms.scan_component_manifests = lambda *a, **k: calls.append(1) or []\n"
              "BidiComponentManager().discover_and_register_components(start_file_watching=False)\n"
              "before = len(calls)\nprint(skip_component_manifest_scan())\n"
              "BidiComponentManager().discover_and_register_components(start_file_watching=False)\n"
              "print(before, len(calls))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "1", "1"]
