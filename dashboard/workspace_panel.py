"""The sidebar's workspace: its name, the others to switch to, a new empty one, a new name for
the open one, its articles (remove, restore)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from dashboard.escape import escape_text
from geo.errors import AtlasError
from geo.store import Store
from geo.store.database import MAX_WORKSPACE_NAME

if TYPE_CHECKING:
    from dashboard.loading import Loaded


def _switch_workspace() -> None:
    """Open the workspace picked in the sidebar: its own view, fitted to its extent."""
    ss = st.session_state
    target = ss.get("ws_pick")
    if not target:
        return
    st.query_params.from_dict({"ws": target})  # the old view (c, z, filters) belongs to the old workspace
    for k in ("sel", "_link_view", "_seeded", "place_pick", "ws_message"):
        ss.pop(k, None)


def _remove_article(store: Store, workspace: str, article_id: str, title: str) -> None:
    try:
        store.remove_article(article_id, workspace=workspace)
        st.session_state.ws_message = ("removed", article_id, title)
    except AtlasError as err:
        st.session_state.ws_message = ("error", str(err), "")


def _restore_article(store: Store, workspace: str, article_id: str, title: str) -> None:
    try:
        store.restore_article(article_id, workspace=workspace)
        st.session_state.ws_message = ("restored", article_id, title)
    except AtlasError as err:
        st.session_state.ws_message = ("error", str(err), "")


def _create_workspace(store: Store) -> None:
    """Create the empty workspace named in the form and open it (its own URL)."""
    ss = st.session_state
    try:
        ws = store.create_workspace(ss.get("ws_create_name") or "")
    except AtlasError as err:
        ss.ws_named = ("error", f"Not created: {err}")
        return
    ss.ws_create_name = ""
    ss.ws_pick = ws.workspace_id
    _switch_workspace()
    ss.ws_named = ("ok", f"Created the empty workspace “{ws.name}”: add articles to it below.")


def _rename_workspace(store: Store, workspace: str) -> None:
    """Rename the open workspace to the name in the form (its id, and so its URL, stays)."""
    ss = st.session_state
    try:
        ws = store.rename_workspace(workspace, ss.get("ws_rename_name") or "")
    except AtlasError as err:
        ss.ws_named = ("error", f"Not renamed: {err}")
        return
    ss.ws_rename_name = ""
    ss.ws_named = ("ok", f"Renamed to “{ws.name}” (its links still open it).")


def _naming_forms(store: Store, workspace_id: str, name: str) -> None:
    """Create an empty workspace by name; rename the open one. Errors are one line above."""
    note = st.session_state.pop("ws_named", None)
    if note:
        (st.sidebar.error if note[0] == "error" else st.sidebar.success)(escape_text(note[1]))
    with st.sidebar.expander("New or rename workspace"):
        with st.form("ws_create_form", border=False):
            st.text_input("New empty workspace", key="ws_create_name", max_chars=MAX_WORKSPACE_NAME,
                          placeholder="e.g. Field notes 2024")
            st.form_submit_button("Create and open", icon=":material/add:", on_click=_create_workspace, args=(store,))
        with st.form("ws_rename_form", border=False):
            st.text_input("Rename this workspace", key="ws_rename_name", max_chars=MAX_WORKSPACE_NAME,
                          placeholder=name)
            st.form_submit_button("Rename", icon=":material/edit:", on_click=_rename_workspace,
                                  args=(store, workspace_id))


MAX_LISTED_ARTICLES = 200


def workspace_panel(data: Loaded) -> None:
    """The sidebar's workspace: its name, the others to switch to, its articles (remove, restore)."""
    sb = st.sidebar
    ws, store = data.workspace, data.store
    if ws is None or store is None:
        return
    names = {w.workspace_id: w for w in data.workspaces}

    def label(i: str) -> str:
        n = names[i].articles
        return names[i].name + (f" · {n} article{'s' if n != 1 else ''}" if n else "")

    st.session_state.ws_pick = ws.workspace_id  # set before the widget: the open one is shown
    sb.selectbox("Workspace", list(names), key="ws_pick", on_change=_switch_workspace, format_func=label,
                 help="Each workspace is one corpus with its own uploads and corrections; nothing in one "
                      "shows in another. Pick another to open it (the page URL names it: share it).")
    _naming_forms(store, ws.workspace_id, ws.name)
    message = st.session_state.pop("ws_message", None)
    if message and message[0] == "error":
        sb.error(escape_text(message[1]))
    elif message:
        kind, article_id, title = message
        sb.success(f"{'Removed' if kind == 'removed' else 'Restored'}: {escape_text(title)[:80]}"
                   + (" (and what was built from it alone)." if kind == "removed" else "."))
        if kind == "removed":
            sb.button("Undo", key="ws_undo_remove", icon=":material/undo:", on_click=_restore_article,
                      args=(store, ws.workspace_id, article_id, title))
    with sb.expander(f"Articles in this workspace ({ws.articles})"):
        articles = [(aid, meta) for aid, meta in data.base.articles.items() if meta.get("content_hash")]
        for aid, meta in articles[:MAX_LISTED_ARTICLES]:  # the atlas's own list: no extra read
            title = str(meta.get("title") or aid)
            # the title, then its button under it (a narrow column would cut the button to "R…")
            st.html(f"<div style='font:13px/1.3 system-ui,sans-serif'>{escape_text(title[:120])}</div>")
            st.button("Remove", key=f"rm_{meta['content_hash']}", on_click=_remove_article,
                      args=(store, ws.workspace_id, meta["content_hash"], title), icon=":material/delete:",
                      width="content",
                      help="Take it out of this workspace with everything built from it alone (undo: Restore)")
        if len(articles) > MAX_LISTED_ARTICLES:
            st.caption(f"{len(articles) - MAX_LISTED_ARTICLES} more: `python -m geo article list {ws.workspace_id}`")
        removed = store.articles(workspace=ws.workspace_id, removed=True) if ws.removed else []
        if removed:
            st.caption(f"Removed ({len(removed)})")
        for a in removed[:MAX_LISTED_ARTICLES]:
            title = a.title or a.id
            st.html(f"<div style='font:13px/1.3 system-ui,sans-serif;color:#777'>{escape_text(title[:120])}</div>")
            st.button("Restore", key=f"rs_{a.extra['content_hash']}", on_click=_restore_article,
                      args=(store, ws.workspace_id, a.extra["content_hash"], title), icon=":material/undo:",
                      width="content")
