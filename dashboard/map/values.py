"""Reading values out of layer rows: missing values, lists, numbers, dates, coordinates."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import shapely

from dashboard.escape import escape_text


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, dict)) else False
    except (TypeError, ValueError):
        return False


def _get(row: Mapping[str, Any], *names: str) -> Any:
    for name in names:
        if name in row and not _is_missing(row[name]):
            return row[name]
    return None


def _as_list(value: Any) -> list[Any]:
    if _is_missing(value):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):  # a JSON column stored as text
            try:
                parsed = json.loads(text)
            except ValueError:
                return [value]
            return [v for v in parsed if not _is_missing(v)] if isinstance(parsed, list) else [value]
        return [value]
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple, set)):
        return [v for v in value if not _is_missing(v)]
    return [value]


def _num(value: Any) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _fmt_number(value: Any) -> str:
    num = _num(value)
    if num is None:
        return ""
    return f"{num:.2f}" if not num.is_integer() else f"{int(num):,}"


def _people_text(row: Mapping[str, Any]) -> tuple[str, float | None]:
    return _people_range(_num(_get(row, "people_min")), _num(_get(row, "people_max")))


def _people_range(lo: float | None, hi: float | None) -> tuple[str, float | None]:
    """(people text, the number that sizes the marker) of a min/max pair."""
    if lo is None and hi is None:
        return "", None
    if lo is not None and hi is not None and lo != hi:
        return f"{int(lo):,}–{int(hi):,}", hi
    value = hi if hi is not None else lo
    return f"{int(value):,}", value


def _radius(people: float | None) -> float:
    if people is None or people <= 0:
        return 5.0
    return round(min(18.0, 4.0 + 2.2 * math.log10(1.0 + people)), 1)


def _date_text(row: Mapping[str, Any]) -> str:
    start, end = _get(row, "date_start"), _get(row, "date_end")
    start_s = "" if start is None else str(start)[:10]
    end_s = "" if end is None else str(end)[:10]
    if start_s and end_s and end_s != start_s:
        return f"{start_s} → {end_s}"
    return start_s or end_s


def _alternatives_text(value: Any) -> str:
    items = _as_list(value)
    parts = []
    for item in items[:8]:
        if isinstance(item, Mapping):
            name = item.get("name") or item.get("place_name") or ""
            extra = item.get("country_code") or item.get("kind") or ""
            conf = _num(item.get("confidence"))
            label = str(name) + (f" ({extra})" if extra else "") + (f" {conf:.2f}" if conf is not None else "")
            parts.append(label)
        else:
            parts.append(str(item))
    return escape_text("; ".join(parts))


def _point_lonlat(geom: Any) -> tuple[float, float] | None:
    if geom is None or getattr(geom, "is_empty", True):
        return None
    point = geom if geom.geom_type == "Point" else geom.representative_point()
    lon, lat = float(point.x), float(point.y)
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return lon, lat


def _lines_latlon(geom: Any) -> list[list[list[float]]]:
    """[[lat, lon], …] per part of a (Multi)LineString."""
    if geom is None or geom.is_empty:
        return []
    parts = getattr(geom, "geoms", [geom])
    out = []
    for part in parts:
        if part.geom_type != "LineString":
            continue
        coords = [[round(y, 6), round(x, 6)] for x, y, *_ in part.coords]
        if len(coords) >= 2:
            out.append(coords)
    return out


def _records(frame: Any) -> list[dict[str, Any]]:
    if frame is None or len(frame) == 0:
        return []
    return frame.to_dict("records")


def _column(frame: Any, *names: str) -> list[Any]:
    for name in names:
        if frame is not None and name in frame.columns:
            return frame[name].tolist()
    return [None] * (0 if frame is None else len(frame))


def _xy(frame: Any) -> tuple[np.ndarray, np.ndarray]:
    """lon, lat arrays of point geometries (a representative point otherwise); NaN if none."""
    if frame is None or len(frame) == 0:
        return np.zeros(0), np.zeros(0)
    geoms = np.asarray(frame.geometry.values, dtype=object)
    types = shapely.get_type_id(geoms)  # -1 None, 0 Point
    pts = np.where(types == 0, geoms, None)
    other = (types > 0) & ~shapely.is_empty(np.where(types > 0, geoms, None))
    if other.any():
        pts = pts.copy()
        pts[other] = shapely.point_on_surface(geoms[other])
    x = shapely.get_x(pts)
    y = shapely.get_y(pts)
    bad = ~(np.isfinite(x) & np.isfinite(y) & (np.abs(x) <= 180) & (np.abs(y) <= 90))
    x = np.where(bad, np.nan, x)
    y = np.where(bad, np.nan, y)
    return x, y


def _miss(v: Any) -> bool:
    """Fast missing-value test for scalars (None, pd.NA, NaN, NaT)."""
    return v is None or v is pd.NA or v is pd.NaT or (type(v) is float and v != v)


def _fast_num(v: Any) -> float | None:
    if _miss(v):
        return None
    try:
        out = float(v)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None
