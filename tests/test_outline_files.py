"""The basemap's outlines are static files the map fetches, not part of the map's HTML
(dashboard/map/outline_files.py): the map's payload fell from 1.05 MB to under 0.1 MB."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dashboard.assets import STATIC_DIR
from dashboard.map import outline_files
from dashboard.map.outlines import ADMIN1_FILE, COUNTRIES_FILE, _outline_json
from dashboard.webmap import PANES, build_base_map

BOUNDS = [[14.0, -93.0], [16.0, -91.0]]
CALL = re.compile(r'CaravanAtlas\.outline\(\w+, "([^"]+)", "(\w+)", (\{[^}]*\})\);')


def test_the_map_embeds_no_outline_but_names_its_file() -> None:
    html = build_base_map(BOUNDS).get_root().render()
    assert len(html) < 100_000, len(html)  # 1.05 MB with the outlines inline
    calls = CALL.findall(html)
    assert [pane for _url, pane, _style in calls] == [PANES["countries"][0], PANES["admin1"][0]]
    for url, _pane, style in calls:
        assert re.fullmatch(r"\.\./\.\./app/static/outlines/[\w.-]+-[0-9a-f]{16}\.json", url), url
        assert json.loads(style)["weight"] > 0


def test_the_file_is_the_simplified_outline_with_geometry_only() -> None:
    html = build_base_map(BOUNDS).get_root().render()
    urls = [url for url, _pane, _style in CALL.findall(html)]
    for url, source, tolerance in zip(urls, (COUNTRIES_FILE, ADMIN1_FILE), (0.03, 0.02)):
        text = (STATIC_DIR / url.removeprefix("../../app/static/")).read_text(encoding="utf-8")
        assert text == _outline_json(str(source), tolerance)
        data = json.loads(text)
        assert data["type"] == "FeatureCollection" and len(data["features"]) > 100
        assert all(f["properties"] == {} for f in data["features"])  # no names, no text
        assert not any(c in text for c in "<>&")


def test_no_outline_when_switched_off() -> None:
    html = build_base_map(BOUNDS, countries=False, admin1=False).get_root().render()
    assert "CaravanAtlas.outline(" not in html


def test_the_files_follow_the_asset_base() -> None:
    html = build_base_map(BOUNDS, asset_base="http://127.0.0.1:8123").get_root().render()
    urls = [url for url, _pane, _style in CALL.findall(html)]
    assert len(urls) == 2 and all(u.startswith("http://127.0.0.1:8123/outlines/") for u in urls)


def test_a_file_is_written_once_and_replaced_when_its_outline_changes(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    texts = {"now": '{"type":"FeatureCollection","features":[]}'}
    monkeypatch.setattr(outline_files, "_outline_json", lambda source, tolerance: texts["now"])
    outline_files.outline_file.cache_clear()
    try:
        first = outline_files.outline_file("/data/world.geojson", 0.03, str(tmp_path))
        path = tmp_path / first
        assert first.startswith("outlines/world-0.03-") and path.read_text() == texts["now"]
        written = path.stat().st_mtime_ns
        outline_files.outline_file.cache_clear()
        assert outline_files.outline_file("/data/world.geojson", 0.03, str(tmp_path)) == first
        assert path.stat().st_mtime_ns == written  # not written again
        texts["now"] = '{"type":"FeatureCollection","features":[{"type":"Feature"}]}'
        outline_files.outline_file.cache_clear()
        second = outline_files.outline_file("/data/world.geojson", 0.03, str(tmp_path))
        assert second != first and (tmp_path / second).read_text() == texts["now"]
        assert not path.exists()  # the old one is gone
        other = outline_files.outline_file("/data/states.geojson", 0.03, str(tmp_path))
        assert (tmp_path / other).exists() and (tmp_path / second).exists()  # another outline's file stays
    finally:
        outline_files.outline_file.cache_clear()


def test_the_library_draws_outlines_after_the_first_frame() -> None:
    from dashboard.webmap import _LIBRARY_JS

    body = _LIBRARY_JS[_LIBRARY_JS.index("A.outline = function"):_LIBRARY_JS.index("A.init = function")]
    assert "fetch(url)" in body and "requestAnimationFrame" in body
    assert "interactive: false, pane: pane" in body


def test_the_map_loads_no_script_it_does_not_use() -> None:
    """Every script the map asks for is a file the browser loads: jQuery (unused) is not one of them."""
    html = build_base_map(BOUNDS).get_root().render()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert not [s for s in scripts if "jquery" in s], scripts
    assert any("leaflet-1.9.3.js" in s for s in scripts)
