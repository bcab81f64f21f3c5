"""Corrections (geo/store/corrections.py) applied to the atlas of the seed articles.

The atlas is built once from data/articles; ids below are the stable ids of that atlas
(docs/atlas.md): Tapachula ``pl_8a9512dd4aae67c0`` with the departure event
``ev_b5ff82268321af50`` and the leg ``rt_24c776ce652268af`` that starts there; the Rodolfo
Robles bridge, a place (``pl_076c4dd5c08a21af``) and a crossing, with the blockade event
``ev_bf784147956445ed``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from geo.store import corrections as C
from geo.store.corrections import Correction, CorrectionError, MentionRef, apply_corrections

TAPACHULA = "pl_8a9512dd4aae67c0"
DEPARTURE = "ev_b5ff82268321af50"
LEG = "rt_24c776ce652268af"
BRIDGE_PLACE = "pl_076c4dd5c08a21af"
BRIDGE = "mxgt_suchiate_rodolfo_robles"
BLOCKADE = "ev_bf784147956445ed"
UNITED_STATES = "pl_f6dd44f3a63f1dba"


@pytest.fixture(scope="module")
def atlas(seed_articles):
    from geo.atlas.build import build_atlas

    return build_atlas(seed_articles)


def row(gdf, ident):
    col = gdf.columns[0]
    hits = gdf[gdf[col] == ident]
    assert len(hits) == 1, f"{ident} not found once"
    return hits.iloc[0]


def stamped(*corrections: Correction) -> list[Correction]:
    """Give the corrections increasing created_at, as the store does."""
    from dataclasses import replace

    return [replace(c, created_at=f"2024-01-01T00:00:{i:02d}+00:00") for i, c in enumerate(corrections)]


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: C.move_place(TAPACHULA, 95, 10), "out of range"),
        (lambda: C.move_place(TAPACHULA, 0, 0), "null island"),
        (lambda: C.move_place(TAPACHULA, math.nan, 10), "out of range"),
        (lambda: C.edit_event(DEPARTURE, date_start="24/12/2023"), "'24/12/2023'"),
        (lambda: C.edit_event(DEPARTURE, date_start="2023-12-24", date_end="2023-12-01"), "before date_start"),
        (lambda: C.edit_event(DEPARTURE, people_min=10, people_max=5), "below people_min"),
        (lambda: C.edit_event(DEPARTURE, people_min=-1), "-1"),
        (lambda: C.edit_event(DEPARTURE, place_name="x"), "place_name"),
        (lambda: C.choose_candidate(TAPACHULA, {"lat": 1, "lon": 2}), "needs a 'name'"),
        (lambda: Correction(target="event", target_id=DEPARTURE, action="move", value={"lat": 1, "lon": 2}), "edit_event"),
        (lambda: Correction(target="mention", target_id="a", action="not_a_place", start=5, end=5), "start < end"),
        (lambda: Correction(target="place", target_id="p", action="not_a_place", correction_id="7"), "UUID"),
    ],
)
def test_bad_corrections_are_refused_showing_the_value(make, message) -> None:
    with pytest.raises(CorrectionError, match=message):
        make()


def test_json_round_trip() -> None:
    items = stamped(C.move_place(TAPACHULA, 14.9, -92.2, author="ana", note="pin"),
                    C.not_a_place(MentionRef("a1", 3, 9), session="s"),
                    C.edit_event(DEPARTURE, date_start="2023-12-24", people_max=8000))
    text = C.dump_corrections(items)
    assert json.loads(text)["format"] == C.FORMAT
    assert C.load_corrections(text) == items
    with pytest.raises(CorrectionError, match="not a corrections file"):
        C.load_corrections("[]")


# --------------------------------------------------------------------------- applying


def test_no_corrections_changes_nothing_but_adds_the_columns(atlas) -> None:
    out = apply_corrections(atlas, [])
    for name, gdf in atlas.layers().items():
        got = out.layers()[name]
        assert list(got.columns) == [*gdf.columns[:-1], "corrected", "original", gdf.geometry.name]
        assert not got["corrected"].any() and got["original"].isna().all()
        assert got.drop(columns=["corrected", "original"]).to_json() == gdf.to_json()


def test_moving_a_place_moves_its_events_and_legs(atlas) -> None:
    before = atlas.events.copy()
    out = apply_corrections(atlas, [C.move_place(TAPACHULA, 14.95, -92.3)])
    place = row(out.places, TAPACHULA)
    assert (place.geometry.y, place.geometry.x) == (14.95, -92.3)
    assert place.corrected and place.original == {"lat": 14.90541, "lon": -92.25891}
    event = row(out.events, DEPARTURE)
    assert (event.geometry.y, event.geometry.x) == (14.95, -92.3) and event.corrected
    assert event.original == {"lat": 14.90541, "lon": -92.25891}
    leg = row(out.routes, LEG)
    assert leg.geometry.coords[0] == (-92.3, 14.95) and leg.original == {"from_lat": 14.90541, "from_lon": -92.25891}
    assert leg.geometry.coords[-1] == row(atlas.routes, LEG).geometry.coords[-1]
    assert out.counts() == atlas.counts()
    assert atlas.events.equals(before)  # pure: the input is untouched
    assert not row(out.events, BLOCKADE).corrected


def test_moving_a_crossing_place_moves_the_crossing(atlas) -> None:
    out = apply_corrections(atlas, [C.move_place(BRIDGE_PLACE, 14.68, -92.15)])
    assert row(out.crossings, BRIDGE).geometry.coords[0] == (-92.15, 14.68)
    assert row(out.events, BLOCKADE).geometry.coords[0] == (-92.15, 14.68)


def test_choosing_another_candidate(atlas) -> None:
    los_angeles = row(atlas.places, "pl_4399000f9bad0e23")
    alt = los_angeles.alternatives[0]
    out = apply_corrections(atlas, [C.choose_candidate("pl_4399000f9bad0e23", alt)])
    place = row(out.places, "pl_4399000f9bad0e23")
    assert (place["name"], place.geonameid, place.geometry.y, place.geometry.x) == (alt["name"], alt["geonameid"], alt["lat"], alt["lon"])
    assert place.original["name"] == "Los Angeles" and place.original["geonameid"] == los_angeles.geonameid
    assert any(a["geonameid"] == los_angeles.geonameid for a in place.alternatives)  # can be chosen back
    assert all(a["geonameid"] != alt["geonameid"] for a in place.alternatives)
    moved = out.events[out.events.original.map(lambda o: bool(o) and o.get("lat") == los_angeles.geometry.y)]
    assert len(moved) == (atlas.events.place_name == "Los Angeles").sum() > 0
    assert set(moved.place_name) == {alt["name"]}
    assert {(p.x, p.y) for p in moved.geometry} == {(alt["lon"], alt["lat"])}


def test_not_a_place_removes_it_and_the_geometry_that_relied_on_it(atlas) -> None:
    out = apply_corrections(atlas, [C.not_a_place(TAPACHULA)])
    assert TAPACHULA not in set(out.places.place_id)
    event = row(out.events, DEPARTURE)
    assert event.geometry is None and event.place_name is None
    assert event.original == {"lat": 14.90541, "lon": -92.25891, "place_name": "Tapachula", "place_kind": "city"}
    assert LEG not in set(out.routes.route_id)
    assert len(out.events) == len(atlas.events)  # events stay, traceable


def test_a_mention_is_split_off_its_place(atlas, seed_articles) -> None:
    us = row(atlas.places, UNITED_STATES)
    src = us.sources[0]
    ref = MentionRef(src["article_id"], src["start"], src["end"])
    texas = row(atlas.places, "pl_8148ae6bc3c04c6e")
    candidate = {"name": "Texas", "lat": texas.geometry.y, "lon": texas.geometry.x, "kind": "admin1",
                 "geonameid": int(texas.geonameid), "country_code": "US"}
    out = apply_corrections(atlas, [C.choose_candidate(ref, candidate)])
    assert row(out.places, UNITED_STATES).mentions == us.mentions - 1
    merged = row(out.places, "pl_8148ae6bc3c04c6e")  # the chosen candidate is already a place: merged
    assert merged.mentions == texas.mentions + 1 and merged.corrected
    assert (src["article_id"], src["start"]) in {(s["article_id"], s["start"]) for s in merged.sources}
    # "not a place" on one mention of a one-mention place removes the place
    india = row(atlas.places, "pl_64105637336da271")
    s = india.sources[0]
    out = apply_corrections(atlas, [C.not_a_place(MentionRef(s["article_id"], s["start"], s["end"]))])
    assert "pl_64105637336da271" not in set(out.places.place_id)
    # a pin dropped for one mention makes a place of its own
    out = apply_corrections(atlas, [C.move_place(ref, 31.0, -100.0)])
    pins = out.places[(out.places.mentions == 1) & out.places.corrected & (out.places.name == us["name"])]
    assert len(pins) == 1 and pins.iloc[0].geonameid is pd_na() and pins.iloc[0].original["place_id"] == UNITED_STATES


def pd_na():
    import pandas as pd

    return pd.NA


def test_event_edits_reach_the_crossing_reports(atlas) -> None:
    edit = C.edit_event(BLOCKADE, date_start="2023-11-20", date_end="2023-11-21", date_precision="day",
                        event_type="port_status", people_min=2500, people_max=3500)
    out = apply_corrections(atlas, [edit])
    event = row(out.events, BLOCKADE)
    original = row(atlas.events, BLOCKADE)
    assert (event.date_start, event.date_end, event.people_min, event.people_max) == ("2023-11-20", "2023-11-21", 2500, 3500)
    assert event.original["date_start"] == original.date_start and event.original["people_min"] == original.people_min
    crossing = row(out.crossings, BRIDGE)
    assert crossing.latest_status_date == "2023-11-20" and crossing.corrected
    assert [s["date"] for s in crossing.status_events if s["event_id"] == BLOCKADE] == ["2023-11-20"]


def test_order_undo_and_unknown_targets(atlas) -> None:
    first, second = stamped(C.move_place(TAPACHULA, 14.95, -92.3), C.move_place(TAPACHULA, 15.0, -92.4))
    out = apply_corrections(atlas, [second, first])  # applied by created_at: the later one wins
    place = row(out.places, TAPACHULA)
    assert (place.geometry.y, place.geometry.x) == (15.0, -92.4)
    assert place.original == {"lat": 14.90541, "lon": -92.25891}  # the value before any correction
    from dataclasses import replace

    undone = replace(second, undone_at="2024-01-02T00:00:00+00:00")
    assert row(apply_corrections(atlas, [first, undone]).places, TAPACHULA).geometry.y == 14.95
    skipped: list[str] = []
    ghost = C.move_place("pl_0000000000000000", 10, 10)
    apply_corrections(atlas, [ghost, C.edit_event("ev_0000000000000000", people_min=1)], skipped=skipped)
    assert len(skipped) == 2 and ghost.correction_id in skipped


def test_corrected_atlas_is_exported(atlas, tmp_path: Path) -> None:
    from geo.export import write_atlas

    out = apply_corrections(atlas, [C.move_place(TAPACHULA, 14.95, -92.3), C.not_a_place(UNITED_STATES)])
    files = write_atlas(out, tmp_path)
    lines = [line.rstrip(",") for line in files["places.geojson"].read_text().splitlines()[1:-1]]
    features = {f["id"]: f for f in map(json.loads, lines)}
    tap = features[TAPACHULA]["properties"]
    assert tap["corrected"] is True and tap["original"] == {"lat": 14.90541, "lon": -92.25891}
    assert features[TAPACHULA]["geometry"]["coordinates"] == [-92.3, 14.95]
    assert UNITED_STATES not in features
    assert "corrected" in files["events.csv"].read_text().splitlines()[0]


def test_corrections_from_the_store_apply(atlas, tmp_path: Path) -> None:
    from geo.store.database import Store

    with Store.open(f"sqlite:///{tmp_path / 'a.sqlite'}") as store:
        keep = C.move_place(TAPACHULA, 14.95, -92.3, author="ana")
        drop = C.not_a_place(TAPACHULA)
        store.add_correction(keep)
        store.add_correction(drop)
        store.undo_correction(drop.correction_id)
        out = apply_corrections(atlas, store.corrections())
    assert row(out.places, TAPACHULA).geometry.y == 14.95



def test_swapped_pin_is_refused_and_flagged() -> None:
    """A pin whose latitude and longitude look swapped is refused (listed in ``skipped``),
    never applied; out-of-range values and (0, 0) are refused when the correction is made."""
    from geo.atlas.build import build_atlas
    from geo.gazetteer.coords import coordinate_problems
    from geo.sources.corpus import read_corpus
    from geo.store.corrections import CorrectionError, apply_corrections, move_place

    atlas = build_atlas(read_corpus(["data/articles"]))
    india = atlas.places[atlas.places.name == "India"].iloc[0]
    assert any("swapped" in p for p in coordinate_problems(79.0, 21.0, "IN"))
    assert coordinate_problems(21.0, 79.0, "IN") == []
    skipped: list[str] = []
    swapped = move_place(india.place_id, 79.0, 21.0)
    out = apply_corrections(atlas, [swapped], skipped=skipped)
    assert skipped == [swapped.correction_id]
    assert out.places.set_index("place_id").loc[india.place_id].geometry.equals(india.geometry)
    fine = move_place(india.place_id, 21.0, 79.0)
    moved = apply_corrections(atlas, [fine]).places.set_index("place_id").loc[india.place_id]
    assert (moved.geometry.y, moved.geometry.x) == (21.0, 79.0) and moved.corrected
    for lat, lon in ((0.0, 0.0), (95.0, 10.0), (-92.26, 14.9)):
        with pytest.raises(CorrectionError):
            move_place(india.place_id, lat, lon)


def test_cli_build_applies_the_store_corrections(tmp_path) -> None:
    """`python -m geo build --db URL` applies the store's corrections; exports carry them."""
    import json

    from geo.atlas.build import build_atlas
    from geo.cli import main
    from geo.sources.corpus import read_corpus
    from geo.store.corrections import move_place
    from geo.store.database import Store

    atlas = build_atlas(read_corpus(["data/articles"]))
    tap = atlas.places[atlas.places.name == "Tapachula"].iloc[0]
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    with Store.open(url) as store:
        store.add_correction(move_place(tap.place_id, 14.95, -92.3))
    out = tmp_path / "out"
    assert main(["build", "data/articles", "--out", str(out), "--jobs", "1", "--db", url]) == 0
    places = json.loads((out / "places.geojson").read_text(encoding="utf-8"))["features"]
    row = next(f for f in places if f["properties"]["place_id"] == tap.place_id)
    assert row["geometry"]["coordinates"] == [-92.3, 14.95]
    assert row["properties"]["corrected"] is True and row["properties"]["original"]["lat"] == pytest.approx(14.90541)
    plain = tmp_path / "plain"
    assert main(["build", "data/articles", "--out", str(plain), "--jobs", "1", "--no-corrections", "--db", url]) == 0
    row = next(f for f in json.loads((plain / "places.geojson").read_text())["features"]
               if f["properties"]["place_id"] == tap.place_id)
    assert row["geometry"]["coordinates"] != [-92.3, 14.95]


# --------------------------------------------------------------------------- large atlases


def _tiled(atlas, copies: int):
    """``copies`` shifted copies of the atlas with their own ids (benchmarks/corrections_bench.py)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from corrections_bench import tile

    return tile(atlas, copies, 2)


def test_only_the_corrected_rows_are_copied_and_the_input_is_untouched(atlas) -> None:
    """Applying a correction copies the rows it changes, not the whole atlas (which made
    corrections take seconds at 10,000 events); the input atlas is left as it was."""
    import copy as copy_module

    big = _tiled(atlas, 4)
    snapshot = {name: copy_module.deepcopy(gdf.drop(columns="geometry").to_dict("records"))
                for name, gdf in big.layers().items()}
    geometries = {name: [None if g is None else g.wkb for g in gdf.geometry] for name, gdf in big.layers().items()}
    target = big.places[big.places["place_id"] == f"{TAPACHULA}~2"].iloc[0]
    out = apply_corrections(big, [C.move_place(target.place_id, target.geometry.y + 0.1, target.geometry.x)])
    for name, gdf in big.layers().items():
        assert gdf.drop(columns="geometry").to_dict("records") == snapshot[name]
        assert [None if g is None else g.wkb for g in gdf.geometry] == geometries[name]
    moved = out.events[out.events["corrected"]]
    assert len(moved) and all(e.endswith(("~2", "~2.1")) or "~2." in e for e in moved["event_id"])
    source_of = dict(zip(big.events["event_id"], big.events["sources"]))
    for event_id, sources, corrected in zip(out.events["event_id"], out.events["sources"], out.events["corrected"]):
        assert (sources is source_of[event_id]) != bool(corrected)  # untouched rows are not copied


def test_rows_keep_the_atlas_order_whatever_the_input_order(atlas) -> None:
    big = _tiled(atlas, 3)
    shuffled = type(big)(**{name: gdf.sample(frac=1.0, random_state=1).reset_index(drop=True)
                            for name, gdf in big.layers().items()})
    fixes = stamped(C.move_place(f"{TAPACHULA}~1", 14.95, -92.3),
                    C.edit_event(f"{DEPARTURE}~0.0", date_start="2023-01-01"),
                    C.not_a_place(f"{BRIDGE_PLACE}~2"))
    a, b = apply_corrections(big, fixes), apply_corrections(shuffled, fixes)
    for name in a.layers():
        assert a.layers()[name].to_json() == b.layers()[name].to_json()
    assert list(a.events["event_id"]).index(f"{DEPARTURE}~0.0") < list(a.events["event_id"]).index(f"{DEPARTURE}~1.0")
