"""Results kept on disk between server starts (dashboard/diskcache.py) and the app's use of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard import diskcache

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(diskcache, "cache_folder", lambda: tmp_path)
    return tmp_path


def test_saved_value_comes_back_under_its_key_only(folder: Path) -> None:
    assert diskcache.load("atlas", "k1") is None
    diskcache.save("atlas", "k1", {"a": [1, 2]})
    assert diskcache.load("atlas", "k1") == {"a": [1, 2]}
    assert diskcache.load("atlas", "k2") is None
    assert diskcache.load("outline", "k1") is None
    assert not list(folder.rglob(".tmp-*"))  # written atomically


def test_another_code_version_is_a_miss(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    diskcache.save("atlas", "k", 1)
    monkeypatch.setattr(diskcache, "code_version", lambda: "0000000000000000")
    assert diskcache.load("atlas", "k") is None


def test_code_version_follows_the_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for package in ("geo", "dashboard"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "m.py").write_text("x = 1\n")
    monkeypatch.setattr(diskcache, "ROOT", tmp_path)
    diskcache.code_version.cache_clear()
    try:
        before = diskcache.code_version()
        diskcache.code_version.cache_clear()
        assert diskcache.code_version() == before
        (tmp_path / "geo" / "m.py").write_text("x = 2\n")
        diskcache.code_version.cache_clear()
        assert diskcache.code_version() != before
    finally:
        diskcache.code_version.cache_clear()


def test_broken_file_is_a_miss_not_an_error(folder: Path) -> None:
    diskcache.save("atlas", "k", [1])
    (path,) = folder.rglob("*.pickle")
    path.write_bytes(b"not a pickle")
    assert diskcache.load("atlas", "k") is None


def test_only_the_newest_files_are_kept(folder: Path) -> None:
    for i in range(diskcache.KEEP + 3):
        diskcache.save("atlas", f"k{i}", i)
    assert len(list((folder / "atlas").glob("*.pickle"))) == diskcache.KEEP
    assert diskcache.load("atlas", f"k{diskcache.KEEP + 2}") == diskcache.KEEP + 2


def test_unwritable_folder_is_logged_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setattr(diskcache, "cache_folder", lambda: blocker / "sub")
    diskcache.save("atlas", "k", 1)  # no exception
    assert diskcache.load("atlas", "k") is None


def test_outline_is_the_same_from_disk(folder: Path) -> None:
    from dashboard import webmap

    path = str(webmap.COUNTRIES_FILE)
    webmap._outline_json.cache_clear()
    fresh = webmap._outline_json(path, 0.03)
    assert list(folder.rglob("*.pickle"))
    webmap._outline_json.cache_clear()
    assert webmap._outline_json(path, 0.03) == fresh
    assert json.loads(fresh) == webmap._simplified_outline(path, 0.03, 3)
    webmap._outline_json.cache_clear()


def test_restarted_app_takes_the_atlas_from_disk(folder: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A new server process (empty Streamlit caches) shows the demo atlas without analysing it."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import geo.atlas.build

    monkeypatch.setenv("ATLAS_DATABASE_URL", f"sqlite:///{tmp_path / 'atlas.sqlite'}")
    st.cache_data.clear()
    first = AppTest.from_file(APP, default_timeout=180).run()
    assert not first.exception, [e.message for e in first.exception]
    events = first.session_state["view_event_ids"]
    assert events and list((folder / "atlas").glob("*.pickle"))

    def no_analysis(*args, **kwargs):
        raise AssertionError("analysed again")

    monkeypatch.setattr(geo.atlas.build, "analyse_articles", no_analysis)
    st.cache_data.clear()  # as after a restart
    again = AppTest.from_file(APP, default_timeout=180).run()
    assert not again.exception, [e.message for e in again.exception]
    assert again.session_state["view_event_ids"] == events
    assert not any("sample" in w.value.lower() for w in again.warning)
