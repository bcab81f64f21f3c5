"""Polite, cached, size-capped HTTP fetching of news pages and feeds (opt-in).

:class:`Fetcher` is the only code in Caravan Atlas that downloads articles. It

- sends a descriptive User-Agent (:data:`USER_AGENT`) and respects each host's
  ``robots.txt`` (read with :mod:`urllib.robotparser`, cached like pages);
- waits ``min_interval`` seconds (default 1) between two requests to the same host;
- gives up on a request after ``timeout`` seconds without data and on a page after
  ``deadline`` seconds in all, refuses bodies larger than ``max_bytes`` and pages that are
  not HTML (feeds: not XML), follows at most ``max_redirects`` redirects and stops at a
  redirect loop;
- keeps every answer in a :class:`FetchCache` on disk (one JSON record plus the body per
  URL, written atomically as soon as it arrives), so that a second run requests nothing and
  an interrupted run loses nothing. Permanent failures (4xx, not HTML, too large, redirect
  loop, forbidden by robots.txt) are cached too; transient ones (5xx, timeouts, no network)
  are tried again next run. Feeds are re-read from the network only with ``refresh=True``,
  then with ``If-None-Match``/``If-Modified-Since``.

Every failure is a :class:`FetchError` whose message is one line: the URL and the reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import socket
import time
import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit

from geo.sources.corpus import MAX_ARTICLE_BYTES
from geo.errors import AtlasError
from geo.fileio import atomic_write

__all__ = ["USER_AGENT", "FetchError", "FetchCache", "Fetched", "Fetcher"]

log = logging.getLogger(__name__)

USER_AGENT = ("CaravanAtlas/1.0 (Caravan Atlas news intake: reads news about migrant caravans "
              "into a map; one request per second per host; respects robots.txt)")

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
               "text/xml", "application/feed+json")
_CACHE_VERSION = 1


class FetchError(AtlasError, RuntimeError):
    """A URL could not be fetched; ``str(err)`` is one line: the URL and the reason."""

    def __init__(self, url: str, reason: str, *, permanent: bool = False) -> None:
        self.url = url
        self.reason = reason
        self.permanent = permanent
        super().__init__(f"{url}: {reason}")


@dataclass(frozen=True, slots=True)
class Fetched:
    """A page or feed as received (or as cached)."""

    url: str  # the URL asked for
    final_url: str  # after redirects
    body: bytes
    content_type: str
    fetched_at: str  # ISO UTC time of the download
    from_cache: bool


class FetchCache:
    """One JSON record (``<key>.json``) and one body file (``<key>.body``) per URL under
    ``root``, keyed by the sha256 of the URL. The body is written before the record, each
    atomically, so a record always describes a complete body."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        folder = self.root / key[:2]
        return folder / f"{key}.json", folder / f"{key}.body"

    def get(self, url: str) -> dict | None:
        """The cached record of ``url`` (with its ``body`` bytes when it succeeded), or None."""
        record_path, body_path = self._paths(url)
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
            if record.get("version") != _CACHE_VERSION or record.get("url") != url:
                return None
            if record.get("error") is None:
                body = body_path.read_bytes()
                if hashlib.sha256(body).hexdigest() != record.get("sha256"):
                    return None  # damaged: fetch again
                record["body"] = body
            return record
        except (OSError, ValueError):
            return None

    def put(self, url: str, *, body: bytes | None = None, error: str | None = None, **fields: object) -> None:
        record_path, body_path = self._paths(url)
        record = {"version": _CACHE_VERSION, "url": url, "error": error, **fields}
        if body is not None:
            with atomic_write(body_path, binary=True) as fh:
                fh.write(body)
            record["sha256"] = hashlib.sha256(body).hexdigest()
            record["size"] = len(body)
        with atomic_write(record_path) as fh:
            fh.write(json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1) + "\n")

    def has(self, url: str) -> bool:
        return self.get(url) is not None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102 - urllib hook
        return None  # redirects are followed by Fetcher itself (robots.txt, politeness, loops)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Fetcher:
    """Fetch pages and feeds politely through a :class:`FetchCache` (see the module doc).

    ``network=False``: answer from the cache only; a URL not cached raises a
    :class:`FetchError` saying how to allow downloads. ``clock``/``sleep`` are
    :func:`time.monotonic`/:func:`time.sleep` (replaceable in tests)."""

    def __init__(
        self,
        cache: FetchCache | str | Path,
        *,
        network: bool = True,
        user_agent: str = USER_AGENT,
        min_interval: float = 1.0,
        timeout: float = 10.0,
        deadline: float = 30.0,
        max_bytes: int = MAX_ARTICLE_BYTES,
        max_redirects: int = 5,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.cache = cache if isinstance(cache, FetchCache) else FetchCache(cache)
        self.network = network
        self.user_agent = user_agent
        self.min_interval = min_interval
        self.timeout = timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.clock = clock
        self.sleep = sleep
        self.requests = 0  # HTTP requests sent by this fetcher (robots.txt included)
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._opener = urllib.request.build_opener(_NoRedirect())

    # -- public ---------------------------------------------------------------

    def cached(self, url: str) -> bool:
        """Whether ``url`` has a cached answer (a page, or a permanent failure)."""
        return self.cache.has(url)

    def fetch(self, url: str, *, kind: str = "page", refresh: bool = False) -> Fetched:
        """The page (``kind="page"``: HTML) or feed (``kind="feed"``: RSS/Atom XML) at ``url``."""
        _check_url(url)
        record = self.cache.get(url)
        if record is not None and not refresh:
            return _from_record(url, record)
        if not self.network:
            raise FetchError(url, "not downloaded yet; add --fetch to download it")
        conditional = {}
        if record is not None and record.get("error") is None:
            if record.get("etag"):
                conditional["If-None-Match"] = record["etag"]
            if record.get("last_modified"):
                conditional["If-Modified-Since"] = record["last_modified"]
        try:
            status, final_url, headers, body = self._get(url, kind, conditional)
        except FetchError as err:
            if err.permanent:
                self.cache.put(url, error=err.reason, fetched_at=_now())
            raise
        if status == 304 and record is not None:
            return _from_record(url, record)
        ctype = headers.get("Content-Type", "")
        self.cache.put(url, body=body, final_url=final_url, content_type=ctype, fetched_at=_now(),
                       etag=headers.get("ETag"), last_modified=headers.get("Last-Modified"))
        return Fetched(url=url, final_url=final_url, body=body, content_type=ctype, fetched_at=_now(), from_cache=False)

    # -- internals ------------------------------------------------------------

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            gap = self.clock() - last
            if gap < self.min_interval:
                self.sleep(self.min_interval - gap)
        self._last[host] = self.clock()

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin + "/robots.txt")
        rules = self._robots[origin]
        return True if rules is None else rules.can_fetch(self.user_agent, url)

    def _read_robots(self, robots_url: str) -> urllib.robotparser.RobotFileParser | None:
        """The host's robots.txt rules; None (everything allowed) when it has none or cannot
        be read. Cached like a page (a second run asks nothing)."""
        record = self.cache.get(robots_url)
        if record is None and self.network:
            try:
                status, _, body = self._request(robots_url, {}, accept=None)
                body = body if status == 200 else b""
                self.cache.put(robots_url, body=body, final_url=robots_url, content_type="text/plain",
                               fetched_at=_now())
                record = {"body": body, "error": None}
            except FetchError as err:
                if err.reason.startswith("HTTP 401") or err.reason.startswith("HTTP 403"):
                    self.cache.put(robots_url, error=err.reason, fetched_at=_now())
                    record = {"error": err.reason}
                elif err.permanent:  # 404 & co: no rules
                    self.cache.put(robots_url, error=err.reason, fetched_at=_now())
                    return None
                else:
                    log.info("%s: cannot read robots.txt (%s); going ahead", robots_url, err.reason)
                    return None
        if record is None:
            return None
        rules = urllib.robotparser.RobotFileParser(robots_url)
        if record.get("error"):
            if str(record["error"]).startswith(("HTTP 401", "HTTP 403")):
                rules.disallow_all = True
                return rules
            return None
        rules.parse(record["body"].decode("utf-8", errors="replace").splitlines())
        return rules

    def _get(self, url: str, kind: str, conditional: dict[str, str]) -> tuple[int, str, dict, bytes]:
        seen = {url}
        current = url
        for _ in range(self.max_redirects + 1):
            if not self._allowed(current):
                raise FetchError(url, f"robots.txt of {urlsplit(current).netloc} forbids fetching it", permanent=True)
            status, headers, body = self._request(current, conditional, accept=kind)
            if status in (301, 302, 303, 307, 308):
                location = headers.get("Location")
                if not location:
                    raise FetchError(url, f"HTTP {status} redirect without a Location", permanent=True)
                nxt = urljoin(current, location)
                if nxt in seen:
                    raise FetchError(url, f"redirect loop ({len(seen)} URLs)", permanent=True)
                _check_url(nxt, url)
                seen.add(nxt)
                current = nxt
                continue
            if status == 304:
                return status, current, headers, b""
            _check_type(url, kind, headers.get("Content-Type", ""), body)
            return status, current, headers, body
        raise FetchError(url, f"more than {self.max_redirects} redirects", permanent=True)

    def _request(self, url: str, extra: dict[str, str], accept: str | None) -> tuple[int, dict, bytes]:
        host = urlsplit(url).netloc
        self._wait(host)
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "identity", **extra}
        if accept == "page":
            headers["Accept"] = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
        elif accept == "feed":
            headers["Accept"] = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1"
        req = urllib.request.Request(url, headers=headers)
        self.requests += 1
        started = self.clock()
        try:
            resp = self._opener.open(req, timeout=self.timeout)
        except urllib.error.HTTPError as err:
            code = err.code
            hdrs = dict(err.headers.items()) if err.headers else {}
            err.close()
            if code in (301, 302, 303, 307, 308, 304):
                return code, hdrs, b""
            permanent = 400 <= code < 500 and code not in (408, 425, 429)
            raise FetchError(url, f"HTTP {code} {err.reason}".strip(), permanent=permanent) from None
        except urllib.error.URLError as err:
            raise FetchError(url, _network_reason(err.reason, host, self.timeout)) from None
        except (TimeoutError, socket.timeout):
            raise FetchError(url, f"timed out after {self.timeout:g} s") from None
        except (OSError, ValueError) as err:
            raise FetchError(url, _network_reason(err, host, self.timeout)) from None
        with resp:
            hdrs = dict(resp.headers.items())
            length = hdrs.get("Content-Length")
            if length and length.isdigit() and int(length) > self.max_bytes:
                raise FetchError(url, f"too large: {int(length) / 1e6:.1f} MB (limit {self.max_bytes / 1e6:.0f} MB)",
                                 permanent=True)
            chunks: list[bytes] = []
            size = 0
            try:
                while True:
                    chunk = resp.read(65536)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(url, f"too large: over {self.max_bytes / 1e6:.0f} MB", permanent=True)
                    if self.clock() - started > self.deadline:
                        raise FetchError(url, f"took longer than {self.deadline:g} s")
                    chunks.append(chunk)
            except (TimeoutError, socket.timeout):
                raise FetchError(url, f"timed out after {self.timeout:g} s") from None
            except OSError as err:
                raise FetchError(url, _network_reason(err, host, self.timeout)) from None
            return resp.status, hdrs, b"".join(chunks)


def _check_url(url: str, where: str | None = None) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(where or url, f"not an http(s) URL: {url!r}" if where else "not an http(s) URL", permanent=True)


def _check_type(url: str, kind: str, ctype: str, body: bytes) -> None:
    mime = ctype.split(";")[0].strip().lower()
    head = body[:500].lstrip().lower()
    if kind == "page":
        if mime in _HTML_TYPES or (not mime and (head.startswith(b"<!doctype html") or head.startswith(b"<html"))):
            return
        raise FetchError(url, f"not an HTML page (Content-Type {mime or 'missing'})", permanent=True)
    if kind == "feed":
        if mime in _FEED_TYPES or mime.endswith("+xml") or head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head:
            return
        raise FetchError(url, f"not an RSS/Atom feed (Content-Type {mime or 'missing'})", permanent=True)


def _network_reason(reason: object, host: str, timeout: float) -> str:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return f"cannot resolve {host} (no network?): {reason.strerror or reason}"
    if isinstance(reason, ConnectionRefusedError):
        return f"connection refused by {host} (no network or server down?)"
    if isinstance(reason, OSError):
        return f"cannot reach {host} (no network?): {reason.strerror or reason}"
    return f"cannot reach {host}: {reason}"


def _from_record(url: str, record: dict) -> Fetched:
    if record.get("error") is not None:
        raise FetchError(url, f"{record['error']} (cached {record.get('fetched_at', '')}; delete the cache to retry)",
                         permanent=True)
    return Fetched(url=url, final_url=record.get("final_url") or url, body=record["body"],
                   content_type=record.get("content_type") or "", fetched_at=record.get("fetched_at") or "",
                   from_cache=True)
