"""Where the map opens: the bounds of the data (broad places left out when there is more)."""

from __future__ import annotations

import math
from typing import Any


def map_bounds(*frames: Any) -> list[list[float]] | None:
    """[[south, west], [north, east]] over the non-empty frames, or ``None``."""
    boxes = []
    for frame in frames:
        if frame is None or len(frame) == 0:
            continue
        geoms = frame.geometry
        geoms = geoms[~(geoms.isna() | geoms.is_empty)]
        if len(geoms) == 0:
            continue
        minx, miny, maxx, maxy = (float(v) for v in geoms.total_bounds)
        if all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
            boxes.append((minx, miny, maxx, maxy))
    if not boxes:
        return None
    minx = max(-180.0, min(b[0] for b in boxes))
    miny = max(-85.0, min(b[1] for b in boxes))
    maxx = min(180.0, max(b[2] for b in boxes))
    maxy = min(85.0, max(b[3] for b in boxes))
    pad = 0.3
    return [[miny - pad, minx - pad], [maxy + pad, maxx + pad]]


#: Place kinds that stand for a whole country or world region: they widen the first view only
#: when a corpus has nothing finer (a story naming India must not zoom a Mexican corpus out).
BROAD_PLACE_KINDS = ("country", "demonym", "region", "continent")


def atlas_extent(events: Any = None, routes: Any = None, crossings: Any = None,
                 places: Any = None) -> list[list[float]] | None:
    """The first view of an atlas, wherever in the world it is: :func:`map_bounds` over its
    events, routes, crossings and places, leaving out country- and region-wide places unless
    nothing else has a position."""
    broad = None
    if places is not None and len(places) and "kind" in places.columns:
        broad = places["kind"].isin(BROAD_PLACE_KINDS)
    local = places[~broad] if broad is not None else places
    return map_bounds(events, routes, crossings, local) or map_bounds(places)


def _check_crs(name: str, frame: Any) -> None:
    crs = getattr(frame, "crs", None)
    if frame is not None and len(frame) and crs is not None and not crs.equals("EPSG:4326"):
        raise ValueError(f"{name} must be in EPSG:4326, got {crs.to_string()!r}")
