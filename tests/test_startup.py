"""What the dashboard's first run costs: it imports only what the first view draws, and the
server is configured not to pay for what a reader does not use (see benchmarks/startup_bench.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"

# One first run of the app in a fresh interpreter (as a restarted server's first session), then
# the modules it left loaded.
FIRST_RUN = """
import json, sys
from streamlit.testing.v1 import AppTest
before = set(sys.modules)
at = AppTest.from_file(sys.argv[1], default_timeout=300).run()
assert not at.exception, [e.message for e in at.exception]
charts = at.get("vega_lite_chart")
print(json.dumps({"loaded": sorted(set(sys.modules) - before), "charts": len(charts),
                  "datasets": [len(c.proto.datasets) for c in charts]}))
"""


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("startup")
    env = dict(os.environ, PYTHONPATH=str(ROOT), ATLAS_DATABASE_URL=f"sqlite:///{tmp / 'atlas.sqlite'}")
    done = subprocess.run([sys.executable, "-c", FIRST_RUN, str(APP)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_first_run_does_not_import_what_the_first_view_does_not_draw(first_run: dict) -> None:
    loaded = set(first_run["loaded"])
    # Altair (0.3-1 s) drew the timeline; Streamlit's emoji catalogue (0.1-1 s) checked the tab's icon
    assert not {m for m in loaded if m == "altair" or m.startswith("altair.")}
    assert "streamlit.emojis" not in loaded


def test_timeline_is_drawn_from_one_dataset(first_run: dict) -> None:
    assert first_run["charts"] == 1 and first_run["datasets"] == [1]


def test_server_does_not_watch_files() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"


def test_a_run_writes_no_export_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The downloads are written when their button is clicked, not while the map loads."""
    from streamlit.testing.v1 import AppTest

    import dashboard.export_panel

    def not_now(*args, **kwargs):
        raise AssertionError("an export file was written by the run")

    for name in ("geojson_bytes", "csv_bytes", "gpkg_bytes", "zip_bytes"):
        monkeypatch.setattr(dashboard.export_panel, name, not_now)
    monkeypatch.setenv("ATLAS_DATABASE_URL", f"sqlite:///{tmp_path / 'atlas.sqlite'}")
    at = AppTest.from_file(str(APP), default_timeout=300).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["view_event_ids"]
