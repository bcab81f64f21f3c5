"""build_map renders offline, with its layers, and article text stays inert.

Tests render the map's HTML (``m.get_root().render()``, the same path the map frame's renderer takes)
and inspect it; the browser side is in ``test_browser.py``.
"""

from __future__ import annotations

import re

import geopandas as gpd
import pytest
from shapely.geometry import Point

from dashboard.assets import ASSETS, AssetError, ensure_static_assets, localize
from dashboard.escape import escape_text, highlight, safe_url
from dashboard.sample import gazetteer_sample, synthetic_atlas
from dashboard.webmap import (
    CROSSING_LAYER,
    EVENT_LAYER,
    PLACE_LAYER,
    ROUTE_LAYER,
    build_map,
)

PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% for x in range(3) %}X{% endfor %}",
    "{# comment",
    "<img src=x onerror=alert(1)>",
    "${alert(1)}",
    "\\`;alert(1);//",
    "</script><script>alert(1)</script>",
    "\"'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "\u2028\u2029",
]


def render(atlas, **kwargs) -> str:
    m = build_map(atlas.events, atlas.routes, atlas.places, atlas.crossings, **kwargs)
    return m.get_root().render()


@pytest.fixture(scope="module")
def small_html() -> str:
    return render(synthetic_atlas(200, seed=1))


# --------------------------------------------------------------------------- escaping


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_text_leaves_no_active_character(payload: str) -> None:
    out = escape_text(payload)
    assert not set(out) & set("<>\"'`$\\{}")
    assert "\u2028" not in out


def test_escape_text_of_missing_values() -> None:
    assert escape_text(None) == ""
    assert escape_text(float("nan")) == ""
    assert escape_text(3) == "3"


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://example.org/a?b=c&d=e", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//example.org", False),
        ("https://example.org/{{7*7}}`${x}`", True),
        (None, False),
    ],
)
def test_safe_url(url, ok: bool) -> None:
    out = safe_url(url)
    assert bool(out) is ok
    assert not set(out) & set("<>\"'`${}")


def test_highlight_marks_place_and_escapes_the_rest() -> None:
    out = highlight("Migrants left <b>Tapachula</b> {{x}}", ["tapachula"])
    assert out == "Migrants left &lt;b&gt;<mark>Tapachula</mark>&lt;/b&gt; &#123;&#123;x&#125;&#125;"
    hostile = highlight("x", ["<img src=x onerror=alert(1)>"])
    assert hostile == "x"
    assert highlight("<mark>", ["<mark>"]) == "<mark>&lt;mark&gt;</mark>"


# --------------------------------------------------------------------------- assets


def test_no_remote_asset_urls(small_html: str) -> None:
    tags = re.findall(r"<(?:script|link)\b[^>]*>", small_html, flags=re.I)
    assert tags
    for tag in tags:
        assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", tag, flags=re.I), tag
    assert "cdn.jsdelivr" not in small_html and "cdnjs" not in small_html and "code.jquery" not in small_html
    assert '<script src="../../app/static/vendor/leaflet-1.9.3.js"' in small_html


def test_asset_base_for_saved_html() -> None:
    m = build_map(*_layers(gazetteer_sample()), asset_base="http://127.0.0.1:8123/")
    html = m.get_root().render()
    assert 'src="http://127.0.0.1:8123/vendor/leaflet-1.9.3.js"' in html


def test_ensure_static_assets_is_idempotent(tmp_path) -> None:
    out = ensure_static_assets(tmp_path)
    names = {p.name for p in (out / "vendor").iterdir()}
    assert set(ASSETS.values()) <= names
    leaflet = out / "vendor" / "leaflet-1.9.3.js"
    first = leaflet.stat().st_mtime_ns
    ensure_static_assets(tmp_path)
    assert leaflet.stat().st_mtime_ns == first
    assert "L.version" in leaflet.read_text() or "Leaflet" in leaflet.read_text()[:2000]
    leaflet.unlink()  # a missing file is written again
    ensure_static_assets(tmp_path)
    assert leaflet.exists()


def test_unknown_cdn_asset_is_refused() -> None:
    import folium

    m = folium.Map(tiles=None)
    folium.plugins.MiniMap().add_to(m)  # needs assets (and tiles) we do not ship
    with pytest.raises(AssetError):
        localize(m)


# --------------------------------------------------------------------------- layers


def _layers(atlas):
    return atlas.events, atlas.routes, atlas.places, atlas.crossings


def test_layers_present(small_html: str) -> None:
    for name in (EVENT_LAYER, ROUTE_LAYER, CROSSING_LAYER, PLACE_LAYER, "OpenStreetMap", "CARTO"):
        assert name in small_html
    assert "var EventLayer = L.Layer.extend(" in small_html  # grid clustering in the browser
    assert 'CaravanAtlas.add(' in small_html and "Fit to data" in small_html
    assert "L.control.fullscreen" in small_html
    assert "L.control.scale" in small_html
    assert ".fitBounds(" in small_html
    assert ".setText(" in small_html  # route direction arrows
    assert "leaflet.textpath" in small_html
    assert "Natural Earth" in small_html and "GeoNames" in small_html
    assert '"maxZoom": 18' in small_html


def test_events_are_one_data_array_not_python_markers() -> None:
    html = render(synthetic_atlas(2000, seed=2))
    assert html.count("L.circleMarker(") == 4  # library: events, places, selection ring, picked candidate
    assert html.count("L.marker(") == 3  # library: crossings, clusters, area badges
    assert html.count('CaravanAtlas.add(') == 5  # routes, crossings, places, events, selection


def test_library_has_no_template_delimiters() -> None:
    from dashboard.webmap import _LIBRARY_JS

    assert not any(d in _LIBRARY_JS for d in ("{{", "{%", "{#"))


def test_css_has_no_template_delimiters() -> None:
    """(were the map's page ever compiled as a Jinja2 template once more, ``{#`` would open a comment)"""
    from dashboard.webmap import _POPUP_CSS

    assert not any(d in _POPUP_CSS for d in ("{{", "{%", "{#"))


def test_prepared_rows_select_by_mask() -> None:
    import numpy as np

    from dashboard.webmap import build_layers, prepare_events

    atlas = synthetic_atlas(300, seed=9)
    rows = prepare_events(atlas.events)
    mask = np.zeros(len(atlas.events), dtype=bool)
    mask[:10] = True
    assert len(rows.payload(mask)["rows"]) == 10
    assert set(rows.ids.values()) == set(atlas.events["event_id"])
    groups = build_layers(atlas.events, atlas.routes, atlas.places, atlas.crossings, prepared=rows, event_mask=mask)
    assert [g.layer_name for g in groups] == ["Routes", "Crossings", "Places", "Events", "Selection"]


def test_selection_area_is_drawn() -> None:
    from dashboard.webmap import selection_areas

    atlas = synthetic_atlas(20, seed=5)
    html = build_map(*_layers(atlas), selection={"areas": selection_areas({"kind": "country", "country_code": "MX"}),
                                                 "point": (15.0, -92.0)}).get_root().render()
    assert '"areas":' in html and "MultiPolygon" in html


def test_intended_routes_are_dashed_and_inferred_lighter(small_html: str) -> None:
    assert '"dashArray":"8 8"' in small_html
    assert '"opacity":0.4' in small_html


def test_empty_and_sample_atlases_render() -> None:
    empty = gpd.GeoDataFrame({"article_ids": []}, geometry=[], crs="EPSG:4326")
    html = build_map(empty, empty, empty, empty).get_root().render()
    assert "leaflet" in html
    assert build_map().get_root().render()
    assert "Puente" in render(gazetteer_sample())


def test_wrong_crs_is_refused() -> None:
    frame = gpd.GeoDataFrame({"article_ids": [[]]}, geometry=[Point(500000, 2000000)], crs="EPSG:32615")
    with pytest.raises(ValueError, match="EPSG:32615"):
        build_map(frame)


# --------------------------------------------------------------------------- safety


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_inert(payload: str) -> None:
    html = render(synthetic_atlas(30, seed=3, payload=payload))
    assert "uid=" not in html
    assert "XXX" not in html  # the {% for %} loop did not run
    assert "<img" not in html and "<svg" not in html
    assert not re.search(r"<[a-z][^<>]*\son\w+\s*=", html, flags=re.I)  # no live handler attribute
    assert "${alert" not in html
    assert "\\`" not in html
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html and "'javascript:" not in html
    # exactly the script tags we put there: 5 vendored + the map's inline scripts
    assert html.count("</script>") == html.count("<script")
    # the text is still there, escaped, for the reader
    assert "\\u0026lt;img" in html or "&lt;img" in html or "<img" not in payload


def test_payload_in_every_field_keeps_the_raw_frames_unchanged() -> None:
    payload = PAYLOADS[0]
    atlas = synthetic_atlas(10, seed=4, payload=payload)
    before = atlas.events["sentence"].tolist()
    render(atlas)
    assert atlas.events["sentence"].tolist() == before
    assert payload in before[0]


def test_evidence_reaches_the_popup_data() -> None:
    html = render(synthetic_atlas(20, seed=5))
    assert "\\u003cmark\\u003e" in html  # the place highlighted in the sentence
    assert "Caravan report" in html and "https://news.example.org/" in html
    assert "javascript:alert" not in html



def test_event_popup_rows_carry_the_language_escaped() -> None:
    from dashboard.webmap import prepare_events

    atlas = synthetic_atlas(3, seed=2)
    events = atlas.events.copy()
    events["language"] = ["es", "en", PAYLOADS[3]]
    rows = [r for r in prepare_events(events).rows if r is not None]
    assert rows[0][16:18] == ["Spanish", "es"]  # name shown; the quote marked as the Spanish original
    assert rows[1][16:18] == ["English", ""]
    assert rows[2][16] == rows[2][17] == escape_text(PAYLOADS[3])
    assert not set(rows[2][16]) & set("<>\"'`$\\{}")
