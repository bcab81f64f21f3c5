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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from .errors import ArticleError

__all__ = ["Article", "parse_article", "read_article", "iter_article_paths", "read_corpus"]

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".md", ".markdown", ".txt")
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


def read_article(path: str | Path) -> Article:
    """Read one article file; raises :class:`ArticleError` naming the file on any problem."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as err:
        raise ArticleError(str(p), f"cannot read file: {err.strerror or err}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raw = data.decode("utf-16")
    else:
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ArticleError(str(p), f"not UTF-8 text (byte {err.start})") from None
    return parse_article(raw, path=str(p), default_id=p.stem)


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
