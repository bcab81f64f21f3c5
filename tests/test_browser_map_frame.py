"""The map frame in a real browser (issue 12): the map's own Streamlit component
(dashboard/map/component.py) loads Leaflet and its plugins in one file, its hidden warm-up
instance takes no room on the page, and what the map reports reaches the app: a click while
"Pick on map" is on sets the pin (the map's value gains ``last_clicked`` only then, on a frame
that was already drawn)."""

from __future__ import annotations

import pytest

from browser_support import (  # noqa: F401  (app_url and browser are fixtures)
    ARTIFACTS,
    MAP_IFRAME,
    Session,
    app_url,
    browser,
)
from dashboard.assets import BUNDLE_JS
from dashboard.map.component import WARM_UP_TITLE

pytestmark = pytest.mark.browser


def test_the_frame_loads_one_script_and_the_warm_up_takes_no_room(app_url: str, browser) -> None:
    s = Session(browser, app_url)
    try:
        scripts = s.frame.evaluate("Array.from(document.querySelectorAll('script[src]')).map(e => e.src)")
        assert len(scripts) == 1 and scripts[0].endswith(f"/app/static/vendor/{BUNDLE_JS}"), scripts
        assert s.frame.evaluate("typeof L.control.fullscreen === 'function' && typeof L.Polyline.prototype.setText")
        warm = s.page.locator(f'iframe[title="{WARM_UP_TITLE}"]')
        assert warm.count() == 1
        hidden = warm.evaluate("f => getComputedStyle(f.closest('[data-testid=stElementContainer]')).display")
        assert hidden == "none"
        assert s.page.locator(MAP_IFRAME).count() == 1
        assert s.page.locator(MAP_IFRAME).bounding_box()["height"] >= 600
        s.check_clean()
    finally:
        s.close()


def test_pick_on_map_sets_the_pin(app_url: str, browser) -> None:
    s = Session(browser, app_url)
    try:
        picker = s.page.locator("[data-testid='stSelectbox']").filter(has_text="Pick a place")
        picker.click()
        s.page.keyboard.type("Venezuela")
        s.page.keyboard.press("Enter")
        s.page.wait_for_function("() => new URL(location.href).searchParams.get('sel')?.startsWith('places:')",
                                 timeout=20_000)
        s.page.get_by_text("Drop a pin where it really is").click()
        s.page.get_by_text("Pick on map").wait_for(timeout=20_000)
        s.settle()
        s.page.get_by_text("Pick on map").click()
        s.page.get_by_text("Click the map where the place really is.").wait_for(timeout=20_000)
        s.settle()
        # a click on the map (where no feature is) as Leaflet reports it
        s.frame.evaluate("window.CaravanAtlas.map.fire('click', {latlng: L.latLng(8.25, -63.5)})")
        lat = s.page.get_by_role("spinbutton", name="Latitude")
        s.page.wait_for_function(
            "() => { const e = [...document.querySelectorAll('input')].find(i => i.getAttribute('aria-label') === "
            "'Latitude'); return e && Math.abs(parseFloat(e.value) - 8.25) < 1e-6; }", timeout=20_000)
        assert float(lat.input_value()) == pytest.approx(8.25)
        assert float(s.page.get_by_role("spinbutton", name="Longitude").input_value()) == pytest.approx(-63.5)
        s.page.screenshot(path=str(ARTIFACTS / "pick-on-map.png"))
        s.check_clean()
    finally:
        s.close()
