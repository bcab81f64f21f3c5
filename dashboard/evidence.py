"""The selected feature's evidence, as escaped HTML for ``st.html`` (pure, no Streamlit).

Every string from an article goes through :func:`dashboard.escape.escape_text` (or
:func:`~dashboard.escape.highlight`, which escapes each piece and adds only ``<mark>``);
links go through :func:`~dashboard.escape.safe_url`. ``st.html`` sanitises again
(DOMPurify), so this is defence in depth; ``st.markdown(unsafe_allow_html=True)`` is
never used.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from dashboard.escape import escape_text, highlight, safe_url
from dashboard.fixes import is_corrected, original_text
from dashboard.sample import AtlasFrames
from dashboard.state import parse_selection

__all__ = ["find_feature", "evidence_html", "corrected_html", "highlight_span", "place_for_event", "area_events",
           "ID_COLUMNS", "AREA_KINDS"]

ID_COLUMNS = {"events": "event_id", "places": "place_id", "routes": "route_id", "crossings": "crossing_id"}
#: Kinds of place that are areas (an event there is known only at that level: no town given).
AREA_KINDS = ("country", "admin1", "region", "continent")


def _missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and math.isnan(v)


def _list(v: Any) -> list[Any]:
    if _missing(v):
        return []
    if isinstance(v, str):
        if v.strip().startswith("["):
            try:
                parsed = json.loads(v)
                return parsed if isinstance(parsed, list) else [v]
            except ValueError:
                return [v]
        return [v]
    if hasattr(v, "tolist"):
        v = v.tolist()
    return list(v) if isinstance(v, (list, tuple)) else [v]


def find_feature(frames: AtlasFrames, selected: str | None) -> tuple[str, dict[str, Any]] | None:
    """The row of the selected feature (``"<layer>:<id>"``) as a dict, or ``None``."""
    parsed = parse_selection(selected)
    if parsed is None:
        return None
    layer, ident = parsed
    frame = getattr(frames, layer)
    col = ID_COLUMNS[layer]
    if len(frame) == 0 or col not in frame.columns:
        return None
    hits = frame.index[frame[col].astype(str) == ident]
    if len(hits) == 0:
        return None
    return layer, frame.loc[hits[0]].to_dict()


def place_for_event(frames: AtlasFrames, event: Mapping[str, Any]) -> dict[str, Any] | None:
    """The place of an event, matched on its name (the atlas uses the gazetteer name for both)."""
    name = event.get("place_name")
    if not isinstance(name, str) or len(frames.places) == 0 or "name" not in frames.places.columns:
        return None
    hits = frames.places[frames.places["name"] == name]
    if len(hits) == 0:
        return None
    if "confidence" in hits.columns:
        hits = hits.sort_values("confidence", ascending=False)
    return hits.iloc[0].to_dict()


def area_events(events: pd.DataFrame, place: Mapping[str, Any] | None) -> pd.DataFrame:
    """The events known only at the level of an area place (a country, a state, a region):
    its name, an area kind; sorted by date. Empty for a town or a crossing."""
    if not place or str(place.get("kind") or "") not in (*AREA_KINDS, "demonym") or len(events) == 0 \
            or "place_kind" not in events.columns or "place_name" not in events.columns:
        return events.iloc[0:0]
    hits = events[(events["place_name"] == place.get("name")) & events["place_kind"].isin(AREA_KINDS)]
    keys = [c for c in ("date_start", "event_type", "event_id") if c in hits.columns]
    return hits.sort_values(keys, na_position="last") if keys else hits


def highlight_span(sentence: str, start: int | None, end: int | None, fallback: Sequence[str] = ()) -> str:
    """Escape ``sentence`` and mark ``sentence[start:end]`` (or the first fallback word found)."""
    if not isinstance(sentence, str):
        return ""
    marked = highlight(sentence, list(fallback))
    if "<mark>" in marked:
        return marked
    if start is not None and end is not None and 0 <= start < end <= len(sentence) and end - start < 0.8 * len(sentence):
        return (escape_text(sentence[:start]) + "<mark>" + escape_text(sentence[start:end]) + "</mark>"
                + escape_text(sentence[end:]))
    return marked


def _row(label: str, value: Any) -> str:
    if _missing(value) or value == "" or value == []:
        return ""
    return f"<tr><th>{escape_text(label)}</th><td>{escape_text(value)}</td></tr>"


def _fmt(v: Any) -> str:
    if _missing(v):
        return ""
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


def _alternatives(value: Any) -> str:
    parts = []
    for item in _list(value)[:8]:
        if isinstance(item, Mapping):
            name = item.get("name") or ""
            extra = item.get("country_code") or item.get("kind") or ""
            conf = item.get("confidence")
            label = f"{name}" + (f" ({extra})" if extra else "")
            if isinstance(conf, (int, float)) and not isinstance(conf, bool) and math.isfinite(conf):
                label += f" {conf:.2f}"
            parts.append(label)
        else:
            parts.append(str(item))
    return "; ".join(parts)


def _article_html(aid: Any, articles: Mapping[str, Mapping[str, Any]], row: Mapping[str, Any] | None = None) -> str:
    info = dict(articles.get(str(aid), {})) if aid is not None else {}
    if row is not None:  # synthetic/flat evidence columns
        for key, col in (("title", "article_title"), ("url", "article_url"), ("source", "article_source"),
                         ("published", "article_date")):
            if not info.get(key) and not _missing(row.get(col)):
                info[key] = row.get(col)
    title = escape_text(info.get("title") or aid or "article")
    url = safe_url(info.get("url"))
    link = f'<a href="{url}" target="_blank" rel="noopener noreferrer">{title}</a>' if url else f"<b>{title}</b>"
    bits = [escape_text(info.get("source") or "source unknown")]
    published = info.get("published")
    bits.append(escape_text(str(published)[:10]) if not _missing(published) else "date unknown")
    if not url:
        bits.append("no link")
    return f"{link} &#8212; {' · '.join(bits)}"


#: Languages the pipeline reads, by code.
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}


def _language_label(lang: Any) -> tuple[str, str]:
    """(label above a quoted sentence, ``lang`` attribute of the quote): a sentence in another
    language than English is shown as written, marked "Spanish original"."""
    if not isinstance(lang, str) or lang in ("", "en"):
        return "", ""
    name = LANGUAGE_NAMES.get(lang, lang)
    code = escape_text(lang)
    return (f"<div class='lang'>{escape_text(name)} original sentence</div>", f' lang="{code}"')


def _sources_html(row: Mapping[str, Any], articles: Mapping[str, Mapping[str, Any]], needles: Sequence[str],
                  limit: int = 6) -> str:
    items = []
    for src in _list(row.get("sources"))[:limit]:
        if not isinstance(src, Mapping):
            continue
        sentence = src.get("sentence") or ""
        ss = src.get("sentence_start")
        a = src.get("start")
        b = src.get("end")
        local = (a - ss, b - ss) if all(isinstance(v, int) for v in (ss, a, b)) else (None, None)
        lang = src.get("language")
        label, attr = _language_label(lang)
        items.append(
            f"<li>{label}<blockquote{attr}>{highlight_span(sentence, local[0], local[1], needles)}</blockquote>"
            f"{_article_html(src.get('article_id'), articles)}</li>"
        )
    if not items:  # no structured evidence: the flat columns
        sentence = row.get("sentence")
        aids = _list(row.get("article_ids")) or _list(row.get("article_id"))
        quote = f"<blockquote>{highlight(sentence, list(needles))}</blockquote>" if isinstance(sentence, str) and sentence else ""
        arts = "".join(f"<div>{_article_html(a, articles, row)}</div>" for a in aids[:limit])
        if quote or arts:
            items.append(f"<li>{quote}{arts}</li>")
    more = len(_list(row.get("sources"))) - limit
    extra = f"<p>… and {more} more</p>" if more > 0 else ""
    return f"<ol class='ev'>{''.join(items)}</ol>{extra}" if items else "<p>No evidence recorded.</p>"


_STYLE = (
    "<style>.evp{font:14px/1.45 system-ui,sans-serif}.evp h4{margin:0 0 6px}"
    ".evp table{border-collapse:collapse;font-size:13px;margin:4px 0}"
    ".evp th{text-align:left;padding:1px 8px 1px 0;color:#555;font-weight:600;vertical-align:top}"
    ".evp blockquote{margin:4px 0;padding:4px 8px;border-left:3px solid #ccc;background:#fafafa}"
    ".evp mark{background:#ffe066}.evp ol{padding-left:18px;margin:4px 0}.evp .note{color:#a15c00}"
    ".evp .lang{font-size:12px;color:#555;font-weight:600;margin-top:4px}"
    ".evp .fix{margin:2px 0 6px;font-size:13px}.evp .badge{background:#c2185b;color:#fff;border-radius:3px;"
    "padding:0 5px;font-size:12px;font-weight:600;margin-right:4px}</style>"
)


def corrected_html(row: Mapping[str, Any]) -> str:
    """A "corrected" badge with the original values, or "" for an uncorrected feature."""
    if not is_corrected(row):
        return ""
    was = original_text(row.get("original"))
    return (f"<p class='fix'><span class='badge'>corrected</span>"
            f"{' original: ' + escape_text(was) if was else ''}</p>")


def evidence_html(
    layer: str,
    row: Mapping[str, Any],
    articles: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    visible: bool = True,
    area: str | None = None,
) -> str:
    """Escaped HTML describing one feature and the evidence behind it."""
    articles = articles or {}
    note = "" if visible else "<p class='note'>Hidden by the current filters.</p>"
    area_note = f"<p>Area highlighted on the map: <b>{escape_text(area)}</b> (Natural Earth)</p>" if area else ""
    if layer == "events":
        etype = str(row.get("event_type") or "event").replace("_", " ")
        place = row.get("place_name")
        title = escape_text(etype.capitalize()) + (f" &#8212; {escape_text(place)}" if isinstance(place, str) else "")
        start, end = row.get("date_start"), row.get("date_end")
        date = _fmt(start) + (f" → {_fmt(end)}" if not _missing(end) and end != start else "")
        people = row.get("people_min"), row.get("people_max")
        people_text = "–".join(dict.fromkeys(_fmt(p) for p in people if not _missing(p)))
        level = row.get("place_kind")
        table = (_row("Place level", f"{level} (no town given)" if level in AREA_KINDS else "")
                 + _row("Date", date or "undated") + _row("Date precision", row.get("date_precision") or "unknown")
                 + _row("Status", row.get("status")) + _row("Confidence", _fmt(row.get("confidence")))
                 + _row("Language", LANGUAGE_NAMES.get(row.get("language"), row.get("language"))
                        if isinstance(row.get("language"), str) else "")
                 + _row("People", people_text) + _row("Caravan", row.get("caravan_id"))
                 + _row("Alternatives", _alternatives(row.get("alternatives"))) + _row("Event id", row.get("event_id")))
        needles = [place] if isinstance(place, str) else []
    elif layer == "places":
        title = escape_text(row.get("name"))
        table = (_row("Kind", row.get("kind")) + _row("Country", row.get("country_code"))
                 + _row("Admin-1", row.get("admin1")) + _row("GeoNames id", row.get("geonameid"))
                 + _row("Confidence", _fmt(row.get("confidence"))) + _row("Mentions", row.get("mentions"))
                 + _row("Alternatives", _alternatives(row.get("alternatives"))) + _row("Place id", row.get("place_id")))
        needles = [row.get("name")] if isinstance(row.get("name"), str) else []
    elif layer == "routes":
        title = escape_text(f"Caravan {row.get('caravan_id')} — leg {row.get('leg')}")
        start, end = row.get("date_start"), row.get("date_end")
        table = (_row("From", row.get("from_place")) + _row("To", row.get("to_place"))
                 + _row("Dates", f"{_fmt(start) or '?'} → {_fmt(end) or 'open'}") + _row("Status", row.get("status"))
                 + _row("Drawn", row.get("reason")) + _row("Route id", row.get("route_id")))
        needles = [p for p in (row.get("from_place"), row.get("to_place")) if isinstance(p, str)]
    else:
        title = escape_text(row.get("name") or row.get("crossing_id"))
        countries = "–".join(str(c) for c in _list(row.get("countries")))
        table = (_row("Kind", row.get("kind")) + _row("Countries", countries)
                 + _row("Rail", "yes" if row.get("has_rail") is True else "")
                 + _row("Latest status", row.get("latest_status") or "unknown")
                 + _row("Status date", row.get("latest_status_date")) + _row("Crossing id", row.get("crossing_id")))
        reports = []
        for r in _list(row.get("status_events"))[:8]:
            if isinstance(r, Mapping):
                reports.append(
                    f"<li><b>{escape_text(r.get('status'))}</b> {escape_text(str(r.get('date') or 'undated')[:10])}"
                    f"<blockquote>{highlight(r.get('sentence') or '', [row.get('name') or ''])}</blockquote>"
                    f"{_article_html(r.get('article_id'), articles) if r.get('article_id') else ''}</li>"
                )
        if reports:
            table += "</table><p><b>Status reports</b></p><ol>" + "".join(reports) + "</ol><table>"
        needles = [row.get("name")] if isinstance(row.get("name"), str) else []
    return (
        f"{_STYLE}<div class='evp'><h4>{title}</h4>{corrected_html(row)}{note}{area_note}<table>{table}</table>"
        f"<p><b>Sources</b></p>{_sources_html(row, articles, needles)}</div>"
    )
