"""Read articles: ``.md``/``.txt`` files with optional YAML front matter.

Front matter keys: ``id``, ``title``, ``published`` (ISO date), ``source``, ``url``;
unknown values are left out. The body after the front matter is kept byte-for-byte
(as decoded text), so character offsets into ``Article.text`` are stable.

Bad files never stop a run: :func:`read_corpus` yields the good articles and reports
each bad file as an :class:`~geo.errors.ArticleError` naming the file and the problem.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from .errors import ArticleError

__all__ = [
    "Article",
    "parse_article",
    "parse_article_bytes",
    "read_article",
    "iter_article_paths",
    "read_corpus",
    "html_to_text",
    "MAX_ARTICLE_BYTES",
]

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
#: Larger files are refused: news articles are tens of kilobytes, not megabytes.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


@dataclass(frozen=True, slots=True)
class Article:
    """One news article: metadata plus the exact text that offsets refer to."""

    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


def _parse_date(value: object, where: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ArticleError(where, f"'published' is not an ISO date (YYYY-MM-DD): {value!r}") from None


def parse_article(raw: str, *, path: str = "<text>", default_id: str | None = None) -> Article:
    """Parse article text with optional front matter into an :class:`Article`."""
    if "\x00" in raw:
        raise ArticleError(path, "contains NUL bytes (binary file?)")
    meta: dict = {}
    body = raw
    m = _FRONT_MATTER.match(raw)
    if m:
        try:
            loaded = yaml.safe_load(m.group(1))
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            at = f" at line {mark.line + 2}" if mark is not None else ""
            raise ArticleError(path, f"front matter is not valid YAML{at}") from None
        except ValueError as err:  # PyYAML builds dates itself: "2023-02-30" fails here
            raise ArticleError(path, f"front matter has an impossible value: {err}") from None
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise ArticleError(path, "front matter must be a mapping of keys to values")
        meta = loaded
        body = raw[m.end():]
    if not body.strip():
        raise ArticleError(path, "article has no text")
    published = _parse_date(meta.get("published", meta.get("date")), path)
    text_id = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    article_id = str(meta.get("id") or default_id or text_id)

    def opt(key: str) -> str | None:
        v = meta.get(key)
        return None if v is None or str(v).strip() in ("", "unknown") else str(v)

    extra = {k: v for k, v in meta.items() if k not in {"id", "title", "published", "date", "source", "url"}}
    return Article(
        id=article_id,
        text=body,
        title=opt("title"),
        published=published,
        source=opt("source"),
        url=opt("url"),
        path=path,
        extra=extra,
    )


def decode_article_bytes(data: bytes, where: str) -> str:
    """Bytes -> text: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252
    (logged). Binary data (NUL bytes, control characters) is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ArticleError(where, "starts with a UTF-16 byte-order mark but is not UTF-16 text") from None
    if b"\x00" in data:
        raise ArticleError(where, "contains NUL bytes (binary file?)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ArticleError(where, f"not text: byte {err.start} is neither UTF-8 nor Windows-1252") from None
        log.warning("%s: not UTF-8; read as Windows-1252", where)
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 8:
        raise ArticleError(where, f"not text: {controls} control characters (binary file?)")
    return text


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Visible text of an HTML page (scripts, styles and other non-content dropped) and
    its metadata (``title``, ``published``, ``url`` from ``<title>``/``<meta>``)."""
    from html.parser import HTMLParser

    skip = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
    blocks = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
              "blockquote", "header", "footer", "ul", "ol", "table", "pre", "hr"}

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.depth = 0
            self.in_title = False
            self.meta: dict[str, str] = {}

        def handle_starttag(self, tag, attrs):
            a = {k.lower(): (v or "") for k, v in attrs}
            if tag == "title":
                self.in_title = True
            if tag == "meta":
                key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
                if key in ("og:title", "title") and a.get("content"):
                    self.meta.setdefault("title", a["content"])
                if key in ("article:published_time", "date", "pubdate", "publish-date", "datepublished",
                           "dc.date") and a.get("content"):
                    self.meta.setdefault("published", a["content"][:10])
                if key == "og:url" and a.get("content"):
                    self.meta.setdefault("url", a["content"])
            if tag == "time" and a.get("datetime"):
                self.meta.setdefault("published", a["datetime"][:10])
            if tag in skip:
                self.depth += 1
            elif tag in blocks:
                self.parts.append("\n\n")

        def handle_endtag(self, tag):
            if tag == "title":
                self.in_title = False
            if tag in skip and self.depth:
                self.depth -= 1
            elif tag in blocks:
                self.parts.append("\n\n")

        def handle_data(self, data):
            if self.in_title:
                self.meta.setdefault("title", data.strip())
            elif not self.depth:
                self.parts.append(data)

    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n[\n ]*\n *", "\n\n", text)
    return text.strip() + "\n", {k: v for k, v in parser.meta.items() if v}


def parse_article_bytes(data: bytes, *, name: str, default_id: str | None = None) -> Article:
    """An article from the bytes of a ``.md``/``.txt``/``.html`` file called ``name`` (used
    only to choose the format and in messages, never as a path)."""
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(name, f"file is {len(data) / 1e6:.1f} MB; articles are limited to "
                                 f"{MAX_ARTICLE_BYTES / 1e6:.0f} MB")
    raw = decode_article_bytes(data, name)
    if name.lower().endswith(HTML_SUFFIXES) or re.match(r"\s*<(?:!doctype html|html)\b", raw[:200], re.I):
        text, meta = html_to_text(raw)
        article = parse_article(text, path=name, default_id=default_id)
        extra = {k: v for k, v in meta.items() if getattr(article, k, None) is None}
        if "published" in extra:
            try:
                extra["published"] = dt.date.fromisoformat(extra["published"])
            except ValueError:
                del extra["published"]
        return replace(article, **extra) if extra else article
    return parse_article(raw, path=name, default_id=default_id)


def read_article(path: str | Path) -> Article:
    """Read one article file; raises :class:`ArticleError` naming the file on any problem."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleError(str(p), f"file is {size / 1e6:.1f} MB; articles are limited to "
                                       f"{MAX_ARTICLE_BYTES / 1e6:.0f} MB")
        data = p.read_bytes()
    except OSError as err:
        raise ArticleError(str(p), f"cannot read file: {err.strerror or err}") from None
    return parse_article_bytes(data, name=str(p), default_id=p.stem)


def iter_article_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand files and folders into article files, sorted within each folder."""
    for path in paths:
        p = Path(path)
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in ARTICLE_SUFFIXES)
        else:
            yield p


def read_corpus(paths: Iterable[str | Path], errors: list[ArticleError] | None = None) -> Iterator[Article]:
    """Yield every readable article under ``paths``; bad files go to ``errors``."""
    for p in iter_article_paths(paths):
        try:
            yield read_article(p)
        except ArticleError as err:
            log.warning("%s", err)
            if errors is not None:
                errors.append(err)
