"""The events table under the map (a row selects its event)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.sample import AtlasFrames
from dashboard.source import LoadedAtlas
from dashboard.webmap import EVENT_TYPES


def _safe_link(url: Any) -> str | None:
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None


def _select_table_row(ids: list[str]) -> None:
    state = st.session_state.get("events_table")
    rows = getattr(getattr(state, "selection", None), "rows", None) or (
        state.get("selection", {}).get("rows", []) if isinstance(state, dict) else []
    )
    if rows and rows[0] < len(ids):
        st.session_state.sel = f"events:{ids[rows[0]]}"


def events_table(view: AtlasFrames, loaded: LoadedAtlas) -> None:
    ev = view.events
    if len(ev) == 0:
        st.caption("No events in this view.")
        return

    def col(name: str) -> pd.Series:
        return ev[name] if name in ev.columns else pd.Series([None] * len(ev), index=ev.index)

    first_article = col("article_id").where(col("article_id").notna(),
                                            col("article_ids").map(lambda v: (list(v) or [None])[0]
                                                                   if isinstance(v, (list, tuple, np.ndarray)) else v))
    info = first_article.map(lambda a: loaded.articles.get(str(a), {}))
    titles = info.map(lambda d: d.get("title"))
    if "article_title" in ev.columns:
        titles = titles.where(titles.notna(), ev["article_title"])
    urls = info.map(lambda d: d.get("url"))
    if "article_url" in ev.columns:
        urls = urls.where(urls.notna(), ev["article_url"])
    table = pd.DataFrame(
        {
            "date": col("date_start").astype("string"),
            "type": col("event_type").map(lambda t: EVENT_TYPES.get(t, (t,))[0] if isinstance(t, str) else t),
            "place": col("place_name"),
            "caravan": col("caravan_id"),
            "people": pd.to_numeric(col("people_max"), errors="coerce").fillna(pd.to_numeric(col("people_min"), errors="coerce")),
            "status": col("status"),
            "confidence": pd.to_numeric(col("confidence"), errors="coerce"),
            "precision": col("date_precision"),
            "article": titles,
            "link": urls.map(_safe_link),
            "sentence": col("sentence"),
            "language": col("language"),
            "corrected": col("corrected").fillna(False).astype(bool) if "corrected" in ev.columns else False,
        }
    ).reset_index(drop=True)
    for name in ("date", "type", "place", "caravan", "status", "precision", "article", "sentence", "language"):
        # a missing value is an empty cell, not "None"
        table[name] = table[name].astype(object).map(lambda v: "" if v is None or v is pd.NA or
                                                     (isinstance(v, float) and np.isnan(v)) else str(v))
    ids = col("event_id").astype(str).tolist()
    st.dataframe(
        table,
        hide_index=True,
        height=300,
        width="stretch",
        key="events_table",
        on_select=lambda: _select_table_row(ids),
        selection_mode="single-row",
        placeholder="",  # a missing value (an event without a people count) is an empty cell, not "None"
        column_config={
            "confidence": st.column_config.ProgressColumn("confidence", min_value=0.0, max_value=1.0, format="%.2f"),
            "link": st.column_config.LinkColumn("link", display_text="open"),
            "people": st.column_config.NumberColumn("people", format="localized"),  # 2,000,000
            "corrected": st.column_config.CheckboxColumn("corrected", help="Corrected by a reader"),
        },
    )
