"""Route legs on the demo map are drawn along the corridor highways, never across the sea.

Reads the route polylines Leaflet holds in the page (headless system Chromium, offline,
through ``browser_support``) and checks every vertex against the highway chains of
``data/roads/`` and the Natural Earth land polygons. Before the legs were routed, the
Tapachula → US border leg was two vertices, its line across the Gulf of Mexico.
"""

from __future__ import annotations

import pytest
from shapely.geometry import LineString, Point
from shapely.ops import unary_union

from browser_support import ARTIFACTS, Session, app_url, browser  # noqa: F401  (fixtures)
from geo.atlas.roads import load_network
from test_roads import at_sea

pytestmark = pytest.mark.browser

DEMO_VIEW = "?c=20,-96&z=5"  # southern Mexico to the Texas border: the December caravans' legs

LEGS_JS = """() => {
  const group = window.CaravanAtlas.layers.routes;
  return group.getLayers().map(l => ({
    tip: l.getTooltip() ? l.getTooltip().getContent() : '',
    dash: l.options.dashArray || null,
    ll: l.getLatLngs().map(p => [p.lat, p.lng]),
  }));
}"""


def _chain_lines():
    network = load_network()
    lines = []
    for chain in network.chains:
        towns = network.chain_towns(chain)
        lines.append(LineString([(t.lon, t.lat) for t in towns]))
    return unary_union(lines)


def test_a_route_leg_is_drawn_along_the_corridor_and_on_land(app_url: str, browser) -> None:
    s = Session(browser, app_url + DEMO_VIEW)
    try:
        s.frame.wait_for_function("() => window.CaravanAtlas.layers.routes", timeout=30_000)
        legs = s.frame.evaluate(LEGS_JS)
        ARTIFACTS.mkdir(exist_ok=True)
        s.frame.locator(".leaflet-container").screenshot(path=str(ARTIFACTS / "routes-demo.png"))
        assert legs, "no route legs on the demo map"
        long_legs = [leg for leg in legs if len(leg["ll"]) > 30]
        assert long_legs, [len(leg["ll"]) for leg in legs]  # Tapachula → US border, town by town
        chains = _chain_lines()
        for leg in long_legs:
            assert leg["dash"] != "2 7", leg["tip"]  # not drawn as a straight leg
            lonlat = [(lon, lat) for lat, lon in leg["ll"]]
            # every vertex on a chain: within 2 km (~0.02°) of the highway chains' lines
            off = [p for p in lonlat if chains.distance(Point(p)) > 0.02]
            assert off == [], (leg["tip"], off[:5])
            assert at_sea(LineString(lonlat)) == [], leg["tip"]
        # and no leg on the page, straight ones included, crosses the sea
        for leg in legs:
            assert at_sea(LineString([(lon, lat) for lat, lon in leg["ll"]])) == [], leg["tip"]
        s.check_clean()
    finally:
        s.close()
