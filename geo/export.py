"""Write and read the atlas: RFC 7946 GeoJSON, one GeoPackage, a CSV of events.

- :func:`write_atlas` writes ``places/events/routes/crossings.geojson``, ``events.csv`` and
  ``atlas.gpkg`` (all four layers) into a folder, each file atomically.
- :func:`to_geojson_str` / :func:`write_geojson` serialise any EPSG:4326 GeoDataFrame (the
  dashboard's filtered view too) with our own writer: [lon, lat], no ``crs`` member,
  counter-clockwise exterior rings, 6 decimals, strict JSON (no NaN), ISO dates, sorted keys.
  The same input always gives the same bytes.
- :func:`read_geojson_layer` / :func:`read_gpkg_layer` read files back with the layer's
  columns and dtypes (list columns restored).
- :func:`write_parquet` writes the layers as GeoParquet (one file per layer, or a partitioned
  folder per layer for large corpora); :func:`read_atlas` opens an atlas folder of GeoJSON,
  GeoParquet or GeoPackage files.
- :func:`validate_geojson` lists what is wrong with a GeoJSON file or object: the official
  JSON schema plus coordinate ranges, null island, ring winding, precision, ``crs`` and
  strict JSON.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import logging
import math
import os
import re
import sys
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from geo.fileio import atomic_write, replace_file as _replace, temp_path as _temp_path
from geo.errors import AtlasError
from geo.atlas.layers import ARTICLE_FIELDS, GEOMETRY_TYPES, ID_COLUMNS, LAYER_COLUMNS, LAYERS, Atlas, layer_frame
from geo.paths import DATA

__all__ = [
    "ExportError",
    "GEOJSON_SCHEMA_PATH",
    "PROVENANCE_COLUMNS",
    "articles_frame",
    "PRECISION",
    "atomic_write",
    "format_summary",
    "cited_articles",
    "read_articles_member",
    "read_gpkg_articles",
    "read_gpkg_layer",
    "read_geojson_layer",
    "to_csv_str",
    "to_geojson_str",
    "validate_atlas_files",
    "validate_geojson",
    "write_atlas",
    "write_csv",
    "write_geojson",
    "write_gpkg",
    "read_atlas",
    "read_parquet_layer",
    "write_parquet",
    "write_parquet_layer",
]

log = logging.getLogger(__name__)

#: Decimals kept in GeoJSON/CSV coordinates (about 0.1 m).
PRECISION = 6
#: The official GeoJSON schema (draft 7), copied from geojson.org; see data/schemas/README.md.
GEOJSON_SCHEMA_PATH = DATA / "schemas" / "GeoJSON.schema.json"
#: Written into the GeoPackage's ``gpkg_contents.last_change`` so that the file is
#: byte-identical from run to run (GDAL otherwise writes the current time).
GPKG_TIMESTAMP = "1970-01-01T00:00:00.000Z"

GPKG_NAME = "atlas.gpkg"
CSV_NAME = "events.csv"
#: The articles' provenance (:data:`geo.atlas.layers.ARTICLE_FIELDS`, one row per article): a
#: table of that name in the GeoPackage, ``articles.parquet`` beside GeoParquet layers.
ARTICLES_TABLE = "articles"
#: Columns a CSV of features gets when the articles' provenance is given: for each feature,
#: a JSON list in the order of its ``article_ids`` (null where unknown).
PROVENANCE_COLUMNS = {"article_urls": "url", "article_file_sha256": "file_sha256",
                      "article_extraction": "extraction"}

_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")
_DESCRIPTIONS = {
    "places": "Caravan Atlas: places named in the articles",
    "events": "Caravan Atlas: events (departures, arrivals, crossings, ...) with their evidence",
    "routes": "Caravan Atlas: caravan route legs",
    "crossings": "Caravan Atlas: border crossings and their reported status",
}


class ExportError(AtlasError, ValueError):
    """A layer cannot be written or read as asked; the message shows the value at fault."""


# --------------------------------------------------------------------------- atomic files


# --------------------------------------------------------------------------- values


def _clean_text(value: str) -> str:
    # NUL and lone surrogates cannot be stored in UTF-8 files or GeoPackage text.
    return _BAD_CHARS.sub("\ufffd", value)


def _jsonable(value: Any, where: str) -> Any:
    """A property value as plain JSON: NaN/NA -> null, numpy -> Python, dates -> ISO text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, dt.datetime):  # pd.Timestamp too
        if value.tzinfo is None and value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_jsonable(v, where) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v, where) for k, v in value.items()}
    raise ExportError(f"{where}: cannot write a {type(value).__name__} value as JSON: {value!r:.80}")


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _coord(v: float, where: str) -> float:
    if not math.isfinite(v):
        raise ExportError(f"{where}: coordinate is not finite: {v!r}")
    r = round(float(v), PRECISION)
    return 0.0 if r == 0 else r  # no "-0.0"


def _positions(coords: Any, where: str) -> Any:
    if coords and isinstance(coords[0], (int, float, np.floating, np.integer)):
        lon, lat = _coord(coords[0], where), _coord(coords[1], where)
        if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
            raise ExportError(f"{where}: position [{lon}, {lat}] is outside [-180..180, -90..90]; is the CRS EPSG:4326?")
        if lon == 0.0 and lat == 0.0:
            raise ExportError(f"{where}: position [0, 0] ('null island') is not a real place")
        return [lon, lat]
    return [_positions(c, where) for c in coords]


def geometry_to_geojson(geom: BaseGeometry | None, where: str = "geometry") -> dict[str, Any] | None:
    """An RFC 7946 geometry object: 2D, exterior rings counter-clockwise, 6 decimals."""
    if geom is None or geom.is_empty:
        return None
    geom = shapely.orient_polygons(shapely.force_2d(geom), exterior_cw=False)
    gj = mapping(geom)
    return _geometry_dict(gj, where)


def _geometry_dict(gj: Mapping[str, Any], where: str) -> dict[str, Any]:
    if gj["type"] == "GeometryCollection":
        return {"type": "GeometryCollection", "geometries": [_geometry_dict(g, where) for g in gj["geometries"]]}
    return {"type": gj["type"], "coordinates": _positions(gj["coordinates"], where)}


# --------------------------------------------------------------------------- GeoJSON


def _as_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise ExportError(f"expected a GeoDataFrame, got {type(gdf).__name__}")
    if gdf.crs is None:
        raise ExportError("GeoDataFrame has no CRS; set it (gdf.set_crs('EPSG:4326')) before writing GeoJSON")
    if gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    return gdf


def _guess_id_column(columns: Sequence[str]) -> str | None:
    return next((c for c in ID_COLUMNS.values() if c in columns), None)


def _property_columns(gdf: gpd.GeoDataFrame) -> list[str]:
    geom = gdf.geometry.name
    return [str(c) for c in gdf.columns if c != geom]


def _features(gdf: gpd.GeoDataFrame, id_column: str | None) -> Iterator[dict[str, Any]]:
    cols = _property_columns(gdf)
    values = {c: gdf[c].tolist() for c in cols}
    geoms = gdf.geometry.tolist()
    for i, geom in enumerate(geoms):
        where = f"row {i}"
        props = {c: _jsonable(values[c][i], f"{where}, column {c!r}") for c in cols}
        feature: dict[str, Any] = {"type": "Feature", "geometry": geometry_to_geojson(geom, where), "properties": props}
        if id_column is not None and props.get(id_column) is not None:
            feature["id"] = props[id_column]
        yield feature


def to_geojson_str(gdf: gpd.GeoDataFrame, *, id_column: str | None = "auto",
                   articles: Sequence[Mapping[str, Any]] = ()) -> str:
    """Serialise a GeoDataFrame as an RFC 7946 FeatureCollection, byte-for-byte reproducible.

    Layout: ``{"type":"FeatureCollection","features":[`` then one feature per line (keys
    sorted at every level, no spaces), then ``]}`` and a newline. Rows keep their order.
    ``id_column`` gives each Feature its ``id`` ("auto": the layer's id column if present,
    None: no ids). A GeoDataFrame in another CRS is reprojected; one without a CRS is refused.

    ``articles`` (provenance dicts, :data:`geo.atlas.layers.ARTICLE_FIELDS`) are written after the
    features as the foreign member ``"articles"`` (RFC 7946 section 6.1), one per line: where
    each cited article came from (file or URL, sha256 of the original file, extraction).
    """
    return "".join(_geojson_parts(gdf, id_column, articles))


def _geojson_parts(gdf: gpd.GeoDataFrame, id_column: str | None,
                   articles: Sequence[Mapping[str, Any]] = ()) -> Iterator[str]:
    """The text of :func:`to_geojson_str` piece by piece (one feature at a time)."""
    gdf = _as_wgs84(gdf)
    if id_column == "auto":
        id_column = _guess_id_column(_property_columns(gdf))
    yield '{"type":"FeatureCollection","features":[\n'
    first = True
    for feature in _features(gdf, id_column):
        yield ("" if first else ",\n") + _dumps(feature)
        first = False
    yield "" if first else "\n"
    yield "]"
    if articles:
        rows = [_dumps({k: _jsonable(v, f"article {a.get('article_id')!r}, {k!r}") for k, v in a.items()})
                for a in articles]
        yield ',"articles":[\n' + ",\n".join(rows) + "\n]"
    yield "}\n"


def cited_articles(gdf: gpd.GeoDataFrame, articles: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The provenance of the articles a layer's features cite (its ``article_ids``), by id."""
    if not articles or "article_ids" not in gdf.columns:
        return []
    cited = {str(a) for ids in gdf["article_ids"].tolist() if isinstance(ids, (list, tuple)) for a in ids}
    return [a for a in articles if a.get("article_id") in cited]


def articles_frame(articles: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The provenance of ``articles`` as a table: :data:`geo.atlas.layers.ARTICLE_FIELDS` as text
    columns, one row per article (the GeoPackage's and GeoParquet's ``articles`` table)."""
    return pd.DataFrame({f: pd.Series([None if a.get(f) is None else _clean_text(str(a.get(f))) for a in articles],
                                      dtype=object) for f in ARTICLE_FIELDS})


def read_articles_member(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The ``"articles"`` member of a GeoJSON file written by :func:`write_atlas` ([] if none)."""
    try:
        obj = _strict_loads(Path(path).read_bytes())
    except (OSError, ValueError) as err:
        raise ExportError(f"{path}: cannot read GeoJSON: {err}") from None
    items = obj.get("articles") if isinstance(obj, dict) else None
    return [dict(a) for a in items if isinstance(a, dict)] if isinstance(items, list) else []


def write_geojson(gdf: gpd.GeoDataFrame, path: str | os.PathLike[str], *, id_column: str | None = "auto",
                  articles: Sequence[Mapping[str, Any]] = ()) -> Path:
    """Write :func:`to_geojson_str` to ``path`` atomically (UTF-8, no BOM), one feature at a
    time: the whole text of a large layer is never held in memory."""
    with atomic_write(path, binary=True) as fh:
        for part in _geojson_parts(gdf, id_column, articles):
            fh.write(part.encode("utf-8"))
    return Path(path)


def _strict_loads(text: str | bytes, **kw: Any) -> Any:
    def reject(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")

    return json.loads(text, parse_constant=reject, **kw)


def _guess_layer(columns: Sequence[str], path: Path | None) -> str | None:
    if path is not None and path.stem in LAYER_COLUMNS:
        return path.stem
    for layer, id_col in ID_COLUMNS.items():
        if id_col in columns:
            return layer
    return None


def read_geojson_layer(path: str | os.PathLike[str], layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a GeoJSON FeatureCollection back into a GeoDataFrame (EPSG:4326).

    For an atlas layer (``layer`` given, or guessed from the file name or id column) the
    result has that layer's columns and dtypes, as :func:`geo.atlas.layers.make_atlas` builds
    them; list and object columns come back as Python lists and dicts. Other files keep
    their properties as plain Python values. Raises :class:`ExportError` on invalid JSON.
    """
    p = Path(path)
    try:
        obj = _strict_loads(p.read_bytes())
    except (OSError, ValueError) as err:
        raise ExportError(f"{p}: cannot read GeoJSON: {err}") from None
    if not isinstance(obj, dict) or obj.get("type") != "FeatureCollection" or not isinstance(obj.get("features"), list):
        raise ExportError(f"{p}: not a GeoJSON FeatureCollection")
    rows = [dict(f.get("properties") or {}) for f in obj["features"]]
    geoms = [shape(f["geometry"]) if f.get("geometry") else None for f in obj["features"]]
    columns = sorted({k for r in rows for k in r})
    layer = layer or _guess_layer(columns, p)
    if layer is None:
        data = {c: pd.Series([r.get(c) for r in rows], dtype=object) for c in columns}
        return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"), crs="EPSG:4326")
    return layer_frame(layer, rows, geoms)


# --------------------------------------------------------------------------- CSV


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return _dumps(value)
    return str(value)


def to_csv_str(gdf: gpd.GeoDataFrame, articles: Sequence[Mapping[str, Any]] = ()) -> str:
    """A CSV of the properties plus ``lon``/``lat`` (points) or ``wkt`` (other geometries).

    UTF-8, comma-separated, ``\\n`` line ends, minimal quoting; lists and objects as compact
    JSON; null as an empty cell; coordinates with 6 decimals. Text is written as is: a cell
    may start with ``=``, so open it in a spreadsheet with "import as text". With
    ``articles`` (provenance dicts, :data:`geo.atlas.layers.ARTICLE_FIELDS`), the
    :data:`PROVENANCE_COLUMNS` follow the properties: where each feature's articles came from.
    """
    buf = io.StringIO(newline="")
    _write_csv_rows(gdf, buf, articles)
    return buf.getvalue()


def _provenance_cells(props: Mapping[str, Any], by_id: Mapping[str, Mapping[str, Any]]) -> list[str]:
    ids = props.get("article_ids") or []
    ids = ids if isinstance(ids, (list, tuple)) else []
    return [_csv_cell([by_id.get(str(a), {}).get(field) for a in ids]) for field in PROVENANCE_COLUMNS.values()]


def _write_csv_rows(gdf: gpd.GeoDataFrame, out: Any, articles: Sequence[Mapping[str, Any]] = ()) -> None:
    """Write the text of :func:`to_csv_str` to the text stream ``out``, row by row."""
    gdf = _as_wgs84(gdf)
    cols = _property_columns(gdf)
    by_id = {str(a.get("article_id")): a for a in articles} if articles and "article_ids" in cols else None
    points = all(g is None or g.is_empty or g.geom_type == "Point" for g in gdf.geometry)
    header = cols + (list(PROVENANCE_COLUMNS) if by_id is not None else []) + (["lon", "lat"] if points else ["wkt"])
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for feature in _features(gdf, None):
        props = feature["properties"]
        row = [_csv_cell(props[c]) for c in cols]
        if by_id is not None:
            row += _provenance_cells(props, by_id)
        gj = feature["geometry"]
        if points:
            row += [str(gj["coordinates"][0]), str(gj["coordinates"][1])] if gj else ["", ""]
        else:
            row.append("" if gj is None else shapely.to_wkt(shape(gj), rounding_precision=PRECISION))
        writer.writerow(row)


def write_csv(gdf: gpd.GeoDataFrame, path: str | os.PathLike[str],
              articles: Sequence[Mapping[str, Any]] = ()) -> Path:
    """Write :func:`to_csv_str` to ``path`` atomically, row by row."""
    with atomic_write(path, binary=True) as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8", newline="", write_through=True)
        _write_csv_rows(gdf, text, articles)
        text.flush()
        text.detach()  # the atomic writer closes the file
    return Path(path)


# --------------------------------------------------------------------------- GeoPackage


def _gpkg_frame(layer: str, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = gdf.copy()
    for col in LAYER_COLUMNS[layer]:
        if col.kind in ("list", "json"):
            out[col.name] = pd.Series(
                [None if v is None else _dumps(_jsonable(v, f"{layer}.{col.name}")) for v in gdf[col.name]],
                index=out.index, dtype=object,
            )
        elif col.kind in ("str", "date"):
            out[col.name] = pd.Series(
                [None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else _clean_text(str(v))
                 for v in gdf[col.name]],
                index=out.index, dtype=object,
            )
    return out


@contextlib.contextmanager
def _gdal_option(name: str, value: str) -> Iterator[None]:
    import pyogrio

    old = pyogrio.get_gdal_config_option(name)
    pyogrio.set_gdal_config_options({name: value})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({name: old})


def write_gpkg(atlas: Atlas, path: str | os.PathLike[str]) -> Path:
    """Write the four layers into one GeoPackage, atomically (temp file, fsync, replace).

    List/object columns are JSON text, dates ISO text. Geometry types: Point, Point,
    LineString and (crossings) generic Geometry. The articles' provenance
    (:attr:`Atlas.articles`), when there is any, is the attribute table ``articles``. ``last_change`` is fixed
    (:data:`GPKG_TIMESTAMP`), which makes the file byte-identical for identical input with
    the GDAL version in use (3.12); other GDAL versions may write different bytes.
    """
    import pyogrio

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_path(target, ".tmp.gpkg")
    try:
        with _gdal_option("OGR_CURRENT_DATE", GPKG_TIMESTAMP):
            for layer, gdf in atlas.layers().items():
                geometry_type = GEOMETRY_TYPES[layer]
                pyogrio.write_dataframe(
                    _gpkg_frame(layer, gdf),
                    tmp,
                    layer=layer,
                    driver="GPKG",
                    geometry_type="Unknown" if geometry_type == "Geometry" else geometry_type,
                    promote_to_multi=False,
                    layer_options={"DESCRIPTION": _DESCRIPTIONS[layer], "IDENTIFIER": layer},
                )
            provenance = list(getattr(atlas, "articles", ()) or ())
            if provenance:
                pyogrio.write_dataframe(articles_frame(provenance), tmp, layer=ARTICLES_TABLE, driver="GPKG",
                                        layer_options={"DESCRIPTION": "Caravan Atlas: where each article came from",
                                                       "IDENTIFIER": ARTICLES_TABLE})
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        _replace(tmp, target)
    except BaseException as err:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal"), tmp.with_name(tmp.name + "-wal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
        if isinstance(err, Exception) and not isinstance(err, AtlasError):
            raise ExportError(f"{target}: cannot write GeoPackage: {err}") from err
        raise
    return target


def read_gpkg_articles(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The ``articles`` table of ``atlas.gpkg`` as provenance dicts ([] if it has none)."""
    import pyogrio

    if ARTICLES_TABLE not in {name for name, _ in pyogrio.list_layers(path)}:
        return []
    return _article_dicts(pyogrio.read_dataframe(path, layer=ARTICLES_TABLE, read_geometry=False))


def _article_dicts(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{f: (None if row.get(f) is None or (isinstance(row.get(f), float) and math.isnan(row.get(f)))
                 else row.get(f)) for f in ARTICLE_FIELDS} for row in df.to_dict("records")]


def read_gpkg_layer(path: str | os.PathLike[str], layer: str) -> gpd.GeoDataFrame:
    """Read one layer of ``atlas.gpkg`` with the layer's columns and dtypes (JSON decoded)."""
    import pyogrio

    if layer not in LAYER_COLUMNS:
        raise ExportError(f"unknown layer {layer!r}; layers are {', '.join(LAYERS)}")
    df = pyogrio.read_dataframe(path, layer=layer)
    rows: list[dict[str, Any]] = [{} for _ in range(len(df))]
    for col in LAYER_COLUMNS[layer]:
        if col.name not in df.columns:
            continue
        for row, v in zip(rows, df[col.name].tolist()):
            if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
                row[col.name] = None
            elif col.kind in ("list", "json"):
                row[col.name] = _strict_loads(v)
            elif col.kind == "int":
                row[col.name] = int(v)
            elif col.kind == "bool":
                row[col.name] = bool(v)
            else:
                row[col.name] = v
    return layer_frame(layer, rows, df.geometry.tolist())


# --------------------------------------------------------------------------- GeoParquet

#: Rows per file above which a layer is written as a partitioned dataset (a folder
#: ``<layer>.parquet/`` of ``part-NNNNN.parquet`` files) instead of one ``<layer>.parquet``.
PARQUET_PARTITION_ROWS = 250_000
#: Rows per row group inside each Parquet file.
PARQUET_ROW_GROUP = 50_000
#: Version of the GeoParquet specification the ``geo`` metadata follows.
GEOPARQUET_VERSION = "1.1.0"


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    return {"str": pa.string(), "date": pa.date32(), "list": pa.list_(pa.string()), "json": pa.string(),
            "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}[kind]


def _parquet_value(kind: str, v: Any, where: str) -> Any:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    if kind == "str":
        return _clean_text(str(v))
    if kind == "date":
        if isinstance(v, dt.datetime):
            return v.date()
        return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])
    if kind == "list":
        return [_clean_text(str(x)) for x in v]
    if kind == "json":
        return _dumps(_jsonable(v, where))
    if kind == "int":
        return int(v)
    if kind == "float":
        f = float(v)
        return f if math.isfinite(f) else None
    return bool(v)


def _geo_metadata(layer: str, geoms: Sequence[BaseGeometry | None]) -> bytes:
    """The GeoParquet ``geo`` key: WKB geometry column, EPSG:4326 (PROJJSON), types, bbox."""
    import pyproj

    column: dict[str, Any] = {
        "encoding": "WKB",
        "geometry_types": [] if GEOMETRY_TYPES[layer] == "Geometry" else [GEOMETRY_TYPES[layer]],
        "crs": pyproj.CRS.from_epsg(4326).to_json_dict(),
        "edges": "planar",
    }
    present = [g for g in geoms if g is not None and not g.is_empty]
    if present:
        column["bbox"] = [float(v) for v in shapely.total_bounds(np.array(present, dtype=object))]
    meta = {"version": GEOPARQUET_VERSION, "primary_column": "geometry", "columns": {"geometry": column}}
    return _dumps(meta).encode("utf-8")


def _parquet_table(layer: str, gdf: gpd.GeoDataFrame) -> Any:
    """One layer as an Arrow table with a fixed schema (the same for every partition)."""
    import pyarrow as pa

    gdf = _as_wgs84(gdf)
    arrays, fields = [], []
    for col in LAYER_COLUMNS[layer]:
        where = f"{layer}.{col.name}"
        values = [_parquet_value(col.kind, v, where) for v in gdf[col.name].tolist()]
        arrays.append(pa.array(values, type=_arrow_type(col.kind)))
        fields.append(pa.field(col.name, _arrow_type(col.kind)))
    geoms = gdf.geometry.tolist()
    wkb = [None if g is None or g.is_empty else shapely.to_wkb(g, hex=False, output_dimension=2) for g in geoms]
    arrays.append(pa.array(wkb, type=pa.binary()))
    fields.append(pa.field("geometry", pa.binary()))
    schema = pa.schema(fields, metadata={b"geo": _geo_metadata(layer, geoms)})
    return pa.Table.from_arrays(arrays, schema=schema)


def _write_parquet_file(table: Any, path: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(table, path, compression="zstd", row_group_size=PARQUET_ROW_GROUP)


def write_parquet_layer(layer: str, gdf: gpd.GeoDataFrame, out_dir: str | os.PathLike[str], *,
                        partition_rows: int = PARQUET_PARTITION_ROWS) -> Path:
    """Write one layer as GeoParquet 1.1 into ``out_dir``; returns the path written.

    Up to ``partition_rows`` rows: one file ``<layer>.parquet``. More: a folder
    ``<layer>.parquet/`` of ``part-00000.parquet``, ``part-00001.parquet``, ... in the layer's
    row order, every part with the same schema (``geopandas.read_parquet`` and
    ``pyarrow.dataset`` read the folder as one table). Columns follow
    :data:`geo.atlas.layers.LAYER_COLUMNS`: text, int64, float64, bool, ``date`` as date32, lists
    of ids as list<string>, evidence and other nested values as compact JSON text (as in the
    GeoPackage); geometries as WKB in ``geometry`` (EPSG:4326). The file or folder is
    replaced as a whole: readers see the old layer or the new one.
    """
    if layer not in LAYER_COLUMNS:
        raise ExportError(f"unknown layer {layer!r}; layers are {', '.join(LAYERS)}")
    if partition_rows < 1:
        raise ExportError(f"partition_rows must be at least 1, got {partition_rows}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{layer}.parquet"
    table = _parquet_table(layer, gdf)
    tmp = _temp_path(target)
    try:
        if table.num_rows <= partition_rows:
            _write_parquet_file(table, tmp)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        else:
            tmp.mkdir()
            for n, start in enumerate(range(0, table.num_rows, partition_rows)):
                _write_parquet_file(table.slice(start, partition_rows), tmp / f"part-{n:05d}.parquet")
        _swap_in(tmp, target)
    except BaseException as err:
        _remove(tmp)
        if isinstance(err, Exception) and not isinstance(err, AtlasError):
            raise ExportError(f"{target}: cannot write GeoParquet: {err}") from err
        raise
    return target


def _remove(path: Path) -> None:
    import shutil

    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def _swap_in(tmp: Path, target: Path) -> None:
    """Put ``tmp`` (file or folder) at ``target``, replacing a file or folder already there."""
    if tmp.is_file() and not target.is_dir():
        _replace(tmp, target)
        return
    old = _temp_path(target, ".old")
    if target.exists():
        os.replace(target, old)
    os.replace(tmp, target)
    _remove(old)


def read_parquet_layer(path: str | os.PathLike[str], layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a layer written by :func:`write_parquet_layer` (file or partitioned folder) back
    with the layer's columns and dtypes (JSON decoded, dates as ISO text)."""
    import pyarrow.parquet as pq

    p = Path(path)
    layer = layer or p.name.split(".")[0]
    if layer not in LAYER_COLUMNS:
        raise ExportError(f"{p}: unknown layer {layer!r}; layers are {', '.join(LAYERS)}")
    try:
        table = pq.read_table(p)
    except (OSError, ValueError) as err:  # pyarrow.ArrowInvalid is a ValueError
        raise ExportError(f"{p}: cannot read GeoParquet: {err}") from None
    present = set(table.column_names)
    rows: list[dict[str, Any]] = [{} for _ in range(table.num_rows)]
    for col in LAYER_COLUMNS[layer]:
        if col.name not in present:
            continue
        for row, v in zip(rows, table.column(col.name).to_pylist()):
            if v is None:
                row[col.name] = None
            elif col.kind == "json":
                row[col.name] = _strict_loads(v)
            elif col.kind == "date":
                row[col.name] = v.isoformat()
            else:
                row[col.name] = v
    wkb = table.column("geometry").to_pylist() if "geometry" in present else [None] * table.num_rows
    geoms = [None if b is None else shapely.from_wkb(b) for b in wkb]
    return layer_frame(layer, rows, geoms)


def write_parquet(atlas: Atlas, out_dir: str | os.PathLike[str], *,
                  partition_rows: int = PARQUET_PARTITION_ROWS) -> dict[str, Path]:
    """Write the four layers as GeoParquet (:func:`write_parquet_layer`) into ``out_dir``;
    returns file name -> path (``places.parquet``, ...), in :data:`LAYERS` order."""
    _check_atlas(atlas)
    written: dict[str, Path] = {}
    for layer, gdf in atlas.layers().items():
        path = write_parquet_layer(layer, gdf, out_dir, partition_rows=partition_rows)
        written[path.name] = path
    provenance = list(getattr(atlas, "articles", ()) or ())
    if provenance:
        import pyarrow as pa

        path = Path(out_dir) / f"{ARTICLES_TABLE}.parquet"
        with atomic_write(path, binary=True) as fh:
            import pyarrow.parquet as pq

            pq.write_table(pa.Table.from_pandas(articles_frame(provenance), preserve_index=False), fh)
        written[path.name] = path
    log.info("wrote %d GeoParquet layers to %s", len(written), out_dir)
    return written


# --------------------------------------------------------------------------- atlas


def _check_atlas(atlas: Atlas) -> None:
    for layer, gdf in atlas.layers().items():
        missing = [c.name for c in LAYER_COLUMNS[layer] if c.name not in gdf.columns]
        if missing:
            raise ExportError(f"layer {layer!r} lacks columns {', '.join(missing)}; build layers with geo.atlas.layers.make_atlas")


def write_atlas(atlas: Atlas, out_dir: str | os.PathLike[str], *, progress: bool = False) -> dict[str, Path]:
    """Write every atlas file into ``out_dir``; returns file name -> path, in writing order.

    Files: ``places.geojson``, ``events.geojson``, ``routes.geojson``, ``crossings.geojson``,
    ``events.csv``, ``atlas.gpkg``. Each GeoJSON file lists the provenance of the articles
    its features cite in its ``"articles"`` member. Each is replaced atomically, so a build killed midway
    leaves every file readable (some old, some new). ``progress`` shows a tqdm bar on stderr.
    """
    _check_atlas(atlas)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    provenance = list(getattr(atlas, "articles", ()) or ())
    jobs: list[tuple[str, Any]] = [
        (f"{layer}.geojson", lambda p, g=gdf: write_geojson(g, p, articles=cited_articles(g, provenance)))
        for layer, gdf in atlas.layers().items()]
    jobs.append((CSV_NAME, lambda p: write_csv(atlas.events, p, cited_articles(atlas.events, provenance))))
    jobs.append((GPKG_NAME, lambda p: write_gpkg(atlas, p)))
    written: dict[str, Path] = {}
    bar = _progress(len(jobs), "writing", enabled=progress)
    try:
        for name, write in jobs:
            bar.set_postfix_str(name, refresh=False)
            written[name] = write(out / name)
            bar.update(1)
    finally:
        bar.close()
    log.info("wrote %d files to %s", len(written), out)
    return written


def read_atlas(folder: str | os.PathLike[str]) -> Atlas:
    """Open an atlas folder written by :func:`write_atlas` or :func:`write_parquet`.

    Each layer is read from ``<layer>.parquet`` (file or partitioned folder) if present, else
    ``<layer>.geojson``, else the layer of ``atlas.gpkg``; the result has the layers' columns
    and dtypes. Raises :class:`ExportError` naming the folder if a layer is missing.
    """
    root = Path(folder)
    layers: dict[str, gpd.GeoDataFrame] = {}
    provenance: dict[str, dict[str, Any]] = {}
    for layer in LAYERS:
        parquet, geojson, gpkg = root / f"{layer}.parquet", root / f"{layer}.geojson", root / GPKG_NAME
        if parquet.exists():
            layers[layer] = read_parquet_layer(parquet, layer)
        elif geojson.exists():
            layers[layer] = read_geojson_layer(geojson, layer)
            provenance.update((a.get("article_id"), a) for a in read_articles_member(geojson))
        elif gpkg.exists():
            layers[layer] = read_gpkg_layer(gpkg, layer)
        else:
            raise ExportError(f"{root}: no {layer}.parquet, {layer}.geojson or {GPKG_NAME}: not an atlas folder")
    if not provenance and (root / f"{ARTICLES_TABLE}.parquet").exists():
        import pyarrow.parquet as pq

        provenance.update((a["article_id"], a) for a in _article_dicts(
            pq.read_table(root / f"{ARTICLES_TABLE}.parquet").to_pandas()))
    elif not provenance and (root / GPKG_NAME).exists():
        provenance.update((a["article_id"], a) for a in read_gpkg_articles(root / GPKG_NAME))
    return Atlas(**layers, articles=tuple(provenance[k] for k in sorted(provenance, key=str)))


def _progress(total: int, desc: str, *, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="file", file=sys.stderr, disable=None if enabled else True, leave=False)


def _size(n: int) -> str:
    if n < 1000:
        return f"{n} B"
    for unit in ("kB", "MB", "GB"):
        n /= 1000  # type: ignore[assignment]
        if n < 1000:
            return f"{n:.1f} {unit}"
    return f"{n:.1f} TB"


def format_summary(atlas: Atlas, files: Mapping[str, Path]) -> str:
    """A plain-text table: layer, features, file, size (one row per written file)."""
    counts = atlas.counts()
    rows = [("layer", "features", "file", "size")]
    for name, path in files.items():
        stem = Path(name).stem
        if name == GPKG_NAME:
            layer, n = "all", sum(counts.values())
        else:
            layer, n = stem, counts.get(stem, 0)
        shown = str(path)
        with contextlib.suppress(ValueError):
            rel = os.path.relpath(path)
            shown = shown if rel.startswith("..") else rel
        size = _size(Path(path).stat().st_size) if Path(path).exists() else "-"
        rows.append((layer, str(n), shown, size))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]:>{widths[3]}}" for r in rows]
    return "\n".join(line.rstrip() for line in lines)


# --------------------------------------------------------------------------- validation


@lru_cache(maxsize=1)
def _validators() -> tuple[Any, Any]:
    from jsonschema import Draft7Validator

    schema = json.loads(GEOJSON_SCHEMA_PATH.read_text("utf-8"))
    fc = next(s for s in schema["oneOf"] if s.get("title") == "GeoJSON FeatureCollection")
    return Draft7Validator(schema), Draft7Validator(fc["properties"]["features"]["items"])


def _schema_problems(obj: Any) -> list[str]:
    from jsonschema.exceptions import best_match

    whole, feature = _validators()
    if whole.is_valid(obj):
        return []
    problems = []
    if isinstance(obj, dict) and obj.get("type") == "FeatureCollection" and isinstance(obj.get("features"), list):
        for i, f in enumerate(obj["features"]):
            err = best_match(feature.iter_errors(f))
            if err is not None:
                at = "".join(f"[{p!r}]" if isinstance(p, str) else f"[{p}]" for p in err.absolute_path)
                problems.append(f"features[{i}]{at}: schema: {_short(err.message)}")
    if not problems:
        err = best_match(whole.iter_errors(obj))
        at = "".join(f"[{p!r}]" if isinstance(p, str) else f"[{p}]" for p in err.absolute_path) if err else ""
        problems.append(f"${at}: schema: {_short(err.message if err else 'invalid')}")
    return problems


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _decimals(v: Any) -> int:
    if isinstance(v, Decimal):
        exp = v.normalize().as_tuple().exponent
        return max(0, -exp) if isinstance(exp, int) else 0
    text = repr(float(v))
    if "e-" in text:
        mantissa, exp = text.split("e-")
        return int(exp) + (len(mantissa.split(".")[1]) if "." in mantissa else 0)
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def _ring_area(ring: Sequence[Sequence[Any]]) -> float:
    pts = [(float(p[0]), float(p[1])) for p in ring]
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(pts, pts[1:])) / 2.0


def _check_positions(coords: Any, where: str, problems: list[str], max_decimals: int) -> None:
    if not isinstance(coords, list):
        return
    if coords and not isinstance(coords[0], list):  # a position
        if len(coords) < 2 or not all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in coords):
            return  # the schema reports it
        lon, lat = float(coords[0]), float(coords[1])
        if not (math.isfinite(lon) and math.isfinite(lat)):
            problems.append(f"{where}: position {coords} is not finite")
        elif not (-180.0 <= lon <= 180.0):
            problems.append(f"{where}: longitude {lon} outside -180..180 (are [lat, lon] swapped or the CRS wrong?)")
        elif not (-90.0 <= lat <= 90.0):
            problems.append(f"{where}: latitude {lat} outside -90..90 (are [lat, lon] swapped or the CRS wrong?)")
        if lon == 0.0 and lat == 0.0:
            problems.append(f"{where}: position [0, 0] is 'null island' (a missing location written as zeros)")
        worst = max(_decimals(v) for v in coords[:2])
        if worst > max_decimals:
            problems.append(f"{where}: {worst} decimals (at most {max_decimals}; RFC 7946 suggests 6)")
        return
    for i, c in enumerate(coords):
        _check_positions(c, f"{where}[{i}]", problems, max_decimals)


def _check_segments(line: Any, where: str, problems: list[str]) -> None:
    try:
        lons = [float(p[0]) for p in line]
    except (TypeError, ValueError, IndexError):
        return
    for i, (a, b) in enumerate(zip(lons, lons[1:])):
        if abs(b - a) > 180.0:
            problems.append(f"{where}[{i}]: segment jumps {abs(b - a):.1f} degrees of longitude; cut it at the antimeridian")
            return


def _check_geometry(geom: Any, where: str, problems: list[str], max_decimals: int) -> None:
    if not isinstance(geom, dict):
        return
    if "crs" in geom:
        problems.append(f"{where}: has a 'crs' member (removed from GeoJSON by RFC 7946)")
    kind = geom.get("type")
    if kind == "GeometryCollection":
        for i, g in enumerate(geom.get("geometries") or []):
            _check_geometry(g, f"{where}.geometries[{i}]", problems, max_decimals)
        return
    coords = geom.get("coordinates")
    _check_positions(coords, f"{where}.coordinates", problems, max_decimals)
    if not isinstance(coords, list):
        return
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    for pi, rings in enumerate(polygons):
        base = f"{where}.coordinates" + (f"[{pi}]" if kind == "MultiPolygon" else "")
        if not isinstance(rings, list):
            continue
        for ri, ring in enumerate(rings):
            try:
                closed = len(ring) >= 4 and [float(v) for v in ring[0][:2]] == [float(v) for v in ring[-1][:2]]
                area = _ring_area(ring)
            except (TypeError, ValueError, IndexError):
                continue
            if not closed:
                problems.append(f"{base}[{ri}]: ring is not closed (first and last positions differ)")
            if ri == 0 and area < 0:
                problems.append(f"{base}[0]: exterior ring is clockwise (RFC 7946 right-hand rule wants counter-clockwise)")
            elif ri > 0 and area > 0:
                problems.append(f"{base}[{ri}]: hole is counter-clockwise (RFC 7946 right-hand rule wants clockwise)")
            _check_segments(ring, f"{base}[{ri}]", problems)
    lines = [coords] if kind == "LineString" else coords if kind == "MultiLineString" else []
    for li, line in enumerate(lines):
        _check_segments(line, f"{where}.coordinates" + (f"[{li}]" if kind == "MultiLineString" else ""), problems)


def _to_float(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return float(obj)
    if isinstance(obj, list):
        return [_to_float(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _to_float(v) for k, v in obj.items()}
    return obj


def validate_geojson(path_or_obj: str | os.PathLike[str] | bytes | Mapping[str, Any], *, max_decimals: int = 7) -> list[str]:
    """Problems with a GeoJSON document; an empty list means it is valid.

    Accepts a file path, the file's bytes, or an already parsed object. Checks: strict JSON
    (no NaN/Infinity, UTF-8), the official GeoJSON schema (draft 7), no ``crs`` member,
    longitudes within -180..180 and latitudes within -90..90, no [0, 0] positions, at most
    ``max_decimals`` decimals, closed rings with counter-clockwise exteriors and clockwise
    holes, and no segment longer than 180 degrees of longitude (antimeridian).
    """
    if isinstance(path_or_obj, (str, os.PathLike, bytes)):
        if isinstance(path_or_obj, bytes):
            data, label = path_or_obj, "<bytes>"
        else:
            label = str(path_or_obj)
            try:
                data = Path(path_or_obj).read_bytes()
            except OSError as err:
                return [f"{label}: cannot read: {err.strerror or err}"]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            return [f"not UTF-8 (byte {err.start})"]
        if text.startswith("\ufeff"):
            return ["starts with a byte order mark (RFC 8259 forbids it in JSON texts sent between systems)"]
        try:
            obj = _strict_loads(text, parse_float=Decimal)
        except ValueError as err:
            return [f"not strict JSON: {err}"]
    else:
        obj = path_or_obj
        try:
            json.dumps(obj, allow_nan=False, default=str)
        except ValueError as err:
            return [f"not strict JSON: {err}"]
    problems: list[str] = []
    if isinstance(obj, dict) and "crs" in obj:
        problems.append("$: has a 'crs' member (removed from GeoJSON by RFC 7946; positions are WGS 84 lon/lat)")
    problems += _schema_problems(_to_float(obj))
    if not isinstance(obj, dict):
        return problems
    if obj.get("type") == "FeatureCollection" and isinstance(obj.get("features"), list):
        for i, f in enumerate(obj["features"]):
            if isinstance(f, dict):
                if "crs" in f:
                    problems.append(f"features[{i}]: has a 'crs' member")
                _check_geometry(f.get("geometry"), f"features[{i}].geometry", problems, max_decimals)
    elif obj.get("type") == "Feature":
        _check_geometry(obj.get("geometry"), "geometry", problems, max_decimals)
    else:
        _check_geometry(obj, "$", problems, max_decimals)
    return problems


def validate_atlas_files(files: Mapping[str, Path]) -> list[str]:
    """Validate every ``.geojson`` among written files; problems are prefixed with the file."""
    problems = []
    for name, path in files.items():
        if name.endswith(".geojson"):
            problems += [f"{path}: {p}" for p in validate_geojson(path)]
    return problems
