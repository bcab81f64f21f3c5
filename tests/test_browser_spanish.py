"""A Spanish article in a real browser (headless system Chromium, offline): the app started on
a corpus of one Spanish article of our own (``--articles``); its departure event, selected by
URL, shows in the evidence panel with its language and the original Spanish sentence, and the
events table has a language column. Screenshot: ``test-artifacts/spanish-evidence.png``.
"""

from __future__ import annotations

import pytest

from browser_support import (  # noqa: F401  (browser is a fixture)
    ARTIFACTS,
    Session,
    browser,
    run_app,
)

pytestmark = pytest.mark.browser

ARTICLE = """---
id: es_tapachula
title: "Caravana sale de Tapachula"
published: 2018-10-19
---
TAPACHULA, Chis.— Unos 3 mil migrantes hondureños salieron el lunes de Tapachula rumbo a Huixtla, \
informó el Instituto Nacional de Migración.

La caravana llegó el martes a Huixtla, Chiapas, donde los migrantes pernoctaron en el parque central.
"""


@pytest.fixture(scope="module")
def spanish_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("spanish")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "es_tapachula.md").write_text(ARTICLE, encoding="utf-8")
    from dashboard.source import load_atlas

    events = load_atlas(corpus).frames.events
    departure = events[events.event_type == "departure"].iloc[0]
    with run_app(root / "atlas.sqlite", "--articles", str(corpus), log_name="streamlit-spanish.log") as url:
        yield url, departure.event_id


def test_spanish_evidence_shows_the_original_sentence(spanish_app, browser) -> None:
    url, event_id = spanish_app
    s = Session(browser, url + f"?sel=events:{event_id}")
    try:
        s.settle()
        panel = s.page.locator(".evp").filter(has_text="Spanish original sentence").first
        panel.wait_for(timeout=30_000)
        text = panel.inner_text()
        assert "salieron el lunes de Tapachula" in text
        assert "Language" in text and "Spanish" in text
        quote = panel.locator("blockquote[lang='es']").first
        assert "salieron" in quote.inner_text()
        panel.scroll_into_view_if_needed()
        ARTIFACTS.mkdir(exist_ok=True)
        s.page.screenshot(path=str(ARTIFACTS / "spanish-evidence.png"), full_page=True)
        s.check_clean()
    finally:
        s.close()


def test_spanish_event_popup_names_its_language(spanish_app, browser) -> None:
    """The map's popup of the Spanish event (the function a click on its marker calls, opened on
    the map) says the language and marks the sentence as the Spanish original."""
    url, event_id = spanish_app
    s = Session(browser, url)
    try:
        s.settle()
        html = s.frame.evaluate(
            """(id) => { const A = window.CaravanAtlas, ev = A.layers.events, rows = ev.d.rows;
                         const i = rows.findIndex(r => r[12] === id);
                         if (i < 0) { return null; }
                         L.popup().setLatLng([rows[i][0], rows[i][1]]).setContent(ev.popup(i)).openOn(A.map);
                         return document.querySelector('.leaflet-popup-content').innerHTML; }""",
            event_id,
        )
        assert html is not None, "the departure event is not on the map"
        popup = s.frame.locator(".leaflet-popup-content")
        text = popup.inner_text()
        assert "Language: Spanish" in text, text
        assert "Spanish original sentence" in text
        assert "salieron" in popup.locator("blockquote[lang='es']").inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        s.page.wait_for_timeout(400)  # the popup's fade-in
        s.page.screenshot(path=str(ARTIFACTS / "spanish-popup.png"))
        s.check_clean()
    finally:
        s.close()
