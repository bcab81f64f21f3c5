"""The online geocoder's answers kept in the store, so that a query is sent once."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa



from geo.errors import StoreError
from geo.store.schema import geocode_cache_table, CACHE_STATUSES


if TYPE_CHECKING:
    from geo.store.database import Store


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One cached answer of an online geocoder."""

    provider: str
    query_key: str
    response: Any  # decoded JSON
    status: str  # "found" | "not_found"
    created_at: str
    query: str | None = None


class GeocodeCacheRecords:
    """Geocode-cache rows of :class:`~geo.store.database.Store` (a mixin)."""

    def geocode_cache_get(self, provider: str, query_key: str) -> CacheEntry | None:
        """The cached answer for ``query_key`` from ``provider``, or None."""
        with self._read() as conn:
            row = conn.execute(sa.select(geocode_cache_table).where(
                geocode_cache_table.c.provider == provider, geocode_cache_table.c.query_key == query_key)).first()
        if row is None:
            return None
        return CacheEntry(provider=row.provider, query_key=row.query_key, response=json.loads(row.response),
                          status=row.status, created_at=row.created_at, query=row.query)

    def geocode_cache_put(self, provider: str, query_key: str, response: Any, *, status: str | None = None,
                          query: str | None = None) -> CacheEntry:
        """Cache a genuine answer (replacing an older one). ``status`` defaults to
        ``found`` when ``response`` is non-empty, else ``not_found``. Service errors are not
        answers: never store them (any other status is refused)."""
        if status is None:
            status = "found" if response else "not_found"
        if status not in CACHE_STATUSES:
            raise StoreError(f"cache status must be one of {', '.join(CACHE_STATUSES)}, got {status!r} "
                             "(errors are never cached)")
        if len(query_key) > 200:
            query_key = "sha256:" + hashlib.sha256(query_key.encode("utf-8")).hexdigest()
        row = {"provider": provider, "query_key": query_key, "query": query, "status": status,
               "response": json.dumps(response, ensure_ascii=False, sort_keys=True, allow_nan=False),
               "created_at": self._clock()}
        stmt = self._insert(geocode_cache_table).values(**row)
        stmt = stmt.on_conflict_do_update(
            index_elements=["provider", "query_key"],
            set_={k: stmt.excluded[k] for k in ("query", "response", "status", "created_at")},
        )
        with self._write() as conn, conn.begin():
            conn.execute(stmt)
        return CacheEntry(provider=provider, query_key=query_key, response=response, status=status,
                          created_at=row["created_at"], query=query)

    def geocode_cache_size(self) -> int:
        with self._read() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(geocode_cache_table)).scalar_one())

    def response_cache(self) -> StoreResponseCache:
        """An adapter with ``geo.gazetteer.online.ResponseCache``'s interface (``get``/``put``), so
        ``OnlineGeocoder(user_agent, cache=store.response_cache())`` caches in this store."""
        return StoreResponseCache(self)


class StoreResponseCache:
    """``geo.gazetteer.online.ResponseCache``'s interface on top of a :class:`Store`.

    ``get(service, request)`` returns the cached list of raw results ([] = a genuine
    "not found") or None; ``put(service, request, results)`` stores a genuine answer.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def key(service: str, request: dict[str, Any]) -> str:
        blob = json.dumps({"service": service, **request}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def get(self, service: str, request: dict[str, Any]) -> list[dict[str, Any]] | None:
        entry = self.store.geocode_cache_get(service, self.key(service, request))
        return None if entry is None else list(entry.response)

    def put(self, service: str, request: dict[str, Any], results: list[dict[str, Any]]) -> None:
        self.store.geocode_cache_put(service, self.key(service, request), list(results),
                                     query=json.dumps(request, sort_keys=True, ensure_ascii=False))

    def __len__(self) -> int:
        return self.store.geocode_cache_size()

    def close(self) -> None:
        """The store stays open: it is shared."""
