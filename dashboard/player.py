"""Travel through time: step to the previous or next day with news, and play (one step a second)."""

from __future__ import annotations

import datetime as dt
import time

import streamlit as st

from dashboard.filters import step_date


def step_day(days: tuple[dt.date, ...], direction: int) -> None:
    """Go to the previous (-1) or next (+1) day with news (a button's callback)."""
    st.session_state.f_play = True
    st.session_state.f_upto = step_date(days, st.session_state.get("f_upto"), direction)


STEP_SECONDS = 1.0  # the player's step, as its help says


def apply_player_step() -> None:
    """Apply the step the player asked for in its last tick (before any widget exists: a
    widget's session state cannot be set once the widget is instantiated in a run)."""
    ss = st.session_state
    pending = ss.pop("_player_next", None)
    if pending is None:
        return
    if pending == "stop":
        ss.f_auto = False
    elif isinstance(pending, dt.date):
        ss.f_upto = pending
        # learn the round trip (tick -> rerun) so that steps come once a second, not 1.3 s
        now, last = time.monotonic(), ss.get("_player_step_at")
        if last is not None and now - last < 3 * STEP_SECONDS:
            bias = ss.get("_player_bias", 0.0) + 0.5 * (now - last - STEP_SECONDS)
            ss._player_bias = min(0.6, max(0.0, bias))
        ss._player_step_at = now


def _player_tick(days: tuple[dt.date, ...]) -> None:
    """While playing, ask for the next day with news (applied by the app run that follows)."""
    ss = st.session_state
    if ss.pop("_player_full_run", False):  # called by the app run itself: only (re)arm the timer
        return
    if not ss.get("f_auto") or not ss.get("f_play"):
        return
    current = ss.get("f_upto")
    nxt = step_date(days, current, 1)
    ss._player_next = "stop" if nxt is None or nxt == current else nxt
    st.rerun(scope="app")


def player_tick(days: tuple[dt.date, ...], run_started: float) -> None:
    """Arm the player's timer at the end of an app run, so that the next step comes
    ``STEP_SECONDS`` after this step began (the run's own time and the measured round trip
    of a tick count in the second)."""
    st.session_state._player_full_run = True
    elapsed = time.monotonic() - run_started
    wait = max(0.2, STEP_SECONDS - elapsed - st.session_state.get("_player_bias", 0.0))
    st.fragment(run_every=wait)(_player_tick)(days)
