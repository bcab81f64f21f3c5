"""Read RSS/Atom feeds (feedparser) and lists of links into the URLs of news pages.

A feed gives, for each entry, the page's link and what the feed says about it (title,
publication date); a list of links is a text file with one ``http(s)`` URL per line
(blank lines and lines starting with ``#`` are skipped). Nothing here touches the network:
:mod:`geo.sources.fetch` downloads, :mod:`geo.sources.intake` ties the two together.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from geo.errors import ArticleError

__all__ = ["FEED_SUFFIXES", "Link", "is_feed_file", "parse_feed", "parse_link_list"]

#: Files named like this are read as feeds by ``python -m geo build``.
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".feed")
_FEED_START = re.compile(rb"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S | re.I)


@dataclass(frozen=True, slots=True)
class Link:
    """A news page to read: its URL and what the feed or list said about it."""

    url: str
    title: str | None = None
    published: dt.date | None = None
    origin: str = ""  # the feed or list it came from


def is_feed_file(path: str | Path) -> bool:
    """Whether ``path`` is a local RSS/Atom file (by its name, or by how it starts)."""
    p = Path(path)
    if not p.is_file():
        return False
    if p.suffix.lower() in FEED_SUFFIXES:
        return True
    try:
        with open(p, "rb") as fh:
            return bool(_FEED_START.match(fh.read(2048)))
    except OSError:
        return False


def _is_http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def parse_feed(data: bytes, *, where: str, base_url: str | None = None) -> list[Link]:
    """The entries of an RSS/Atom feed, in feed order (duplicates left out).

    Raises :class:`~geo.errors.ArticleError` naming ``where`` when the data is not a feed."""
    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": base_url} if base_url else None,
                              sanitize_html=False, resolve_relative_uris=True)
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise ArticleError(where, f"not an RSS/Atom feed{f': {problem}' if problem else ''}".splitlines()[0])
    links: list[Link] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        url = (entry.get("link") or "").strip()
        if not url and entry.get("id", "").startswith(("http://", "https://")):
            url = entry["id"].strip()
        if not _is_http(url) or url in seen:
            continue
        seen.add(url)
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = dt.date(*stamp[:3]) if stamp else None
        title = (entry.get("title") or "").strip() or None
        links.append(Link(url=url, title=title, published=published, origin=where))
    return links


def parse_link_list(text: str, *, where: str, errors: list[str] | None = None) -> list[Link]:
    """The URLs of a list of links, one per line; a line that is not an http(s) URL is
    reported in ``errors`` (``"FILE:LINE: ..."``) and skipped."""
    links: list[Link] = []
    seen: set[str] = set()
    for n, line in enumerate(text.splitlines(), 1):
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        if not _is_http(url) or any(c.isspace() for c in url):
            if errors is not None:
                errors.append(f"{where}:{n}: not an http(s) URL: {url[:80]!r}")
            continue
        if url not in seen:
            seen.add(url)
            links.append(Link(url=url, origin=where))
    return links
