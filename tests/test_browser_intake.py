"""Pasting links and a feed into the dashboard (issue 14), in a real browser.

One app on a corpus of one article (Ushuaia) with its own SQLite store and fetch cache; a
loopback HTTP server started by the test serves two news pages, a third one listed only in a
feed, the feed, a 404 and a PDF (nothing leaves 127.0.0.1). Checked: the pasted pages become
articles of the open workspace only (with their provenance) and their events reach the map;
the 404 and the PDF are listed with their reasons; pasting again sends no request; a feed adds
the page it lists that was not read yet and takes the others from the cache.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import (  # noqa: F401  (browser is a fixture)
    ARTIFACTS,
    Session,
    browser,
    run_app,
)
from test_browser_workspaces import _wait_events  # a map rebuilt with new articles comes in a new iframe
from web_support import SEEDS, NewsServer, rss, seed_page

pytestmark = pytest.mark.browser

USHUAIA = (Path(__file__).resolve().parent / "data" / "ushuaia_2024.md").read_text(encoding="utf-8")
PANEL = "Add from the web (links or a feed)"
SUBMIT = "Fetch and add to this workspace"


@pytest.fixture(scope="module")
def site():
    with NewsServer() as server:
        for i, seed in enumerate(SEEDS):
            server.page(f"/news/{i}.html", seed_page(seed, canonical=f"https://news.example.org/story/{seed.stem}"))
        server.page("/report.pdf", "%PDF-1.4 not a page", ctype="application/pdf")
        items = [(f"/news/{i}.html", f"Story {i}", "Sun, 24 Dec 2023 09:00:00 GMT") for i in range(len(SEEDS))]
        server.page("/feed.xml", rss(server.base, items), ctype="application/rss+xml")
        yield server


@pytest.fixture(scope="module")
def intake_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("intake")
    corpus = root / "ushuaia"
    corpus.mkdir()
    (corpus / "ushuaia_2024.md").write_text(USHUAIA, encoding="utf-8")
    with run_app(root / "atlas.sqlite", "--articles", str(corpus), log_name="streamlit-intake.log",
                 env={"ATLAS_FETCH_CACHE": str(root / "fetched")}) as url:
        yield url, root / "atlas.sqlite"


def _paste(s: Session, text: str, *, feed: bool = False, network: bool = True) -> None:
    sb = s.page.locator("[data-testid='stSidebar']")
    if not sb.get_by_label("Links or a feed address").is_visible():
        sb.get_by_text(PANEL).click()
    sb.get_by_label("Links or a feed address").fill(text)
    sb.get_by_text("A feed (RSS/Atom) address" if feed else "Links, one per line").click()
    box = sb.get_by_role("checkbox", name="Download from the web")
    if box.is_checked() != network:
        sb.get_by_text("Download from the web").click()
    sb.get_by_role("button", name=SUBMIT).click()


def _panel(s: Session):
    return s.page.locator("[data-testid='stSidebar'] [data-testid='stExpander']").filter(has_text=PANEL)


def _outcome(s: Session, summary: str) -> str:
    """The panel's text once it shows ``summary``."""
    s.page.locator("[data-testid='stSidebar']").get_by_text(summary).wait_for(timeout=90_000)
    s.settle()
    return _panel(s).inner_text()


def test_paste_links_then_again_then_a_feed(intake_app, site: NewsServer, browser) -> None:
    from geo.store.database import Store

    url, db = intake_app
    base = site.base
    s = Session(browser, url, viewport=(1400, 1900))  # tall: the panel's whole list in the screenshots
    try:
        s.settle()
        before = s.events_shown()
        links = [f"{base}/news/0.html", f"{base}/news/1.html", f"{base}/missing.html", f"{base}/report.pdf"]
        _paste(s, "\n".join(links) + "\nnot a link")
        # progress per link while it runs (one request per second: several seconds in all)
        s.page.locator("[data-testid='stSidebar']").get_by_text("fetching…").first.wait_for(timeout=30_000)
        text = _outcome(s, "Added 2 articles to this workspace")
        assert "Failed (3)" in text, text
        assert f"{base}/missing.html: HTTP 404 Not Found" in text, text
        assert f"{base}/report.pdf: not an HTML page (Content-Type application/pdf)" in text, text
        assert "pasted links:5: not an http(s) URL: 'not a link'" in text, text
        _wait_events(s, f"n > {before}")  # the pages' events are on the map
        s.settle()
        s.page.screenshot(path=str(ARTIFACTS / "web-intake-links.png"), full_page=False)
        _panel(s).screenshot(path=str(ARTIFACTS / "web-intake-links-panel.png"))

        with Store.open(f"sqlite:///{db}") as store:
            ws = store.workspace_for_corpus(db.parent / "ushuaia", create=False)
            fetched = [a for a in store.articles(workspace=ws.workspace_id) if a.url]
            assert sorted(a.url for a in fetched) == sorted(
                f"https://news.example.org/story/{seed.stem}" for seed in SEEDS[:2])
            for a in fetched:  # provenance kept in the store
                assert a.extraction.startswith("trafilatura ") and len(a.file_sha256) == 64
                assert a.author == "Staff Reporter" and a.extra["origin"] == "upload"
            assert all(not a.url for a in store.articles(workspace="demo"))  # the open workspace only

        hits = sum(site.hits.values())
        _paste(s, "\n".join(links))
        text = _outcome(s, "Added 0 articles to this workspace (0 requests sent).")
        assert sum(site.hits.values()) == hits  # everything came from the cache
        assert "already in this workspace" in text and "(from the cache)" in text, text
        assert f"{base}/missing.html: HTTP 404 Not Found" in text, text  # failures are still listed

        _paste(s, f"{base}/feed.xml", feed=True)
        text = _outcome(s, "Added 1 article to this workspace (2 requests sent).")
        assert site.hits["/feed.xml"] == 1 and site.hits[f"/news/{len(SEEDS) - 1}.html"] == 1
        assert sum(site.hits.values()) == hits + 2  # the feed and the one new page
        _panel(s).screenshot(path=str(ARTIFACTS / "web-intake-feed-panel.png"))
        s.check_clean()
    finally:
        s.close()


def test_without_the_tick_nothing_is_downloaded(intake_app, site: NewsServer, browser) -> None:
    url, _ = intake_app
    s = Session(browser, url)
    try:
        s.settle()
        hits = sum(site.hits.values())
        _paste(s, f"{site.base}/news/never.html", network=False)
        text = _outcome(s, "Added 0 articles to this workspace (0 requests sent).")
        assert "not downloaded yet; tick \u201cDownload from the web\u201d to fetch it" in text, text
        assert sum(site.hits.values()) == hits
        s.check_clean()
    finally:
        s.close()


def test_upload_says_it_was_added(intake_app, browser, tmp_path: Path) -> None:
    url, _ = intake_app
    page = tmp_path / "tapachula.md"
    page.write_text("---\ntitle: Upload check\npublished: 2023-12-28\n---\n"
                    "A caravan of about 500 migrants left Tapachula on Thursday, heading north.\n", encoding="utf-8")
    s = Session(browser, url)
    try:
        s.settle()
        sb = s.page.locator("[data-testid='stSidebar']")
        sb.get_by_text("Add articles (.md, .txt, .html)").click()
        sb.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(page))
        sb.get_by_role("button", name="Add to the atlas").click()
        sb.get_by_text("Added 1 article to the atlas of this workspace").wait_for(timeout=90_000)
        s.check_clean()
    finally:
        s.close()
