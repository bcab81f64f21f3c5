"""The map's legend (event types and statuses, routes, crossings)."""

from __future__ import annotations

from dashboard.escape import escape_text
from dashboard.map.styles import CROSSING_STATUS_COLOUR, EVENT_TYPES


def _legend_html() -> str:
    items = "".join(
        f'<div><i style="background:{colour}"></i>{escape_text(label)}</div>' for label, colour in EVENT_TYPES.values()
    )
    statuses = " ".join(
        f'<span style="color:{colour}">&#9679;</span>&#160;{escape_text(name)}'
        for name, colour in CROSSING_STATUS_COLOUR.items()
        if name in ("open", "closed", "suspended", "restricted", "unknown")
    )
    return (
        f"<details><summary>Legend</summary><b>Events</b> (size: people; faint: planned; "
        f"numbers: clusters, click to zoom)<div class='ca-grid'>{items}</div>"
        "<div style='margin-top:3px'><span class='ca-area' style='transform:none'><b>2</b>Country</span> "
        "events known only at a country or state level (no town given): click to list them</div>"
        f"<div style='margin-top:3px'><b>Crossings</b> (P port, B bridge, R rail, &#8776; river) {statuses}</div>"
        "<div style='margin-top:3px'><b>Routes</b>: solid reported, faint inferred, dashed intended, "
        "dotted straight (no highway known), &#9658; direction</div><div style='margin-top:3px'><b style='color:#c2185b'>&#9711;</b> "
        "magenta ring: corrected by a reader</div></details>"
    )
