"""The sidebar's "Add from the web" panel: paste links or a feed's address into the open workspace.

Fetching is opt-in, as in the CLI (``--fetch``): the form says that it goes to the network and
downloads only when "Download from the web" is ticked (otherwise only pages already in the
cache are added). Each link shows its progress while it is fetched; afterwards the panel lists
what was added and every failure with its reason. The work is done by
:mod:`dashboard.web_intake` (no Streamlit there).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.escape import escape_text
from dashboard.web_intake import (
    ADDED,
    ALREADY,
    DUPLICATE,
    FAILED,
    LinkResult,
    PasteResult,
    add_links,
    make_fetcher,
    pasted_links,
)
from geo.sources.feeds import Link
from geo.store.database import Store

__all__ = ["intake_panel"]

_RESULT_KEY = "web_intake_result"
#: How each outcome is labelled (a word and its colour: the page's fonts may lack emoji).
_LABELS = {ADDED: ("added", "#1a7f37"), ALREADY: ("already in this workspace", "#57606a"),
           DUPLICATE: ("duplicate", "#57606a"), FAILED: ("failed", "#cf222e"), None: ("fetching…", "#9a6700")}
LINKS, FEED = "Links, one per line", "A feed (RSS/Atom) address"


def intake_panel(store: Store | None, workspace: str | None) -> None:
    """The expander in the sidebar (nothing to add to without a database or a workspace)."""
    with st.sidebar.expander("Add from the web (links or a feed)"):
        if store is None or workspace is None:
            st.caption("Adding pages from the web needs the database, which cannot be opened.")
            return
        _form(store, workspace)
        shown = st.session_state.get(_RESULT_KEY)
        if isinstance(shown, tuple) and shown[0] == workspace:
            _show_result(shown[1])


def _form(store: Store, workspace: str) -> None:
    with st.form("web_intake", clear_on_submit=False):
        text = st.text_area("Links or a feed address", key="web_intake_text", height=110,
                            placeholder="https://news.example.org/2023/12/caravan.html\n…")
        kind = st.radio("What is it?", (LINKS, FEED), key="web_intake_kind", horizontal=True)
        network = st.checkbox("Download from the web", key="web_intake_network",
                              help="Pages not downloaded before are fetched from the internet")
        st.caption("Downloading goes to the network: one request per second per site, as Caravan Atlas "
                   "(robots.txt respected). Every page is kept in a cache, so pasting it again downloads "
                   "nothing. Without the tick, only pages already downloaded are added.")
        submitted = st.form_submit_button("Fetch and add to this workspace")
    if submitted:
        if not text.strip():
            st.warning("Paste at least one link.", icon="⚠️")
            return
        _run(store, workspace, text, feed=kind == FEED, network=bool(network))


def _run(store: Store, workspace: str, text: str, *, feed: bool, network: bool) -> None:
    """Read the paste and fetch each link, with its progress shown as it goes; then rerun
    (the atlas is rebuilt with the new articles) and show the outcome."""
    fetcher = make_fetcher(store, network=network)
    failures: list[str] = []
    with st.spinner("Reading the feed…" if feed else "Reading the links…"):
        links = pasted_links(text, feed=feed, fetcher=fetcher, failures=failures)
    bar = st.progress(0.0, text=f"{len(links)} link(s)")
    lines = [st.empty() for _ in links]

    def on_link(i: int, link: Link, result: LinkResult | None) -> None:
        if result is None:
            bar.progress(i / max(1, len(links)), text=f"Fetching {i + 1} of {len(links)}")
            lines[i].html(_line_html(link.url, None))
        else:
            lines[i].html(_result_html(result))

    result = add_links(links, fetcher, store, workspace, on_link=on_link)
    result.failures[:0] = failures
    result.requests = fetcher.requests
    bar.progress(1.0, text="Done")
    st.session_state[_RESULT_KEY] = (workspace, result)
    st.rerun()


def _line_html(url: str, status: str | None, detail: str = "") -> str:
    word, colour = _LABELS[status]
    detail = f": {escape_text(detail)}" if detail else ""
    return (f'<div class="web-intake-line" style="font-size:0.8rem;line-height:1.35;margin:0 0 0.45rem;'
            f'overflow-wrap:anywhere"><span style="font-size:0.75rem;color:#57606a">{escape_text(url)}</span><br>'
            f'<b style="color:{colour}">{word}</b>{detail}</div>')


def _result_html(r: LinkResult) -> str:
    detail = r.detail + (" (from the cache)" if r.from_cache and r.status != FAILED else "")
    return _line_html(r.url, r.status, detail)


def _show_result(result: Any) -> None:
    if not isinstance(result, PasteResult):
        return
    n = result.added
    summary = (f"Added {n} article{'s' if n != 1 else ''} to this workspace"
               f" ({result.requests} request{'s' if result.requests != 1 else ''} sent).")
    (st.success if n else st.info)(summary, icon="✅" if n else "ℹ️")
    done = [r for r in result.links if r.status != FAILED]
    if done:
        st.html("".join(_result_html(r) for r in done))
    problems = result.failures + [f"{r.url}: {r.detail}" for r in result.failed]
    if problems:
        st.markdown(f"**Failed ({len(problems)})**")
        st.html("".join(f'<div class="web-intake-failure" style="font-size:0.8rem;line-height:1.35;'
                        f'margin:0 0 0.45rem;overflow-wrap:anywhere;color:#cf222e">{escape_text(p)}</div>'
                        for p in problems))
