"""Articles uploaded in the browser: ``.md``, ``.txt``, ``.html`` (pure, no Streamlit).

:func:`read_upload` turns one uploaded file's bytes into a :class:`geo.sources.corpus.Article`
or raises :class:`UploadError` with a one-line message naming the file. The client-supplied
file name is only *shown* (cleaned by :func:`display_name`), never used as a path: the
article id is a hash of the content unless the front matter gives one.

HTML is reduced to text with the standard library's :class:`html.parser.HTMLParser`:
``script``/``style``/``noscript``/``template``/``svg`` content is dropped, block elements
become line breaks, the ``<title>`` (or first ``<h1>``) becomes the title and
``article:published_time``/``date`` meta tags or ``<time datetime>`` the published date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import PurePath

from geo.sources.corpus import MAX_ARTICLE_BYTES, Article, parse_article_bytes
from geo.errors import AtlasError, ArticleError

__all__ = ["UploadError", "read_upload", "display_name", "MAX_FILE_BYTES", "SUFFIXES"]

#: Per-file limit checked here (the server's own limit is server.maxUploadSize in
#: .streamlit/config.toml).
MAX_FILE_BYTES = MAX_ARTICLE_BYTES
SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")


class UploadError(AtlasError, ValueError):
    """An uploaded file cannot be used; ``str(err)`` is one line naming the file."""


def display_name(name: object) -> str:
    """A harmless label for a client-supplied file name (base name, safe characters, 80 max)."""
    text = PurePath(str(name).replace("\\", "/")).name if name else ""
    text = re.sub(r"[^\w.\- ]", "_", text, flags=re.UNICODE).strip() or "unnamed file"
    return text[:80]


def read_upload(name: object, data: bytes, *, default_date: dt.date | None = None) -> Article:
    """One uploaded file -> :class:`Article` (``default_date`` when it has no published date)."""
    label = display_name(name)
    suffix = PurePath(label).suffix.lower()
    if suffix not in SUFFIXES:
        raise UploadError(f"{label}: unsupported file type {suffix or '(none)'}; use .md, .txt or .html")
    if len(data) > MAX_FILE_BYTES:
        raise UploadError(f"{label}: too large ({len(data) / 1e6:.1f} MB; limit {MAX_FILE_BYTES / 1e6:.0f} MB)")
    if not data.strip():
        raise UploadError(f"{label}: empty file")
    try:
        # The same reader as the CLI: decoding, HTML to text, front matter, size limit.
        article = parse_article_bytes(data, name=label)
    except ArticleError as err:
        raise UploadError(f"{label}: {err.problem}") from None
    except Exception as err:  # noqa: BLE001 - any other parse failure is still one line about this file
        raise UploadError(f"{label}: cannot read ({type(err).__name__})") from None
    # The id is the front matter's or a hash of the text, never the client-supplied name.
    article = dataclasses.replace(article, path=f"upload:{label}")
    if article.published is None and default_date is not None:
        article = dataclasses.replace(article, published=default_date)
    return article
