"""Evidence and selection in a real browser (headless system Chromium, offline, through
``browser_support``), tested by what the reader sees:

- events known only at a country or state level are one badge on the area (count, name,
  level), not a point that looks like a town at the country's centre; the badge lists them
  and selects the area, whose evidence lists them to pick one;
- selecting an event in the events table brings it into view (the map pans to it);
- picking an alternative candidate in the corrections form shows it on the map and pans to it;
- an event without a people count has an empty "people" cell (pixels), not a grey "None".

Screenshots are left in ``test-artifacts/`` (``evidence-*.png``).
"""

from __future__ import annotations

import io

import numpy as np
import pytest

from browser_support import (  # noqa: F401  (app_url and browser are fixtures)
    ARTIFACTS,
    MAP_IFRAME,
    ROOT,
    Session,
    app_url,
    browser,
)

pytestmark = pytest.mark.browser

Image = pytest.importorskip("PIL.Image")

CHIAPAS = "?c=15.5,-92.5&z=7"


def _events():
    from dashboard.source import load_atlas

    return load_atlas(ROOT / "data" / "articles").frames


def _open(browser, url: str) -> Session:
    s = Session(browser, url)
    s.settle()
    return s


def _map_view(s: Session) -> list[float]:
    return s.frame.evaluate("(() => { const m = window.CaravanAtlas.map, c = m.getCenter(); "
                            "return [c.lat, c.lng, m.getZoom()]; })()")


def _in_view(s: Session, lat: float, lon: float) -> bool:
    return s.frame.evaluate("([lat, lon]) => window.CaravanAtlas.map.getBounds().contains([lat, lon])", [lat, lon])


def _sel(s: Session, prefix: str) -> None:
    s.page.wait_for_function(f"() => (new URL(location.href).searchParams.get('sel') || '').startsWith('{prefix}')",
                             timeout=20_000)
    s.settle()


def test_country_level_events_are_a_badge_listed_in_the_evidence(app_url: str, browser) -> None:
    frames = _events()
    ev = frames.events
    us = ev[ev.place_name == "United States"].iloc[0]  # (a country: the only place given)
    s = _open(browser, app_url)
    try:
        # no event point or cluster where the country's centre is (Kansas): only the badge
        near = s.frame.evaluate(
            """([lat, lon]) => {
              const A = window.CaravanAtlas, map = A.map, at = map.latLngToContainerPoint([lat, lon]), out = [];
              A.layers.events._g.eachLayer(l => {
                const p = map.latLngToContainerPoint(l.getLatLng());
                if (Math.hypot(p.x - at.x, p.y - at.y) < 25) { out.push(l.options.title || 'point'); }
              });
              return out;
            }""",
            [us.geometry.y, us.geometry.x],
        )
        assert near == [], f"an event is drawn as a point at the United States' centre: {near}"
        badge = s.frame.locator(".ca-area", has_text="United States")
        assert badge.count() == 1
        assert badge.inner_text().split("United States")[0].strip() == "1"  # its count
        assert "(country)" in badge.inner_text()
        assert s.frame.locator(".ca-area", has_text="Texas").inner_text().endswith("(state)")
        # the badge is seen: its pixels are not the map's when the events layer is hidden
        box = badge.bounding_box()
        frame_box = s.page.locator(MAP_IFRAME).bounding_box()
        shown = np.asarray(Image.open(io.BytesIO(s.page.screenshot())).convert("RGB"), dtype=np.int16)
        ARTIFACTS.mkdir(exist_ok=True)
        Image.fromarray(shown.astype(np.uint8)).save(ARTIFACTS / "evidence-area-badges.png")
        s.frame.evaluate("(() => { const A = window.CaravanAtlas; A.map.removeLayer(A.layers.events); })()")
        s.page.wait_for_timeout(300)
        hidden = np.asarray(Image.open(io.BytesIO(s.page.screenshot())).convert("RGB"), dtype=np.int16)
        x0, y0 = int(box["x"]), int(box["y"])
        x1, y1 = int(box["x"] + box["width"]), int(box["y"] + box["height"])
        assert frame_box["x"] <= x0 and x1 <= frame_box["x"] + frame_box["width"]
        # (a white pill over the pale land: a small step everywhere, a large one on its text and border)
        diff = np.abs(shown[y0:y1, x0:x1] - hidden[y0:y1, x0:x1]).max(axis=2)
        assert (diff > 8).mean() > 0.6 and (diff > 60).mean() > 0.1, (
            f"the badge is not seen: {(diff > 8).mean():.0%} of its pixels differ from the bare map")
        s.frame.evaluate("(() => { const A = window.CaravanAtlas; A.map.addLayer(A.layers.events); })()")
        s.page.wait_for_timeout(300)

        # a click lists its events on the map and selects the country, whose evidence lists them too
        s.frame.locator(".ca-area", has_text="United States").click()
        s.frame.wait_for_selector(".leaflet-popup-content .ca-list", timeout=5_000)
        assert "Border or river crossing" in s.frame.inner_text(".leaflet-popup-content")
        _sel(s, "places:")
        s.page.get_by_text("known only at this country level").wait_for(timeout=20_000)
        s.page.screenshot(path=str(ARTIFACTS / "evidence-country-list.png"), full_page=True)
        s.page.get_by_role("button", name=f"{us.date_start} · Border or river crossing").click()
        _sel(s, f"events:{us.event_id}")
        s.page.get_by_text("Place level").wait_for(timeout=20_000)
        s.check_clean()
    finally:
        s.close()


def test_selecting_a_table_row_pans_the_map_to_the_event(app_url: str, browser) -> None:
    ev = _events().events.reset_index(drop=True)
    row = int(ev.index[ev.place_name == "Los Angeles"][0])
    la = ev.loc[row]
    s = _open(browser, app_url + CHIAPAS)
    try:
        assert not _in_view(s, la.geometry.y, la.geometry.x)
        table = s.page.locator("[data-testid='stDataFrame']").first
        table.scroll_into_view_if_needed()
        s.page.wait_for_timeout(500)
        box = table.bounding_box()
        # the row's selection checkbox (header and rows are 35 px high; the table is in date order)
        s.page.mouse.click(box["x"] + 17, box["y"] + 35 * (row + 1) + 17)
        _sel(s, f"events:{la.event_id}")
        s.frame.wait_for_function(
            f"() => window.CaravanAtlas.map.getBounds().contains([{la.geometry.y}, {la.geometry.x}])", timeout=20_000)
        assert _map_view(s)[2] == 7  # panned, not zoomed
        s.page.locator(MAP_IFRAME).screenshot(path=str(ARTIFACTS / "evidence-table-pan.png"))
        s.check_clean()
    finally:
        s.close()


def test_picking_a_candidate_shows_it_and_pans_to_it(app_url: str, browser) -> None:
    places = _events().places
    cuba = places[places.name == "Cuba"].iloc[0]
    s = _open(browser, app_url + CHIAPAS + f"&sel=places:{cuba.place_id}")
    try:
        assert _map_view(s)[:2] == pytest.approx([15.5, -92.5], abs=0.01)  # the link's view: no pan on opening
        s.page.get_by_text("Correct this place").wait_for(timeout=20_000)
        s.page.get_by_role("combobox", name="Candidate").click()
        s.page.keyboard.press("ArrowDown")  # opens the list
        s.page.get_by_role("option", name="New York").first.click()
        s.settle()
        ring = s.frame.wait_for_function(
            "() => { let ll = null; window.CaravanAtlas.layers.selection.eachLayer(l => { "
            "if (l.options && l.options.caCandidate) { ll = l.getLatLng(); } }); return ll && [ll.lat, ll.lng]; }",
            timeout=20_000).json_value()
        assert ring[0] == pytest.approx(42.2, abs=0.1) and ring[1] == pytest.approx(-78.3, abs=0.1)
        s.frame.wait_for_function(f"() => window.CaravanAtlas.map.getBounds().contains([{ring[0]}, {ring[1]}])",
                                  timeout=20_000)
        assert "New York" in s.frame.inner_text(".leaflet-tooltip-pane")
        s.page.screenshot(path=str(ARTIFACTS / "evidence-candidate-form.png"))
        s.page.locator(MAP_IFRAME).screenshot(path=str(ARTIFACTS / "evidence-candidate-pan.png"))
        s.check_clean()
    finally:
        s.close()


def _lines(mask: np.ndarray, axis: int, share: float) -> list[int]:
    """Positions where a grid line (a run of border-coloured pixels) crosses most of the image."""
    hits = np.flatnonzero(mask.mean(axis=axis) > share)
    return [int(v) for i, v in enumerate(hits) if i == 0 or v - hits[i - 1] > 2]


def test_missing_people_are_empty_cells(app_url: str, browser) -> None:
    ev = _events().events.reset_index(drop=True)
    missing = int(ev.index[ev.people_min.isna() & ev.people_max.isna()][0])
    counted = int(ev.index[ev.people_max.notna() | ev.people_min.notna()][0])
    s = _open(browser, app_url)
    try:
        table = s.page.locator("[data-testid='stDataFrame']").first
        table.scroll_into_view_if_needed()
        s.page.wait_for_timeout(800)
        img = np.asarray(Image.open(io.BytesIO(table.screenshot())).convert("RGB"), dtype=np.int16)
        Image.fromarray(img.astype(np.uint8)).save(ARTIFACTS / "evidence-table.png")
        grey = img.max(axis=2) - img.min(axis=2) < 8
        border = grey & (img.mean(axis=2) > 200) & (img.mean(axis=2) < 246)
        # grid lines, without the table's own outer border (at 0)
        cols = [x for x in _lines(border[: 35 * 4], 0, 0.9) if x > 2]
        rows = [y for y in _lines(border[:, : img.shape[1] // 2], 1, 0.9) if y > 2]
        # columns: selection box, date, type, place, caravan, people -> people between lines 4 and 5;
        # rows[0] is the header's bottom line, rows[r + 1] the bottom of data row r
        assert len(cols) >= 6 and len(rows) >= 3, (cols, rows)
        x0, x1 = cols[4] + 3, cols[5] - 3

        def ink(r: int) -> float:
            y0, y1 = rows[r] + 4, rows[r + 1] - 4
            return float((img[y0:y1, x0:x1].max(axis=2) < 200).mean())

        assert ink(counted) > 0.02, "the people column was not found (no figure where a count is known)"
        assert ink(missing) == 0.0, f"the people cell of row {missing} (no count) shows something: 'None'?"
        s.check_clean()
    finally:
        s.close()
