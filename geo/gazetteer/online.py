"""Opt-in online fallback: OpenStreetMap Nominatim through geopy, used politely.

Off by default. When enabled it follows the Nominatim usage policy
(https://operations.osmfoundation.org/policies/nominatim/):

- an identifying ``user_agent`` is required; geopy's default and its documentation samples
  are refused (:class:`GeocoderConfigError`);
- ONE process-wide :class:`RateLimiter` (:data:`RATE_LIMITER`) spaces requests by at least
  one second across every instance and thread; a 429 answer pushes the next request back
  by ``Retry-After`` (or an exponential backoff) before a bounded number of retries;
- every answer is kept in a persistent SQLite cache under the cache directory, so a repeat
  query never leaves the machine. Only genuine answers are cached (including a genuine
  empty answer, "not found"); errors — offline, rate-limited, timed out, server errors —
  are raised and never cached;
- results carry OSM's attribution ("© OpenStreetMap contributors, ODbL 1.0").

Time sits behind the limiter's ``clock``/``sleep`` seams and the network behind a ``fetch``
callable (or geopy's ``adapter_factory``), so tests neither sleep nor touch the network.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

import geopy.exc
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.errors import AtlasError, GeocoderOffline, GeocoderRateLimited, GeocoderServiceError
from geo.gazetteer.index import cache_dir
from geo.gazetteer.geocoder import OfflineGeocoder
from geo.model import Candidate

__all__ = [
    "RateLimiter",
    "RATE_LIMITER",
    "ResponseCache",
    "OnlineGeocoder",
    "ChainGeocoder",
    "geocode_with_fallback",
    "location_to_candidate",
    "online_enabled",
    "GeocoderConfigError",
    "GeocoderTimedOut",
    "OSM_ATTRIBUTION",
]

log = logging.getLogger(__name__)

OSM_ATTRIBUTION = "Data © OpenStreetMap contributors, ODbL 1.0 (via Nominatim)"
#: Environment switches read at call time: enable the fallback, and the identifying agent.
ENV_ENABLE = "ATLAS_ONLINE"
ENV_USER_AGENT = "ATLAS_NOMINATIM_USER_AGENT"


class GeocoderConfigError(AtlasError, ValueError):
    """The online geocoder is misconfigured (for instance no identifying user agent)."""


class GeocoderTimedOut(GeocoderServiceError, TimeoutError):
    """The online geocoder did not answer in time (never cached as 'not found')."""


def online_enabled() -> bool:
    """Whether the online fallback is switched on (``ATLAS_ONLINE=1``)."""
    return os.environ.get(ENV_ENABLE, "").strip().lower() in ("1", "true", "yes", "on")


# --------------------------------------------------------------------------- rate limit


class RateLimiter:
    """At most one call per ``min_interval`` seconds, shared by every thread that holds it.

    ``clock`` and ``sleep`` are seams for tests (monotonic time by default).
    """

    def __init__(
        self,
        min_interval: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if min_interval < 0:
            raise ValueError(f"min_interval must be >= 0, not {min_interval!r}")
        self.min_interval = min_interval
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_ok = float("-inf")

    def wait(self) -> float:
        """Block until a request may go out, reserve that slot; returns the seconds slept."""
        with self._lock:
            now = self._clock()
            delay = self._next_ok - now
            if delay > 0:
                self._sleep(delay)
                now = self._clock()
            self._next_ok = max(now, self._next_ok) + self.min_interval
            return max(delay, 0.0)

    def back_off(self, seconds: float) -> None:
        """Push the next allowed request at least ``seconds`` into the future (after a 429)."""
        with self._lock:
            self._next_ok = max(self._next_ok, self._clock() + seconds)


#: The one limiter of this process: every OnlineGeocoder uses it unless a test injects one.
RATE_LIMITER = RateLimiter(1.0)


# --------------------------------------------------------------------------- cache


class ResponseCache:
    """Persistent query -> answer cache (SQLite, WAL). Stores lists of raw result dicts; an
    empty list is a genuine "not found". Errors are never stored."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else cache_dir() / "nominatim-cache.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA busy_timeout=30000")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, service TEXT NOT NULL, "
            "request TEXT NOT NULL, results TEXT NOT NULL, fetched_at REAL NOT NULL)"
        )

    @staticmethod
    def key(service: str, request: dict[str, Any]) -> str:
        blob = json.dumps({"service": service, **request}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def get(self, service: str, request: dict[str, Any]) -> list[dict[str, Any]] | None:
        with self._lock:
            row = self._conn.execute("SELECT results FROM answers WHERE key = ?", (self.key(service, request),)).fetchone()
        return None if row is None else json.loads(row[0])

    def put(self, service: str, request: dict[str, Any], results: list[dict[str, Any]]) -> None:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute(
                    "INSERT OR REPLACE INTO answers (key, service, request, results, fetched_at) VALUES (?, ?, ?, ?, ?)",
                    (self.key(service, request), service, json.dumps(request, sort_keys=True, ensure_ascii=False),
                     json.dumps(results, ensure_ascii=False), time.time()),
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()


# --------------------------------------------------------------------------- online geocoder


class Fetch(Protocol):
    """The network seam: one Nominatim search, returning raw result dicts ([] = not found).
    Raises geopy exceptions (``GeocoderUnavailable``, ``GeocoderRateLimited``, …) on failure."""

    def __call__(self, query: str, *, limit: int, country_codes: list[str] | None, language: str | None) -> list[dict[str, Any]]: ...


def _check_user_agent(user_agent: str | None) -> str:
    from geopy.geocoders.base import _DEFAULT_USER_AGENT
    from geopy.geocoders.nominatim import _REJECTED_USER_AGENTS

    ua = (user_agent or os.environ.get(ENV_USER_AGENT) or "").strip()
    if not ua:
        raise GeocoderConfigError(
            "the online geocoder needs an identifying user agent (Nominatim policy): pass "
            f"--user-agent 'caravan-atlas/0.1 (you@example.org)' or set {ENV_USER_AGENT}"
        )
    if ua == _DEFAULT_USER_AGENT or ua.startswith("geopy/") or ua in _REJECTED_USER_AGENTS:
        raise GeocoderConfigError(f"user agent {ua!r} is geopy's default or a documentation sample; "
                                  "use one that identifies this application and a contact")
    return ua


def _http_status(err: BaseException) -> int | None:
    """The HTTP status behind a geopy error (geopy chains its adapter's error), or None
    when there was no answer at all (no network, DNS failure, refused connection)."""
    cause = err.__cause__
    status = getattr(cause, "status_code", None)
    return int(status) if isinstance(status, int) else None


class OnlineGeocoder(Geocoder):
    """Nominatim with the one process-wide rate limiter and a persistent cache.

    Parameters
    ----------
    user_agent
        Identifying User-Agent (required; else ``$ATLAS_NOMINATIM_USER_AGENT``).
    fetch
        Network seam (see :class:`Fetch`); by default geopy's ``Nominatim``.
    rate_limiter
        Defaults to :data:`RATE_LIMITER`, shared by the whole process.
    cache
        Defaults to ``<cache dir>/nominatim-cache.sqlite``.
    max_retries
        Retries after a 429 answer (each waits ``Retry-After`` or 2, 4, 8… seconds).
    """

    service = "nominatim"

    def __init__(
        self,
        user_agent: str | None = None,
        *,
        fetch: Fetch | None = None,
        rate_limiter: RateLimiter | None = None,
        cache: ResponseCache | None = None,
        timeout: float = 10.0,
        max_retries: int = 2,
        domain: str = "nominatim.openstreetmap.org",
        adapter_factory: Any = None,
    ) -> None:
        ua = _check_user_agent(user_agent)
        super().__init__(user_agent=ua, timeout=timeout, adapter_factory=adapter_factory)
        self.user_agent = ua
        self.limiter = rate_limiter if rate_limiter is not None else RATE_LIMITER
        self.cache = cache if cache is not None else ResponseCache()
        self.max_retries = max_retries
        self._domain = domain
        self._adapter_factory = adapter_factory
        self._fetch: Fetch = fetch if fetch is not None else self._nominatim_fetch
        self._nominatim: Any = None

    def _nominatim_fetch(self, query: str, *, limit: int, country_codes: list[str] | None, language: str | None) -> list[dict[str, Any]]:
        if self._nominatim is None:
            from geopy.geocoders import Nominatim

            self._nominatim = Nominatim(user_agent=self.user_agent, timeout=self.timeout, domain=self._domain,
                                        adapter_factory=self._adapter_factory)
        locs = self._nominatim.geocode(query, exactly_one=False, limit=limit, addressdetails=True,
                                       country_codes=country_codes, language=language or False)
        return [loc.raw for loc in locs or ()]

    def search(self, query: str, *, limit: int = 5, country_codes: str | Sequence[str] | None = None,
               language: str | None = "en") -> list[dict[str, Any]]:
        """Raw Nominatim results for ``query`` (cached; [] when nothing matches)."""
        if not isinstance(query, str) or not query.strip():
            raise ValueError(f"query must be a non-empty string, not {query!r}")
        ccs = (sorted({country_codes.lower()} if isinstance(country_codes, str) else {c.lower() for c in country_codes})
               if country_codes else None)
        request = {"query": " ".join(query.split()), "limit": int(limit), "country_codes": ccs, "language": language}
        cached = self.cache.get(self.service, request)
        if cached is not None:
            log.debug("nominatim cache hit: %r", query)
            return cached
        results = self._fetch_with_retries(request)
        self.cache.put(self.service, request, results)  # reached only on a genuine answer
        return results

    def _fetch_with_retries(self, request: dict[str, Any]) -> list[dict[str, Any]]:
        """One query: 429 waits Retry-After (or 2, 4, 8 s); timeouts and 5xx answers back off
        2, 4 s; no network fails at once. Errors are raised, never returned as "not found"."""
        q = request["query"]
        for attempt in range(self.max_retries + 1):
            self.limiter.wait()
            try:
                return list(self._fetch(q, limit=request["limit"], country_codes=request["country_codes"], language=request["language"]))
            except geopy.exc.GeocoderRateLimited as err:
                delay = float(err.retry_after) if err.retry_after is not None else 2.0 * 2**attempt
                self.limiter.back_off(delay)
                if attempt < self.max_retries:
                    log.warning("Nominatim rate-limited %r; retrying in %.0f s", q, delay)
                    continue
                raise GeocoderRateLimited(
                    f"Nominatim rate-limited the query {q!r} (HTTP 429) {attempt + 1} times; retry after {delay:.0f} s",
                    retry_after=delay,
                ) from err
            except (geopy.exc.GeocoderTimedOut, geopy.exc.GeocoderUnavailable, geopy.exc.GeocoderServiceError) as err:
                status = _http_status(err)
                transient = isinstance(err, geopy.exc.GeocoderTimedOut) or status in (500, 502, 503, 504)
                if transient and attempt < self.max_retries:
                    delay = 2.0 * 2**attempt  # the shared limiter also holds every other query back
                    self.limiter.back_off(delay)
                    log.warning("Nominatim %s for %r; retrying in %.0f s", status or "timed out", q, delay)
                    continue
                if isinstance(err, geopy.exc.GeocoderTimedOut):
                    raise GeocoderTimedOut(
                        f"Nominatim did not answer within {self.timeout} s for {q!r} ({attempt + 1} tries); try again later"
                    ) from err
                if status is not None:
                    raise GeocoderServiceError(f"Nominatim answered HTTP {status} for {q!r} ({attempt + 1} tries); "
                                               "try again later") from err
                if isinstance(err, geopy.exc.GeocoderUnavailable):
                    raise GeocoderOffline(f"Nominatim is unreachable (offline?) for {q!r}: {err}") from err
                raise GeocoderServiceError(f"Nominatim failed for {q!r}: {err}") from err
            except geopy.exc.GeopyError as err:
                raise GeocoderServiceError(f"Nominatim failed for {q!r}: {err}") from err
        raise AssertionError("unreachable")  # pragma: no cover

    def geocode(self, query: str, *, exactly_one: bool = True, limit: int | None = None,
                country_codes: str | Sequence[str] | None = None, language: str | None = "en",
                timeout: Any = None) -> Location | list[Location] | None:
        # One cache entry per query whatever exactly_one/limit are: ask for at least 5.
        results = self.search(query, limit=max(limit or 5, 5), country_codes=country_codes, language=language)
        locs = [_raw_to_location(r) for r in results]
        if not locs:
            return None
        return locs[0] if exactly_one else locs[: limit or len(locs)]

    def reverse(self, query: Any, *, exactly_one: bool = True, timeout: Any = None) -> Location | list[Location] | None:
        raise NotImplementedError("reverse geocoding is not offered by the Caravan Atlas online fallback")


def _raw_to_location(raw: dict[str, Any]) -> Location:
    raw = dict(raw)
    raw.setdefault("attribution", OSM_ATTRIBUTION)
    raw["source"] = "nominatim"
    return Location(raw.get("display_name", ""), (float(raw["lat"]), float(raw["lon"])), raw)


_ADDRESSTYPE_KIND = {
    "country": "country", "state": "admin1", "region": "admin1", "province": "admin1",
    "city": "city", "town": "city", "village": "city", "hamlet": "city", "municipality": "city",
    "suburb": "city", "neighbourhood": "place", "river": "river", "road": "highway",
    "continent": "region",
}


def location_to_candidate(loc: Location) -> Candidate:
    """A :class:`Candidate` from an online result (``source="nominatim"``)."""
    raw = loc.raw
    addr = raw.get("address") or {}
    kind = _ADDRESSTYPE_KIND.get(raw.get("addresstype") or raw.get("type") or "", "place")
    name = raw.get("name") or (raw.get("display_name") or "").split(",")[0]
    osm = f"osm:{raw['osm_type']}/{raw['osm_id']}" if raw.get("osm_type") and raw.get("osm_id") else None
    cc = addr.get("country_code")
    return Candidate(geonameid=None, name=name, lat=loc.latitude, lon=loc.longitude, kind=kind,
                     country_code=cc.upper() if cc else None, population=0,
                     feature_code=f"{raw.get('class', '')}:{raw.get('type', '')}", source="nominatim", feature_id=osm)


# --------------------------------------------------------------------------- chain


class ChainGeocoder(Geocoder):
    """Offline gazetteer first; the online geocoder only when one is given and the offline
    answer is empty."""

    def __init__(self, offline: OfflineGeocoder | None = None, online: OnlineGeocoder | None = None) -> None:
        super().__init__(user_agent="caravan-atlas-chain")
        self.offline = offline if offline is not None else OfflineGeocoder()
        self.online = online

    def geocode(self, query: str, *, exactly_one: bool = True, limit: int | None = None,
                country_codes: str | Sequence[str] | None = None, timeout: Any = None) -> Location | list[Location] | None:
        res = self.offline.geocode(query, exactly_one=exactly_one, limit=limit, country_codes=country_codes)
        if res or self.online is None:
            return res
        log.info("offline gazetteer has no %r; asking Nominatim", query)
        return self.online.geocode(query, exactly_one=exactly_one, limit=limit, country_codes=country_codes)

    def reverse(self, query: Any, *, exactly_one: bool = True, timeout: Any = None) -> Location | list[Location] | None:
        raise NotImplementedError("reverse geocoding is not offered by Caravan Atlas")


def geocode_with_fallback(
    query: str,
    *,
    online: bool | None = None,
    user_agent: str | None = None,
    exactly_one: bool = True,
    limit: int | None = None,
    country_codes: str | Iterable[str] | None = None,
    online_geocoder: OnlineGeocoder | None = None,
) -> Location | list[Location] | None:
    """Geocode offline, then (only if ``online`` — default ``$ATLAS_ONLINE`` — is on) online."""
    use_online = online_enabled() if online is None else online
    og = online_geocoder if online_geocoder is not None else (OnlineGeocoder(user_agent) if use_online else None)
    ccs = list(country_codes) if country_codes is not None and not isinstance(country_codes, str) else country_codes
    return ChainGeocoder(online=og if use_online else None).geocode(query, exactly_one=exactly_one, limit=limit, country_codes=ccs)
