"""Workspaces in a real browser (issue 12): one app started on a corpus of one article about
Ushuaia, Argentina (``--articles``, written in a temp folder), with its own SQLite store;
the demo corpus is the other workspace of the same store.

Checked: the map opens on the Ushuaia corpus's own extent (far from Mexico), the two
workspaces are isolated in both directions (switched from the sidebar), a shared URL opens
the right workspace and view, and an article is removed and restored.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from browser_support import (  # noqa: F401  (browser is a fixture)
    ARTIFACTS,
    MAP_IFRAME,
    Session,
    browser,
    run_app,
)

pytestmark = pytest.mark.browser

USHUAIA = (Path(__file__).resolve().parent / "data" / "ushuaia_2024.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ushuaia_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("workspaces")
    corpus = root / "ushuaia"
    corpus.mkdir()
    (corpus / "ushuaia_2024.md").write_text(USHUAIA, encoding="utf-8")
    # the demo corpus was opened before in this store (as in the issue: it must not show here)
    from dashboard.source import ingest_folder
    from geo.store.database import DEMO_CORPUS, Store

    with Store.open(f"sqlite:///{root / 'atlas.sqlite'}") as store:
        ingest_folder(store, DEMO_CORPUS, "demo")
    with run_app(root / "atlas.sqlite", "--articles", str(corpus), log_name="streamlit-workspaces.log") as url:
        yield url


def _param(s: Session, name: str) -> str | None:
    return s.page.evaluate(f"() => new URL(location.href).searchParams.get({name!r})")


def _centre(s: Session) -> tuple[float, float]:
    c = s.frame.evaluate("(() => { const c = CaravanAtlas.map.getCenter(); return [c.lat, c.lng]; })()")
    return c[0], c[1]


def _place_names(s: Session) -> set[str]:
    return set(s.frame.evaluate("CaravanAtlas.layers.places.rows.map(r => r[2])"))


def _header(s: Session) -> str:
    return s.page.locator("[data-testid='stMarkdownContainer']").filter(has_text="events ·").first.inner_text()


def _workspace_shown(s: Session) -> str:
    """The sidebar's workspace picker: its label and the open workspace."""
    box = s.page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text="Workspace").first
    return box.evaluate("e => e.textContent + ' ' + [...e.querySelectorAll('input')].map(i => i.value).join(' ')")


def _wait_map(s: Session, predicate: str, what: str, timeout: float = 60) -> None:
    """Wait until ``predicate`` (JS, over ``CaravanAtlas``) holds in the map; a map that
    changed its extent (another workspace, an article removed) comes in a new iframe, which
    then becomes ``s.frame``."""
    script = f"() => !!(window.CaravanAtlas && CaravanAtlas.layers.places && CaravanAtlas.layers.events && ({predicate}))"
    deadline = time.monotonic() + timeout
    while True:
        try:
            frame = s.page.wait_for_selector(MAP_IFRAME, timeout=20_000).content_frame()
            if frame is not None and frame.evaluate(script):
                s.frame = frame
                return
        except PlaywrightError:  # the iframe was replaced while we looked
            pass
        assert time.monotonic() < deadline, f"the map never showed {what}"
        s.page.wait_for_timeout(250)


def _wait_places(s: Session, name: str, present: bool) -> None:
    _wait_map(s, f"CaravanAtlas.layers.places.rows.some(r => r[2] === {name!r}) === {str(present).lower()}",
              f"{name} {'present' if present else 'gone'}")


def _wait_events(s: Session, predicate: str) -> None:
    _wait_map(s, f"(n => {predicate})(CaravanAtlas.layers.events.d.rows.length)", f"events: {predicate}")


def test_corpus_far_from_mexico_opens_there_and_workspaces_are_isolated(ushuaia_app: str, browser) -> None:
    s = Session(browser, ushuaia_app)
    try:
        s.settle()
        lat, lon = _centre(s)
        assert -56 < lat < -30 and -75 < lon < -55, (lat, lon)  # Patagonia, not Mexico
        assert _param(s, "ws") == "ushuaia"
        assert "1 articles from workspace ushuaia" in _header(s), _header(s)
        assert "ushuaia" in _workspace_shown(s)
        assert "Ushuaia" in _place_names(s) and "Tapachula" not in _place_names(s)  # no demo article here
        s.page.screenshot(path=str(ARTIFACTS / "workspace-ushuaia.png"), full_page=False)

        # switch to the demo from the sidebar: its own articles, extent and URL
        s.page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text="Workspace").click()
        s.page.get_by_role("option", name="Demo corpus").click()
        s.page.wait_for_function("() => new URL(location.href).searchParams.get('ws') === 'demo'", timeout=20_000)
        _wait_places(s, "Tapachula", True)
        s.settle()
        assert "Ushuaia" not in _place_names(s)  # nothing of the other workspace
        lat, lon = _centre(s)
        assert 5 < lat < 40 and -110 < lon < -60, (lat, lon)  # the demo's own extent
        s.page.wait_for_timeout(1200)  # the map writes its view into the URL: the demo's, not Ushuaia's
        c = (_param(s, "c") or "0,0").split(",")
        assert float(c[0]) > 0, c
        assert "3 articles from workspace Demo corpus" in _header(s), _header(s)
        s.page.screenshot(path=str(ARTIFACTS / "workspace-demo.png"), full_page=False)

        # and back: the Ushuaia workspace did not get the demo's articles
        s.page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text="Workspace").click()
        s.page.get_by_role("option", name="ushuaia").click()
        _wait_places(s, "Tapachula", False)
        s.settle()
        assert "Ushuaia" in _place_names(s)
        assert "1 articles from workspace ushuaia" in _header(s), _header(s)
        s.check_clean()
    finally:
        s.close()


def test_shared_url_opens_the_workspace_and_view(ushuaia_app: str, browser) -> None:
    s = Session(browser, ushuaia_app + "?ws=demo&c=15.5,-92.5&z=7&type=march")
    try:
        _wait_places(s, "Tapachula", True)
        s.settle()
        assert "Demo corpus" in _workspace_shown(s)
        lat, lon = _centre(s)
        assert abs(lat - 15.5) < 0.01 and abs(lon + 92.5) < 0.01, (lat, lon)
        assert s.frame.evaluate("CaravanAtlas.map.getZoom()") == 7
        assert _param(s, "type") == "march" and _param(s, "ws") == "demo"
        s.check_clean()
    finally:
        s.close()
    s = Session(browser, ushuaia_app + "?ws=no-such-workspace")
    try:
        s.settle()
        assert "no workspace 'no-such-workspace'" in s.page.locator("[data-testid='stAlert']").first.inner_text()
        assert _param(s, "ws") == "ushuaia"  # the server's own workspace instead
    finally:
        s.close()


def test_remove_and_restore_an_article(ushuaia_app: str, browser) -> None:
    s = Session(browser, ushuaia_app + "?ws=demo")
    try:
        _wait_places(s, "Tapachula", True)
        s.settle()
        before = s.events_shown()
        sb = s.page.locator("[data-testid='stSidebar']")
        sb.get_by_text("Articles in this workspace (3)").click()
        sb.get_by_role("button", name="Remove").first.click()
        _wait_events(s, f"n < {before}")
        s.settle()
        assert "2 articles from workspace Demo corpus" in _header(s), _header(s)
        assert sb.get_by_text("Articles in this workspace (2)").count() == 1
        assert "Removed:" in sb.locator("[data-testid='stAlert']").first.inner_text()
        s.page.screenshot(path=str(ARTIFACTS / "workspace-removed.png"), full_page=False)
        sb.get_by_role("button", name="Undo").click()
        _wait_events(s, f"n === {before}")
        s.settle()
        assert "3 articles from workspace Demo corpus" in _header(s), _header(s)
        s.check_clean()
    finally:
        s.close()


def _naming_form(s: Session):
    """The sidebar's "New or rename workspace" expander, opened."""
    sb = s.page.locator("[data-testid='stSidebar']")
    if not sb.get_by_label("New empty workspace").is_visible():
        sb.get_by_text("New or rename workspace").click()
    sb.get_by_label("New empty workspace").wait_for(state="visible", timeout=10_000)
    return sb


def _submit(s: Session, field: str, text: str, button: str) -> None:
    sb = _naming_form(s)
    sb.get_by_label(field).fill(text)
    sb.get_by_role("button", name=button).click()
    s.page.wait_for_timeout(300)
    s.settle()


def _alert(s: Session) -> str:
    return s.page.locator("[data-testid='stSidebar'] [data-testid='stAlert']").first.inner_text()


def test_create_and_rename_a_workspace_from_the_sidebar(ushuaia_app: str, browser) -> None:
    """Issue 14: an empty workspace created by name opens (its own URL, an empty map that says
    so); the open one is renamed and its URL still opens it; bad names get a one-line error."""
    s = Session(browser, ushuaia_app)
    try:
        s.settle()
        _submit(s, "New empty workspace", "Field notes 2024", "Create and open")
        s.page.wait_for_function("() => new URL(location.href).searchParams.get('ws') === 'field-notes-2024'",
                                 timeout=20_000)
        _wait_events(s, "n === 0")
        s.settle()
        assert "Field notes 2024" in _workspace_shown(s)
        assert "no articles in workspace Field notes 2024 yet" in _header(s), _header(s)
        assert "Created the empty workspace" in _alert(s)
        assert s.page.locator("[data-testid='stMain'] [data-testid='stAlert']").count() == 0  # no sample warning
        s.page.screenshot(path=str(ARTIFACTS / "workspace-created.png"), full_page=False)

        # names are checked: one line each, nothing created
        _submit(s, "New empty workspace", "  field NOTES 2024 ", "Create and open")
        assert _alert(s) == "Not created: there is already a workspace named 'Field notes 2024' (id field-notes-2024)"
        _submit(s, "New empty workspace", "   ", "Create and open")
        assert _alert(s) == "Not created: a workspace needs a name"
        s.page.screenshot(path=str(ARTIFACTS / "workspace-name-error.png"), full_page=False)
        _submit(s, "Rename this workspace", "ushuaia", "Rename")  # the other workspace's name
        assert _alert(s).startswith("Not renamed: there is already a workspace named 'ushuaia'")

        # rename the open one: the picker and the header follow, the URL stays
        _submit(s, "Rename this workspace", "Notes from Ushuaia", "Rename")
        assert "Renamed to “Notes from Ushuaia”" in _alert(s)
        assert "Notes from Ushuaia" in _workspace_shown(s)
        assert _param(s, "ws") == "field-notes-2024"
        s.page.screenshot(path=str(ARTIFACTS / "workspace-renamed.png"), full_page=False)
        s.check_clean()
    finally:
        s.close()
    s = Session(browser, ushuaia_app + "?ws=field-notes-2024")  # the link from before the rename
    try:
        s.settle()
        assert "Notes from Ushuaia" in _workspace_shown(s)
        assert "workspace Notes from Ushuaia" in _header(s), _header(s)
        assert _param(s, "ws") == "field-notes-2024"
        s.check_clean()
    finally:
        s.close()
