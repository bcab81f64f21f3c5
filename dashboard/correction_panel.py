"""Corrections: the form for the selected place or event, and the list of corrections with Undo."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.escape import escape_text
from dashboard.evidence import find_feature
from dashboard.fixes import (
    PLACE_ACTIONS,
    candidate_choices,
    candidate_label,
    correction_summary,
    event_changes,
    event_correction,
    mention_choices,
    mention_label,
    names_for,
    place_correction,
    sorted_newest_first,
)
from dashboard.sample import AtlasFrames
from dashboard.source import LoadedAtlas
from dashboard.webmap import EVENT_TYPES
from dashboard.widgets import session_id
from geo.store.corrections import Correction
from geo.text.dates import PRECISIONS
from geo.errors import AtlasError
from geo.atlas.events import EVENT_TYPES as EVENT_TYPE_KEYS
from geo.store import DEMO_WORKSPACE, Store

if TYPE_CHECKING:
    from dashboard.loading import Loaded


PRECISION_CHOICES = tuple(dict.fromkeys((*PRECISIONS, "unknown")))


def seed_fix_widgets(frames: AtlasFrames) -> None:
    """Reset the correction widgets to the selected feature's values when the selection changes."""
    ss = st.session_state
    sel = ss.get("sel")
    if ss.get("_fix_for") == sel:
        return
    ss._fix_for = sel
    ss.pick_mode = False
    for k in ("fix_target", "fix_action", "fix_candidate", "fix_candidate_picked"):
        ss.pop(k, None)
    found = find_feature(frames, sel)
    if found is None:
        return
    layer, row = found
    geom = row.get("geometry")
    if layer == "places" and geom is not None and not geom.is_empty:
        ss.pin_lat, ss.pin_lon = round(geom.y, 5), round(geom.x, 5)
    if layer == "events":
        def date(v: Any) -> dt.date | None:
            try:
                return dt.date.fromisoformat(str(v)[:10]) if isinstance(v, str) and v else None
            except ValueError:
                return None

        def count(v: Any) -> int | None:
            return None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else int(v)

        ss.ev_start, ss.ev_end = date(row.get("date_start")), date(row.get("date_end"))
        prec = row.get("date_precision")
        ss.ev_precision = prec if isinstance(prec, str) and prec in PRECISION_CHOICES else "unknown"
        etype = row.get("event_type")
        ss.ev_type = etype if isinstance(etype, str) and etype in EVENT_TYPE_KEYS else "other"
        ss.ev_min, ss.ev_max = count(row.get("people_min")), count(row.get("people_max"))


def _candidate_picked() -> None:
    st.session_state.fix_candidate_picked = True  # the map shows it and pans to it


def feature_articles(row: dict[str, Any], articles: dict[str, dict[str, Any]]) -> list[str]:
    """Content hashes of the articles a place or event was built from (its evidence)."""
    ids = row.get("article_ids")
    if not isinstance(ids, (list, tuple, np.ndarray)):
        ids = [src.get("article_id") for src in (row.get("sources") if isinstance(row.get("sources"), (list, tuple, np.ndarray)) else [])
               if isinstance(src, dict)]
    return sorted({str(articles[str(a)]["content_hash"]) for a in ids
                   if str(a) in articles and articles[str(a)].get("content_hash")})


def _save(store: Store, build: Any, workspace: str = DEMO_WORKSPACE, hashes: Any = ()) -> None:
    """Build a correction from the widgets' current values and save it in ``workspace``,
    attached to the articles ``hashes`` (a list, or a function of the correction)."""
    ss = st.session_state
    try:
        correction = build()
        store.add_correction(correction, workspace=workspace,
                             articles=hashes(correction) if callable(hashes) else hashes)
    except (AtlasError, ValueError) as err:
        ss.fix_message = ("error", str(err))
        return
    ss.fix_message = ("ok", "Saved: every layer follows. Undo it in the Corrections list.")
    ss.pick_mode = False


def _meta() -> dict[str, str]:
    sid = session_id()
    return {"author": sid, "session": sid}


def _save_place_fix(store: Store, place_id: str, mentions: dict[str, Any], candidates: list[dict[str, Any]],
                    workspace: str = DEMO_WORKSPACE, articles: dict[str, dict[str, Any]] | None = None,
                    place_hashes: tuple[str, ...] = ()) -> None:
    ss = st.session_state

    def hashes(c: Correction) -> Any:  # one mention: its article; the place: every article naming it
        if c.target == "mention":
            return feature_articles({"article_ids": [c.target_id]}, articles or {})
        return place_hashes

    def build() -> Correction:
        target = mentions.get(ss.get("fix_target") or "", place_id)
        index = ss.get("fix_candidate")
        candidate = candidates[index] if isinstance(index, int) and 0 <= index < len(candidates) else None
        return place_correction(ss.get("fix_action") or "choose_candidate", target, candidate=candidate,
                                lat=ss.get("pin_lat"), lon=ss.get("pin_lon"), **_meta())

    _save(store, build, workspace, hashes)


def _save_event_fix(store: Store, row: dict[str, Any], workspace: str = DEMO_WORKSPACE,
                    hashes: tuple[str, ...] = ()) -> None:
    ss = st.session_state

    def build() -> Correction:
        changes = event_changes(row, {
            "date_start": ss.get("ev_start"), "date_end": ss.get("ev_end"),
            "date_precision": ss.get("ev_precision"),
            "event_type": ss.get("ev_type"), "people_min": ss.get("ev_min"), "people_max": ss.get("ev_max"),
        })
        return event_correction(str(row["event_id"]), changes, **_meta())

    _save(store, build, workspace, hashes)


def _undo(store: Store, correction_id: str) -> None:
    try:
        store.undo_correction(correction_id)
        st.session_state.fix_message = ("ok", "Undone.")
        st.session_state._fix_for = object()  # the form shows the feature's values again
    except AtlasError as err:
        st.session_state.fix_message = ("error", str(err))


def fix_message() -> None:
    message = st.session_state.pop("fix_message", None)
    if message:
        kind, text = message
        (st.success if kind == "ok" else st.error)(escape_text(text))  # may quote article text


def place_fix_form(store: Store, row: dict[str, Any], articles: dict[str, dict[str, Any]],
                   workspace: str = DEMO_WORKSPACE) -> None:
    """Choose another candidate, mark "not a place" or drop a pin (the place or one mention)."""
    ss = st.session_state
    place_id = str(row.get("place_id"))
    mentions = {f"m{i}": (ref, src) for i, (ref, src) in enumerate(mention_choices(row))}
    labels = {"": "Every mention of this place"} | {k: "Only: " + mention_label(src, articles)
                                                     for k, (_, src) in mentions.items()}
    if len(mentions) > 1:
        st.selectbox("Correct", list(labels), key="fix_target", format_func=lambda k: labels.get(k, k))
    st.radio("Fix", list(PLACE_ACTIONS), key="fix_action", format_func=lambda k: PLACE_ACTIONS[k],
             label_visibility="collapsed")
    action = ss.get("fix_action") or "choose_candidate"
    candidates = candidate_choices(row)
    refs = {k: ref for k, (ref, _) in mentions.items()}
    if action == "choose_candidate":
        if not candidates:
            st.caption("The gazetteer offered no other candidate: drop a pin instead.")
            return
        st.selectbox("Candidate", list(range(len(candidates))), key="fix_candidate",
                     format_func=lambda i: candidate_label(candidates[i]), on_change=_candidate_picked,
                     help="The map shows the candidate picked here (dashed blue ring)")
    elif action == "move":
        c1, c2 = st.columns(2)
        c1.number_input("Latitude", min_value=-90.0, max_value=90.0, step=0.01, format="%.5f", key="pin_lat")
        c2.number_input("Longitude", min_value=-180.0, max_value=180.0, step=0.01, format="%.5f", key="pin_lon")
        st.toggle("Pick on map", key="pick_mode",
                  help="While on, a click on the map sets the latitude and longitude (and selects nothing)")
        if ss.get("pick_mode"):
            st.caption("Click the map where the place really is.")
    label = {"choose_candidate": "Use this candidate", "not_a_place": "Mark as not a place",
             "move": "Move the pin here"}[action]
    st.button(label, type="primary", key="fix_apply", on_click=_save_place_fix,
              args=(store, place_id, refs, candidates, workspace, articles, tuple(feature_articles(row, articles))))


def event_fix_form(store: Store, row: dict[str, Any], workspace: str = DEMO_WORKSPACE,
                   articles: dict[str, dict[str, Any]] | None = None) -> None:
    """Fix an event's dates (and precision), type or people count."""
    c1, c2 = st.columns(2)
    c1.date_input("Start", key="ev_start", format="YYYY-MM-DD", min_value=dt.date(1900, 1, 1),
                  max_value=dt.date(2100, 12, 31))
    c2.date_input("End", key="ev_end", format="YYYY-MM-DD", min_value=dt.date(1900, 1, 1),
                  max_value=dt.date(2100, 12, 31))
    c1.selectbox("Date precision", PRECISION_CHOICES, key="ev_precision")
    c2.selectbox("Type", EVENT_TYPE_KEYS, key="ev_type", format_func=lambda t: EVENT_TYPES.get(t, (t,))[0])
    c1.number_input("People (min)", min_value=0, step=1, key="ev_min")
    c2.number_input("People (max)", min_value=0, step=1, key="ev_max")
    st.button("Save the event fix", type="primary", key="fix_event", on_click=_save_event_fix,
              args=(store, row, workspace, tuple(feature_articles(row, articles or {}))))


def fix_panel(store: Store | None, found: tuple[str, dict[str, Any]] | None, loaded: LoadedAtlas,
              workspace: str = DEMO_WORKSPACE) -> None:
    fix_message()
    if store is None or found is None or loaded.is_sample:
        return
    layer, row = found
    if layer not in ("places", "events"):
        return
    with st.expander("Correct this " + ("place" if layer == "places" else "event"), expanded=True):
        if layer == "places":
            place_fix_form(store, row, loaded.articles, workspace)
        else:
            event_fix_form(store, row, workspace, loaded.articles)


def corrections_list(store: Store | None, loaded: Loaded) -> None:
    """Every correction, newest first, with an undo button for the active ones."""
    if store is None:
        return
    active = [c for c in loaded.corrections if c.undone_at is None]
    with st.expander(f"Corrections ({len(active)} active)", expanded=False):
        if not loaded.corrections:
            st.caption("No corrections yet. Select a place or an event to correct it.")
            return
        shown = sorted_newest_first(loaded.corrections)[:100]
        names = names_for(loaded.base.frames.places, loaded.base.frames.events, loaded.base.articles,
                          ids={c.target_id for c in shown})
        me = session_id()
        skipped = set(loaded.atlas.skipped)
        for c in shown:
            who = "you" if c.session == me else "another session"
            when = (c.created_at or "")[:16].replace("T", " ")
            state = (f"undone {(c.undone_at or '')[:16].replace('T', ' ')}" if c.undone_at
                     else "not applied (its target is gone or its values conflict)" if c.correction_id in skipped
                     else "active")
            # text, then its Undo button under it (a narrow column cut the button to "U…")
            st.html(f"<div style='font:13px/1.35 system-ui,sans-serif'>{escape_text(correction_summary(c, names))}"
                    f"<br><span style='color:#666;font-size:12px'>{escape_text(who)}, {escape_text(when)} UTC · "
                    f"{escape_text(state)}</span></div>")
            if c.undone_at is None:
                st.button("Undo", key=f"undo_{c.correction_id}", on_click=_undo, args=(store, c.correction_id),
                          icon=":material/undo:", width="content")
