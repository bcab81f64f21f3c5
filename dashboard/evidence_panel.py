"""The evidence of the selected feature, and the place picker under it."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.escape import escape_text
from dashboard.evidence import area_events, evidence_html, find_feature
from dashboard.page_layout import EVIDENCE_ANCHOR
from dashboard.sample import AtlasFrames
from dashboard.source import LoadedAtlas
from dashboard.webmap import EVENT_TYPES


def _select(value: str | None) -> None:
    st.session_state.sel = value


def _select_place() -> None:
    value = st.session_state.get("place_pick")
    if value:
        st.session_state.sel = f"places:{value}"


def evidence_panel(frames: AtlasFrames, view: AtlasFrames, loaded: LoadedAtlas, selected: str | None,
                   area: str | None) -> tuple[str, dict[str, Any]] | None:
    st.subheader("Evidence", anchor=EVIDENCE_ANCHOR)
    found = find_feature(frames, selected)
    if found is None:
        st.caption("Click a feature on the map, a row of the events table, or pick a place below to see "
                   "the sentence it comes from, the article, the date's precision, the confidence and the "
                   "alternatives, and to correct it.")
        return None
    layer, row = found
    found_view = find_feature(view, selected)
    if layer == "places":
        area_event_list(view, row)  # first: the place's sources can be long
    st.html(evidence_html(layer, row, loaded.articles, visible=found_view is not None, area=area))
    st.button("Clear selection", on_click=_select, args=(None,))
    return found


def area_event_list(view: AtlasFrames, place: dict[str, Any]) -> None:
    """The events known only at this country's (state's, region's) level, each selectable:
    the map shows them as one badge on the area, not as points."""
    found = area_events(view.events, place)
    if len(found) == 0:
        return
    st.markdown(f"**{len(found)} event{'s' if len(found) != 1 else ''} known only at this "
                f"{escape_text(str(found['place_kind'].iloc[0]))} level** (no town given)")
    for i, r in enumerate(found.head(30).itertuples()):
        label = EVENT_TYPES.get(r.event_type, (str(r.event_type),))[0]
        st.button(f"{r.date_start or 'undated'} · {label}", key=f"area_ev_{i}_{r.event_id}", on_click=_select,
                  args=(f"events:{r.event_id}",), width="stretch")
    if len(found) > 30:
        st.caption(f"… and {len(found) - 30} more (see the events table).")


def place_picker(view: AtlasFrames) -> None:
    """Select a place of the view by name."""
    places = view.places
    if not len(places):
        return
    names = places.sort_values("name")
    ids = names["place_id"].astype(str).tolist() if "place_id" in names.columns else []
    label = dict(zip(ids, (f"{n} ({k})" for n, k in zip(names["name"], names.get("kind", [""] * len(ids))))))
    st.selectbox("Pick a place", ids, index=None, key="place_pick", on_change=_select_place,
                 format_func=lambda i: str(label.get(i, i)), placeholder="Places in this view")
