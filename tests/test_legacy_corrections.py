"""Corrections made before workspaces land in the workspace of the article they correct
(geo/store/legacy.py, migration 5), on SQLite and PostgreSQL.

The old store is written here row by row, as the code before workspaces (schema version 2)
left it: the Ushuaia article of another corpus than the demo, a different text with the same
label (so the old code called them ``ushuaia_2024~<hash prefix>``), and six corrections in
the forms the old rows carry: a mention named by the article's content hash (the store's ids
before a148e4c), a mention named ``label~prefix``, an event and a place (their feature's id
only), a place no atlas has and an undone one.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from geo.engine import build
from geo.sources.corpus import read_corpus
from geo.store import corrections as C
from geo.store.database import DEMO_WORKSPACE, MIGRATIONS, Store
from pg import new_pg_database, pg_server, store_url  # noqa: F401  (fixtures)
from store_support import create_schema_v2

ROOT = Path(__file__).resolve().parents[1]
USHUAIA = (ROOT / "tests" / "data" / "ushuaia_2024.md").read_text(encoding="utf-8")
OTHER = "---\nid: ushuaia_2024\n---\nA note about Ushuaia written before, kept as an upload.\n"
OLD_TIME = "2025-01-01T00:00:0{}.000000+00:00"
EVENT = "ev_588cc6f6025a2758"  # the Ushuaia article's camp event (200 people)
PLACE = "pl_9579ec0a7e9cfd95"  # Ushuaia


def _article_row(path: Path, origin: str, n: int) -> dict:
    from geo.store.articles import ArticleRecords

    article = next(iter(read_corpus([path])))
    row = ArticleRecords._article_row(article, origin, OLD_TIME.format(n))
    return {k: v for k, v in row.items() if k not in ("author", "file_sha256", "extraction")}  # not in version 2


def _correction_row(c: C.Correction, n: int, undone: bool = False) -> dict:
    return {"correction_id": c.correction_id, "target": c.target, "target_id": c.target_id, "span_start": c.start,
            "span_end": c.end, "action": c.action, "value": json.dumps(dict(c.value)), "author": "old",
            "session": "old", "note": None, "created_at": OLD_TIME.format(n),
            "undone_at": OLD_TIME.format(9) if undone else None}


def _old_store(url: str, folder: Path, tmp_path: Path) -> dict[str, str]:
    """A store at schema version 2 at ``url``; returns the correction ids by role."""
    other = tmp_path / "upload.md"
    other.write_text(OTHER, encoding="utf-8")
    ushuaia, upload = _article_row(folder / "ushuaia_2024.md", "corpus", 1), _article_row(other, "upload", 2)
    text = ushuaia["text"]
    fixes = {
        "by_hash": C.not_a_place(C.MentionRef(ushuaia["article_id"], text.index("Argentina"),
                                              text.index("Argentina") + len("Argentina"))),
        "by_label": C.not_a_place(C.MentionRef(f"ushuaia_2024~{upload['article_id'][:8]}", upload["text"].index("Ushuaia"),
                                               upload["text"].index("Ushuaia") + len("Ushuaia"))),
        "event": C.edit_event(EVENT, people_min=300),
        "place": C.move_place(PLACE, -54.81, -68.31),
        "nowhere": C.not_a_place("pl_dummy"),
        "undone": C.not_a_place("pl_undone"),
    }
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            create_schema_v2(conn, OLD_TIME.format(0))
            table = sa.Table("articles", sa.MetaData(), autoload_with=conn)
            conn.execute(sa.insert(table), [ushuaia, upload])
            table = sa.Table("corrections", sa.MetaData(), autoload_with=conn)
            conn.execute(sa.insert(table), [_correction_row(c, 3, undone=role == "undone") for role, c in fixes.items()])
    finally:
        engine.dispose()
    return {role: c.correction_id for role, c in fixes.items()}


def test_old_corrections_land_in_the_workspace_of_their_article(store_url: str, tmp_path: Path) -> None:
    url = store_url.replace("postgresql+psycopg", "postgresql+psycopg", 1)
    folder = tmp_path / "ushuaia"
    folder.mkdir()
    (folder / "ushuaia_2024.md").write_text(USHUAIA, encoding="utf-8")
    ids = _old_store(url, folder, tmp_path)
    with Store.open(url) as store:
        assert store.schema_version == MIGRATIONS[-1][0]
        assert store.correction_count() == 6
        # the Ushuaia corpus opened again: its article leaves the demo for its own workspace
        ws = store.workspace_for_corpus(folder).workspace_id
        store.add_articles(list(read_corpus([folder])), workspace=ws)
        mentions = [c for c in store.corrections(workspace=ws) if c.target == "mention"]
        # the mention named by the old content hash came along, named as the atlas names it now
        assert [(c.correction_id, c.target_id) for c in mentions] == [(ids["by_hash"], "ushuaia_2024")]

    # a build of the corpus applies its own corrections, the event's and the place's included
    result = build([folder], tmp_path / "out", jobs=1, corrections=url)
    events, places = result.atlas.events, result.atlas.places
    assert events.loc[events.event_id == EVENT, "people_min"].tolist() == [300]
    moved = places[places.place_id == PLACE].geometry.iloc[0]
    assert (round(moved.y, 2), round(moved.x, 2)) == (-54.81, -68.31)
    assert "Argentina" not in places.name.tolist()
    assert result.report.corrections == 3

    with Store.open(url) as store:
        here = {c.correction_id for c in store.corrections(workspace=ws)}
        assert here == {ids["by_hash"], ids["event"], ids["place"]}
        # the demo keeps what is not the Ushuaia article's: the upload's mention (the label is
        # its own there now), the place no atlas has and the undone one; nothing is lost
        demo = {c.correction_id: c for c in store.corrections(include_undone=True, workspace=DEMO_WORKSPACE)}
        assert set(demo) == {ids["by_label"], ids["nowhere"], ids["undone"]}
        assert demo[ids["by_label"]].target_id == "ushuaia_2024"
        assert demo[ids["undone"]].undone_at is not None
        assert store.correction_count() == 6
        # linking again changes nothing
        assert store.link_legacy_corrections(ws, events, places) == 0


def test_the_dashboard_lands_them_when_it_opens_the_corpus(tmp_path: Path, monkeypatch) -> None:
    """The dashboard opened on the Ushuaia corpus (``--articles``) brings the old corrections of
    its article into its workspace and shows them applied."""
    from test_workspaces import _app_session

    url = f"sqlite:///{tmp_path / 'atlas.sqlite'}"
    folder = tmp_path / "ushuaia"
    folder.mkdir()
    (folder / "ushuaia_2024.md").write_text(USHUAIA, encoding="utf-8")
    ids = _old_store(url, folder, tmp_path)
    monkeypatch.setenv("ATLAS_DATABASE_URL", url)
    at = _app_session(["--articles", str(folder)])
    assert "Corrections (3 active)" in [e.label for e in at.expander]
    with Store.open(url) as store:
        ws = store.workspace_for_corpus(folder, create=False).workspace_id
        assert {c.correction_id for c in store.corrections(workspace=ws)} == {ids["by_hash"], ids["event"], ids["place"]}
