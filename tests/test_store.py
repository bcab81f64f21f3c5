"""The durable store (geo/store/database.py) on SQLite and on a real PostgreSQL server.

Every test taking ``store_url`` runs twice: on a fresh SQLite file and on a fresh database
of the throwaway PostgreSQL server started by ``tests/pg.py`` (skipped when none can be
started, except under CI where that fails).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from geo.store import corrections as C
from geo.cli import main as cli_main
from geo.sources.corpus import Article, read_corpus
from geo.store.database import MIGRATIONS, Store, StoreError
from pg import pg_server, store_url  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "data" / "articles"
WRITERS = 8
UNIQUE_ARTICLES = 10
CORRECTIONS_PER_WRITER = 10
SHARED_CORRECTION = "6c0f3d36-94a4-4a4f-9d0b-6f3a2f1b0c11"


@pytest.fixture(scope="module")
def seed() -> list[Article]:
    return list(read_corpus([ARTICLES]))


# --------------------------------------------------------------------------- schema


def test_open_applies_migrations_once(store_url: str) -> None:
    with Store.open(store_url) as store:
        assert store.schema_version == MIGRATIONS[-1][0]
        assert store.migrate() == []  # idempotent
    with Store.open(store_url) as again:
        assert again.schema_version == MIGRATIONS[-1][0]
        assert again.migrate() == []


def test_concurrent_openers_migrate_once(store_url: str) -> None:
    barrier = threading.Barrier(WRITERS)

    def opener(_: int) -> int:
        barrier.wait()
        with Store.open(store_url) as s:
            return s.schema_version

    with ThreadPoolExecutor(WRITERS) as pool:
        versions = list(pool.map(opener, range(WRITERS)))
    assert versions == [MIGRATIONS[-1][0]] * WRITERS
    with Store.open(store_url) as store, store.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT version FROM schema_version ORDER BY version").fetchall()
    assert [r[0] for r in rows] == [v for v, _, _ in MIGRATIONS]


def test_newer_schema_is_refused(store_url: str) -> None:
    with Store.open(store_url) as store, store.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'future', 'x')")
    with pytest.raises(StoreError, match="newer than this code"):
        Store.open(store_url)


def test_sqlite_is_wal_with_busy_timeout(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'a.sqlite'}") as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_default_url_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from geo.store.database import default_url

    monkeypatch.delenv("ATLAS_DATABASE_URL", raising=False)
    assert default_url().endswith("/data/atlas.sqlite")
    monkeypatch.setenv("ATLAS_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite'}")
    with Store.open() as store:
        assert store.url.endswith("env.sqlite")
    with pytest.raises(StoreError, match="unsupported database 'mysql'"):
        Store.open("mysql://u@h/db")


# --------------------------------------------------------------------------- articles


def test_same_text_is_stored_once(store_url: str, seed: list[Article]) -> None:
    with Store.open(store_url) as store:
        first = store.add_articles(seed)
        assert [created for _, created in first] == [True] * len(seed)
        assert [aid for aid, _ in first] == [a.content_hash for a in seed]
        # the same text under another id / file name / origin is the same article
        again = Article(id="renamed", text=seed[0].text, title="Other title", path="/x/upload.md")
        assert store.add_article(again, origin="upload") == (seed[0].content_hash, False)
        assert store.article_count() == len(seed)
        stored = store.article(seed[0].content_hash)
        assert stored is not None and stored.title == seed[0].title  # first metadata kept
        assert stored.extra["origin"] == "corpus" and stored.extra["label"] == seed[0].id


def test_articles_round_trip(store_url: str, seed: list[Article]) -> None:
    upload = Article(id="up", text="Migrants left Tapachula on Monday.\n", title="Upload", path="/tmp/news.txt",
                     extra={"lang": "en"})
    with Store.open(store_url) as store:
        store.add_articles(seed)
        assert store.add_article(upload, origin="upload")[1] is True
        with pytest.raises(StoreError, match="origin must be one of"):
            store.add_article(upload, origin="web")
    with Store.open(store_url) as reopened:  # a restart
        got = {a.id: a for a in reopened.articles()}
        uploads = reopened.articles(origin="upload")
    for a in seed:
        b = got[a.id]  # the article's own id, as a build from files uses
        assert (b.text, b.title, b.published, b.source, b.url) == (a.text, a.title, a.published, a.source, a.url)
        assert b.path == Path(a.path).name and b.extra["label"] == a.id and b.extra["content_hash"] == a.content_hash
    assert [a.id for a in uploads] == ["up"]
    with Store.open(store_url) as reopened:
        assert {a.id for a in reopened.articles(ids="hash")} == {a.content_hash for a in seed} | {upload.content_hash}
    assert uploads[0].extra["lang"] == "en" and uploads[0].path == "news.txt"


def test_build_atlas_from_the_store(tmp_path: Path, seed: list[Article]) -> None:
    from geo.atlas.build import build_atlas

    with Store.open(f"sqlite:///{tmp_path / 'a.sqlite'}") as store:
        store.add_articles(seed)
        stored = store.articles()
    from_store = build_atlas(stored)
    from_files = build_atlas(seed)
    # the same ids as a build from files, so corrections made on one apply to the other
    from geo.export import to_geojson_str

    for layer in ("places", "events", "routes", "crossings"):
        assert to_geojson_str(getattr(from_store, layer)) == to_geojson_str(getattr(from_files, layer)), layer


def test_label_shared_by_two_texts_is_disambiguated(tmp_path: Path) -> None:
    a = Article(id="story", text="Migrants left Tapachula.\n")
    b = Article(id="story", text="Migrants reached Huixtla.\n")
    with Store.open(f"sqlite:///{tmp_path / 'a.sqlite'}") as store:
        store.add_articles([a, b])
        ids = sorted(x.id for x in store.articles())
    assert len(set(ids)) == 2 and all(i.startswith("story~") for i in ids)


# --------------------------------------------------------------------------- geocoder cache


def test_geocode_cache(store_url: str) -> None:
    with Store.open(store_url) as store:
        assert store.geocode_cache_get("nominatim", "tapachula") is None
        store.geocode_cache_put("nominatim", "atlantis", [])
        hit = [{"lat": "14.9", "lon": "-92.26", "display_name": "Tapachula"}]
        store.geocode_cache_put("nominatim", "tapachula", hit, query="Tapachula")
        with pytest.raises(StoreError, match="errors are never cached"):
            store.geocode_cache_put("nominatim", "down", {"error": "timeout"}, status="error")
    with Store.open(store_url) as store:
        nf = store.geocode_cache_get("nominatim", "atlantis")
        assert nf is not None and nf.status == "not_found" and nf.response == []
        found = store.geocode_cache_get("nominatim", "tapachula")
        assert found is not None and found.status == "found" and found.response == hit and found.created_at
        assert store.geocode_cache_get("nominatim", "down") is None
        store.geocode_cache_put("nominatim", "atlantis", hit)  # a later genuine answer replaces it
        assert store.geocode_cache_get("nominatim", "atlantis").status == "found"
        cache = store.response_cache()  # geo.gazetteer.online.ResponseCache's interface
        request = {"q": "Huixtla", "limit": 5}
        assert cache.get("nominatim", request) is None
        cache.put("nominatim", request, [])
        assert cache.get("nominatim", request) == [] and len(cache) == 3


# --------------------------------------------------------------------------- corrections


def test_corrections_are_shared_survive_restart_and_undo(store_url: str) -> None:
    move = C.move_place("pl_8a9512dd4aae67c0", 14.91, -92.26, author="ana", session="s1")
    edit = C.edit_event("ev_5587c71ed1fb1e6b", people_min=5000, people_max=7000, session="s2")
    session1, session2 = Store.open(store_url), Store.open(store_url)  # two dashboard sessions
    try:
        assert session1.add_correction(move) == move.correction_id
        assert session1.add_correction(move) == move.correction_id  # same UUID: no duplicate
        session2.add_correction(edit)
        seen = session2.corrections()
        assert [c.correction_id for c in seen] == [move.correction_id, edit.correction_id]
        assert seen[0].created_at and seen[0].author == "ana" and seen[0].value == {"lat": 14.91, "lon": -92.26}
        assert session2.undo_correction(move.correction_id) is True
        assert session1.undo_correction(move.correction_id) is False  # already undone
        with pytest.raises(StoreError, match="no correction with id"):
            session1.undo_correction(str(uuid.uuid4()))
    finally:
        session1.close()
        session2.close()
    with Store.open(store_url) as restarted:
        assert [c.correction_id for c in restarted.corrections()] == [edit.correction_id]
        history = restarted.corrections(include_undone=True)
        assert [c.correction_id for c in history] == [move.correction_id, edit.correction_id]
        assert history[0].undone_at is not None and restarted.correction_count() == 2
        assert [c.correction_id for c in restarted.corrections(target="event")] == [edit.correction_id]


def test_import_is_idempotent_and_carries_undo(store_url: str, tmp_path: Path) -> None:
    a = C.not_a_place("pl_e2ef6fa7d0dae4c2", author="ana")
    b = C.choose_candidate(C.MentionRef("032aa03b2a311103", 802, 811),
                           {"name": "Tapachula", "lat": 14.9, "lon": -92.25, "kind": "city", "geonameid": 3516266,
                            "country_code": "MX"})
    source = f"sqlite:///{tmp_path / 'source.sqlite'}"
    with Store.open(source) as src:
        src.add_correction(a)
        src.add_correction(b)
    path = tmp_path / "corrections.json"
    assert cli_main(["corrections", "export", str(path), "--db", source]) == 0
    assert cli_main(["corrections", "import", str(path), "--db", store_url]) == 0
    assert cli_main(["corrections", "import", str(path), "--db", store_url]) == 0  # twice: no duplicates
    with Store.open(store_url) as dst:
        assert [c.to_dict() for c in dst.corrections()] == [c.to_dict() for c in Store.open(source).corrections()]
    with Store.open(source) as src:  # undone at the source later; re-export and import
        src.undo_correction(a.correction_id)
    assert cli_main(["corrections", "export", str(path), "--db", source]) == 0
    assert cli_main(["corrections", "import", str(path), "--db", store_url]) == 0
    with Store.open(store_url) as dst:
        assert [c.correction_id for c in dst.corrections()] == [b.correction_id]
        assert dst.correction_count() == 2
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    assert cli_main(["corrections", "import", str(bad), "--db", store_url]) == 2


# --------------------------------------------------------------------------- concurrency


def _workload(url: str, worker: int, store: Store | None = None) -> dict:
    """One writer: the seed articles (shared by all), its own articles, its own corrections,
    the one shared correction, one shared and one own cache entry, and one undo."""
    own = store is None
    store = store or Store.open(url)
    try:
        seed = list(read_corpus([ARTICLES]))
        t0 = time.perf_counter()
        created_seed = [store.add_article(a)[1] for a in seed]
        created_own = [store.add_article(Article(id=f"w{worker}-{i}", text=f"Writer {worker}, article {i}: caravan news.\n"),
                                         origin="upload")[1] for i in range(UNIQUE_ARTICLES)]
        ids = []
        for i in range(CORRECTIONS_PER_WRITER):
            c = C.edit_event(f"ev_w{worker}_{i}", people_min=i, author=f"w{worker}")
            ids.append(store.add_correction(c))
        store.add_correction(C.Correction(target="place", target_id="pl_8a9512dd4aae67c0", action="not_a_place",
                                          correction_id=SHARED_CORRECTION, author=f"w{worker}"))
        store.geocode_cache_put("nominatim", "shared", [{"w": worker}])
        store.geocode_cache_put("nominatim", f"own-{worker}", [])
        store.undo_correction(ids[0])
        return {"seed": sum(created_seed), "own": sum(created_own), "ids": ids, "seconds": time.perf_counter() - t0}
    finally:
        if own:
            store.close()


def _check_concurrent_result(url: str, results: list[dict], kind: str) -> None:
    assert sum(r["seed"] for r in results) == 3  # each shared text created exactly once
    assert all(r["own"] == UNIQUE_ARTICLES for r in results)
    with Store.open(url) as store:
        assert store.article_count() == 3 + WRITERS * UNIQUE_ARTICLES
        assert len({a.id for a in store.articles()}) == store.article_count()
        history = store.corrections(include_undone=True)
        ids = [c.correction_id for c in history]
        assert len(ids) == len(set(ids)) == WRITERS * CORRECTIONS_PER_WRITER + 1  # no loss, no duplicate
        assert set(ids) == {i for r in results for i in r["ids"]} | {SHARED_CORRECTION}
        assert sum(1 for c in history if c.undone_at) == WRITERS
        assert store.geocode_cache_size() == 1 + WRITERS
    writes = WRITERS * (3 + UNIQUE_ARTICLES + CORRECTIONS_PER_WRITER + 1 + 2 + 1)
    late = max(r.get("late", 0.0) for r in results)
    print(f"\n{url.split(':')[0].split('+')[0]}, {WRITERS} {kind} (latest start {late:.2f} s late): {WRITERS} writers, "
          f"{writes} write transactions, slowest writer "
          f"{max(r['seconds'] for r in results):.2f} s; {3 + WRITERS * UNIQUE_ARTICLES} articles, "
          f"{WRITERS * CORRECTIONS_PER_WRITER + 1} corrections, nothing lost or duplicated")


def test_concurrent_writers_threads(store_url: str) -> None:
    with Store.open(store_url) as store:  # one Store shared by all threads, as Streamlit sessions do
        barrier = threading.Barrier(WRITERS)

        def job(w: int) -> dict:
            barrier.wait()
            return _workload(store_url, w, store)

        with ThreadPoolExecutor(WRITERS) as pool:
            results = list(pool.map(job, range(WRITERS)))
    _check_concurrent_result(store_url, results, "threads")


_PROCESS = """
import json, sys, time
sys.path[:0] = [{root!r}, {tests!r}]
from test_store import _workload
start = float(sys.argv[2])
late = time.time() - start
time.sleep(max(0.0, -late))
print(json.dumps({{**_workload(sys.argv[1], int(sys.argv[3])), "late": max(0.0, late)}}))
"""


@pytest.mark.slow
def test_concurrent_writers_processes(store_url: str) -> None:
    Store.open(store_url).close()  # not required (openers migrate safely), keeps the timing fair
    script = _PROCESS.format(root=str(ROOT), tests=str(ROOT / "tests"))
    start = time.time() + 4.0  # all processes start writing at the same moment
    procs = [subprocess.Popen([sys.executable, "-c", script, store_url, str(start), str(w)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for w in range(WRITERS)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    _check_concurrent_result(store_url, results, "processes")
