"""Workspaces in the store (geo/store/database.py) and the CLI verbs, on SQLite and PostgreSQL.

A workspace is one corpus with its own uploads and corrections: nothing held, removed or
corrected in one is seen from another. ``tests/data/store_v2.sqlite`` is a store written by
the code before workspaces (schema version 2): the three demo articles, one article of
another corpus (Ushuaia), one upload, an event correction, a mention correction of the
Ushuaia article and an undone correction.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from geo.store import corrections as C
from geo.cli import main as cli_main
from geo.sources.corpus import Article, read_corpus
from geo.store.database import DEMO_CORPUS, DEMO_WORKSPACE, MIGRATIONS, Store, StoreError
from pg import new_pg_database, pg_server, store_url  # noqa: F401  (fixtures)
from store_support import create_schema_v2

ROOT = Path(__file__).resolve().parents[1]
V2_STORE = ROOT / "tests" / "data" / "store_v2.sqlite"
USHUAIA = (ROOT / "tests" / "data" / "ushuaia_2024.md").read_text(encoding="utf-8")  # a corpus far from Mexico


@pytest.fixture(scope="module")
def demo() -> list[Article]:
    return list(read_corpus([DEMO_CORPUS]))


@pytest.fixture()
def ushuaia_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "ushuaia"
    folder.mkdir()
    (folder / "ushuaia_2024.md").write_text(USHUAIA, encoding="utf-8")
    return folder


def _ids(articles: list[Article]) -> set[str]:
    return {a.id for a in articles}


# --------------------------------------------------------------------------- isolation


def test_workspaces_are_isolated_both_ways(store_url: str, demo: list[Article], ushuaia_dir: Path) -> None:
    with Store.open(store_url) as store:
        ws = store.workspace_for_corpus(ushuaia_dir)
        assert ws.workspace_id == "ushuaia" and ws.name == "ushuaia" and ws.corpus == str(ushuaia_dir.resolve())
        assert store.workspace_for_corpus(ushuaia_dir).workspace_id == "ushuaia"  # the same folder, the same one
        assert store.workspace_for_corpus(DEMO_CORPUS).workspace_id == DEMO_WORKSPACE
        store.add_articles(demo, workspace=DEMO_WORKSPACE)
        store.add_articles(list(read_corpus([ushuaia_dir])), workspace="ushuaia")
        upload = Article(id="up", text="Migrants reached Ushuaia on Monday.\n", title="Upload")
        assert store.add_article(upload, "upload", workspace="ushuaia") == (upload.content_hash, True)
        # the same text in two workspaces is stored once, held by each
        assert store.add_article(demo[0], "upload", workspace="ushuaia")[1] is True
        assert store.article_count() == len(demo) + 2
        fix = store.add_correction(C.edit_event("ev_x", people_min=5), workspace="ushuaia")

    with Store.open(store_url) as store:  # a restart
        assert _ids(store.articles(workspace=DEMO_WORKSPACE)) == {a.id for a in demo}
        assert _ids(store.articles(workspace="ushuaia")) == {"ushuaia_2024", "up", demo[0].id}
        assert store.article_count(DEMO_WORKSPACE) == len(demo) and store.article_count("ushuaia") == 3
        assert store.corrections(workspace=DEMO_WORKSPACE) == []
        assert [c.correction_id for c in store.corrections(workspace="ushuaia")] == [fix]
        listed = {w.workspace_id: (w.articles, w.corrections) for w in store.workspaces()}
        assert listed == {DEMO_WORKSPACE: (len(demo), 0), "ushuaia": (3, 1)}
        assert [w.workspace_id for w in store.workspaces()][0] == DEMO_WORKSPACE


def test_same_folder_name_gets_its_own_id_and_unknown_workspace_is_refused(store_url: str, tmp_path: Path) -> None:
    (tmp_path / "a" / "news").mkdir(parents=True)
    (tmp_path / "b" / "news").mkdir(parents=True)
    (tmp_path / "demo").mkdir()
    with Store.open(store_url) as store:
        assert store.workspace_for_corpus(tmp_path / "a" / "news").workspace_id == "news"
        assert store.workspace_for_corpus(tmp_path / "b" / "news").workspace_id == "news-2"
        assert store.workspace_for_corpus(tmp_path / "demo").workspace_id == "demo-2"  # demo is the demo's
        assert store.workspace_for_corpus(tmp_path / "c", create=False) is None
        with pytest.raises(StoreError, match=r"no workspace 'nope' \(workspaces: demo, demo-2, news, news-2\)"):
            store.add_article(Article(id="x", text="x"), workspace="nope")
        with pytest.raises(StoreError, match="no workspace 'nope'"):
            store.workspace("nope")


# --------------------------------------------------------------------------- remove and restore


def test_remove_and_restore_an_article_with_its_corrections(store_url: str, demo: list[Article]) -> None:
    first, second = demo[0], demo[1]
    with Store.open(store_url) as store:
        store.add_articles(demo)
        version = store.workspace_version(DEMO_WORKSPACE)
        own = store.add_correction(C.edit_event("ev_1", people_min=1), articles=[first.content_hash])
        shared = store.add_correction(C.not_a_place("pl_1"), articles=[first.content_hash, second.content_hash])
        loose = store.add_correction(C.not_a_place("pl_2"))  # attached to nothing known: always kept

        assert store.remove_article(first.content_hash) is True
        assert store.remove_article(first.content_hash) is False  # already removed
        assert store.workspace_version(DEMO_WORKSPACE) != version
        assert first.id not in _ids(store.articles())
        assert _ids(store.articles(removed=True)) == {first.id}
        assert [c.correction_id for c in store.corrections()] == [shared, loose]  # own left with the article
        assert store.workspace(DEMO_WORKSPACE).removed == 1
        # ingesting the corpus again does not bring a removed article back
        assert store.add_articles([first]) == [(first.content_hash, False)]
        assert first.id not in _ids(store.articles())

    with Store.open(store_url) as store:  # kept across restarts, undone by restore
        assert first.id not in _ids(store.articles())
        assert store.restore_article(first.content_hash) is True
        assert store.restore_article(first.content_hash) is False
        assert first.id in _ids(store.articles())
        assert [c.correction_id for c in store.corrections()] == [own, shared, loose]
        # uploading a removed article again restores it
        store.remove_article(first.content_hash)
        assert store.add_article(first, "upload") == (first.content_hash, True)
        assert first.id in _ids(store.articles())
        with pytest.raises(StoreError, match="no article 'ffffffffffffffff' in workspace 'demo'"):
            store.remove_article("ffffffffffffffff")


def test_find_article_by_id_hash_or_prefix(store_url: str, demo: list[Article]) -> None:
    with Store.open(store_url) as store:
        store.add_articles(demo)
        a = demo[2]
        for ref in (a.id, a.content_hash, a.content_hash[:6]):
            assert store.find_article(ref).extra["content_hash"] == a.content_hash
        store.remove_article(a.content_hash)
        assert store.find_article(a.id).extra["removed_at"]  # removed ones can be named (to restore them)
        with pytest.raises(StoreError, match="no article 'nothing' in workspace 'demo'"):
            store.find_article("nothing")


# --------------------------------------------------------------------------- migration


def _v2_copy(tmp_path: Path) -> str:
    target = tmp_path / "old.sqlite"
    shutil.copyfile(V2_STORE, target)
    return f"sqlite:///{target}"


def _copy_v2_to_postgres(url: str) -> None:
    """A PostgreSQL store at schema version 2 holding the rows of the v2 SQLite file."""
    engine = sa.create_engine(url.replace("postgresql+psycopg", "postgresql+psycopg", 1))
    source = sa.create_engine(f"sqlite:///{V2_STORE}")
    try:
        with engine.begin() as conn:
            create_schema_v2(conn, "x")
            with source.connect() as old:
                for table in ("articles", "geocode_cache", "corrections"):
                    rows = [dict(r._mapping) for r in old.exec_driver_sql(f"SELECT * FROM {table}")]
                    if rows:
                        cols = ", ".join(rows[0])
                        conn.execute(sa.text(f"INSERT INTO {table} ({cols}) VALUES ({', '.join(':' + c for c in rows[0])})"),
                                     rows)
    finally:
        engine.dispose()
        source.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def v2_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store written by the code before workspaces (schema version 2)."""
    if request.param == "sqlite":
        return _v2_copy(tmp_path)
    url = new_pg_database(request.getfixturevalue("pg_server"))
    _copy_v2_to_postgres(url)
    return url


def test_migration_keeps_everything_in_the_demo_workspace(v2_url: str, demo: list[Article]) -> None:
    with Store.open(v2_url, migrate=False) as old:
        assert old.schema_version == 2
    with Store.open(v2_url) as store:
        assert store.schema_version == MIGRATIONS[-1][0] == 5
        assert [w.workspace_id for w in store.workspaces()] == [DEMO_WORKSPACE]
        held = store.articles(workspace=DEMO_WORKSPACE)
        assert _ids(held) == {a.id for a in demo} | {"ushuaia_2024", "upload_1"}  # nothing is lost
        assert {a.id: a.extra["origin"] for a in held}["upload_1"] == "upload"
        history = store.corrections(include_undone=True, workspace=DEMO_WORKSPACE)
        assert len(history) == 3 and sum(c.undone_at is None for c in history) == 2
        assert store.migrate() == []


def test_migrated_articles_move_to_their_corpus_when_it_is_opened(v2_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "ushuaia"
    folder.mkdir()
    (folder / "ushuaia_2024.md").write_text(USHUAIA, encoding="utf-8")
    with Store.open(v2_url) as store:
        mention = [c for c in store.corrections() if c.target == "mention"]
        assert [c.target_id for c in mention] == ["ushuaia_2024"]
        ws = store.workspace_for_corpus(folder)
        store.add_articles(list(read_corpus([folder])), workspace=ws.workspace_id)
        # the Ushuaia article and the correction of its mention left the demo for their own workspace
        assert "ushuaia_2024" not in _ids(store.articles(workspace=DEMO_WORKSPACE))
        assert _ids(store.articles(workspace=ws.workspace_id)) == {"ushuaia_2024"}
        assert [c.correction_id for c in store.corrections(workspace=ws.workspace_id)] == [mention[0].correction_id]
        assert all(c.target != "mention" for c in store.corrections(workspace=DEMO_WORKSPACE))
        # the demo corpus ingested into the demo stays there, and its articles no longer move
        store.add_articles(list(read_corpus([DEMO_CORPUS])), workspace=DEMO_WORKSPACE)
        other = tmp_path / "copy"
        shutil.copytree(DEMO_CORPUS, other)
        copy_ws = store.workspace_for_corpus(other).workspace_id
        store.add_articles(list(read_corpus([other])), workspace=copy_ws)
        assert store.article_count(DEMO_WORKSPACE) == 4 and store.article_count(copy_ws) == 3


# --------------------------------------------------------------------------- CLI


def test_cli_workspace_and_article_verbs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = _v2_copy(tmp_path)
    assert cli_main(["workspace", "list", "--db", url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["id", "articles", "removed", "corrections", "name", "corpus"]
    assert out[1].split()[:4] == ["demo", "5", "0", "2"]

    assert cli_main(["article", "remove", "demo", "ushuaia_2024", "--db", url]) == 0
    said = capsys.readouterr().out
    assert said.startswith("removed ushuaia_2024 from demo; undo: python -m geo article restore demo ")
    assert cli_main(["article", "list", "demo", "--db", url]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 5 and "removed" in listed[-1] and listed[-1].startswith("ushuaia_2024")
    assert cli_main(["corrections", "list", "-w", "demo", "--db", url]) == 0
    assert "mention" not in capsys.readouterr().out  # hidden with its article
    assert cli_main(["article", "restore", "demo", said.split()[-1], "--db", url]) == 0
    assert capsys.readouterr().out.strip() == "restored ushuaia_2024 in demo"
    assert cli_main(["corrections", "list", "-w", "demo", "--db", url]) == 0
    assert "mention" in capsys.readouterr().out

    for argv, message in (
        (["article", "remove", "nowhere", "x"], "error: no workspace 'nowhere' (workspaces: demo)"),
        (["article", "remove", "demo", "nothing"], "error: no article 'nothing' in workspace 'demo'"),
        (["article", "restore", "demo"], "error: article restore needs an ARTICLE"),
        (["corrections", "list", "-w", "nowhere"], "error: no workspace 'nowhere' (workspaces: demo)"),
    ):
        assert cli_main([*argv, "--db", url]) == 2
        err = capsys.readouterr().err
        assert err.startswith(message) and err.count("\n") == 1, err


def test_build_applies_only_the_corrections_of_the_corpus_workspace(tmp_path: Path, ushuaia_dir: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """`python -m geo build DIR --db URL` applies DIR's workspace's corrections, never another's."""
    import geo.store.corrections
    from geo.atlas.build import AtlasReport
    from geo.engine import _apply_store_corrections
    from geo.errors import AtlasError

    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    with Store.open(url) as store:
        demo_fix = store.add_correction(C.not_a_place("pl_demo"))
        ws = store.workspace_for_corpus(ushuaia_dir).workspace_id
        own_fix = store.add_correction(C.not_a_place("pl_ushuaia"), workspace=ws)
    seen: list[list[str]] = []
    monkeypatch.setattr(geo.store.corrections, "apply_corrections",
                        lambda atlas, active, skipped: seen.append([c.correction_id for c in active]) or atlas)
    for paths, workspace, expected in (
        ([DEMO_CORPUS], None, [demo_fix]),
        ([ushuaia_dir], None, [own_fix]),
        ([tmp_path], None, None),  # a folder without a workspace: nothing applied
        ([tmp_path], ws, [own_fix]),
    ):
        seen.clear()
        _apply_store_corrections(SimpleNamespace(articles=()), url, AtlasReport(), workspace, paths)
        assert seen == ([expected] if expected else []), (paths, workspace)
    with pytest.raises(AtlasError, match="no workspace 'nope'"):
        _apply_store_corrections(SimpleNamespace(articles=()), url, AtlasReport(), "nope", [ushuaia_dir])


# --------------------------------------------------------------------------- dashboard


def test_url_carries_the_workspace() -> None:
    from dashboard.state import ViewState, from_query_params, to_query_params

    state = ViewState(workspace="ushuaia-2", zoom=6)
    assert to_query_params(state) == {"ws": "ushuaia-2", "z": "6"}
    assert from_query_params({"ws": "ushuaia-2", "z": "6"}) == state
    for bad in ("../etc", "Demo", "", "x" * 65, "a b"):  # not a workspace id: ignored
        assert from_query_params({"ws": bad}).workspace is None


def test_map_opens_on_the_atlas_extent_wherever_it_is(tmp_path: Path, ushuaia_dir: Path) -> None:
    from dashboard.source import load_atlas
    from dashboard.webmap import atlas_extent

    f = load_atlas(ushuaia_dir).frames
    (south, west), (north, east) = atlas_extent(f.events, f.routes, f.crossings, f.places)
    assert south < -54.8 < north and west < -68.3 < east and north < -50  # Tierra del Fuego, not Mexico
    demo = load_atlas(DEMO_CORPUS).frames
    assert set(demo.places["kind"]) >= {"country"}
    (south, west), (north, east) = atlas_extent(demo.events, demo.routes, demo.crossings, demo.places)
    assert -120 < west and east < -60 and 5 < south and north < 50  # India named in a story does not widen it
    only_country = f.places[f.places["kind"] == "country"]
    assert atlas_extent(None, None, None, only_country) is not None  # nothing finer: the country then


def _app_session(argv: list[str]):
    import sys

    from streamlit.testing.v1 import AppTest

    old = sys.argv
    sys.argv = ["app.py", *argv]
    try:
        at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=180).run()
    finally:
        sys.argv = old
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_upload_goes_into_the_open_workspace_only(tmp_path: Path, ushuaia_dir: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'atlas.sqlite'}"
    monkeypatch.setenv("ATLAS_DATABASE_URL", url)
    at = _app_session(["--articles", str(ushuaia_dir)])
    header = " ".join(m.value for m in at.markdown)
    assert "1 articles from workspace ushuaia" in header, header[:400]
    assert at.query_params["ws"] in ("ushuaia", ["ushuaia"])
    text = b"---\ntitle: Caravan reaches Rio Grande\npublished: 2024-03-12\n---\nMigrants reached Rio Grande, Tierra del Fuego.\n"
    at.file_uploader[0].set_value(("riogrande.md", text, "text/markdown"))
    [b for b in at.button if b.label == "Add to the atlas"][0].click().run()
    assert not at.exception
    with Store.open(url) as store:
        titles = {a.title for a in store.articles(workspace="ushuaia")}
        assert titles == {"Migrants gather in Ushuaia, Argentina", "Caravan reaches Rio Grande"}
        assert store.article_count(DEMO_WORKSPACE) == 0
    demo_session = _app_session([])  # the demo: its own three articles, not the upload
    header = " ".join(m.value for m in demo_session.markdown)
    assert "3 articles from workspace Demo corpus" in header, header[:400]
    with Store.open(url) as store:
        assert "Caravan reaches Rio Grande" not in {a.title for a in store.articles(workspace=DEMO_WORKSPACE)}
        assert store.article_count(DEMO_WORKSPACE) == 3


def test_dashboard_corrections_leave_and_come_back_with_their_article(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """An event fix saved in the dashboard is attached to the event's articles: removing the
    article (sidebar → Remove) takes the fix away with it; Undo brings both back."""
    url = f"sqlite:///{tmp_path / 'atlas.sqlite'}"
    monkeypatch.setenv("ATLAS_DATABASE_URL", url)
    at = _app_session([])
    # an event reported by one article only
    event_id = next(i for i in at.session_state["view_event_ids"])
    at.session_state["sel"] = f"events:{event_id}"
    at.run()
    at.number_input(key="ev_max").set_value(4321)
    at.button(key="fix_event").click().run()
    assert not at.exception
    with Store.open(url) as store:
        [fix] = store.corrections()
        with store.engine.connect() as conn:
            attached = conn.exec_driver_sql("SELECT article_ids FROM corrections").scalar()
        hashes = set(json.loads(attached))
        assert hashes and hashes <= {a.content_hash for a in read_corpus([DEMO_CORPUS])}
    for h in sorted(hashes):
        at.button(key=f"rm_{h}").click().run()
        assert not at.exception
    assert any(s.value.startswith("Removed:") for s in at.sidebar.success)
    with Store.open(url) as store:
        assert store.corrections() == []  # gone with its article(s)
        assert store.correction_count() == 1  # but kept
    assert "Corrections (0 active)" in [e.label for e in at.expander]
    at.button(key="ws_undo_remove").click().run()  # undo the last removal
    assert not at.exception
    with Store.open(url) as store:
        assert [c.correction_id for c in store.corrections()] == [fix.correction_id]


# --------------------------------------------------------------------------- create, rename


def test_create_and_rename_a_workspace(store_url: str, ushuaia_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An empty workspace by name (id: the name as a slug, made unique); a rename keeps the id;
    bad names are refused with one line saying why."""
    with Store.open(store_url) as store:
        corpus_ws = store.workspace_for_corpus(ushuaia_dir).workspace_id  # named "ushuaia"
        ws = store.create_workspace("  Field   notes 2024 ")
        assert (ws.workspace_id, ws.name, ws.corpus, ws.articles) == ("field-notes-2024", "Field notes 2024", None, 0)
        assert store.create_workspace("Ushuaia (copy)").workspace_id == "ushuaia-copy"
        assert store.create_workspace("Demo").workspace_id == "demo-2"  # never the demo's id
        for bad, message in (("", "a workspace needs a name"), ("  \t", "a workspace needs a name"),
                             ("x" * 81, "too long: 81 characters (at most 80)"),
                             ("a\x07b", "has a control character"),
                             ("FIELD NOTES 2024", "already a workspace named 'Field notes 2024' (id field-notes-2024)"),
                             ("ushuaia", f"already a workspace named 'ushuaia' (id {corpus_ws})")):
            with pytest.raises(StoreError, match=re.escape(message)):
                store.create_workspace(bad)
            with pytest.raises(StoreError, match=re.escape(message)):
                store.rename_workspace("ushuaia-copy", bad)
        renamed = store.rename_workspace("field-notes-2024", "Notes from Ushuaia")
        assert (renamed.workspace_id, renamed.name) == ("field-notes-2024", "Notes from Ushuaia")
        assert store.rename_workspace("field-notes-2024", "notes from ushuaia").name == "notes from ushuaia"  # its own
        assert store.workspace_for_corpus(ushuaia_dir).workspace_id == corpus_ws
        with pytest.raises(StoreError, match="no workspace 'nope'"):
            store.rename_workspace("nope", "X")
    assert cli_main(["workspace", "rename", "field-notes-2024", "Field notes", "--db", store_url]) == 0
    assert cli_main(["workspace", "create", "Later", "--db", store_url]) == 0
    assert cli_main(["workspace", "create", "--db", store_url]) == 2
    out, err = capsys.readouterr()
    assert "renamed workspace field-notes-2024 to Field notes" in out and "created workspace later (Later)" in out
    assert err.strip().splitlines() == ["error: usage: python -m geo workspace create NAME (got 0 argument(s); "
                                        "quote a name with spaces)"]
