"""The dashboard's logic: pure modules (filters, URL state, uploads, exports, evidence) and
the app itself through ``streamlit.testing.v1.AppTest`` (no browser)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.escape import escape_text
from dashboard.evidence import evidence_html, find_feature
from dashboard.exports import csv_bytes, geojson_bytes, gpkg_bytes, zip_bytes
from dashboard.filters import Filters, apply_filters, atlas_options, step_date, timeline_counts
from dashboard.sample import synthetic_atlas
from dashboard.state import ViewState, from_query_params, to_query_params
from dashboard.uploads import UploadError, display_name, read_upload
from geo.sources.corpus import html_to_text
from geo.export import validate_geojson

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture(scope="module", autouse=True)
def _own_store(tmp_path_factory):
    """The app's store is a temporary SQLite file (never the repository's data/atlas.sqlite)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'atlas.sqlite'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ATLAS_DATABASE_URL", url)
        yield url


# --------------------------------------------------------------------------- filters


@pytest.fixture(scope="module")
def synth():
    return synthetic_atlas(2000, seed=11)


def test_default_filters_keep_everything(synth) -> None:
    view = apply_filters(synth, Filters())
    assert len(view.events) == len(synth.events)
    assert len(view.routes) == len(synth.routes)
    assert len(view.places) == len(synth.places)


def test_each_filter_narrows_the_events(synth) -> None:
    n = len(synth.events)
    by_type = apply_filters(synth, Filters(event_types=("march",))).events
    assert 0 < len(by_type) < n and set(by_type["event_type"]) == {"march"}
    by_caravan = apply_filters(synth, Filters(caravans=("c1",))).events
    assert 0 < len(by_caravan) < n and set(by_caravan["caravan_id"]) == {"c1"}
    by_conf = apply_filters(synth, Filters(min_confidence=0.8)).events
    assert 0 < len(by_conf) < n and by_conf["confidence"].min() >= 0.8
    by_dates = apply_filters(synth, Filters(date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 3, 31))).events
    assert 0 < len(by_dates) < n
    assert (by_dates["date_start"] <= "2024-03-31").all()
    first_article = synth.events["article_ids"].iloc[0][0]
    by_article = apply_filters(synth, Filters(articles=(first_article,))).events
    assert 0 < len(by_article) < n and all(first_article in ids for ids in by_article["article_ids"])
    name = synth.places["name"].iloc[0]
    search = apply_filters(synth, Filters(search=name.upper()))
    assert len(search.places) >= 1 and all(name.casefold() in p.casefold() for p in search.places["name"])


def test_time_player_shows_events_and_routes_up_to_the_day(synth) -> None:
    day = dt.date(2024, 2, 15)
    view = apply_filters(synth, Filters(upto=day))
    assert (view.events["date_start"] <= "2024-02-15").all() and len(view.events) > 0
    before = apply_filters(synth, Filters(upto=dt.date(2023, 12, 31)))
    assert len(before.routes) == 0 and len(before.events) == 0  # legs start 2024-01-01


def test_intended_legs_only_from_their_start(seed_atlas) -> None:
    frames = seed_atlas.frames
    routes = frames.routes
    intended = routes[routes["status"] == "intended"]
    assert len(intended)
    start = min(intended["date_start"].dropna())
    day_before = dt.date.fromisoformat(start) - dt.timedelta(days=1)
    shown = apply_filters(frames, Filters(upto=day_before)).routes
    assert not (shown["date_start"] > day_before.isoformat()).any()
    shown = apply_filters(frames, Filters(upto=dt.date.fromisoformat(start))).routes
    assert (shown["status"] == "intended").any()


def test_route_legs_follow_the_date_range_and_the_place_search(seed_atlas) -> None:
    """Issue 12: a 2018 leg (even an open-ended intended one, or one with only an end date)
    is not on a 2023-only view; a place search keeps the legs from or to a matching place."""
    frames = seed_atlas.frames
    assert (frames.routes["caravan_id"] == "caravan-2018-10").any()
    late = apply_filters(frames, Filters(date_from=dt.date(2023, 1, 1))).routes
    assert len(late) > 0 and not (late["caravan_id"] == "caravan-2018-10").any(), late[["caravan_id", "date_start"]]
    early = apply_filters(frames, Filters(date_to=dt.date(2019, 1, 1))).routes
    assert len(early) > 0 and set(early["caravan_id"]) == {"caravan-2018-10"}
    # an intended leg with no end stays while its caravan is still reported (up to its last date)
    during = apply_filters(frames, Filters(date_from=dt.date(2018, 10, 20), date_to=dt.date(2018, 10, 25))).routes
    assert (during["status"] == "intended").any()
    found = apply_filters(frames, Filters(search="tapachula")).routes
    assert len(found) > 0
    assert all("tapachula" in f"{a} {b}".casefold() for a, b in zip(found["from_place"], found["to_place"]))
    assert len(apply_filters(frames, Filters(search="Ushuaia")).routes) == 0


def test_crossing_status_as_of_the_day(seed_atlas) -> None:
    frames = seed_atlas.frames
    early = apply_filters(frames, Filters(upto=dt.date(2018, 10, 22))).crossings
    late = apply_filters(frames, Filters(upto=dt.date(2023, 12, 31))).crossings
    assert early["latest_status"].isna().all()
    assert late["latest_status"].notna().any()


def test_filters_on_10k_events_keep_only_what_matches() -> None:
    # speed is measured by benchmarks/map_bench.py, not asserted here
    atlas = synthetic_atlas(10_000, seed=3)
    f = Filters(event_types=("march", "policy"), min_confidence=0.3, date_from=dt.date(2024, 2, 1))
    out = apply_filters(atlas, f)
    ev = out.events
    assert 0 < len(ev) < len(atlas.events)
    assert set(ev["event_type"]) <= {"march", "policy"}


def test_timeline_and_steps(synth) -> None:
    table, freq = timeline_counts(synth.events)
    assert freq == "month" and table["count"].sum() == synth.events["date_start"].notna().sum()
    days = [dt.date(2024, 1, 1), dt.date(2024, 1, 5), dt.date(2024, 2, 1)]
    assert step_date(days, None, 1) == days[0]
    assert step_date(days, days[0], 1) == days[1]
    assert step_date(days, dt.date(2024, 1, 3), -1) == days[0]
    assert step_date(days, days[-1], 1) == days[-1]


def test_options_clean_drops_unknown_values(synth) -> None:
    options = atlas_options(synth)
    f = options.clean(Filters(caravans=("c1", "nope"), event_types=("march", "bogus"), date_from=dt.date(1990, 1, 1)))
    assert f.caravans == ("c1",) and f.event_types == ("march",) and f.date_from is None


# --------------------------------------------------------------------------- URL state


def test_url_round_trip_example() -> None:
    state = ViewState(
        Filters(date_from=dt.date(2023, 12, 1), date_to=dt.date(2023, 12, 31), caravans=("caravan-2023-12-24-x",),
                event_types=("march", "policy"), articles=("a,1", "b"), min_confidence=0.35,
                search="Tapachula, Chiapas", upto=dt.date(2023, 12, 24), include_undated=False),
        selected="events:ev_0123456789abcdef",
        center=(15.12345, -92.54321),
        zoom=7,
    )
    params = to_query_params(state)
    assert params["type"] == ["march", "policy"] and params["c"] == "15.12345,-92.54321"
    assert from_query_params(params) == state
    assert to_query_params(ViewState()) == {}


_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(
    dates=st.lists(st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)), min_size=3, max_size=3),
    use=st.lists(st.booleans(), min_size=3, max_size=3),
    caravans=st.lists(_text, max_size=3),
    types=st.lists(_text, max_size=3),
    articles=st.lists(_text, max_size=3),
    conf=st.floats(0, 1),
    search=st.text(max_size=40),
    undated=st.booleans(),
    sel=st.one_of(st.none(), st.builds(lambda layer, i: f"{layer}:{i}",
                                        st.sampled_from(["events", "places", "routes", "crossings"]), _text)),
    center=st.one_of(st.none(), st.tuples(st.floats(-90, 90), st.floats(-180, 180))),
    zoom=st.one_of(st.none(), st.integers(0, 18)),
)
def test_url_round_trip_is_lossless(dates, use, caravans, types, articles, conf, search, undated, sel, center, zoom) -> None:
    f = Filters(
        date_from=dates[0] if use[0] else None, date_to=dates[1] if use[1] else None, upto=dates[2] if use[2] else None,
        caravans=tuple(caravans), event_types=tuple(types), articles=tuple(articles), min_confidence=conf,
        search=search, include_undated=undated,
    )
    state = ViewState(f, selected=sel, center=center, zoom=zoom)
    assert from_query_params(to_query_params(state)) == state


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2023-13-01", "to": "yesterday", "conf": "2", "z": "99", "c": "91,0"},
        {"conf": "nan", "c": "abc", "z": "-1", "sel": "nonsense", "undated": "maybe"},
        {"type": ["march", ""], "c": ["1,2,3"], "from": "", "upto": "2023-02-30"},
        {"sel": "events:" + "x" * 1000, "q": "   "},
    ],
)
def test_invalid_params_fall_back_to_defaults(params) -> None:
    state = from_query_params(params)
    assert state.center is None and state.zoom is None and state.selected is None
    assert state.filters.date_from is None and state.filters.min_confidence == 0.0


# --------------------------------------------------------------------------- uploads


def test_upload_markdown_html_and_errors() -> None:
    md = b"---\ntitle: Caravan leaves\npublished: 2023-12-24\n---\nHundreds of migrants left Tapachula on Sunday.\n"
    art = read_upload("../../etc/passwd/story.md", md)
    # the id is a hash of the text, not the file name
    assert art.title == "Caravan leaves" and art.published == dt.date(2023, 12, 24) and len(art.id) == 16
    assert art.path == "upload:story.md"
    html = (b"<html><head><title>Caravan &amp; border</title><script>alert(1)</script><style>p{}</style>"
            b"<meta property='article:published_time' content='2023-12-25T10:00:00Z'></head>"
            b"<body><h1>Caravan</h1><p>Migrants left <b>Tapachula</b>.</p><script>var x=1</script></body></html>")
    art = read_upload("page.html", html)
    assert art.title == "Caravan & border" and art.published == dt.date(2023, 12, 25)
    assert "alert" not in art.text and "var x" not in art.text and "Migrants left Tapachula." in art.text
    latin = read_upload("latin.txt", "Migración en Tapachula".encode("cp1252"))  # read as Windows-1252
    assert latin.text.startswith("Migración")
    undated = read_upload("x.txt", b"Migrants left Tapachula.", default_date=dt.date(2024, 1, 2))
    assert undated.published == dt.date(2024, 1, 2)
    for name, data, reason in [
        ("bin.md", b"\x00\x01\x02binary", "binary|NUL"),
        ("bad.md", b"---\ntitle: [unclosed\n---\nText\n", "front matter"),
        ("big.md", b"x" * (6 * 1024 * 1024), "too large"),
        ("photo.jpg", b"\xff\xd8", "unsupported"),
        ("empty.md", b"   ", "empty"),
    ]:
        with pytest.raises(UploadError, match=reason) as err:
            read_upload(name, data)
        assert "\n" not in str(err.value) and str(err.value).startswith(display_name(name))
    assert display_name("<img src=x onerror=alert(1)>.md") == "_img src_x onerror_alert_1__.md"
    assert html_to_text("<p>a</p><p>b</p>")[0] == "a\n\nb\n"


# --------------------------------------------------------------------------- exports and evidence


def test_exports_are_valid_and_filtered(seed_atlas) -> None:
    frames = seed_atlas.frames
    view = apply_filters(frames, Filters(event_types=("march",)))
    obj = json.loads(geojson_bytes(view.events))
    assert validate_geojson(obj) == []
    assert {f["properties"]["event_type"] for f in obj["features"]} == {"march"}
    assert len(obj["features"]) == len(view.events)
    assert csv_bytes(view.events).decode().count("\n") == len(view.events) + 1
    with zipfile.ZipFile(io.BytesIO(zip_bytes(view))) as zf:
        names = set(zf.namelist())
        assert {"places.geojson", "events.geojson", "routes.geojson", "crossings.geojson"} <= names
        for name in names - {"README.txt"}:
            assert validate_geojson(json.loads(zf.read(name))) == []
    gpkg = gpkg_bytes(view)
    assert gpkg[:16] == b"SQLite format 3\x00"


PAYLOAD = ("{{ cycler.__init__.__globals__.os.popen('id').read() }} <img src=x onerror=alert(1)> ${alert(2)} "
           "</script><script>alert(4)</script> \"'><svg onload=alert(5)> javascript:alert(6)")


def test_evidence_panel_is_escaped() -> None:
    atlas = synthetic_atlas(5, seed=2, payload=PAYLOAD)
    for layer, col in (("events", "event_id"), ("places", "place_id"), ("routes", "route_id"), ("crossings", "crossing_id")):
        frame = getattr(atlas, layer)
        if col not in frame.columns:  # synthetic routes have no ids
            continue
        found = find_feature(atlas, f"{layer}:{frame[col].iloc[0]}")
        assert found is not None
        html = evidence_html(found[0], found[1], {})
        assert "<img" not in html and "<svg" not in html and "<script" not in html and "{{" not in html
        assert 'href="javascript' not in html
        assert not re.search(r"<[a-z][^<>]*\son\w+\s*=", html, flags=re.I)
        assert escape_text("<img src=x onerror=alert(1)>") in html or layer == "routes"


def test_country_selection_gets_its_polygon() -> None:
    from dashboard.webmap import selection_areas

    areas = selection_areas({"kind": "country", "country_code": "GT"})
    assert areas and areas[0][0] == "Guatemala" and areas[0][1]["type"] in ("Polygon", "MultiPolygon")
    chiapas = selection_areas({"kind": "admin1", "admin1": "MX.05"})
    assert chiapas and chiapas[0][0] == "Chiapas"
    by_id = selection_areas({"kind": "admin1", "geonameid": 3531011})  # Chiapas's GeoNames id
    assert by_id and by_id[0][0] == "Chiapas"
    assert selection_areas({"kind": "city", "country_code": "MX"}) == []


# --------------------------------------------------------------------------- the app (AppTest)


@pytest.fixture(scope="module")
def seed_atlas():
    from dashboard.source import load_atlas

    loaded = load_atlas(ROOT / "data" / "articles")
    assert not loaded.is_sample, loaded.note
    return loaded


def _app(params: dict | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at.run()


def _component_args(at) -> dict:
    from dashboard.map.component import IFRAME_TITLE, WARM_UP_TITLE

    comps = at.get("component_instance")
    # the map, and the hidden warm-up instance of its frame drawn first
    assert [c.proto.component_name for c in comps] == [WARM_UP_TITLE, IFRAME_TITLE]
    return json.loads(comps[1].proto.json_args)


@pytest.fixture(scope="module")
def app():
    at = _app()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_app_shows_the_demo_atlas(app, seed_atlas) -> None:
    ids = app.session_state["view_event_ids"]
    assert len(ids) == len(seed_atlas.frames.events) > 0
    assert "events" in app.markdown[0].value
    args = _component_args(app)
    assert args["returned_objects"] == ["last_object_clicked_tooltip"]
    group = args["layers"]
    for kind in ("events", "routes", "crossings", "places", "selection"):
        assert re.search(r'CaravanAtlas\.add\(feature_group_\d+, "' + kind + '"', group), kind
    # the layers' script defines the groups and the control the frame swaps on the next run
    assert args["layer_names"] and all(f"var {n} = L.featureGroup(" in group for n in args["layer_names"])
    assert f"let {args['control_name']} = L.control.layers(" in group
    titles = [s.value for s in app.subheader]
    assert {"Evidence", "Timeline", "Events", "Download this view"} <= set(titles)
    assert any("GeoNames" in m.value and "Natural Earth" in m.value and "BTS" in m.value
               and "OpenStreetMap" in m.value for m in app.markdown)


def test_no_http_asset_urls_in_the_map_component(app) -> None:
    from dashboard.map.component import FRONTEND

    args = _component_args(app)
    # everything the map needs is in the frame's bundle, which its own page loads
    assert args["js_links"] == [] and args["css_links"] == []
    page = (FRONTEND / "index.html").read_text(encoding="utf-8")
    urls = re.findall(r"(?:src|href)\s*=\s*\"([^\"]*)\"", page)
    assert urls and all(not re.match(r"(?:[a-z]+:)?//", u) for u in urls), urls
    for text in (args["script"], args["header"], args["html"], args["layers"]):
        assert not re.search(r"<(?:script|link)[^>]+(?:src|href)\s*=\s*[\"']?(?:https?:)?//", text)


def test_filters_change_counts_and_url(app, seed_atlas) -> None:
    n = len(seed_atlas.frames.events)
    app.multiselect(key="f_types").select("march").run()
    ids = app.session_state["view_event_ids"]
    assert 0 < len(ids) < n
    assert app.query_params["type"] == ["march"] or app.query_params["type"] == "march"
    app.slider(key="f_conf").set_value(0.5).run()
    fewer = app.session_state["view_event_ids"]
    assert len(fewer) <= len(ids)
    # the export of the view is valid GeoJSON of exactly these rows
    frames = seed_atlas.frames
    view = frames.events[frames.events["event_id"].isin(fewer)]
    obj = json.loads(geojson_bytes(view))
    assert validate_geojson(obj) == [] and sorted(f["id"] for f in obj["features"]) == sorted(fewer)
    next(b for b in app.button if b.label == "Reset filters").click().run()
    assert len(app.session_state["view_event_ids"]) == n
    assert "type" not in app.query_params


def test_shared_url_restores_the_view(seed_atlas) -> None:
    frames = seed_atlas.frames
    event_id = frames.events["event_id"].iloc[0]
    at = _app({"type": ["departure", "march"], "conf": "0.3", "from": "2023-01-01", "q": "guat",
               "sel": f"events:{event_id}", "c": "15.5,-91.25", "z": "6", "upto": "2023-12-25"})
    assert not at.exception, [e.message for e in at.exception]
    assert at.multiselect(key="f_types").value == ["departure", "march"]
    assert at.slider(key="f_conf").value == 0.3
    assert at.text_input(key="f_search").value == "guat"
    assert at.slider(key="f_dates").value[0] == dt.date(2023, 1, 1)
    assert at.toggle(key="f_play").value is True and at.slider(key="f_upto").value == dt.date(2023, 12, 25)
    assert at.session_state["sel"] == f"events:{event_id}"
    args = _component_args(at)
    assert args["center"] == [15.5, -91.25] and args["zoom"] == 6
    assert at.query_params["c"] in ("15.5,-91.25", ["15.5,-91.25"])
    # evidence panel shows the selected event
    assert any("Evidence" in h.proto.body or "evp" in h.proto.body for h in at.get("html"))


def test_invalid_url_never_crashes() -> None:
    at = _app({"type": "bogus", "conf": "x", "from": "2099-99-99", "sel": "events:nope", "c": "a,b", "z": "zz",
               "caravan": "<script>alert(1)</script>"})
    assert not at.exception, [e.message for e in at.exception]
    assert at.multiselect(key="f_types").value == []
    assert at.slider(key="f_conf").value == 0.0


def test_opens_a_built_geoparquet_atlas(tmp_path) -> None:
    """`streamlit run dashboard/app.py -- --atlas DIR` shows an atlas built as GeoParquet."""
    from streamlit.testing.v1 import AppTest

    from geo.cli import main

    out = tmp_path / "pq"
    assert main(["build", "data/articles", "--out", str(out), "--format", "parquet", "--jobs", "1",
                 "--no-corrections"]) == 0
    import sys

    old = sys.argv
    sys.argv = ["app.py", "--atlas", str(out)]
    try:
        at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
        at.run()
    finally:
        sys.argv = old
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "pq/" in text and "read-only" in text, text[:500]
    import geopandas as gpd

    n = len(gpd.read_parquet(out / "events.parquet"))
    assert n > 0 and f"{n} of {n} events" in text.replace("*", ""), text[:300]


def test_area_level_events_are_flagged_for_a_badge_with_their_place(seed_atlas) -> None:
    """A country- or state-level event row carries its level (the map draws it on the area's
    badge, not as a point); the payload maps the area to its place so the badge can select it;
    the hostile name of an area reaches the page escaped."""
    from dashboard.webmap import _area_places, prepare_events

    frames = seed_atlas.frames
    rows = prepare_events(frames.events)
    levels = {r[5]: r[15] for r in rows.rows if r is not None}
    assert levels["United States"] == "country" and levels["Texas"] == "admin1" and levels["Tapachula"] == ""
    areas = _area_places(frames.places)
    us = frames.places[frames.places.name == "United States"].place_id.iloc[0]
    assert areas["country|United States"] == us and areas["|United States"] == us
    assert "|Tapachula" not in areas  # a town is no area
    hostile = frames.places.copy()
    hostile.loc[hostile.name == "Texas", "name"] = "{{ 7*7 }}<b>"
    assert f"admin1|{escape_text('{{ 7*7 }}<b>')}" in _area_places(hostile)


def test_selection_carries_its_key_and_the_picked_candidate() -> None:
    from dashboard.webmap import _selection_data

    d = _selection_data({"point": (14.9, -92.26), "key": "places:pl_1", "candidate": (42.2, -78.3, "${alert(1)}")})
    assert d["key"] == "places:pl_1"
    assert d["candidate"] == {"ll": [42.2, -78.3], "label": escape_text("${alert(1)}")}
    assert _selection_data(None)["candidate"] is None and _selection_data(None)["key"] == ""


def test_area_events_lists_the_events_known_only_at_that_level(seed_atlas) -> None:
    from dashboard.evidence import area_events, evidence_html

    frames = seed_atlas.frames
    place = lambda name: frames.places[frames.places.name == name].iloc[0].to_dict()  # noqa: E731
    us = area_events(frames.events, place("United States"))
    assert us.place_name.tolist() == ["United States"] and us.event_type.tolist() == ["crossing"]
    assert area_events(frames.events, place("Mexico")).place_name.tolist() == ["Mexico"]  # (a demonym place too)
    assert len(area_events(frames.events, place("Tapachula"))) == 0  # a town's events are points
    row = frames.events[frames.events.place_name == "Texas"].iloc[0].to_dict()
    assert "Place level</th><td>admin1 (no town given)" in evidence_html("events", row)
