"""The timeline under the map: events per day or month, by type, in the map's colours."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard.filters import timeline_counts
from dashboard.sample import AtlasFrames
from dashboard.webmap import EVENT_TYPES


def timeline_spec(table: pd.DataFrame, freq: str) -> dict[str, Any]:
    """The Vega-Lite spec of the chart of ``table`` (:func:`dashboard.filters.timeline_counts`):
    stacked bars per day or month, coloured by type. Written as a plain spec rather than with
    Altair, whose import alone took 0.3–1 s of the first run (the figures are in the README)."""
    labels = {k: v[0] for k, v in EVENT_TYPES.items()}
    table = table.assign(type=table["event_type"].map(lambda t: labels.get(t, "Other")))
    # The legend lists the types in view (in the map's order and colours), and the chart is tall
    # enough for it: a legend taller than the chart is cut off at the chart's bottom edge.
    present = set(table["event_type"].map(lambda t: t if t in EVENT_TYPES else "other"))
    domain = [labels[k] for k in EVENT_TYPES if k in present]
    colours = [v[1] for k, v in EVENT_TYPES.items() if k in present]
    unit = "yearmonthdate" if freq == "day" else "yearmonth"
    when = {"field": "period", "timeUnit": unit, "type": "temporal"}
    events = {"field": "count", "aggregate": "sum", "type": "quantitative"}
    return {
        "datasets": {"timeline": table},
        "data": {"name": "timeline"},
        "mark": {"type": "bar"},
        "height": max(180, 20 * len(domain) + 40),
        "encoding": {
            "x": when | {"title": "Day" if freq == "day" else "Month"},
            "y": events | {"title": "Events"},
            "color": {"field": "type", "type": "nominal", "title": "Event type",
                      "scale": {"domain": domain, "range": colours}},
            "tooltip": [when | {"title": "When"}, {"field": "type", "type": "nominal", "title": "Type"},
                        events | {"title": "Events"}],
        },
    }


def timeline(view: AtlasFrames) -> None:
    table, freq = timeline_counts(view.events)
    if table.empty:
        st.caption("No dated events in this view.")
        return
    st.vega_lite_chart(spec=timeline_spec(table, freq), width="stretch")
