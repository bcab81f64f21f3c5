"""The view in the widgets' session state and in the URL: seeding the widgets from a link,
reading the filters back, keeping the URL in step, and this browser session's id."""

from __future__ import annotations

import datetime as dt
import uuid

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard.filters import Filters, Options
from dashboard.state import ViewState, to_query_params

WIDGETS = ("f_dates", "f_caravans", "f_types", "f_articles", "f_conf", "f_search", "f_undated", "f_play", "f_upto")


def seed_widgets(state: ViewState, options: Options) -> None:
    """Put the URL's view into the widgets' session state (first run of a session)."""
    f = options.clean(state.filters)
    ss = st.session_state
    if options.date_min is not None:
        ss.f_dates = (f.date_from or options.date_min, f.date_to or options.date_max)
    ss.f_caravans = list(f.caravans)
    ss.f_types = list(f.event_types)
    ss.f_articles = list(f.articles)
    ss.f_conf = f.min_confidence
    ss.f_search = f.search
    ss.f_undated = f.include_undated
    ss.f_play = f.upto is not None
    if f.upto is not None:
        ss.f_upto = f.upto
    ss.sel = state.selected


def filters_from_widgets(options: Options) -> Filters:
    ss = st.session_state
    date_from = date_to = None
    dates = ss.get("f_dates")
    if options.date_min is not None and isinstance(dates, (tuple, list)) and len(dates) == 2:
        date_from = None if dates[0] == options.date_min else dates[0]
        date_to = None if dates[1] == options.date_max else dates[1]
    upto = ss.get("f_upto") if ss.get("f_play") else None
    return Filters(
        date_from=date_from,
        date_to=date_to,
        caravans=tuple(ss.get("f_caravans") or ()),
        event_types=tuple(ss.get("f_types") or ()),
        articles=tuple(ss.get("f_articles") or ()),
        min_confidence=float(ss.get("f_conf") or 0.0),
        search=str(ss.get("f_search") or ""),
        upto=upto if isinstance(upto, dt.date) else None,
        include_undated=bool(ss.get("f_undated", True)),
    )


def refit_dates(options: Options) -> None:
    """Keep the date widgets inside the atlas's range when it changes (an event's date was
    corrected): a range end that sat on the old extreme follows the new one."""
    ss = st.session_state
    bounds = (options.date_min, options.date_max)
    old = ss.get("_date_bounds")
    ss._date_bounds = bounds
    if old is None or old == bounds or options.date_min is None or options.date_max is None:
        return
    lo, hi = options.date_min, options.date_max
    dates = ss.get("f_dates")
    if isinstance(dates, (tuple, list)) and len(dates) == 2:
        a = lo if dates[0] == old[0] or dates[0] is None else min(max(dates[0], lo), hi)
        b = hi if dates[1] == old[1] or dates[1] is None else min(max(dates[1], lo), hi)
        ss.f_dates = (min(a, b), max(a, b))
    elif "f_dates" not in ss or dates is None:
        ss.f_dates = (lo, hi)
    upto = ss.get("f_upto")
    if isinstance(upto, dt.date):
        ss.f_upto = min(max(upto, lo), hi)


def url_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params.keys()}


def sync_url(state: ViewState) -> None:
    """Write the view to the URL when it differs (the map's own c/z are kept)."""
    wanted = to_query_params(state)
    current = url_params()
    normal = {k: (v if isinstance(v, list) else [v]) for k, v in wanted.items()}
    if normal != current:
        st.query_params.from_dict(wanted)


def session_id() -> str:
    """This browser session's id (the author of its corrections)."""
    ss = st.session_state
    if "_session_id" not in ss:
        ctx = get_script_run_ctx()
        ss._session_id = getattr(ctx, "session_id", None) or uuid.uuid4().hex
    return str(ss._session_id)
