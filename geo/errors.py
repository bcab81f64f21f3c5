"""One exception root for Caravan Atlas.

Every error the library raises on purpose derives from :class:`AtlasError`; where a
built-in exception describes the same failure, the subclass inherits it too (as geopy
does), so callers can catch either.
"""

from __future__ import annotations

__all__ = [
    "AtlasError",
    "ArticleError",
    "GazetteerError",
    "StoreError",
    "GeocoderServiceError",
    "GeocoderOffline",
    "GeocoderRateLimited",
]


class AtlasError(Exception):
    """Root of every error raised by the ``geo`` package."""


class ArticleError(AtlasError, ValueError):
    """An input article cannot be read or parsed; the message names the file."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class GazetteerError(AtlasError, RuntimeError):
    """The offline gazetteer index is missing, corrupt or cannot be built."""


class StoreError(AtlasError, RuntimeError):
    """The database cannot be opened, migrated or written; the message names it."""


class GeocoderServiceError(AtlasError, RuntimeError):
    """An online geocoding service failed (never cached as 'not found')."""


class GeocoderOffline(GeocoderServiceError, ConnectionError):
    """The online geocoder could not be reached (no network)."""


class GeocoderRateLimited(GeocoderServiceError):
    """The online geocoder answered 429; ``retry_after`` is in seconds when known."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message)
