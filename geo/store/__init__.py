"""The durable store (SQLite or PostgreSQL): workspaces, articles, their analyses and the user's
corrections.

See docs/architecture.md for what this package may import."""

from geo._lazy import lazy_exports

#: Names importable from the package itself (the database module's public names, as before the move).
_EXPORTS = {
    "DEMO_CORPUS": "database",
    "DEMO_WORKSPACE": "database",
    "ENV_URL": "database",
    "MIGRATIONS": "database",
    "CacheEntry": "database",
    "Store": "database",
    "StoreError": "database",
    "StoreResponseCache": "database",
    "Workspace": "database",
    "default_url": "database",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
