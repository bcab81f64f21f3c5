"""Parallel and distributed builds give the same files as the single-process build.

The Dask tests use one module-scoped ``LocalCluster`` (2 single-threaded worker processes on
127.0.0.1, no network); the process-pool test starts 2 local workers. Each worker loads
spaCy once, so the module takes some 20-40 s on 2 cores.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo.engine import EngineError, analyse, build
from geo.export import read_atlas, write_parquet

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "data" / "articles"
COMPARED = ("places.geojson", "events.geojson", "routes.geojson", "crossings.geojson", "events.csv")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The single-process build of the seed articles."""
    out = tmp_path_factory.mktemp("jobs1")
    result = build([ARTICLES], out, jobs=1)
    assert result.articles == 3 and not result.bad
    return out, result


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _same_files(a: Path, b: Path, names=COMPARED) -> None:
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), f"{name} differs"


def test_process_pool_equals_single_process(reference, tmp_path):
    ref_dir, ref = reference
    result = build([ARTICLES], tmp_path, jobs=2, chunk_size=1)  # 3 chunks over 2 workers
    assert result.report.articles == ref.report.articles
    _same_files(ref_dir, tmp_path)


def test_dask_equals_single_process(reference, dask_client, tmp_path):
    ref_dir, _ = reference
    assert len(dask_client.scheduler_info()["workers"]) == 2
    build([ARTICLES], tmp_path, engine="dask", client=dask_client, chunk_size=1)
    _same_files(ref_dir, tmp_path)


def test_dask_analyse_keeps_input_order(dask_client, seed_articles):
    order = list(reversed(seed_articles))
    ids = [a.article.id for a in analyse(order, engine="dask", client=dask_client, chunk_size=1)]
    assert ids == [a.id for a in order]


def test_parquet_round_trip(reference, tmp_path):
    _, ref = reference
    atlas = ref.atlas
    for partition_rows in (250_000, 4):  # one file per layer; a partitioned folder per layer
        out = tmp_path / f"p{partition_rows}"
        files = write_parquet(atlas, out, partition_rows=partition_rows)
        assert sorted(files) == ["articles.parquet", "crossings.parquet", "events.parquet", "places.parquet",
                                 "routes.parquet"]  # + the articles' provenance
        if partition_rows == 4:
            assert files["events.parquet"].is_dir() and len(list(files["events.parquet"].glob("part-*.parquet"))) > 1
        back = read_atlas(out)
        assert back.articles == atlas.articles and atlas.articles  # provenance survives GeoParquet
        for layer, gdf in atlas.layers().items():
            raw = gpd.read_parquet(files[f"{layer}.parquet"])  # any GeoParquet reader
            assert len(raw) == len(gdf)
            assert list(raw.columns) == list(gdf.columns)
            assert raw.crs.to_epsg() == 4326
            assert list(raw.geometry.to_wkb()) == list(gdf.geometry.to_wkb())  # null geometries stay null
            pd.testing.assert_frame_equal(pd.DataFrame(back.layers()[layer]).drop(columns="geometry"),
                                          pd.DataFrame(gdf).drop(columns="geometry"))
            assert list(back.layers()[layer].geometry.to_wkb()) == list(gdf.geometry.to_wkb())


def test_read_atlas_reads_geojson_folder(reference):
    ref_dir, ref = reference
    back = read_atlas(ref_dir)
    assert back.counts() == ref.atlas.counts()


def test_cli_build_parquet(tmp_path, capsys):
    from geo.cli import main

    assert main(["build", str(ARTICLES), "--out", str(tmp_path), "-j", "1", "--format", "parquet"]) == 0
    assert (tmp_path / "events.parquet").exists()
    assert "events.parquet" in capsys.readouterr().out


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"engine": "spark"}, "unknown engine 'spark'"),
        ({"scheduler": "tcp://127.0.0.1:8786"}, "needs --engine dask"),
        ({"jobs": 0}, "jobs must be at least 1"),
        ({"chunk_size": 0}, "chunk_size must be at least 1"),
    ],
)
def test_bad_options_are_refused(kwargs, message):
    with pytest.raises(EngineError, match=message):
        analyse([], **kwargs)


def test_cli_refuses_scheduler_without_dask(capsys):
    from geo.cli import main

    assert main(["build", str(ARTICLES), "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    assert "needs --engine dask" in capsys.readouterr().err
