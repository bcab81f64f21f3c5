"""Popups and evidence: the article table shared by the layers and the popup HTML."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dashboard.escape import escape_text, safe_url
from dashboard.fixes import is_corrected, original_text
from dashboard.map.values import _as_list, _get, _is_missing


class _Articles:
    """Deduplicated, escaped article table: [title, url, source, date, id]."""

    def __init__(self, lookup: Mapping[str, Mapping[str, Any]] | None) -> None:
        self.lookup = lookup or {}
        self.rows: list[list[str]] = []
        self.index: dict[tuple[Any, ...], int] = {}

    def add(self, article_id: Any, title: Any = None, url: Any = None, source: Any = None, date: Any = None) -> int:
        info = self.lookup.get(str(article_id), {}) if article_id is not None else {}
        title = title if not _is_missing(title) else info.get("title")
        url = url if not _is_missing(url) else info.get("url")
        source = source if not _is_missing(source) else info.get("source")
        date = date if not _is_missing(date) else info.get("published", info.get("date"))
        key = (article_id, title, url, source, str(date))
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.rows)
            self.rows.append(
                [
                    escape_text(title),
                    safe_url(url),
                    escape_text(source),
                    escape_text("" if _is_missing(date) else str(date)[:10]),
                    escape_text(article_id),
                ]
            )
        return found

    def for_row(self, row: Mapping[str, Any]) -> list[int]:
        ids = _as_list(_get(row, "article_ids", "article_id"))
        titles = _as_list(_get(row, "article_title", "article_titles"))
        urls = _as_list(_get(row, "article_url", "article_urls"))
        srcs = _as_list(_get(row, "article_source", "article_sources"))
        dates = _as_list(_get(row, "article_date", "article_published", "article_dates"))
        n = max(len(ids), len(titles), len(urls))
        out = []
        for i in range(min(n, 10)):
            out.append(
                self.add(
                    ids[i] if i < len(ids) else None,
                    titles[i] if i < len(titles) else None,
                    urls[i] if i < len(urls) else None,
                    srcs[i] if i < len(srcs) else (srcs[0] if srcs else None),
                    dates[i] if i < len(dates) else (dates[0] if dates else None),
                )
            )
        return out

    def html(self, indexes: Iterable[int]) -> str:
        items = []
        for i in indexes:
            title, url, source, date, aid = self.rows[i]
            label = title or aid or "article"
            link = f'<a href="{url}" target="_blank" rel="noopener noreferrer">{label}</a>' if url else label
            items.append(f"<li>{link}{' &#8212; ' + source if source else ''}{', ' + date if date else ''}</li>")
        return f'<div class="ca-meta"><b>Sources:</b></div><ul>{"".join(items)}</ul>' if items else ""


def _popup_html(title: str, meta: Sequence[tuple[str, str]], extra: str = "", colour: str = "#888") -> str:
    """Popup HTML from escaped pieces (``title``/values must come from escape functions)."""
    rows = "".join(f'<div class="ca-meta"><b>{label}:</b> {value}</div>' for label, value in meta if value)
    return f'<div class="ca-pop"><div class="ca-h" style="border-color:{colour}">{title}</div>{rows}{extra}</div>'


def _correction_note(row: Mapping[str, Any]) -> str:
    """Escaped "was …" note of a corrected feature ("" when uncorrected)."""
    if not is_corrected(row):
        return ""
    was = original_text(row.get("original"))
    return escape_text(f"yes; was {was}" if was else "yes")
