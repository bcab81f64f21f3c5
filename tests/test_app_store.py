"""The dashboard on top of the store, through ``streamlit.testing.v1.AppTest`` (no browser).

Each test gets its own SQLite store (``ATLAS_DATABASE_URL`` under ``tmp_path``). Several
``AppTest`` instances on one store stand for several browser sessions (or a restart): they
share the database, as the sessions of one Streamlit server do.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from geo.store.database import Store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")

#: "Venezuela" in the seed articles resolves to the country; a town in Cuba is among its alternatives.
VENEZUELA = "Venezuela"


@pytest.fixture()
def db_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'atlas.sqlite'}"
    monkeypatch.setenv("ATLAS_DATABASE_URL", url)
    return url


def _session():
    """A fresh session of the app (a new browser tab, or the app after a restart)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=180).run()
    _ok(at)
    return at


def _ok(at) -> None:
    assert not at.exception, [e.message for e in at.exception]


def _map_args(at) -> dict:
    """The arguments of the map component (the page's other instance is its hidden warm-up)."""
    from dashboard.map.component import IFRAME_TITLE

    comps = [c for c in at.get("component_instance") if c.proto.component_name == IFRAME_TITLE]
    assert len(comps) == 1
    return json.loads(comps[0].proto.json_args)


def _layer(at, kind: str) -> dict:
    """The JSON payload of one data layer as sent to the map component."""
    group = _map_args(at)["layers"]
    marker = 'CaravanAtlas.add('
    for chunk in group.split(marker)[1:]:
        head = f'"{kind}", '
        rest = chunk.split(", ", 1)[1]
        if rest.startswith(head):
            data, _ = json.JSONDecoder().raw_decode(rest[len(head):])
            return data
    raise AssertionError(f"no {kind} layer in the map")


def _place(at, name: str) -> list:
    rows = [r for r in _layer(at, "places")["rows"] if r[2] == name]
    assert len(rows) == 1, rows
    return rows[0]


def _evidence(at) -> str:
    bodies = [h.proto.body for h in at.get("html") if "class='evp'" in h.proto.body]
    assert bodies, "no evidence panel"
    return bodies[0]


def _timeline(at):
    """The data of the timeline chart (period, type, count)."""
    import pyarrow as pa

    [chart] = at.get("vega_lite_chart")
    [dataset] = chart.proto.datasets
    return pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()


def _count(table, label: str) -> int:
    return int(table.loc[table["type"] == label, "count"].sum())


def _select_place(at, name: str) -> str:
    row = _place(at, name)
    place_id = row[8]
    at.selectbox(key="place_pick").set_value(place_id).run()
    _ok(at)
    assert at.session_state["sel"] == f"places:{place_id}"
    return place_id


def test_choose_candidate_is_shared_and_undone(db_url) -> None:
    at = _session()
    before = _place(at, VENEZUELA)
    assert before[4] == "VE" and not before[11]  # the country, uncorrected
    place_id = _select_place(at, VENEZUELA)

    # the alternatives, with name / admin1 / country / population
    choice = at.selectbox(key="fix_candidate")
    assert any("CU" in o and "pop." in o for o in choice.options), choice.options
    choice.set_value(next(i for i, o in enumerate(choice.options) if "CU" in o)).run()
    at.button(key="fix_apply").click().run()
    _ok(at)

    after = _place(at, VENEZUELA)
    assert after[4] == "CU" and after[8] == place_id  # same handle, now the Cuban town
    assert (after[0], after[1]) != (before[0], before[1]) and abs(after[0] - 21.7) < 0.5  # moved to Cuba
    assert after[11].startswith("yes; was")  # marked corrected on the map, with the original
    html = _evidence(at)
    assert "corrected" in html and "original:" in html and "VE" in html
    assert "1 correction" in at.markdown[0].value

    store = Store.open(db_url)
    [saved] = store.corrections()
    assert saved.target == "place" and saved.target_id == place_id and saved.action == "choose_candidate"
    assert saved.created_at and saved.author and saved.session == saved.author

    # (events and legs at a corrected place follow it: tests/test_corrections.py, same apply_corrections)

    # another session sees it; its undo restores the place for both
    other = _session()
    seen = _place(other, VENEZUELA)
    assert seen[4] == "CU" and (seen[0], seen[1]) == (after[0], after[1])
    undo = [b for b in other.button if b.key == f"undo_{saved.correction_id}"]
    assert len(undo) == 1
    undo[0].click().run()
    _ok(other)
    restored = _place(other, VENEZUELA)
    assert restored[4] == "VE" and (restored[0], restored[1]) == (before[0], before[1]) and not restored[11]
    assert store.corrections() == [] and store.correction(saved.correction_id).undone_at is not None
    at.run()  # the first session, at its next rerun
    _ok(at)
    assert _place(at, VENEZUELA)[4] == "VE"
    store.close()


def test_not_a_place_and_pin(db_url) -> None:
    at = _session()
    n_places = len(_layer(at, "places")["rows"])
    _select_place(at, VENEZUELA)
    at.radio(key="fix_action").set_value("move").run()
    at.number_input(key="pin_lat").set_value(10.5).run()
    at.number_input(key="pin_lon").set_value(-66.9).run()
    at.button(key="fix_apply").click().run()
    _ok(at)
    moved = _place(at, VENEZUELA)
    assert (moved[0], moved[1]) == (10.5, -66.9) and moved[11]
    at.radio(key="fix_action").set_value("not_a_place").run()
    at.button(key="fix_apply").click().run()
    _ok(at)
    assert len(_layer(at, "places")["rows"]) == n_places - 1
    assert not any(r[2] == VENEZUELA for r in _layer(at, "places")["rows"])
    assert len([b for b in at.button if (b.key or "").startswith("undo_")]) == 2


def test_pick_on_map_sets_the_pin(db_url) -> None:
    at = _session()
    assert _map_args(at)["returned_objects"] == ["last_object_clicked_tooltip"]
    _select_place(at, VENEZUELA)
    at.radio(key="fix_action").set_value("move").run()
    at.toggle(key="pick_mode").set_value(True).run()
    _ok(at)
    args = _map_args(at)
    assert args["returned_objects"] == ["last_object_clicked_tooltip", "last_clicked"]  # only while picking
    at.session_state["atlas_map"] = {"last_clicked": {"lat": 10.48801, "lng": -66.87919},
                                     "last_object_clicked_tooltip": None}
    at.run()
    _ok(at)
    assert at.number_input(key="pin_lat").value == pytest.approx(10.48801)
    assert at.number_input(key="pin_lon").value == pytest.approx(-66.87919)


def test_event_date_edit_changes_timeline_and_table(db_url) -> None:
    at = _session()
    table = at.dataframe[0].value
    events = _layer(at, "events")
    old_timeline = _timeline(at)
    assert not (old_timeline["period"].dt.strftime("%Y-%m") == "2024-02").any()
    # an event the table shows with a date; select it through its table row
    row = next(i for i, d in enumerate(table["date"]) if isinstance(d, str) and d.startswith("2023-12"))
    event_id = at.session_state["view_event_ids"][row]
    at.session_state["sel"] = f"events:{event_id}"
    at.run()
    _ok(at)
    assert at.date_input(key="ev_start").value == dt.date.fromisoformat(table["date"][row][:10])
    at.date_input(key="ev_start").set_value(dt.date(2024, 2, 3))
    at.date_input(key="ev_end").set_value(dt.date(2024, 2, 3))
    at.selectbox(key="ev_type").set_value("policy")
    at.number_input(key="ev_max").set_value(1234)
    at.button(key="fix_event").click().run()
    _ok(at)
    assert [s.value for s in at.success], [e.value for e in at.error]
    table2 = at.dataframe[0].value
    ids = at.session_state["view_event_ids"]
    assert len(ids) == len(events["rows"]) or len(ids) == len(table["date"])
    i = ids.index(event_id)
    assert table2["date"][i] == "2024-02-03" and table2["type"][i] == "Official action / policy" and table2["people"][i] == 1234
    assert bool(table2["corrected"][i]) is True
    # the timeline: the event left its old period for February 2024
    new = _timeline(at)
    assert (new["period"].dt.strftime("%Y-%m") == "2024-02").any()
    assert _count(new, "Official action / policy") == _count(old_timeline, "Official action / policy") + 1
    # the date range of the filters follows the new extreme
    assert at.slider(key="f_dates").value[1] >= dt.date(2024, 2, 3)
    html = _evidence(at)
    assert "corrected" in html and "start date" in html


def test_upload_persists_across_restart(db_url) -> None:
    at = _session()
    n = len(at.session_state["view_event_ids"])
    text = (b"---\ntitle: Migrants detained in Tabasco\npublished: 2024-01-05\n---\n"
            b"Mexican police detained 300 migrants in Villahermosa, Tabasco, on January 4, 2024.\n")
    at.file_uploader[0].set_value(("tabasco.md", text, "text/markdown"))
    submit = [b for b in at.button if b.label == "Add to the atlas"]
    submit[0].click().run()
    _ok(at)
    assert "4 articles" in at.markdown[0].value and "1 uploaded" in at.markdown[0].value
    store = Store.open(db_url)
    uploads = store.articles(origin="upload")
    assert [a.title for a in uploads] == ["Migrants detained in Tabasco"]
    store.close()
    # a restart (a fresh session) still has it, the corpus is not stored twice
    again = _session()
    assert "4 articles" in again.markdown[0].value
    assert len(again.session_state["view_event_ids"]) > n
    assert any(r[5] == "Villahermosa" for r in _layer(again, "events")["rows"])
    with Store.open(db_url) as s:
        assert s.article_count() == 4


# --------------------------------------------------------------------------- pure parts


@pytest.fixture(scope="module")
def base_atlas(seed_articles):
    from dashboard.source import atlas_from_articles

    loaded = atlas_from_articles(seed_articles, label="seed")
    assert not loaded.is_sample, loaded.note
    return loaded


def test_exports_carry_corrected_and_original(base_atlas) -> None:
    import io
    import zipfile

    import pyogrio

    from dashboard.exports import csv_bytes, geojson_bytes, gpkg_bytes, zip_bytes
    from dashboard.source import with_corrections
    from geo.store.corrections import edit_event, move_place

    events = base_atlas.frames.events
    event_id = events["event_id"].iloc[0]
    places = base_atlas.frames.places
    place_id = places.loc[places["name"] == VENEZUELA, "place_id"].iloc[0]
    from dataclasses import replace

    fixes = [replace(edit_event(event_id, people_max=9000), created_at="2024-01-01T00:00:00+00:00"),
             replace(move_place(place_id, 10.5, -66.9), created_at="2024-01-01T00:00:01+00:00")]
    before = events.loc[events["event_id"] == event_id, "people_max"].iloc[0]
    plain = json.loads(geojson_bytes(with_corrections(base_atlas, []).frames.events))  # no corrections yet
    assert all(f["properties"]["corrected"] is False and f["properties"]["original"] is None
               for f in plain["features"])
    fixed = with_corrections(base_atlas, fixes)
    assert fixed.skipped == ()
    assert list(fixed.frames.events.columns) == list(with_corrections(base_atlas, []).frames.events.columns)
    obj = json.loads(geojson_bytes(fixed.frames.events))
    by_id = {f["id"]: f["properties"] for f in obj["features"]}
    assert by_id[event_id]["corrected"] is True and by_id[event_id]["people_max"] == 9000
    assert by_id[event_id]["original"] == {"people_max": None if before is pd.NA else int(before)}
    assert all(p["corrected"] is False and p["original"] is None
               for k, p in by_id.items() if k != event_id and p.get("place_name") != VENEZUELA)
    assert "corrected" in csv_bytes(fixed.frames.events).decode().splitlines()[0]
    with zipfile.ZipFile(io.BytesIO(zip_bytes(fixed.frames))) as zf:
        places_obj = json.loads(zf.read("places.geojson"))
    [ven] = [f for f in places_obj["features"] if f["properties"]["name"] == VENEZUELA]
    assert ven["properties"]["corrected"] is True and ven["geometry"]["coordinates"] == [-66.9, 10.5]
    assert set(ven["properties"]["original"]) >= {"lat", "lon"}
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.gpkg"
        path.write_bytes(gpkg_bytes(fixed.frames))
        gdf = pyogrio.read_dataframe(path, layer="places")
    row = gdf[gdf["name"] == VENEZUELA].iloc[0]
    assert bool(row["corrected"]) and json.loads(row["original"])["lat"] != 10.5


def test_correction_labels_are_escaped_on_the_page() -> None:
    from dashboard.evidence import corrected_html
    from dashboard.fixes import candidate_label, correction_summary, original_text
    from geo.store.corrections import choose_candidate

    payload = "<img src=x onerror=alert(1)>{{7*7}}"
    html = corrected_html({"corrected": True, "original": {"name": payload, "lat": 1.0, "lon": 2.0}})
    assert "<img" not in html and "{{" not in html and "corrected" in html
    assert original_text({"name": "A", "lat": 1.5, "lon": -2.25}) == "at 1.5, -2.25; name A"
    c = choose_candidate("pl_1", {"name": "Venezuela", "lat": 7.1, "lon": -66.2, "country_code": "VE"})
    assert correction_summary(c, {"pl_1": "Venezuela"}) == "Venezuela → Venezuela · VE"
    assert candidate_label({"name": "X", "admin1": "MX.05", "country_code": "MX", "population": 1500}) == \
        "X · Chiapas, MX · pop. 1,500"


def test_event_changes_keep_only_edits_and_refuse_conflicts() -> None:
    from dashboard.fixes import event_changes

    row = {"date_start": "2023-12-24", "date_end": "2023-12-24", "date_precision": "day", "event_type": "march",
           "people_min": pd.NA, "people_max": 7000}
    same = {"date_start": dt.date(2023, 12, 24), "date_end": dt.date(2023, 12, 24), "date_precision": "day",
            "event_type": "march", "people_min": None, "people_max": 7000}
    assert event_changes(row, same) == {}
    assert event_changes(row, {**same, "date_end": dt.date(2023, 12, 26), "people_min": 5000}) == \
        {"date_end": "2023-12-26", "people_min": 5000}
    with pytest.raises(ValueError, match="before the start"):
        event_changes(row, {**same, "date_end": dt.date(2023, 12, 1)})
    with pytest.raises(ValueError, match="below people"):
        event_changes(row, {**same, "people_min": 9000})


def test_one_mention_gets_its_own_place(db_url) -> None:
    at = _session()
    n_places = len(_layer(at, "places")["rows"])
    _select_place(at, VENEZUELA)
    target = at.selectbox(key="fix_target")
    assert len(target.options) == 4 and target.options[0] == "Every mention of this place"  # 3 mentions
    target.set_value("m0").run()
    at.button(key="fix_apply").click().run()  # the first candidate: the country
    _ok(at)
    rows = [r for r in _layer(at, "places")["rows"] if r[2] == VENEZUELA]
    assert len(_layer(at, "places")["rows"]) == n_places + 1
    assert sorted(r[4] for r in rows) == ["CU", "VE"] and all(r[11] for r in rows)
    with Store.open(db_url) as s:
        [c] = s.corrections()
    assert c.target == "mention" and c.start is not None and c.end > c.start


# --------------------------------------------------------------------------- issue 12: evidence and corrections


def _html_text(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def test_undo_puts_the_form_back_and_names_the_author(db_url) -> None:
    at = _session()
    table = at.dataframe[0].value
    row = next(i for i, d in enumerate(table["date"]) if isinstance(d, str) and d.startswith("2023-12"))
    event_id = at.session_state["view_event_ids"][row]
    at.session_state["sel"] = f"events:{event_id}"
    at.run()
    _ok(at)
    original = at.date_input(key="ev_start").value
    at.date_input(key="ev_start").set_value(dt.date(2024, 2, 3))
    at.date_input(key="ev_end").set_value(dt.date(2024, 2, 3))
    at.button(key="fix_event").click().run()
    _ok(at)
    assert at.date_input(key="ev_start").value == dt.date(2024, 2, 3)
    # this session's own fix says "you", with its time, not a session id
    assert re.search(r"you, \d{4}-\d\d-\d\d \d\d:\d\d UTC", _html_text(at)), _html_text(at)[-600:]
    from streamlit.testing.v1 import AppTest

    other = AppTest.from_file(APP, default_timeout=180)
    other.session_state["_session_id"] = "0123456789abcdef"  # (AppTest sessions share one id)
    other.run()
    _ok(other)
    assert "another session, " in _html_text(other) and "session 01234567" not in _html_text(other)
    [undo] = [b for b in at.button if (b.key or "").startswith("undo_")]
    undo.click().run()
    _ok(at)
    assert at.date_input(key="ev_start").value == original  # the form shows the value in force again


def test_upload_says_it_worked(db_url) -> None:
    at = _session()
    text = b"---\ntitle: Caravan leaves Tapachula\npublished: 2024-01-05\n---\nA caravan left Tapachula on January 4.\n"
    at.file_uploader[0].set_value(("tapachula.md", text, "text/markdown"))
    [b for b in at.button if b.label == "Add to the atlas"][0].click().run()
    _ok(at)
    assert any("Added 1 article to the atlas" in s.value for s in at.success), [s.value for s in at.success]


def test_events_table_has_no_none_and_formats_people(db_url) -> None:
    at = _session()
    [frame] = at.dataframe
    table = frame.value
    for name in ("date", "type", "place", "caravan", "status", "precision", "article", "sentence"):
        assert not any(v is None or (isinstance(v, float) and v != v) for v in table[name]), name
    config = json.loads(frame.proto.columns)
    assert config["people"]["type_config"]["format"] == "localized", config["people"]


def test_same_name_candidates_say_their_state_and_population() -> None:
    from dashboard.fixes import candidate_label

    mo = candidate_label({"name": "Cuba", "admin1": "US.MO", "country_code": "US", "population": 3374, "kind": "city"})
    ny = candidate_label({"name": "Cuba", "admin1": "US.NY", "country_code": "US", "population": 1529, "kind": "city"})
    assert mo == "Cuba · Missouri, US · city · pop. 3,374" and ny == "Cuba · New York, US · city · pop. 1,529"
