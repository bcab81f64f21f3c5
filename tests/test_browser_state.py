"""The dashboard's state in a real browser: the time player, Reset filters and a shared
link's map view (issue 12). Uses the helpers of ``browser_support``."""

from __future__ import annotations

import time

import pytest

from browser_support import (  # noqa: F401  (app_url and browser are fixtures)
    ARTIFACTS,
    Session,
    app_url,
    browser,
)

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS


def _upto(s: Session) -> str | None:
    return s.page.evaluate("() => new URL(location.href).searchParams.get('upto')")


def test_play_steps_without_errors(app_url: str, browser) -> None:
    s = Session(browser, app_url)
    try:
        sb = s.page.locator("[data-testid='stSidebar']")
        sb.get_by_text("Travel through time").click()
        s.page.wait_for_function("() => new URL(location.href).searchParams.has('upto')", timeout=20_000)
        s.settle()
        first = _upto(s)
        sb.get_by_text("Play", exact=True).click()
        seen = [first]
        t0 = time.monotonic()
        changes = []
        while time.monotonic() - t0 < 40 and len(seen) < 5:
            assert s.page.locator("[data-testid='stException']").count() == 0, \
                s.page.locator("[data-testid='stException']").first.inner_text()[:500]
            now = _upto(s)
            if now != seen[-1]:
                seen.append(now)
                changes.append(time.monotonic())
            s.page.wait_for_timeout(100)
        s.page.screenshot(path=str(SHOTS / "play.png"), full_page=False)
        assert len(seen) >= 4, seen  # the date advanced step after step
        assert seen == sorted(seen), seen
        gaps = [b - a for a, b in zip(changes, changes[1:])]
        # the pace (about one step a second) is printed, not asserted: a loaded machine is slower
        print("step gaps", [round(g, 2) for g in gaps])
        s.check_clean()
    finally:
        s.close()


def test_reset_filters_clears_every_filter(app_url: str, browser) -> None:
    from dashboard.source import load_atlas

    from browser_support import ROOT

    frames = load_atlas(ROOT / "data" / "articles").frames
    article = sorted({a for ids in frames.events["article_ids"] for a in ids})[0]
    s = Session(browser, app_url + f"?type=march&article={article}&q=Tapachula&conf=0.3&from=2023-01-01")
    sb = None
    try:
        sb = s.page.locator("[data-testid='stSidebar']")
        ev = frames.events
        total = int((ev.geometry.notna() & ~ev.geometry.is_empty).sum())  # the events drawn
        s.wait_events(f"n < {total}")
        s.settle()
        types = sb.locator("[data-testid='stMultiSelect']").filter(has_text="Event type")
        assert "March" in types.inner_text(), types.inner_text()  # the link's filter is shown
        sb = s.page.locator("[data-testid='stSidebar']")
        sb.get_by_role("button", name="Reset filters").click()
        s.page.wait_for_function(
            "() => { const p = new URL(location.href).searchParams; "
            "return !['type', 'article', 'q', 'conf', 'from'].some(k => p.has(k)); }", timeout=20_000)
        s.wait_events(f"n === {total}")
        s.settle()
        for label in ("Event type", "Source article", "Caravan"):
            box = sb.locator("[data-testid='stMultiSelect']").filter(has_text=label)
            assert box.inner_text().strip() == label, (label, box.inner_text())  # no value chosen
        assert sb.get_by_label("Search places").input_value() == ""
        # the route legs of 2018 are back with the whole range
        assert s.frame.evaluate("window.CaravanAtlas.layers.routes.getLayers().length") > 0
        s.page.screenshot(path=str(SHOTS / "reset.png"), full_page=False)
        s.check_clean()
    finally:
        s.close()


def _view(s: Session) -> list[float]:
    return s.frame.evaluate("(() => { const m = window.CaravanAtlas.map; const c = m.getCenter(); "
                            "return [c.lat, c.lng, m.getZoom()]; })()")


def _url_view(s: Session) -> list[str | None]:
    return s.page.evaluate("() => { const p = new URL(location.href).searchParams; return [p.get('c'), p.get('z')]; }")


@pytest.mark.parametrize("zoom", [5, 4, 7])
def test_shared_link_keeps_its_zoom(app_url: str, browser, zoom: int) -> None:
    s = Session(browser, app_url + f"?c=18.5,-92.25&z={zoom}")
    try:
        s.settle()
        s.page.wait_for_timeout(1500)
        view = _view(s)
        px = 360 / (256 * 2 ** zoom)  # degrees per pixel: the centre is kept to two pixels
        assert view[2] == zoom and abs(view[0] - 18.5) < 2 * px and abs(view[1] + 92.25) < 2 * px, view
        c, z = _url_view(s)
        assert z == str(zoom) and c is not None, (c, z, s.page.url)
        lat, lon = (float(v) for v in c.split(","))
        assert abs(lat - view[0]) < 1e-4 and abs(lon - view[1]) < 1e-4, (c, view)  # the URL is the map's view
        s.check_clean()
    finally:
        s.close()


def test_url_follows_the_map_after_reset_and_play(app_url: str, browser) -> None:
    s = Session(browser, app_url + "?c=18.5,-92.25&z=5&type=march")
    try:
        s.settle()
        s.frame.evaluate("window.CaravanAtlas.map.setView([25.5, -100.25], 6, {animate: false})")
        s.page.wait_for_function("() => new URL(location.href).searchParams.get('z') === '6'", timeout=10_000)
        sb = s.page.locator("[data-testid='stSidebar']")
        sb.get_by_role("button", name="Reset filters").click()
        s.page.wait_for_function("() => !new URL(location.href).searchParams.has('type')", timeout=20_000)
        s.settle()
        sb.get_by_text("Travel through time").click()
        s.page.wait_for_function("() => new URL(location.href).searchParams.has('upto')", timeout=20_000)
        s.settle()
        sb.get_by_role("button", name="▶").click()
        s.settle()
        s.page.wait_for_timeout(1200)
        view = _view(s)
        assert view[2] == 6 and abs(view[0] - 25.5) < 0.05 and abs(view[1] + 100.25) < 0.05, view  # not moved
        c, z = _url_view(s)
        lat, lon = (float(v) for v in c.split(","))
        assert z == "6" and abs(lat - view[0]) < 1e-4 and abs(lon - view[1]) < 1e-4, (c, z, view)
        s.check_clean()
    finally:
        s.close()
