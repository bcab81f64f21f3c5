"""The sidebar's upload form: read the files (one line per bad one) and save the good ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from dashboard.source import LoadedAtlas
from dashboard.uploads import SUFFIXES, UploadError, display_name, read_upload
from geo.errors import AtlasError
from geo.store import DEMO_WORKSPACE, Store


def upload_form(store: Store | None, loaded: LoadedAtlas, workspace: str = DEMO_WORKSPACE) -> None:
    if store is None:
        st.caption("Uploads need the database, which cannot be opened.")
        return
    with st.form("upload", clear_on_submit=True):
        files = st.file_uploader("Articles", type=[s.lstrip(".") for s in SUFFIXES], accept_multiple_files=True,
                                 help="Markdown/text with optional YAML front matter, or saved web pages")
        default_date = st.date_input("Published date for articles that give none", value=None,
                                     help="Relative dates ('on Sunday') are resolved against it")
        submitted = st.form_submit_button("Add to the atlas")
    if submitted and files:
        add_uploads(store, files, default_date, workspace)
    uploads = sum(1 for info in loaded.articles.values() if info.get("origin") == "upload")
    if uploads:
        st.caption(f"{uploads} uploaded article(s) saved in this workspace, visible to every session.")
    success = st.session_state.pop("upload_success", None)
    if success:
        st.success(success, icon="✅")
    for message in st.session_state.get("upload_messages", []):
        st.warning(message, icon="⚠️")


def add_uploads(store: Store, files: list[Any], default_date: dt.date | None,
                workspace: str = DEMO_WORKSPACE) -> None:
    """Read the uploaded files (progress bar) and save the good ones in ``workspace`` (origin
    ``upload``: they persist and every session of the workspace sees them); one line per bad one."""
    added, messages = 0, []
    bar = st.progress(0.0, text="Reading articles…")
    for i, f in enumerate(files):
        label = display_name(f.name)
        bar.progress(i / len(files), text=f"Reading {label} ({i + 1}/{len(files)})")
        try:
            article = read_upload(f.name, f.getvalue(), default_date=default_date)
            _, created = store.add_article(article, origin="upload", workspace=workspace)
        except UploadError as err:
            messages.append(str(err))
            continue
        except AtlasError as err:
            messages.append(f"{label}: cannot be saved ({err})")
            continue
        if not created:
            messages.append(f"{label}: already in this workspace")
            continue
        if article.published is None:
            messages.append(f"{label}: no published date; relative dates stay unresolved")
        added += 1
    bar.progress(1.0, text=f"Building the atlas with {added} new article(s)…")
    st.session_state.upload_messages = messages
    st.session_state.upload_success = (f"Added {added} article{'s' if added != 1 else ''} to the atlas of this "
                                       "workspace: every session of it sees them." if added else None)
    bar.empty()
    st.rerun()
