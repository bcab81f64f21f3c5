"""The sidebar's filters, time controls, upload form and credits."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.about import ABOUT
from dashboard.filters import Options
from dashboard.player import step_day
from dashboard.source import LoadedAtlas
from dashboard.state import ViewState
from dashboard.upload_panel import upload_form
from dashboard.webmap import EVENT_TYPES
from dashboard.widgets import seed_widgets
from geo.store import DEMO_WORKSPACE, Store


def _reset_filters(options: Options) -> None:
    seed_widgets(ViewState(), options)
    st.session_state.f_auto = False


def sidebar(options: Options, loaded: LoadedAtlas, store: Store | None, workspace: str = DEMO_WORKSPACE) -> None:
    ss = st.session_state
    sb = st.sidebar
    sb.header("Filters")
    if options.date_min is not None and options.date_max is not None and options.date_min < options.date_max:
        sb.slider("Dates", min_value=options.date_min, max_value=options.date_max, key="f_dates",
                  format="YYYY-MM-DD", help="Events whose dates overlap this range")
    elif options.date_min is not None:
        sb.caption(f"All dated events are on {options.date_min.isoformat()}.")
    sb.multiselect("Caravan", options.caravans, key="f_caravans", placeholder="All caravans")
    sb.multiselect("Event type", options.event_types, key="f_types", placeholder="All types",
                   format_func=lambda t: EVENT_TYPES.get(t, (t,))[0])
    titles = {aid: (loaded.articles.get(aid, {}).get("title") or aid) for aid in options.articles}
    sb.multiselect("Source article", options.articles, key="f_articles", placeholder="All articles",
                   format_func=lambda a: str(titles.get(a, a))[:90])
    sb.slider("Minimum confidence", 0.0, 1.0, step=0.05, key="f_conf")
    sb.text_input("Search places", key="f_search", placeholder="e.g. Tapachula")
    sb.checkbox("Include undated events", key="f_undated")
    sb.button("Reset filters", on_click=_reset_filters, args=(options,))

    sb.header("Time")
    if options.date_min is not None and options.date_max is not None and options.date_min < options.date_max:
        sb.toggle("Travel through time", key="f_play",
                  help="Show events up to a day, and routes as travelled by then")
        if ss.get("f_play"):
            if not isinstance(ss.get("f_upto"), dt.date):
                ss.f_upto = options.event_days[0] if options.event_days else options.date_min
            sb.slider("Up to", min_value=options.date_min, max_value=options.date_max, key="f_upto",
                      format="YYYY-MM-DD")
            c1, c2, c3 = sb.columns(3)
            c1.button("◀", help="Previous day with news", on_click=step_day, args=(options.event_days, -1),
                      width="stretch")
            c2.toggle("Play", key="f_auto", help="Step through the days with news, one per second")
            c3.button("▶", help="Next day with news", on_click=step_day, args=(options.event_days, 1),
                      width="stretch")
    else:
        sb.caption("Not enough dated events to step through time.")

    with sb.expander("Add articles (.md, .txt, .html)"):
        upload_form(store, loaded, workspace)
    with sb.expander("About and data credits"):
        st.markdown(ABOUT)
