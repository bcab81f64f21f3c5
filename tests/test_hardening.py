"""Hostile and broken inputs, each built beside a good article, and faults mid-write.

Every bad file gets one line naming it (no traceback); the good article is still built;
exit code 2 only when nothing usable was given; nothing is written outside the output folder;
killing a build mid-write leaves the previous outputs readable.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


from geo.export import validate_geojson

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "data" / "articles" / "001_ee0222d4101fa411.md"
LAYERS = ("places", "events", "routes", "crossings")


def _hostile_files(folder: Path) -> dict[str, bytes]:
    """name -> bytes of each hostile input; the name is what the error line must contain."""
    rnd = bytes((i * 7919 + 13) % 256 for i in range(4096))
    files = {
        "empty.md": b"",
        "noise.txt": rnd,
        "cp1252.txt": "Migrants walked from Tapachula toward Huixtla, said a café owner.".encode("cp1252"),
        "utf16.txt": "Migrants left Tapachula for Huixtla on Monday.".encode("utf-16"),
        "nul.md": b"Migrants left\x00 Tapachula.",
        "broken_yaml.md": b"---\ntitle: [unclosed\npublished: 2023-12-24\n---\nMigrants left Tapachula.\n",
        "impossible_date.md": b"---\npublished: 2023-02-30\n---\nMigrants left Tapachula.\n",
        "script.html": (b"<html><head><title>{{ cycler.__init__.__globals__.os.popen('id').read() }}</title>"
                        b"<script>alert(1)</script></head><body><p>Migrants left <b>Tapachula</b> "
                        b"<img src=x onerror=alert(1)> for the US border.</p></body></html>"),
        "..%2F..%2Fescape.md": b"---\nid: ../../escape\n---\nMigrants reached Huixtla, Chiapas.\n",
        "no_place.txt": b"The committee met on Tuesday and approved the budget after a long debate.\n",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    # 60 MB on one line, written sparsely-fast
    with open(folder / "huge.txt", "wb") as f:
        f.write(b"Tapachula " * (6 * 1024 * 1024))
    files["huge.txt"] = b""
    return files


def _tree(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*")}


def _build(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "geo", "build", *args, "--jobs", "1"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_hostile_files_beside_a_good_article(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / GOOD.name).write_bytes(GOOD.read_bytes())
    _hostile_files(corpus)
    out = tmp_path / "work" / "out"
    out.parent.mkdir()
    before = _tree(tmp_path)
    proc = _build(str(corpus), "--out", str(out), cwd=tmp_path / "work")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    refused = ("empty.md", "noise.txt", "nul.md", "broken_yaml.md", "impossible_date.md", "huge.txt")
    for name in refused:
        mine = [line for line in lines if name in line]
        assert len(mine) == 1, (name, lines)
    # readable in another encoding: read, with a one-line note
    assert any("cp1252.txt" in line and "Windows-1252" in line for line in lines)
    # the good article and the readable hostile ones were built
    events = json.loads((out / "events.geojson").read_text(encoding="utf-8"))
    article_ids = {a for f in events["features"] for a in f["properties"]["article_ids"]}
    assert GOOD.stem in article_ids
    places = json.loads((out / "places.geojson").read_text(encoding="utf-8"))
    ids = {a for f in places["features"] for a in f["properties"]["article_ids"]}
    assert {"utf16", "cp1252", "script", "../../escape"} <= ids
    for layer in LAYERS:
        assert validate_geojson(out / f"{layer}.geojson") == []
    # script text never became a place; the HTML's payload is only text
    names = {f["properties"]["name"] for f in places["features"]}
    assert not any("<" in n or "{{" in n for n in names)
    # nothing written outside the output folder
    after = {p for p in _tree(tmp_path) if not p.startswith("work/out")}
    assert after == before, after ^ before
    assert not (tmp_path / "escape").exists() and not (tmp_path.parent / "escape").exists()


def test_nothing_usable_exits_2_with_one_line_per_file(tmp_path: Path) -> None:
    corpus = tmp_path / "bad"
    corpus.mkdir()
    (corpus / "empty.md").write_bytes(b"")
    (corpus / "nul.md").write_bytes(b"\x00\x01")
    proc = _build(str(corpus), str(tmp_path / "missing.md"), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines[-1].startswith("error: no usable articles")
    for name in ("empty.md", "nul.md", "missing.md"):
        assert sum(name in line for line in lines[:-1]) == 1, proc.stderr
    assert not (tmp_path / "out" / "events.geojson").exists()


def test_killing_a_build_mid_write_leaves_previous_outputs_readable(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _build(str(GOOD), "--out", str(out), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    originals = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    kills = 0
    for delay in (2.0, 3.0, 4.0, 5.0, 6.0):
        proc = subprocess.Popen([sys.executable, "-m", "geo", "build", str(ROOT / "data" / "articles"), "--out",
                                 str(out), "--jobs", "1"], cwd=tmp_path, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        for layer in LAYERS:
            path = out / f"{layer}.geojson"
            assert validate_geojson(path) == [], (delay, layer)
        import geopandas as gpd

        for layer in LAYERS:
            gpd.read_file(out / "atlas.gpkg", layer=layer)
        leftovers = [p.name for p in out.iterdir() if p.name not in originals and not p.name.endswith(".geojson")
                     and p.suffix not in (".csv", ".gpkg")]
        assert not [n for n in leftovers if not n.startswith(".")], leftovers
    assert kills >= 1
