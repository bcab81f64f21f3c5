"""Downloads of exactly the filtered view (pure; the files are those the CLI writes).

- :func:`geojson_bytes` — one layer as RFC 7946 GeoJSON (:func:`geo.export.to_geojson_str`).
- :func:`csv_bytes` — the events as CSV (:func:`geo.export.to_csv_str`), with the
  provenance columns (``article_urls``, ``article_file_sha256``, ``article_extraction``)
  when the articles' provenance is given.
- :func:`gpkg_bytes` — the four layers in one GeoPackage (:func:`geo.export.write_gpkg`),
  with the ``articles`` table of the articles the view cites.
- :func:`zip_bytes` — the four layers as ``places/events/routes/crossings.geojson`` in a
  zip (each with its ``"articles"`` member), with a short README naming the filters.

Text is exported raw (not escaped): escaping is for the page only. Every layer carries
the readers' corrections: ``corrected`` (true/false) and ``original`` (the values before the
first correction, an object; JSON text in the GeoPackage).
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard.sample import AtlasFrames

__all__ = ["geojson_bytes", "csv_bytes", "gpkg_bytes", "zip_bytes", "LAYER_NAMES"]

LAYER_NAMES = ("places", "events", "routes", "crossings")


def geojson_bytes(frame: gpd.GeoDataFrame, articles: tuple[dict, ...] = ()) -> bytes:
    from geo.export import cited_articles, to_geojson_str

    return to_geojson_str(frame, articles=cited_articles(frame, articles)).encode("utf-8")


def csv_bytes(frame: gpd.GeoDataFrame, articles: tuple[dict, ...] = ()) -> bytes:
    from geo.export import cited_articles, to_csv_str

    return to_csv_str(frame, cited_articles(frame, articles)).encode("utf-8")


def _cited(frames: AtlasFrames) -> tuple[dict, ...]:
    """The provenance of the articles the view's layers cite."""
    from geo.export import cited_articles

    ids = {a["article_id"] for name in LAYER_NAMES for a in cited_articles(getattr(frames, name), frames.articles)}
    return tuple(a for a in frames.articles if a["article_id"] in ids)


def _conform(layer: str, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The layer's schema columns (missing ones as nulls) plus geometry, for the GeoPackage."""
    from geo.atlas.layers import LAYER_COLUMNS

    data = {}
    for col in LAYER_COLUMNS[layer]:
        if col.name in frame.columns:
            data[col.name] = frame[col.name].to_numpy()
        else:
            dtype = {"int": "Int64", "float": "float64", "bool": "boolean"}.get(col.kind, object)
            data[col.name] = pd.array([None] * len(frame), dtype=dtype)
    corrected = frame["corrected"] if "corrected" in frame.columns else pd.Series(False, index=frame.index)
    data["corrected"] = corrected.fillna(False).astype(bool).to_numpy()
    original = frame["original"] if "original" in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    data["original"] = pd.array(
        [json.dumps(v, ensure_ascii=False, sort_keys=True, default=str) if isinstance(v, dict) else None
         for v in original], dtype=object)
    out = gpd.GeoDataFrame(data, geometry=frame.geometry.to_numpy(), crs=frame.crs or "EPSG:4326")
    return out


def gpkg_bytes(frames: AtlasFrames) -> bytes:
    from geo.export import write_gpkg
    from geo.atlas.layers import Atlas

    atlas = Atlas(**{name: _conform(name, getattr(frames, name)) for name in LAYER_NAMES}, articles=_cited(frames))
    with tempfile.TemporaryDirectory(prefix="atlas-export-") as tmp:
        path = write_gpkg(atlas, Path(tmp) / "atlas.gpkg")
        return path.read_bytes()


def zip_bytes(frames: AtlasFrames, description: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in LAYER_NAMES:
            zf.writestr(f"{name}.geojson", geojson_bytes(getattr(frames, name), frames.articles))
        zf.writestr(
            "README.txt",
            "Caravan Atlas export: the four layers of the filtered view as RFC 7946 GeoJSON.\n"
            "Layer schemas: docs/atlas.md. Boundaries: Natural Earth; places: GeoNames (CC BY 4.0); "
            "ports of entry: BTS.\n" + (f"View: {description}\n" if description else ""),
        )
    return buf.getvalue()
