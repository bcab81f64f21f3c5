"""Saved or fetched web pages -> the story's text and metadata.

:func:`extract_page` runs trafilatura for the main text (menus, sidebars, footers and
comment sections left out), title, author and site name, and htmldate for the publication
date. The page's own address comes from ``<link rel="canonical">`` or ``og:url``. When
trafilatura finds no main text (a very short page), the page's visible text is read with
:func:`geo.sources.corpus.html_to_text` instead; :attr:`Page.extraction` says which one ran.

Paragraphs are separated by a blank line, as in the Markdown corpus, and a first line that
repeats the title (the page's ``<h1>``) is dropped: the title is metadata, as in front
matter. Furniture that survives extraction (a byline, "Related:" links) is left to the
event stage (:mod:`geo.text.furniture`), as for plain text.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Page", "extract_page", "page_url"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Page:
    """What a page says about itself; ``None`` where it says nothing."""

    text: str
    title: str | None = None
    author: str | None = None
    site: str | None = None
    published: dt.date | None = None
    url: str | None = None
    extraction: str = ""  # "trafilatura 2.3.1" or "html.parser"


@lru_cache(maxsize=1)
def _versions() -> tuple[str, str]:
    from importlib.metadata import version

    return version("trafilatura"), version("htmldate")


_CANONICAL = re.compile(r"<link\b[^>]*\brel\s*=\s*[\"']?canonical\b[^>]*>", re.I)
_OG_URL = re.compile(r"<meta\b[^>]*\bproperty\s*=\s*[\"']?og:url\b[^>]*>", re.I)
_HREF = re.compile(r"\b(?:href|content)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)


def page_url(html: str) -> str | None:
    """The page's own address: its canonical link, else its ``og:url`` (absolute http(s) only)."""
    import html as html_lib

    head = html[:200_000]
    for pattern in (_CANONICAL, _OG_URL):
        for tag in pattern.finditer(head):
            m = _HREF.search(tag.group(0))
            if m:
                url = html_lib.unescape(next(g for g in m.groups() if g is not None)).strip()
                if re.match(r"https?://[^\s/]+", url):
                    return url
    return None


def _published(html: str, url: str | None) -> dt.date | None:
    import htmldate

    logging.getLogger("htmldate").setLevel(logging.ERROR)
    try:
        found = htmldate.find_date(html, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception as err:  # noqa: BLE001 - htmldate raises on some malformed pages; the date is optional
        log.debug("htmldate failed: %s", err)
        return None
    try:
        return dt.date.fromisoformat(found) if found else None
    except ValueError:
        return None


def _paragraphs(text: str, title: str | None) -> str:
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    if lines and title and _norm(lines[0]) == _norm(title):
        lines = lines[1:]
    return "\n\n".join(lines) + "\n" if lines else ""


def _page_title(title: str | None, site: str | None) -> str | None:
    """The page's ``og:title``/``<title>`` without a trailing " | Site name"."""
    if not title or not title.strip():
        return None
    title = title.strip()
    if site:
        m = re.match(rf"(.+?)\s+[|\-\u2013\u2014:\u00b7]\s+{re.escape(site)}\s*\Z", title, re.I)
        if m:
            return m.group(1).strip()
    return title


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().casefold()


def extract_page(html: str, *, url: str | None = None) -> Page:
    """The main text and metadata of one HTML page (``url``: where it was fetched from)."""
    import trafilatura

    from geo.sources.corpus import html_to_text

    for name in ("trafilatura", "trafilatura.core", "trafilatura.main_extractor", "courlan"):
        logging.getLogger(name).setLevel(logging.ERROR)
    own_url = page_url(html)
    try:
        doc = trafilatura.bare_extraction(html, url=own_url or url, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=True, deduplicate=False)
    except Exception as err:  # noqa: BLE001 - a page trafilatura cannot parse still has visible text
        log.debug("trafilatura failed: %s", err)
        doc = None
    published = _published(html, own_url or url)
    _, head_meta = html_to_text(html[: html.lower().find("</head>") + 7] if "</head>" in html.lower() else "")
    if doc is not None and (doc.text or "").strip():
        site = (doc.sitename or "").strip() or None
        title = _page_title(head_meta.get("title"), site) or (doc.title or "").strip() or None
        text = _paragraphs(doc.text, title)
        if doc.title and doc.title.strip() != title:
            text = _paragraphs(text, doc.title.strip())
        return Page(
            text=text,
            title=title,
            author=(doc.author or "").strip() or None,
            site=site,
            published=published,
            url=own_url,
            extraction=f"trafilatura {_versions()[0]}",
        )
    text, meta = html_to_text(html)
    return Page(text=text if text.strip() else "", title=meta.get("title"), published=published,
                url=own_url or meta.get("url"), extraction="html.parser")
