"""Pasted links or a feed address -> fetched pages -> articles of one workspace (pure, no Streamlit).

The dashboard's side of the web intake (issue 14): :func:`pasted_links` turns what was pasted
(one URL per line, or one feed's address) into :class:`geo.sources.feeds.Link` objects;
:func:`add_links` fetches each page through a :class:`geo.sources.fetch.Fetcher` (polite, cached on
disk, opt-in: ``network=False`` answers from the cache only), reads it as the CLI does
(:func:`geo.sources.intake.read_links`: trafilatura, htmldate) and stores it in the workspace
(origin ``upload``, with its provenance), reporting each link as it is done. A link that fails
is listed with its reason and the others go through; a page read before comes from the cache,
so pasting the same links again sends no request.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import AtlasError
from geo.sources.feeds import Link, parse_link_list
from geo.sources.fetch import Fetcher
from geo.sources.intake import gather_links, read_links
from geo.store.database import Store

__all__ = ["FETCH_CACHE_ENV", "LinkResult", "PasteResult", "add_links", "fetch_cache_folder", "make_fetcher",
           "pasted_links"]

#: Environment variable naming the folder of the dashboard's fetch cache.
FETCH_CACHE_ENV = "ATLAS_FETCH_CACHE"
#: What a link not yet in the cache says when downloads are off (the CLI's says "add --fetch").
NOT_DOWNLOADED = "not downloaded yet; tick \u201cDownload from the web\u201d to fetch it"

#: Outcomes of one link: added to the workspace, already in it, same page as an earlier link, failed.
ADDED, ALREADY, DUPLICATE, FAILED = "added", "already", "duplicate", "failed"


@dataclass(frozen=True, slots=True)
class LinkResult:
    """What became of one link: ``status`` (:data:`ADDED`, :data:`ALREADY`, :data:`DUPLICATE`,
    :data:`FAILED`), ``detail`` (the article's title, or the reason) and whether the page came
    from the cache."""

    url: str
    status: str
    detail: str
    from_cache: bool = False


@dataclass
class PasteResult:
    """Every link's :class:`LinkResult`, the failures that are not one link's (a bad line, a
    feed that cannot be read), and the HTTP requests sent."""

    links: list[LinkResult] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    requests: int = 0

    @property
    def added(self) -> int:
        return sum(r.status == ADDED for r in self.links)

    @property
    def failed(self) -> list[LinkResult]:
        return [r for r in self.links if r.status == FAILED]


def fetch_cache_folder(store: Store | None) -> Path:
    """Where fetched pages are kept: ``$ATLAS_FETCH_CACHE``, else ``fetched/`` beside a SQLite
    store, else ``data/fetched`` in the repository."""
    env = os.environ.get(FETCH_CACHE_ENV, "").strip()
    if env:
        return Path(env)
    if store is not None and store.dialect == "sqlite":
        database = store.engine.url.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            return Path(database).resolve().parent / "fetched"
    return Path(__file__).resolve().parents[1] / "data" / "fetched"


def make_fetcher(store: Store | None, *, network: bool) -> Fetcher:
    """The dashboard's fetcher: one request per second per host, robots.txt, 10 s timeout."""
    return Fetcher(fetch_cache_folder(store), network=network)


def pasted_links(text: str, *, feed: bool, fetcher: Fetcher, failures: list[str]) -> list[Link]:
    """The links of what was pasted: each ``http(s)`` line (others are reported in
    ``failures`` and skipped), or the links of the feed at the first line (``feed=True``)."""
    if not feed:
        return parse_link_list(text, where="pasted links", errors=failures)
    url = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if not url.lower().startswith(("http://", "https://")):
        failures.append(f"feed address: not an http(s) URL: {url[:200]!r}")
        return []
    if not fetcher.network and not fetcher.cached(url):
        failures.append(f"{url}: {NOT_DOWNLOADED}")
        return []
    try:
        return gather_links(feed_urls=[url], fetcher=fetcher, failures=failures)
    except AtlasError as err:
        failures.append(str(err))
        return []


def add_links(links: Sequence[Link], fetcher: Fetcher, store: Store, workspace: str,
              on_link: Callable[[int, Link, LinkResult | None], None] | None = None) -> PasteResult:
    """Fetch (or take from the cache), read and store each link in ``workspace``, in order.
    ``on_link(i, link, None)`` is called before link ``i`` and ``on_link(i, link, result)`` after."""
    out = PasteResult()
    seen: dict[str, str] = {}  # content hash -> the link it was first read from
    for i, link in enumerate(links):
        if on_link is not None:
            on_link(i, link, None)
        result = _add_link(link, fetcher, store, workspace, seen)
        out.links.append(result)
        if on_link is not None:
            on_link(i, link, result)
    out.requests = fetcher.requests
    return out


def _add_link(link: Link, fetcher: Fetcher, store: Store, workspace: str, seen: dict[str, str]) -> LinkResult:
    intake = read_links([link], fetcher)
    if not intake.articles:
        line = intake.failures[0] if intake.failures else f"{link.url}: no article"
        reason = line.removeprefix(f"{link.url}: ")
        if reason.startswith("not downloaded yet"):
            reason = NOT_DOWNLOADED
        return LinkResult(link.url, FAILED, reason)
    article = intake.articles[0]
    cached = intake.from_cache > 0
    title = article.title or article.url or link.url
    first = seen.setdefault(article.content_hash, link.url)
    if first != link.url:
        return LinkResult(link.url, DUPLICATE, f"same page as {first}", cached)
    try:
        _, added = store.add_article(article, origin="upload", workspace=workspace)
    except AtlasError as err:
        return LinkResult(link.url, FAILED, f"cannot be saved ({err})", cached)
    return LinkResult(link.url, ADDED if added else ALREADY, title, cached)
