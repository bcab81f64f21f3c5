"""Web intake: feeds and lists of links -> fetched pages -> :class:`~geo.sources.corpus.Article`.

:func:`gather_links` reads local feed files, feeds at URLs and lists of links into
:class:`~geo.sources.feeds.Link` objects; :func:`read_links` fetches each page through a
:class:`~geo.sources.fetch.Fetcher` (cached, polite) and reads it like a saved page
(:func:`geo.sources.corpus.parse_article_bytes`: trafilatura, htmldate). A link that fails is
listed with its reason, on one line, and the others go through; a link that leads to a page
already read (a redirect, the same canonical URL or text) is read once. What the feed says about
an entry (title, date) fills what the page does not say.
"""

from __future__ import annotations

import hashlib
import logging
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Sequence
from urllib.parse import urlsplit

from geo.sources.corpus import Article, parse_article_bytes
from geo.errors import AtlasError, ArticleError
from geo.sources.feeds import Link, parse_feed, parse_link_list
from geo.sources.fetch import Fetcher, FetchError

__all__ = ["Intake", "gather_links", "read_links", "web_article_id"]

log = logging.getLogger(__name__)


@dataclass
class Intake:
    """What the web intake read: the articles, and one line per failure."""

    articles: list[Article] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    downloaded: int = 0
    from_cache: int = 0
    #: links that led to a page already read (same canonical URL or same text), one line each
    duplicates: list[str] = field(default_factory=list)


def web_article_id(url: str) -> str:
    """A stable article id for a page: its host and a hash of its URL."""
    host = (urlsplit(url).hostname or "web").removeprefix("www.")
    return f"{host}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:12]}"


def gather_links(
    *,
    feed_files: Sequence[str | Path] = (),
    feed_urls: Sequence[str] = (),
    link_lists: Sequence[str | Path] = (),
    fetcher: Fetcher | None = None,
    refresh_feeds: bool = False,
    failures: list[str] | None = None,
) -> list[Link]:
    """Every link of the given feeds and lists, in order, each URL once. A feed or list that
    cannot be read is reported in ``failures`` (one line) and skipped; a feed URL not in the
    cache when ``fetcher`` may not use the network raises :class:`~geo.errors.AtlasError`."""
    failures = failures if failures is not None else []
    links: list[Link] = []
    for path in feed_files:
        try:
            links += parse_feed(Path(path).read_bytes(), where=str(path))
        except OSError as err:
            failures.append(f"{path}: cannot read file: {err.strerror or err}")
        except ArticleError as err:
            failures.append(str(err))
    for url in feed_urls:
        if fetcher is None:
            raise AtlasError(f"--feed {url}: reading a feed from the network needs --fetch")
        if not fetcher.network and not fetcher.cached(url):
            raise AtlasError(f"--feed {url} is not downloaded yet; add --fetch to download it "
                             f"(one request per second per host, cached in {fetcher.cache.root})")
        try:
            got = fetcher.fetch(url, kind="feed", refresh=refresh_feeds and fetcher.network)
            links += parse_feed(got.body, where=url, base_url=got.final_url)
        except (FetchError, ArticleError) as err:
            failures.append(str(err))
    for path in link_lists:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            failures.append(f"{path}: cannot read file: {getattr(err, 'strerror', None) or err}")
            continue
        links += parse_link_list(text, where=str(path), errors=failures)
    unique: dict[str, Link] = {}
    for link in links:
        unique.setdefault(link.url, link)
    return list(unique.values())


def read_links(links: Iterable[Link], fetcher: Fetcher, *, progress: bool = False) -> Intake:
    """Fetch (or take from the cache) and read every link; one progress step per link."""
    from tqdm import tqdm

    links = list(links)
    out = Intake()
    read: dict[str, str] = {}  # canonical URL or text hash -> the link it was first read from
    bar = tqdm(links, desc="pages", unit="page", file=sys.stderr, disable=None if progress else True, leave=False)
    for link in bar:
        bar.set_postfix_str(urlsplit(link.url).netloc, refresh=False)
        try:
            got = fetcher.fetch(link.url, kind="page")
            article = parse_article_bytes(got.body, name=link.url, default_id=web_article_id(link.url),
                                          url=got.final_url)
        except FetchError as err:
            out.failures.append(str(err))
            continue
        except ArticleError as err:
            out.failures.append(f"{link.url}: {err.problem}")
            continue
        if got.from_cache:
            out.from_cache += 1
        else:
            out.downloaded += 1
        keys = [k for k in (article.url, article.content_hash) if k]
        first = next((read[k] for k in keys if k in read), None)
        if first is not None:
            out.duplicates.append(f"{link.url}: same page as {first}")
            continue
        read.update((k, link.url) for k in keys)
        fill = {}
        if article.title is None and link.title:
            fill["title"] = link.title
        if article.published is None and link.published:
            fill["published"] = link.published
        extra = dict(article.extra, fetched_at=got.fetched_at, link=link.url)
        if link.origin:
            extra["listed_in"] = link.origin
        out.articles.append(replace(article, **fill, extra=extra))
    bar.close()
    return out
