"""The dashboard in a real browser, with every non-loopback request blocked.

Starts ``streamlit run dashboard/app.py`` on a free port (with its own temporary SQLite
store), drives Debian's Chromium through Playwright and checks that Leaflet, the routes and
the event clusters render inside the map's iframe without any network, and that no
dialog fires; then corrects a place end to end (and undoes it). Leaves screenshots in
``test-artifacts/`` (``dashboard.png``, ``correction.png``, …).
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from browser_support import (  # noqa: F401  (app_url and browser are fixtures)
    ARTIFACTS,
    LOOPBACK,
    ROOT,
    Session,
    app_url,
    browser,
)

pytestmark = pytest.mark.browser


def test_dashboard_renders_offline(app_url: str, browser) -> None:
    s = Session(browser, app_url)
    try:
        frame = s.frame
        frame.wait_for_function(
            "() => document.querySelectorAll('.leaflet-overlay-pane path').length > 0", timeout=20_000
        )
        frame.wait_for_function(
            "() => document.querySelectorAll('.marker-cluster').length > 0 "
            "|| document.querySelectorAll('.leaflet-overlay-pane canvas').length > 0",
            timeout=20_000,
        )
        assert frame.evaluate("typeof L !== 'undefined' && typeof L.Polyline.prototype.setText === 'function'")
        assert frame.evaluate("document.querySelectorAll('.leaflet-overlay-pane path').length") > 0  # routes
        assert frame.evaluate("document.querySelectorAll('.ca-crossing').length") > 0  # crossings
        assert s.events_shown() > 0
        assert frame.evaluate("window.CaravanAtlas.layers.routes.getLayers().length") > 0
        layer_names = frame.evaluate(
            "Array.from(document.querySelectorAll('.leaflet-control-layers label')).map(l => l.textContent.trim())"
        )
        assert {"Routes", "Events", "Crossings", "Places", "Selection"} <= set(layer_names)
        attribution = frame.inner_text(".leaflet-control-attribution")
        assert "Natural Earth" in attribution and "GeoNames" in attribution and "BTS" in attribution
        assert frame.query_selector(".leaflet-control-scale") and frame.query_selector(".ca-fit")
        # the map writes its view into the page URL
        s.page.wait_for_function("() => new URL(location.href).searchParams.has('z')", timeout=10_000)

        # Click a crossing: its popup opens, and the evidence panel shows it.
        frame.eval_on_selector(".ca-crossing", "el => el.click()")
        frame.wait_for_selector(".leaflet-popup-content .ca-pop", timeout=5_000)
        s.page.wait_for_function("() => new URL(location.href).searchParams.get('sel')?.startsWith('crossings:')",
                                 timeout=20_000)
        s.settle()
        panel = s.page.locator(".evp").first
        panel.wait_for(timeout=20_000)
        assert "Latest status" in panel.inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        s.page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
        # Select a country place through the picker: its Natural Earth polygon is drawn.
        s.check_clean()
    finally:
        s.close()


def test_filter_changes_the_map_and_export_downloads_the_view(app_url: str, browser, tmp_path) -> None:
    from geo.export import validate_geojson

    s = Session(browser, app_url)
    try:
        before = s.events_shown()
        assert before > 1
        search = s.page.get_by_label("Search places")
        search.fill("Guatemala")
        search.press("Enter")
        s.wait_events(f"n > 0 && n < {before}")
        after = s.events_shown()
        s.page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'Guatemala'", timeout=20_000)
        s.settle()
        s.page.screenshot(path=str(ARTIFACTS / "dashboard-filtered.png"), full_page=True)

        with s.page.expect_download(timeout=30_000) as info:
            s.page.get_by_role("button", name="Events · GeoJSON").click()
        path = tmp_path / "events.geojson"
        info.value.save_as(path)
        obj = json.loads(path.read_text(encoding="utf-8"))
        assert validate_geojson(obj) == []
        assert len(obj["features"]) == after  # every event of the view has a place here
        assert all("Guatemala" in (f["properties"].get("place_name") or "") for f in obj["features"])
        s.check_clean()
    finally:
        s.close()


def test_shared_url_restores_the_view(app_url: str, browser) -> None:
    from dashboard.source import load_atlas

    events = load_atlas(ROOT / "data" / "articles").frames.events
    march = events[events["event_type"] == "march"]
    located = march[(march["confidence"] >= 0.2) & march.geometry.notna() & ~march.geometry.is_empty]
    target = located["event_id"].iloc[0]  # (a march told only as a distance has no point of its own)
    query = f"?type=march&conf=0.2&c=16.5,-93.25&z=6&sel=events:{target}"
    s = Session(browser, app_url + query)
    try:
        s.wait_events(f"n === {len(located)}")
        labels = s.frame.evaluate(
            "(() => { const e = window.CaravanAtlas.layers.events.d; "
            "return Array.from(new Set(e.rows.map(r => e.styles[r[2]].label))); })()"
        )
        assert labels == ["March / progress"]
        view = s.frame.evaluate("(() => { const m = window.CaravanAtlas.map; const c = m.getCenter(); "
                                "return [c.lat, c.lng, m.getZoom()]; })()")
        assert view[2] == 6 and abs(view[0] - 16.5) < 0.01 and abs(view[1] + 93.25) < 0.01
        widgets = s.page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").all_inner_texts()
        assert any(w.startswith("Event type") and "March" in w for w in widgets), widgets
        sliders = s.page.locator("[data-testid='stSidebar'] [data-testid='stSlider']").all_inner_texts()
        assert any(w.startswith("Minimum confidence") and "0.20" in w for w in sliders), sliders
        s.page.locator(".evp").first.wait_for(timeout=20_000)
        assert s.frame.evaluate("window.CaravanAtlas.layers.selection.getLayers().length") > 0
        assert "type=march" in s.page.url and "z=6" in s.page.url
        s.settle()
        s.page.screenshot(path=str(ARTIFACTS / "dashboard-shared-url.png"), full_page=True)
        s.check_clean()
    finally:
        s.close()


def test_correct_a_place_and_undo(app_url: str, browser) -> None:
    """Select a place, choose its other candidate: the map moves it and marks it; undo restores it."""
    s = Session(browser, app_url)
    place = ("(() => { const p = window.CaravanAtlas.layers.places; if (!p) return null; "
             "const r = p.rows.find(r => r[2] === 'Venezuela'); return r ? [r[0], r[1], r[4], r[11]] : null; })()")
    try:
        before = s.frame.evaluate(place)
        assert before and before[2] == "VE" and not before[3]
        picker = s.page.locator("[data-testid='stSelectbox']").filter(has_text="Pick a place")
        picker.click()
        s.page.keyboard.type("Venezuela")
        s.page.keyboard.press("Enter")
        s.page.wait_for_function("() => new URL(location.href).searchParams.get('sel')?.startsWith('places:')",
                                 timeout=20_000)
        apply = s.page.get_by_role("button", name="Use this candidate")
        apply.wait_for(timeout=20_000)
        s.settle()
        assert "CU" in s.page.get_by_role("combobox", name="Candidate").input_value()
        apply.click()
        s.frame.wait_for_function(
            "() => { const p = window.CaravanAtlas.layers.places; "
            "const r = p && p.rows.find(r => r[2] === 'Venezuela'); return r && r[4] === 'CU' && r[11]; }",
            timeout=30_000,
        )
        after = s.frame.evaluate(place)
        assert abs(after[0] - 21.7) < 0.5 and abs(after[1] + 78.8) < 0.5 and after[3].startswith("yes; was")
        s.settle()
        assert "corrected" in s.page.locator(".evp").first.inner_text()
        # show the moved place and its popup, then the whole page
        s.frame.evaluate("""() => { const A = window.CaravanAtlas, p = A.layers.places;
            const i = p.rows.findIndex(r => r[2] === 'Venezuela');
            A.map.setView([12, -80], 4, {animate: false});
            L.popup().setLatLng([p.rows[i][0], p.rows[i][1]]).setContent(p.popup(i)).openOn(A.map); }""")
        s.page.evaluate("""() => { for (const el of document.querySelectorAll('*')) {
            if (el.scrollTop > 0) { el.scrollTop = 0; } } window.scrollTo(0, 0); }""")
        s.page.wait_for_timeout(500)
        s.page.screenshot(path=str(ARTIFACTS / "correction.png"), full_page=True)

        # undo from the Corrections list: the place is back in Venezuela, unmarked
        s.page.get_by_text("Corrections (1 active)").click()
        s.page.get_by_role("button", name="Undo").click()
        s.frame.wait_for_function(
            "() => { const p = window.CaravanAtlas.layers.places; "
            "const r = p && p.rows.find(r => r[2] === 'Venezuela'); return r && r[4] === 'VE' && !r[11]; }",
            timeout=30_000,
        )
        assert s.frame.evaluate(place)[:2] == before[:2]
        s.check_clean()
    finally:
        s.close()


# --------------------------------------------------------------------------- hostile text


@pytest.fixture()
def served_dir(tmp_path):
    """``tmp_path`` served over http on 127.0.0.1 (with the vendored assets in it)."""
    import functools
    import http.server
    import threading

    from dashboard.assets import ensure_static_assets

    ensure_static_assets(tmp_path)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # noqa: D401 - keep test output clean
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_hostile_text_is_inert_in_the_browser(served_dir, browser) -> None:
    from dashboard.sample import synthetic_atlas
    from dashboard.webmap import build_map

    payload = (
        " {{ cycler.__init__.__globals__.os.popen('id').read() }} {% for x in range(3) %}X{% endfor %}"
        " <img src=x onerror=alert(1)> ${alert(2)} \\`;alert(3);// </script><script>alert(4)</script>"
        " \"'><svg onload=alert(5)>"
    )
    atlas = synthetic_atlas(40, seed=7, payload=payload)
    folder, base = served_dir
    m = build_map(atlas.events, atlas.routes, atlas.places, atlas.crossings, asset_base="./")
    m.save(str(folder / "map.html"))

    dialogs: list[str] = []
    errors: list[str] = []
    if True:
        context = browser.new_context(viewport={"width": 1200, "height": 800})
        try:
            page = context.new_page()
            page.route(
                "**/*",
                lambda route: route.continue_()
                if (urlsplit(route.request.url).hostname or "") in LOOPBACK
                else route.abort(),
            )
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda err: errors.append(str(err)))
            page.goto(base + "map.html", wait_until="load")
            page.wait_for_function("() => window.CaravanAtlas && window.CaravanAtlas.layers.events", timeout=15_000)
            texts = page.evaluate(
                """() => {
                  const out = [];
                  const grab = () => { const c = document.querySelector('.leaflet-popup-content');
                                       if (c) out.push(c.textContent); };
                  // The same content function a click on a marker calls, opened on the map.
                  const A = window.CaravanAtlas;
                  for (const g of [A.layers.events, A.layers.places]) {
                    const rows = g.d ? g.d.rows : g.rows;
                    for (let i = 0; i < rows.length; i++) {
                      L.popup().setLatLng([rows[i][0], rows[i][1]]).setContent(g.popup(i)).openOn(A.map);
                      grab();
                    }
                  }
                  // the list popup of a cluster, too
                  const ev = A.layers.events;
                  ev.listPopup([15, -92], ev.d.rows.map((r, i) => i));
                  grab();
                  for (const el of document.querySelectorAll('.ca-crossing, .leaflet-overlay-pane path.leaflet-interactive')) {
                    el.dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: 5, clientY: 5}));
                    el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
                    grab();
                  }
                  return out;
                }"""
            )
            page.wait_for_timeout(300)
            live = page.evaluate(
                "document.querySelectorAll('.leaflet-pane img, .leaflet-pane script, "
                ".leaflet-popup svg, .leaflet-tooltip img, .leaflet-tooltip svg').length"
            )
        finally:
            context.close()

    assert len(texts) > 40
    assert any("<img src=x onerror=alert(1)>" in t for t in texts), texts[:2]  # shown as text
    assert any("{{ cycler" in t for t in texts)
    assert not any("uid=" in t for t in texts)
    assert live == 0
    assert not dialogs, dialogs
    assert not errors, errors
