"""The offline basemap's reference features (dashboard.basemap) and the phone-width page
(dashboard.page_layout): files, map wiring and constant HTML. What the reader sees is tested
in the browser (test_browser_visibility.py)."""

from __future__ import annotations

import json
import re

import pytest

from dashboard import basemap
from dashboard.page_layout import EVIDENCE_ANCHOR, EVIDENCE_HINT_HTML, PAGE_CSS
from dashboard.sample import synthetic_atlas
from dashboard.webmap import ATTRIBUTION, PANES, REFERENCE_LAYER, build_base_map, build_map


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    static = tmp_path_factory.mktemp("static")
    folder = basemap.ensure_reference_files(static)
    return static, folder


def _world(folder) -> dict:
    return json.loads((folder / "world.json").read_text(encoding="utf-8"))


def test_world_file_has_countries_states_rivers_and_large_towns(files) -> None:
    _, folder = files
    world = _world(folder)
    countries = {r[2]: r for r in world["countries"]}
    assert {"Mexico", "Guatemala", "Honduras"} <= countries.keys()
    assert all(3 <= r[3] <= 9 for r in world["countries"])
    assert "Chiapas" in {r[2] for r in world["states"]}
    assert {"Suchiate River", "Rio Grande", "Usumacinta River"} <= {r["name"] for r in world["rivers"]}
    towns = world["towns"]
    assert "Tapachula" in {r[2] for r in towns}
    assert all(r[3] >= basemap.WORLD_TOWN_POPULATION for r in towns)
    assert [r[3] for r in towns] == sorted((r[3] for r in towns), reverse=True)  # largest first


def test_world_file_has_the_corridor_highways_without_boat_stretches(files) -> None:
    _, folder = files
    roads = _world(folder)["roads"]
    vertices = [tuple(p) for r in roads for p in r["ll"]]
    tapachula = (14.9054, -92.2589)
    assert tapachula in vertices  # Highway 200 runs through it
    assert all(len(r["ll"]) >= 2 for r in roads)
    # the Darién chain starts with the boat from Necoclí to Acandí: no line is drawn across the gulf
    def near(p, lat, lon):
        return abs(p[0] - lat) < 0.02 and abs(p[1] - lon) < 0.02

    assert any(near(p, 8.5116, -77.2772) for p in vertices)  # Acandí is on the foot route
    for r in roads:
        for a, b in zip(r["ll"], r["ll"][1:]):
            assert not (near(a, 8.4263, -76.7893) and near(b, 8.5116, -77.2772)), "a boat stretch drawn as a road"


def test_small_towns_are_in_their_cell(files) -> None:
    _, folder = files
    world = _world(folder)
    key = basemap._cell_key(15.14, -92.46)  # Huixtla, Chiapas
    assert key in world["cells"]
    rows = json.loads((folder / "towns" / f"{key}.json").read_text(encoding="utf-8"))
    names = {r[2] for r in rows}
    assert {"Huixtla", "Pijijiapan"} <= names
    assert all(basemap.MIN_TOWN_POPULATION <= r[3] < basemap.WORLD_TOWN_POPULATION for r in rows)
    assert len(list((folder / "towns").iterdir())) == len(world["cells"])


def test_files_are_written_once(files) -> None:
    static, folder = files
    stamp = (folder / "world.json").stat().st_mtime_ns
    assert basemap.reference_files_ready(static)
    basemap.ensure_reference_files(static)
    assert (folder / "world.json").stat().st_mtime_ns == stamp
    assert not [p for p in static.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_more_towns_as_the_zoom_grows() -> None:
    zooms = [basemap.town_min_zoom(p) for p in (10_000_000, 1_500_000, 300_000, 60_000, 20_000, 6_000, 2_500, 1_000)]
    assert zooms == sorted(zooms) and zooms[0] == 4 and zooms[-1] == 11


def test_base_map_draws_reference_under_the_data() -> None:
    html = build_base_map([[14.0, -93.0], [16.0, -91.0]]).get_root().render()
    assert REFERENCE_LAYER in html
    assert 'CaravanReference.add(' in html and '"../../app/static/basemap/"' in html
    name, z_index, pointer = PANES["reference"]
    assert not pointer  # never intercepts a click
    data_panes = [z for role, (_n, z, _p) in PANES.items() if role not in ("countries", "admin1", "reference")]
    assert PANES["admin1"][1] < z_index < min(data_panes)
    assert re.search(rf'createPane\("{name}"', html) or f'"{name}"' in html
    assert "pointerEvents = 'none'" in html
    off = build_base_map([[14.0, -93.0], [16.0, -91.0]], reference=False).get_root().render()
    assert "CaravanReference.add(" not in off


def test_reference_data_is_fetched_not_embedded() -> None:
    """The 10k-event map stays as light as before: the names are static files, not HTML."""
    atlas = synthetic_atlas(300, seed=3)
    with_ref = build_map(atlas.events, atlas.routes, atlas.places, atlas.crossings).get_root().render()
    without = build_map(atlas.events, atlas.routes, atlas.places, atlas.crossings, reference=False).get_root().render()
    assert len(with_ref) - len(without) < 12_000


def test_reference_library_has_no_template_delimiters() -> None:
    assert not any(d in basemap._REFERENCE_JS for d in ("{{", "{%", "{#"))


def test_attribution_names_the_basemap_sources() -> None:
    assert "GeoNames" in ATTRIBUTION and "CC BY 4.0" in ATTRIBUTION and "Natural Earth" in ATTRIBUTION


def test_phone_css_bounds_the_map_and_shows_the_hint_only_there() -> None:
    assert PAGE_CSS.startswith("<style>") and PAGE_CSS.rstrip().endswith("</style>")
    narrow = PAGE_CSS.split("@media", 1)[1]
    from dashboard.map.component import IFRAME_TITLE
    from devtools.headless import MAP_IFRAME

    # the map's iframe, as the browser tests and benchmarks find it
    assert MAP_IFRAME == f'iframe[title="{IFRAME_TITLE}"]' and MAP_IFRAME in narrow and "vh" in narrow
    assert ".ca-evidence-hint {display: none}" in PAGE_CSS.split("@media", 1)[0]
    assert f'href="#{EVIDENCE_ANCHOR}"' in EVIDENCE_HINT_HTML and 'class="ca-evidence-hint"' in EVIDENCE_HINT_HTML


def test_main_reports_a_bad_folder_in_one_line(tmp_path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert basemap.main([str(blocker)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot write the basemap's reference files into") and err.count("\n") == 1
