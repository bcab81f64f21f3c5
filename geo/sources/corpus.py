"""Read articles: ``.md``/``.txt`` files with optional YAML front matter, and web pages.

Front matter keys: ``id``, ``title``, ``published`` (ISO date), ``source``, ``url``,
``author``, ``language`` (``es``, ``Spanish``...; detected from the text when not given);
unknown values are left out. The body after the front matter is kept byte-for-byte (as
decoded text), so character offsets into ``Article.text`` are stable. A sidecar file beside
an article (``page.html`` -> ``page.yaml`` or ``page.yml``) holds the same keys; front matter
wins over the sidecar.

``.html``/``.htm`` files, ``.mhtml`` archives and text that starts like an HTML page go
through :func:`geo.sources.webpage.extract_page`: trafilatura's main text, title, author and site,
htmldate's publication date, the canonical URL; front matter and sidecar win where given.
Every article read from bytes keeps the original file's sha256 (:attr:`Article.file_sha256`)
and how its text was obtained (:attr:`Article.extraction`).

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

from geo.errors import ArticleError
from geo.text.language import detect_language, normalise_language

__all__ = [
    "Article",
    "parse_article",
    "parse_article_bytes",
    "read_article",
    "iter_article_paths",
    "read_corpus",
    "html_to_text",
    "is_html",
    "sidecar_of",
    "MAX_ARTICLE_BYTES",
]

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".mhtml", ".mht")
HTML_SUFFIXES = (".html", ".htm")
#: "Save page as... single file" (Chrome, Edge): a MIME archive holding the page's HTML.
MHTML_SUFFIXES = (".mhtml", ".mht")
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
    author: str | None = None
    #: sha256 of the original file's bytes (the saved or fetched page, the Markdown file)
    file_sha256: str | None = None
    #: how the text was obtained: "text" (Markdown/plain text), "trafilatura 2.3.1", "html.parser"
    extraction: str | None = None
    #: language code ("en", "es"): front matter ``language:`` wins, else :func:`geo.text.language.detect_language`
    language: str | None = None

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


def _front_matter(raw: str, path: str) -> tuple[dict, str]:
    """(front matter mapping, body after it); ``({}, raw)`` when there is none."""
    m = _FRONT_MATTER.match(raw)
    if not m:
        return {}, raw
    return _yaml_mapping(m.group(1), path, "front matter", line_offset=2), raw[m.end():]


def _yaml_mapping(text: str, path: str, what: str, line_offset: int = 1) -> dict:
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f" at line {mark.line + line_offset}" if mark is not None else ""
        raise ArticleError(path, f"{what} is not valid YAML{at}") from None
    except ValueError as err:  # PyYAML builds dates itself: "2023-02-30" fails here
        raise ArticleError(path, f"{what} has an impossible value: {err}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ArticleError(path, f"{what} must be a mapping of keys to values")
    return loaded


def _article(meta: dict, body: str, path: str, default_id: str | None) -> Article:
    if not body.strip():
        raise ArticleError(path, "article has no text")
    published = _parse_date(meta.get("published", meta.get("date")), path)
    text_id = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    article_id = str(meta.get("id") or default_id or text_id)

    def opt(key: str) -> str | None:
        v = meta.get(key)
        return None if v is None or str(v).strip() in ("", "unknown") else str(v)

    known = {"id", "title", "published", "date", "source", "url", "author", "language"}
    extra = {k: v for k, v in meta.items() if k not in known}
    return Article(
        id=article_id,
        text=body,
        title=opt("title"),
        published=published,
        source=opt("source"),
        url=opt("url"),
        path=path,
        extra=extra,
        author=opt("author"),
        language=normalise_language(meta.get("language")) or detect_language(body),
    )


def parse_article(raw: str, *, path: str = "<text>", default_id: str | None = None) -> Article:
    """Parse article text with optional front matter into an :class:`Article`."""
    if "\x00" in raw:
        raise ArticleError(path, "contains NUL bytes (binary file?)")
    meta, body = _front_matter(raw, path)
    return _article(meta, body, path, default_id)


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


def is_html(name: str, text: str) -> bool:
    """Whether a file called ``name`` with this text is a web page."""
    return name.lower().endswith(HTML_SUFFIXES) or bool(
        re.match(r"\s*(?:<\?xml[^>]*>\s*)?<(?:!doctype html|html)\b", text[:300], re.I))


def parse_article_bytes(data: bytes, *, name: str, default_id: str | None = None,
                        sidecar: dict | None = None, url: str | None = None) -> Article:
    """An article from the bytes of a ``.md``/``.txt``/``.html`` file called ``name`` (used
    only to choose the format and in messages, never as a path).

    ``sidecar``: metadata from beside the file (front matter wins over it; both win over
    what a web page says about itself). ``url``: where the bytes were fetched from (the
    page's canonical link wins over it)."""
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(name, f"file is {len(data) / 1e6:.1f} MB; articles are limited to "
                                 f"{MAX_ARTICLE_BYTES / 1e6:.0f} MB")
    file_sha256 = hashlib.sha256(data).hexdigest()
    if name.lower().endswith(MHTML_SUFFIXES):
        data, mhtml_url = _mhtml_page(data, name)
        url = url or mhtml_url
        name_for_format = name + ".html"
    else:
        name_for_format = name
    raw = decode_article_bytes(data, name)
    meta, body = _front_matter(raw, name)
    given = dict(sidecar or {})
    given.update(meta)
    if is_html(name_for_format, body):
        from geo.sources.webpage import extract_page

        page = extract_page(body, url=url)
        found = {"title": page.title, "published": page.published, "source": page.site,
                 "url": page.url or url, "author": page.author}
        merged = {k: v for k, v in found.items() if v is not None}
        merged.update(given)
        if not page.text.strip():
            raise ArticleError(name, "web page has no text")
        article = _article(merged, page.text, name, default_id)
        return replace(article, file_sha256=file_sha256, extraction=page.extraction)
    if url is not None:
        given.setdefault("url", url)
    article = _article(given, body, name, default_id)
    return replace(article, file_sha256=file_sha256, extraction="text")


def _mhtml_page(data: bytes, name: str) -> tuple[bytes, str | None]:
    """The HTML of a saved ``.mhtml`` page (its first ``text/html`` part, as UTF-8) and the
    address it was saved from (``Snapshot-Content-Location``/``Content-Location``)."""
    import email
    from email import policy

    msg = email.message_from_bytes(data, policy=policy.compat32)
    url = msg.get("Snapshot-Content-Location")
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset() or "utf-8"
            try:
                html = payload.decode(charset, errors="replace")
            except LookupError:
                html = payload.decode("utf-8", errors="replace")
            return html.encode("utf-8"), url or part.get("Content-Location")
    raise ArticleError(name, "not a saved web page: no text/html part in the MHTML file")


def sidecar_of(path: Path) -> Path | None:
    """The metadata file beside an article (``page.html`` -> ``page.yaml``/``page.yml``), if any."""
    for suffix in (".yaml", ".yml"):
        candidate = path.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def read_article(path: str | Path) -> Article:
    """Read one article file; raises :class:`ArticleError` naming the file on any problem."""
    p = Path(path)
    sidecar: dict | None = None
    try:
        size = p.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleError(str(p), f"file is {size / 1e6:.1f} MB; articles are limited to "
                                       f"{MAX_ARTICLE_BYTES / 1e6:.0f} MB")
        data = p.read_bytes()
        side = sidecar_of(p)
        if side is not None:
            sidecar = _yaml_mapping(side.read_text(encoding="utf-8", errors="replace"), str(side), "sidecar")
    except OSError as err:
        raise ArticleError(str(p), f"cannot read file: {err.strerror or err}") from None
    return parse_article_bytes(data, name=str(p), default_id=p.stem, sidecar=sidecar)


def _page_assets(path: Path, root: Path) -> bool:
    """Whether ``path`` lies in the assets folder a browser saves beside a page
    (``Story.html`` + ``Story_files/``: scripts, styles, ad frames), below ``root``."""
    for parent in path.relative_to(root).parents:
        folder = root / parent
        if folder.name.endswith("_files") and any(
                folder.with_name(folder.name[:-6] + suffix).is_file() for suffix in HTML_SUFFIXES):
            return True
    return False


def iter_article_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand files and folders into article files, sorted within each folder (the assets
    folder a browser saves beside a page, ``Story_files/``, is not read)."""
    for path in paths:
        p = Path(path)
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in ARTICLE_SUFFIXES
                              and not _page_assets(q, p))
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
