"""Touch at a phone's width in a real browser (headless system Chromium as a phone: 390×844,
``is_mobile``, ``has_touch``; offline): swipes sent as touch events through the DevTools
protocol (``Input.dispatchTouchEvent``), as a finger on the screen sends them.

- One finger swiped up over the map scrolls the page, and leaves the map where it was (the map
  does not capture the page's scrolling), with a hint to use two fingers;
- two fingers swiped over the map move the map, and leave the page where it was;
- a mouse (a narrow desktop window, the same width) still drags the map.

Streamlit scrolls its main container (``stMain``), not the window: the page's scroll position
is the sum of both. Screenshot: ``test-artifacts/phone-touch-hint.png``.
"""

from __future__ import annotations

import time

import pytest

from browser_support import (  # noqa: F401  (app_url and browser are fixtures)
    ARTIFACTS,
    MAP_IFRAME,
    Session,
    app_url,
    browser,
)

pytestmark = pytest.mark.browser

PHONE = (390, 844)
VIEW = "?c=15.5,-92.5&z=7"
PAGE_SCROLL = "() => window.scrollY + (document.querySelector('[data-testid=\"stMain\"]') || {scrollTop: 0}).scrollTop"
CENTRE = "() => { const m = window.CaravanAtlas.map, c = m.getCenter(); return [c.lat, c.lng, m.getZoom()]; }"


def _swipe(page, x: float, y0: float, y1: float, *, fingers: int = 1, steps: int = 10) -> None:
    """A swipe from (x, y0) to (x, y1) with ``fingers`` fingers 60 px apart, as touch events."""
    cdp = page.context.new_cdp_session(page)
    try:
        def points(y: float) -> list[dict]:
            return [{"x": x + 60 * k, "y": y, "id": k} for k in range(fingers)]

        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(y0)})
        for i in range(1, steps + 1):
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": points(y0 + (y1 - y0) * i / steps)})
            time.sleep(0.016)  # a frame between moves, as a finger gives them (not a timing)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    finally:
        cdp.detach()


def _map_on_top(s: Session) -> dict:
    s.page.locator(MAP_IFRAME).evaluate("e => e.scrollIntoView({block: 'start'})")
    s.page.wait_for_timeout(300)
    box = s.page.locator(MAP_IFRAME).bounding_box()
    assert box["y"] + box["height"] < PHONE[1] - 100, f"no page left under the map ({box})"
    return box


def test_one_finger_scrolls_the_page_two_fingers_move_the_map(app_url: str, browser) -> None:
    s = Session(browser, app_url + VIEW, viewport=PHONE, mobile=True)
    try:
        s.settle()
        box = _map_on_top(s)
        scroll, centre = s.page.evaluate(PAGE_SCROLL), s.frame.evaluate(CENTRE)
        x = box["x"] + box["width"] / 2
        _swipe(s.page, x, box["y"] + 0.8 * box["height"], box["y"] + 0.5 * box["height"])
        s.page.wait_for_timeout(500)
        after = s.page.evaluate(PAGE_SCROLL)
        assert after > scroll + 100, f"a one-finger swipe over the map scrolled the page by {after - scroll} px"
        assert s.frame.evaluate(CENTRE) == centre, "a one-finger swipe moved the map"
        hint = s.frame.locator(".ca-touch-hint.ca-on")  # shown for 1.5 s after the swipe
        assert hint.count() == 1 and "two fingers" in hint.inner_text()
        s.page.screenshot(path=str(ARTIFACTS / "phone-touch-hint.png"))

        box = _map_on_top(s)
        scroll = s.page.evaluate(PAGE_SCROLL)
        _swipe(s.page, box["x"] + 100, box["y"] + 0.7 * box["height"], box["y"] + 0.4 * box["height"], fingers=2)
        s.page.wait_for_timeout(600)
        moved = s.frame.evaluate(CENTRE)
        assert moved[0] < centre[0] - 0.5, f"a two-finger swipe up did not move the map south: {centre} -> {moved}"
        assert abs(s.page.evaluate(PAGE_SCROLL) - scroll) < 20, "a two-finger swipe scrolled the page"
        s.check_clean()
    finally:
        s.close()


def test_a_mouse_still_drags_the_map_in_a_narrow_window(app_url: str, browser) -> None:
    """The same width with a mouse (a narrow desktop window): dragging moves the map."""
    s = Session(browser, app_url + VIEW, viewport=(500, 900))
    try:
        s.settle()
        box = _map_on_top(s)
        centre = s.frame.evaluate(CENTRE)
        x, y = box["x"] + box["width"] / 2, box["y"] + 0.7 * box["height"]
        s.page.mouse.move(x, y)
        s.page.mouse.down()
        s.page.mouse.move(x, y - 150, steps=8)
        s.page.mouse.up()
        s.page.wait_for_timeout(400)
        moved = s.frame.evaluate(CENTRE)
        assert moved[0] < centre[0] - 0.5, f"a mouse drag did not move the map: {centre} -> {moved}"
        s.check_clean()
    finally:
        s.close()
