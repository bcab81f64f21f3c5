"""Run the per-article stage on every core, or on a Dask cluster; then assemble and write.

:func:`analyse` streams :class:`~geo.atlas.build.ArticleAnalysis` results for a stream of
articles, computed

- ``engine="local"``: in this process (``jobs=1``) or in a pool of ``jobs`` worker
  processes (default: every core). Each worker loads spaCy and opens the memory-mapped
  gazetteer once (pool initializer), then takes chunks of articles.
- ``engine="dask"``: on a ``dask.distributed`` cluster, the one at ``scheduler``
  (``tcp://host:8786``) or a :class:`~distributed.LocalCluster` of ``jobs`` single-threaded
  worker processes started for the run. Every worker needs the same code and
  environment (``pip install -r requirements.txt`` and the repository on ``PYTHONPATH``).

Articles are cut into chunks of ``chunk_size`` consecutive articles whatever the engine and
the number of workers; each chunk is one ``nlp.pipe`` batch. At most a few chunks per
worker are in flight, so memory does not grow with the corpus, and results come back in
input order. With the same ``chunk_size`` every engine and every ``jobs`` gives the same
analyses, and :func:`geo.atlas.build.assemble_atlas` sorts by article id: the files written by
:func:`build` are byte-identical whatever the engine or the number of workers.

:func:`build` is ``python -m geo build``: read the corpus lazily, analyse, assemble, write
GeoJSON + CSV + GeoPackage (``fmt="geojson"``) or GeoParquet (``fmt="parquet"``).
"""

from __future__ import annotations

import itertools
import logging
import os
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from geo.errors import AtlasError

if TYPE_CHECKING:  # pragma: no cover
    from geo.atlas.build import ArticleAnalysis, Atlas, AtlasReport
    from geo.sources.corpus import Article
    from geo.errors import ArticleError

__all__ = ["ENGINES", "FORMATS", "CHUNK_SIZE", "EngineError", "BuildResult", "analyse", "build", "default_jobs"]

log = logging.getLogger(__name__)

#: The engines :func:`analyse` knows.
ENGINES = ("local", "dask")
#: Output formats of :func:`build`.
FORMATS = ("geojson", "parquet")
#: Articles per chunk (one unit of work, one ``nlp.pipe`` batch). Part of the output's
#: identity in theory (spaCy batches), so it is the same for every engine.
CHUNK_SIZE = 16
#: Chunks in flight per worker: enough to keep every worker busy, few enough to bound memory.
_IN_FLIGHT_PER_WORKER = 3
#: Thread pools of the numeric libraries, pinned to one thread per worker process.
_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")


class EngineError(AtlasError, RuntimeError):
    """The engine cannot run as asked (bad option, unreachable scheduler, broken worker)."""


def default_jobs() -> int:
    """Cores this process may use (``sched_getaffinity`` where available)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


# --------------------------------------------------------------------------- the unit of work


def _warm_worker(demonyms: bool = True) -> int:
    """Load what every chunk needs once per process: spaCy and the gazetteer. Returns the pid."""
    for var in _THREAD_VARS:
        os.environ.setdefault(var, "1")
    from geo.gazetteer.index import load_gazetteer
    from geo.geoparsing.recognize import load_nlp

    del demonyms  # the demonym table is small and loaded with the first chunk
    load_gazetteer()
    load_nlp()
    return os.getpid()


def _pool_initializer(demonyms: bool) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _warm_worker(demonyms)


def analyse_chunk(articles: Sequence[Article], demonyms: bool = True) -> list[ArticleAnalysis]:
    """Analyse one chunk of articles (one NLP batch); what every engine runs on a worker."""
    from geo.atlas.build import analyse_articles

    return list(analyse_articles(articles, demonyms=demonyms, batch_size=max(1, len(articles))))


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _ordered(submit: Callable[[list[Article]], Any], result: Callable[[Any], list[ArticleAnalysis]],
             chunks: Iterator[list[Article]], window: int) -> Iterator[ArticleAnalysis]:
    """Keep ``window`` chunks in flight; yield results in input order as they complete."""
    pending: deque[Any] = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield from result(pending.popleft())
    while pending:
        yield from result(pending.popleft())


# --------------------------------------------------------------------------- engines


def _analyse_local(articles: Iterable[Article], jobs: int, chunk_size: int, demonyms: bool) -> Iterator[ArticleAnalysis]:
    chunks = _chunks(articles, chunk_size)
    if jobs == 1:
        for chunk in chunks:
            yield from analyse_chunk(chunk, demonyms)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    # One BLAS/OpenMP thread per worker: the workers are the parallelism. Numeric libraries
    # read these when they load, so they are set here, before the workers start (this
    # process's own, already loaded libraries are not affected).
    for var in _THREAD_VARS:
        os.environ.setdefault(var, "1")

    # forkserver: workers start from a clean process with geo (and spaCy) imported once, not
    # from a copy of this one (threads, locks, open files); spawn where it does not exist.
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["geo.atlas.build", "geo.geoparsing.recognize"])
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_pool_initializer, initargs=(demonyms,))
    try:
        yield from _ordered(lambda c: pool.submit(analyse_chunk, c, demonyms), lambda f: f.result(),
                            chunks, jobs * _IN_FLIGHT_PER_WORKER)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _dask_client(jobs: int, scheduler: str | None) -> tuple[Any, Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:  # pragma: no cover - dask is in requirements.txt
        raise EngineError("the dask engine needs dask and distributed (pip install -r requirements.txt)") from err
    # dask logs every cluster event at INFO; keep the build's stderr for the progress bar.
    logging.getLogger("distributed").setLevel(logging.WARNING)
    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except (OSError, TimeoutError) as err:
            raise EngineError(f"cannot reach the Dask scheduler at {scheduler!r}: {err}") from err
    cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None, silence_logs=logging.ERROR)
    return Client(cluster), cluster


def _analyse_dask(articles: Iterable[Article], jobs: int, scheduler: str | None, chunk_size: int,
                  demonyms: bool, client: Any = None) -> Iterator[ArticleAnalysis]:
    own = client is None
    cluster = None
    if own:
        client, cluster = _dask_client(jobs, scheduler)
    try:
        try:
            pids = client.run(_warm_worker, demonyms)  # load spaCy + gazetteer on every worker at once
        except ModuleNotFoundError as err:
            raise EngineError(
                f"a Dask worker cannot import {err.name!r}: every worker needs this repository on its "
                "PYTHONPATH and the same environment (pip install -r requirements.txt)"
            ) from err
        workers = max(1, len(pids))
        log.info("dask: %d workers at %s", workers, client.scheduler.address)
        yield from _ordered(lambda c: client.submit(analyse_chunk, c, demonyms, pure=False),
                            lambda f: f.result(), _chunks(articles, chunk_size), workers * _IN_FLIGHT_PER_WORKER)
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()


def analyse(
    articles: Iterable[Article],
    *,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    chunk_size: int = CHUNK_SIZE,
    demonyms: bool = True,
    client: Any = None,
) -> Iterator[ArticleAnalysis]:
    """Per-article stage of the atlas on many cores or machines; results in input order.

    Parameters
    ----------
    articles
        Any iterable, consumed lazily (a generator from :func:`geo.sources.corpus.read_corpus`).
    jobs
        Worker processes for ``engine="local"`` and for the Dask ``LocalCluster`` started
        when no ``scheduler`` is given; default: every core. ``jobs=1`` runs in this process.
    engine
        ``"local"`` (process pool) or ``"dask"`` (``dask.distributed``).
    scheduler
        Address of a running Dask scheduler (``tcp://host:8786``); only with ``engine="dask"``.
    chunk_size
        Articles per unit of work (and per NLP batch).
    client
        An existing ``distributed.Client`` to use (left open); only with ``engine="dask"``.
    """
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}; engines are {', '.join(ENGINES)}")
    if scheduler and engine != "dask":
        raise EngineError(f"--scheduler {scheduler!r} needs --engine dask")
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise EngineError(f"jobs must be at least 1, got {jobs}")
    if chunk_size < 1:
        raise EngineError(f"chunk_size must be at least 1, got {chunk_size}")
    if engine == "dask":
        return _analyse_dask(articles, jobs, scheduler, chunk_size, demonyms, client)
    return _analyse_local(articles, jobs, chunk_size, demonyms)


# --------------------------------------------------------------------------- build


@dataclass
class BuildResult:
    """What :func:`build` wrote and saw."""

    atlas: Atlas
    files: dict[str, Path]
    report: AtlasReport
    bad: list[ArticleError] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # analyse, assemble, write

    @property
    def articles(self) -> int:
        return self.report.articles


def build(
    paths: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    fmt: str = "geojson",
    progress: bool = False,
    chunk_size: int = CHUNK_SIZE,
    client: Any = None,
    corrections: str | None = "auto",
    workspace: str | None = None,
    articles: Sequence[Article] = (),
) -> BuildResult:
    """Build the atlas of the articles under ``paths`` (and of ``articles``, already read:
    fetched web pages) into ``out_dir``.

    ``corrections``: a database URL whose user corrections are applied to the atlas;
    ``"auto"`` (default) uses the store at ``ATLAS_DATABASE_URL`` or ``data/atlas.sqlite``
    when there is one; ``None`` applies none. They are those of ``workspace`` (a store
    workspace id); by default the workspace of the corpus folder when ``paths`` is one
    folder the store knows (the demo corpus's is ``demo``), else none: another corpus's
    corrections are never applied.

    Files are read one at a time as the workers need them (bad files are logged, kept in
    :attr:`BuildResult.bad` and skipped). ``fmt="geojson"`` writes what
    :func:`geo.export.write_atlas` writes; ``fmt="parquet"`` writes GeoParquet
    (:func:`geo.export.write_parquet`). ``progress`` shows a bar on stderr.
    """
    from tqdm import tqdm

    from geo.atlas.build import AtlasReport, assemble_atlas
    from geo.sources.corpus import iter_article_paths, read_corpus
    from geo.export import write_atlas, write_parquet

    if fmt not in FORMATS:
        raise EngineError(f"unknown format {fmt!r}; formats are {', '.join(FORMATS)}")
    paths = list(paths)
    files = list(iter_article_paths(paths))  # paths only: the texts are read lazily
    if not files and not articles:
        raise AtlasError(f"no article files in {', '.join(str(p) for p in paths)}")
    bad: list[ArticleError] = []
    seconds: dict[str, float] = {}
    report = AtlasReport()
    t0 = time.perf_counter()
    analyses = analyse(itertools.chain(articles, read_corpus(files, errors=bad)), jobs=jobs, engine=engine, scheduler=scheduler,
                       chunk_size=chunk_size, client=client)
    bar = tqdm(analyses, total=len(files) + len(articles), desc="articles", unit="article", file=sys.stderr,
               disable=None if progress else True, leave=False, smoothing=0.1)
    where = ", ".join([str(p) for p in paths] + ([f"{len(articles)} web page(s)"] if articles else []))
    timed = _Timed(bar, lambda: AtlasError(f"no usable articles in {where} ({len(bad)} unreadable)"))
    atlas = assemble_atlas(timed, report=report)
    atlas = _apply_store_corrections(atlas, corrections, report, workspace, [Path(p) for p in paths])
    t1 = time.perf_counter()
    seconds["analyse"] = timed.done - t0 if timed.done else t1 - t0
    seconds["assemble"] = t1 - t0 - seconds["analyse"]
    written = write_parquet(atlas, out_dir) if fmt == "parquet" else write_atlas(atlas, out_dir, progress=progress)
    seconds["write"] = time.perf_counter() - t1
    log.info("build: %d articles; analyse %.1f s, assemble %.1f s, write %.1f s", report.articles,
             seconds["analyse"], seconds["assemble"], seconds["write"])
    return BuildResult(atlas=atlas, files=written, report=report, bad=bad, seconds=seconds)


def _apply_store_corrections(atlas: Atlas, url: str | None, report: AtlasReport, workspace: str | None = None,
                             paths: list[Path] | None = None) -> Atlas:
    """The atlas with the active corrections of a workspace of the store applied (the
    dashboard's, imported ones): ``workspace``, else that of the one corpus folder built."""
    if url is None:
        return atlas
    from geo.store.database import Store, default_url

    if url == "auto":
        url = default_url()
        if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
            return atlas  # no store yet: nothing was corrected
    from geo.store.corrections import apply_corrections

    with Store.open(url) as store:
        if workspace is None:
            folder = paths[0] if paths and len(paths) == 1 and paths[0].is_dir() else None
            found = store.workspace_for_corpus(folder, create=False) if folder is not None else None
            if found is None:
                log.info("no workspace in the store for %s: no corrections applied", paths)
                return atlas
            workspace = found.workspace_id
        store.workspace(workspace)  # an unknown workspace is a one-line error
        # corrections made before workspaces land in the workspace whose atlas shows their feature
        store.link_legacy_corrections(workspace, getattr(atlas, "events", None), getattr(atlas, "places", None))
        active = store.corrections(workspace=workspace)
    if not active:
        return atlas
    skipped: list[str] = []
    corrected = apply_corrections(atlas, active, skipped=skipped)
    corrected.articles = atlas.articles
    report.corrections = len(active) - len(skipped)
    log.info("applied %d of %d corrections from the store", report.corrections, len(active))
    return corrected


class _Timed:
    """Iterate ``inner``, note when it is exhausted (the end of the per-article stage) and
    raise ``if_empty()`` if it yielded nothing (before the corpus stage builds anything)."""

    def __init__(self, inner: Iterable[Any], if_empty: Callable[[], Exception]) -> None:
        self.inner = inner
        self.if_empty = if_empty
        self.done = 0.0

    def __iter__(self) -> Iterator[Any]:
        n = 0
        try:
            for item in self.inner:
                n += 1
                yield item
        finally:
            self.done = time.perf_counter()
            close = getattr(self.inner, "close", None)
            if close is not None:
                close()
        if n == 0:
            raise self.if_empty()
