"""The dashboard's state in a real browser: the time player, Reset filters and a shared
link's map view (issue 12). Uses the helpers of ``browser_support``."""

from __future__ import annotations

import re
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
        while time.monotonic() - t0 < 10:
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
        print("step gaps", [round(g, 2) for g in gaps])
        assert gaps and 0.7 < sorted(gaps)[len(gaps) // 2] < 1.45, gaps  # about one step a second
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
