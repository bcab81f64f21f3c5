"""From analysed articles to the atlas: dated events, caravans and route legs along the corridor,
crossing statuses, and the four GeoDataFrame layers.

See docs/architecture.md for what this package may import."""

from geo._lazy import lazy_exports

#: Names importable from the package itself (the build module's public names, as before the move).
_EXPORTS = {
    "build_atlas": "build",
    "analyse_articles": "build",
    "assemble_atlas": "build",
    "ArticleAnalysis": "build",
    "Atlas": "build",
    "AtlasReport": "build",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
