"""Third-party web assets (Leaflet, jQuery, plugins) served by the app itself.

Nothing third-party is committed. The JS/CSS comes from the PyPI package
``folium-offline`` (pinned in requirements.txt), which carries, as Python string literals
keyed by their CDN URL, exactly the versions folium 0.20 asks for (Leaflet 1.9.3 with its
images inlined as data URIs, jQuery 3.7.1, Leaflet.markercluster 1.1.0,
Leaflet.fullscreen 3.0.0, leaflet-textpath 1.2.3, …). :func:`ensure_static_assets` reads
those literals *without importing the package* (``ast.literal_eval`` of its source) and
writes them to ``dashboard/static/vendor/`` (gitignored), which Streamlit serves at
``app/static/vendor/`` when ``server.enableStaticServing`` is on. It also writes the map frame's
bundle (:data:`MAP_BUNDLE`): the scripts the dashboard's map needs in one file
(``map-bundle.js``, in their order) and its stylesheets in another (``map-bundle.css``), which the
frame's page (``dashboard/map/frontend/index.html``) loads itself, at once, while Streamlit
sends it the map: two requests instead of one script after another.

:func:`localize` rewrites every folium element's ``default_js``/``default_css`` to those
local files, so a rendered map references no http(s) URL.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import branca.element
import folium
from folium.elements import JSCSSMixin

from geo.errors import AtlasError
from geo.fileio import write_text_atomic

__all__ = [
    "ASSETS",
    "APP_ASSET_BASE",
    "STATIC_DIR",
    "AssetError",
    "ensure_static_assets",
    "localize",
    "asset_files",
    "MAP_BUNDLE",
    "BUNDLE_JS",
    "BUNDLE_CSS",
    "bundle_links",
]

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
VENDOR = "vendor"
#: Base URL of the assets as seen from inside the map frame, a Streamlit component's page
#: (``<server>/component/<name>/index.html``, see :mod:`dashboard.map.component`). Relative,
#: so it also works under ``--server.baseUrlPath``.
APP_ASSET_BASE = "../../app/static/"

_SOURCE_PACKAGE = "folium_offline"
_SOURCE_MODULE = "offlinefolium"

#: CDN URL (as folium names it) -> local file name under ``static/vendor/``.
ASSETS: dict[str, str] = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet-1.9.3.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet-1.9.3.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery-3.7.1.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js": (
        "leaflet.markercluster-1.1.0.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css": (
        "MarkerCluster-1.1.0.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css": (
        "MarkerCluster.Default-1.1.0.css"
    ),
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": (
        "Control.FullScreen-3.0.0.min.js"
    ),
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css": (
        "Control.FullScreen-3.0.0.css"
    ),
    "https://cdn.jsdelivr.net/npm/leaflet-textpath@1.2.3/leaflet.textpath.min.js": (
        "leaflet.textpath-1.2.3.min.js"
    ),
    "https://cdn.jsdelivr.net/npm/leaflet-ant-path@1.1.2/dist/leaflet-ant-path.min.js": (
        "leaflet-ant-path-1.1.2.min.js"
    ),
}

#: What the Map itself needs (folium's default also pulls jQuery, Bootstrap, Font Awesome and
#: Awesome Markers, none of which this map or its plugins use).
MAP_JS = [
    ("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"),
]
MAP_CSS = [("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")]

#: What the dashboard's map asks for (Leaflet, the text-path and fullscreen plugins, the
#: cluster styles), in the order a page must load it: the frame's bundle. A map that asks for
#: more gets the rest as links (:func:`dashboard.map.render.render_map`).
MAP_BUNDLE: tuple[str, ...] = (
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
    "https://cdn.jsdelivr.net/npm/leaflet-textpath@1.2.3/leaflet.textpath.min.js",
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css",
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css",
)
#: the bundle's files under ``static/vendor/`` (the frame's page names them)
BUNDLE_JS = "map-bundle.js"
BUNDLE_CSS = "map-bundle.css"

_MANIFEST = "manifest.json"


class AssetError(AtlasError, RuntimeError):
    """The vendored web assets cannot be found or written."""


def asset_files() -> list[str]:
    """Local file names (relative to ``static/``) of every vendored asset."""
    return [f"{VENDOR}/{name}" for name in ASSETS.values()]


def bundle_links(base: str = APP_ASSET_BASE) -> tuple[str, ...]:
    """The URLs (as :func:`localize` writes them under ``base``) of the files in the frame's bundle."""
    if base and not base.endswith("/"):
        base += "/"
    return tuple(f"{base}{VENDOR}/{ASSETS[url]}" for url in MAP_BUNDLE)


def _source_file() -> Path:
    spec = importlib.util.find_spec(_SOURCE_MODULE)
    if spec is None or not spec.submodule_search_locations:
        raise AssetError(
            f"package {_SOURCE_PACKAGE!r} is not installed: pip install -r requirements.txt"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "elements.py"


def _read_literals(source: Path, wanted: set[str]) -> dict[str, str]:
    """``_res['<url>'] = '''…'''`` assignments in ``source``, read without executing it."""
    tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
    found: dict[str, str] = {}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            continue
        target = node.targets[0]
        if not (
            isinstance(target, ast.Subscript)
            and isinstance(target.value, ast.Name)
            and target.value.id == "_res"
            and isinstance(target.slice, ast.Constant)
        ):
            continue
        url = target.slice.value
        if url in wanted and isinstance(node.value, ast.Constant):
            found[url] = str(node.value.value)
    missing = wanted - found.keys()
    if missing:
        raise AssetError(f"{source} lacks assets: {sorted(missing)}")
    return found


def _source_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(_SOURCE_PACKAGE)
    except PackageNotFoundError as err:
        raise AssetError(
            f"package {_SOURCE_PACKAGE!r} is not installed: pip install -r requirements.txt"
        ) from err


def ensure_static_assets(static_dir: Path | str = STATIC_DIR) -> Path:
    """Write the vendored assets into ``static_dir/vendor`` unless already there.

    Idempotent and cheap when up to date (a manifest records the source package version
    and the file list). Returns the ``static_dir`` path.
    """
    static = Path(static_dir)
    vendor = static / VENDOR
    manifest_path = vendor / _MANIFEST
    files = sorted([*ASSETS.values(), BUNDLE_JS, BUNDLE_CSS])
    expected = {"source": _SOURCE_PACKAGE, "version": _source_version(), "files": files,
                "bundle": list(MAP_BUNDLE)}
    try:
        current = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        current = None
    if current == expected and all((vendor / name).is_file() for name in files):
        return static
    logger.info("installing web assets from %s %s into %s", _SOURCE_PACKAGE, expected["version"], vendor)
    texts = _read_literals(_source_file(), set(ASSETS))
    for url, name in ASSETS.items():
        write_text_atomic(vendor / name, texts[url])
    for bundle, suffix in ((BUNDLE_JS, ".js"), (BUNDLE_CSS, ".css")):
        write_text_atomic(vendor / bundle, _bundle([u for u in MAP_BUNDLE if u.endswith(suffix)], texts))
    write_text_atomic(
        vendor / "SOURCES.txt",
        "Generated by dashboard/assets.py from the PyPI package "
        f"{_SOURCE_PACKAGE}=={expected['version']}; do not edit or commit.\n"
        + "".join(f"{name}\t{url}\n" for url, name in ASSETS.items()),
    )
    write_text_atomic(manifest_path, json.dumps(expected, indent=1))
    return static


def _bundle(urls: list[str], texts: dict[str, str]) -> str:
    """The files of ``urls`` one after another, each under a comment naming it (source maps,
    which a bundle cannot use, left out)."""
    parts = []
    for url in urls:
        body = "\n".join(line for line in texts[url].splitlines()
                         if not line.lstrip().startswith(("//# sourceMappingURL=", "/*# sourceMappingURL=")))
        parts.append(f"/* {ASSETS[url]} ({url}) */\n{body}\n" + (";\n" if url.endswith(".js") else ""))
    return "".join(parts)


def _walk(element: branca.element.Element) -> Iterator[branca.element.Element]:
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)


def localize(m: folium.Map, base: str = APP_ASSET_BASE) -> folium.Map:
    """Point every element's ``default_js``/``default_css`` at the local copies under ``base``.

    ``base`` is the URL of the ``static/`` folder (``../../app/static/`` inside the
    Streamlit component, or e.g. ``http://127.0.0.1:8000/`` for a saved HTML file).
    Raises :class:`AssetError` for an asset that has no local copy, so a CDN link can
    never slip through. Instance attributes are set; folium's classes are not modified.
    """
    if base and not base.endswith("/"):
        base += "/"

    def local(links: list[tuple[str, str]]) -> list[tuple[str, str]]:
        out = []
        for name, url in links:
            if url.startswith(base):
                out.append((name, url))
                continue
            file_name = ASSETS.get(url)
            if file_name is None:
                raise AssetError(f"no local copy of web asset {url!r} (element {name!r})")
            out.append((name, f"{base}{VENDOR}/{file_name}"))
        return out

    for element in _walk(m):
        if isinstance(element, folium.Map):
            element.default_js = local(MAP_JS)
            element.default_css = local(MAP_CSS)
        elif isinstance(element, JSCSSMixin):
            element.default_js = local(list(element.default_js))
            element.default_css = local(list(element.default_css))
    return m
