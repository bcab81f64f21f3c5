"""The map frame (issue 12): the map rendered into the parts its own Streamlit component draws
(dashboard/map/render.py), the component's arguments (dashboard/map/component.py), its page
(dashboard/map/frontend/) and the one-file bundle of Leaflet and its plugins (dashboard/assets.py)."""

from __future__ import annotations

import re

import folium
import pytest

from dashboard.assets import ASSETS, BUNDLE_CSS, BUNDLE_JS, MAP_BUNDLE, bundle_links, ensure_static_assets
from dashboard.map.component import FRONTEND, IFRAME_TITLE, WARM_UP_TITLE, component_args
from dashboard.map.render import render_map
from dashboard.sample import synthetic_atlas
from dashboard.webmap import build_base_map, build_layers

BOUNDS = [[14.0, -100.0], [30.0, -85.0]]


def _page(events_shown: int | None = None, selection: dict | None = None):
    atlas = synthetic_atlas(n_events=40, seed=3)
    events = atlas.events if events_shown is None else atlas.events.iloc[:events_shown]
    frame = build_base_map(BOUNDS, layer_control=False, workspace="demo")
    layers = build_layers(events, atlas.routes, atlas.places, atlas.crossings, selection=selection)
    return render_map(frame, layers, folium.LayerControl(collapsed=True), bundled=bundle_links())


def test_the_same_map_renders_to_the_same_text() -> None:
    a, b = _page(), _page()
    assert a == b  # names from the tree, not folium's random ones: no reload, no redraw on a rerun
    assert a.map_name == "map_0" and f'id="{a.map_name}"' in a.html and f"var {a.map_name} = L.map(" in a.script


def test_the_data_layers_are_apart_from_the_frame() -> None:
    a, b = _page(), _page(events_shown=5)
    # a filter changes the layers only: the frame (and so the map's view) is kept
    assert a.frame_digest == b.frame_digest and a.script == b.script and a.layers != b.layers
    assert "CaravanAtlas.add(" not in a.script and "CaravanAtlas.init(" in a.script
    for name in a.layer_names:
        assert f"var {name} = L.featureGroup(" in a.layers and f"{name}.addTo({a.map_name});" in a.layers
        assert name not in a.script
    assert f"let {a.control_name} = L.control.layers(" in a.layers
    other = render_map(build_base_map([[0.0, 0.0], [10.0, 10.0]], layer_control=False), bundled=bundle_links())
    assert other.frame_digest != a.frame_digest and other.layers == "" and other.layer_names == ()


def test_everything_the_map_asks_for_is_in_the_bundle() -> None:
    page = _page()
    assert page.js_links == () and page.css_links == ()
    assert "<script src" not in page.header and "<link" not in page.header
    # an element asking for more than the bundle gets it as a link, in its local copy
    frame = build_base_map(BOUNDS, layer_control=False)
    folium.plugins.MarkerCluster().add_to(frame)
    from dashboard.assets import localize

    more = render_map(localize(frame), bundled=bundle_links())
    assert more.js_links == ("../../app/static/vendor/leaflet.markercluster-1.1.0.js",)


def test_component_args_carry_the_page_and_what_to_report() -> None:
    page = _page()
    args = component_args(page, height=620, returned_objects=["last_object_clicked_tooltip"], center=(15.5, -92),
                          zoom=7)
    assert args["script"] == page.script and args["layers"] == page.layers and args["map_name"] == "map_0"
    assert args["center"] == [15.5, -92.0] and args["zoom"] == 7 and args["height"] == 620
    assert component_args(page, height=620, returned_objects=[])["center"] is None
    with pytest.raises(ValueError, match="bounds"):
        component_args(page, height=620, returned_objects=["bounds"])


def test_the_frame_page_loads_the_bundle_and_speaks_the_component_protocol() -> None:
    html = (FRONTEND / "index.html").read_text(encoding="utf-8")
    assert [p.name for p in FRONTEND.iterdir()] == ["index.html"]  # one request for the page itself
    srcs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert srcs == [f"../../app/static/vendor/{BUNDLE_CSS}", f"../../app/static/vendor/{BUNDLE_JS}"]
    # its own script first (it says "ready" at once), then the bundle
    js = html[html.index("<script>") + 8:html.index("</script>")]
    assert html.index("<script>") < html.index(BUNDLE_CSS) < html.index(BUNDLE_JS)
    for needed in ("'streamlit:componentReady', {apiVersion: 1}", "'streamlit:render'", "'streamlit:setFrameHeight'",
                   "'streamlit:setComponentValue', {value: v, dataType: 'json'}", "isStreamlitMessage: true",
                   "ev.source !== window.parent"):
        assert needed in js, needed
    assert IFRAME_TITLE == "dashboard.map.component.atlas_map"


def test_the_warm_up_instance_is_hidden() -> None:
    from dashboard.page_layout import PAGE_CSS

    assert WARM_UP_TITLE != IFRAME_TITLE and not IFRAME_TITLE.startswith(WARM_UP_TITLE)
    wide = PAGE_CSS.split("@media", 1)[0]
    assert f'div[data-testid="stElementContainer"]:has(iframe[title="{WARM_UP_TITLE}"]) {{display: none}}' in wide


def test_the_bundle_is_written_from_the_installed_package_in_order(tmp_path) -> None:
    vendor = ensure_static_assets(tmp_path) / "vendor"
    js = (vendor / BUNDLE_JS).read_text(encoding="utf-8")
    css = (vendor / BUNDLE_CSS).read_text(encoding="utf-8")
    scripts = [u for u in MAP_BUNDLE if u.endswith(".js")]
    where = [js.index(f"/* {ASSETS[u]} ({u}) */") for u in scripts]
    assert where == sorted(where) and where[0] == 0  # Leaflet first, then its plugins
    assert (vendor / ASSETS[scripts[0]]).read_text(encoding="utf-8").strip()[:200] in js
    assert "sourceMappingURL" not in js and "Control.FullScreen" in js and "setText" in js
    assert all(f"/* {ASSETS[u]} ({u}) */" in css for u in MAP_BUNDLE if u.endswith(".css"))
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", css) and "@import" not in css  # (images are data: URLs)
