"""The embedded offline gazetteer (GeoNames, Natural Earth, curated crossings and roads) behind one
name index, geopy-style geocoders (offline, and Nominatim as an opt-in extra) and country-
polygon lookups.

See docs/architecture.md for what this package may import."""

from geo._lazy import lazy_exports

#: Names importable from the package itself (the index module's public names, as before the move).
_EXPORTS = {
    "normalize_name": "index",
    "Gazetteer": "index",
    "load_gazetteer": "index",
    "build_index": "index",
    "default_index_path": "index",
    "cache_dir": "index",
    "INDEX_VERSION": "index",
    "ATTRIBUTION": "index",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
