"""The store's tables (current schema) and its ordered migrations."""

from __future__ import annotations

import datetime as dt
import json
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection




ORIGINS = ("corpus", "upload")
CACHE_STATUSES = ("found", "not_found")
#: The demo corpus's workspace (``data/articles``), and the default of every workspace argument.
DEMO_WORKSPACE = "demo"

def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


# --------------------------------------------------------------------------- tables (current schema)

metadata = sa.MetaData()
schema_version_table = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.String(40), nullable=False),
)
articles_table = sa.Table(
    "articles", metadata,
    sa.Column("article_id", sa.String(16), primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("label", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.String(10)),
    sa.Column("source", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("filename", sa.Text),
    sa.Column("extra", sa.Text, nullable=False),
    sa.Column("origin", sa.String(16), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("author", sa.Text),
    sa.Column("file_sha256", sa.String(64)),
    sa.Column("extraction", sa.Text),
)
geocode_cache_table = sa.Table(
    "geocode_cache", metadata,
    sa.Column("provider", sa.String(64), primary_key=True),
    sa.Column("query_key", sa.String(200), primary_key=True),
    sa.Column("query", sa.Text),
    sa.Column("response", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
)
corrections_table = sa.Table(
    "corrections", metadata,
    sa.Column("correction_id", sa.String(36), primary_key=True),
    sa.Column("target", sa.String(16), nullable=False),
    sa.Column("target_id", sa.Text, nullable=False),
    sa.Column("span_start", sa.Integer),
    sa.Column("span_end", sa.Integer),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("author", sa.Text),
    sa.Column("session", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("undone_at", sa.String(40)),
    sa.Column("workspace_id", sa.String(64), nullable=False),
    sa.Column("article_ids", sa.Text),
)
workspaces_table = sa.Table(
    "workspaces", metadata,
    sa.Column("workspace_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("corpus", sa.Text),
    sa.Column("created_at", sa.String(40), nullable=False),
)
members_table = sa.Table(
    "workspace_articles", metadata,
    sa.Column("workspace_id", sa.String(64), primary_key=True),
    sa.Column("article_id", sa.String(16), primary_key=True),
    sa.Column("origin", sa.String(16), nullable=False),
    sa.Column("added_at", sa.String(40), nullable=False),
    sa.Column("changed_at", sa.String(40), nullable=False),
    sa.Column("removed_at", sa.String(40)),
    sa.Column("migrated", sa.Boolean, nullable=False),
)


# --------------------------------------------------------------------------- migrations
#
# Each migration builds its own frozen table definitions (never the current ones above),
# so that replaying history on an empty database always gives the same schema.


def _m001_initial(conn: Connection) -> None:
    md = sa.MetaData()
    sa.Table(
        "articles", md,
        sa.Column("article_id", sa.String(16), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("label", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("source", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("filename", sa.Text),
        sa.Column("extra", sa.Text, nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.CheckConstraint("origin IN ('corpus', 'upload')", name="ck_articles_origin"),
    )
    sa.Table(
        "geocode_cache", md,
        sa.Column("provider", sa.String(64), primary_key=True),
        sa.Column("query_key", sa.String(200), primary_key=True),
        sa.Column("query", sa.Text),
        sa.Column("response", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.CheckConstraint("status IN ('found', 'not_found')", name="ck_geocode_cache_status"),
    )
    sa.Table(
        "corrections", md,
        sa.Column("correction_id", sa.String(36), primary_key=True),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("target_id", sa.Text, nullable=False),
        sa.Column("span_start", sa.Integer),
        sa.Column("span_end", sa.Integer),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("author", sa.Text),
        sa.Column("session", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("undone_at", sa.String(40)),
        sa.CheckConstraint("target IN ('place', 'mention', 'event')", name="ck_corrections_target"),
    )
    md.create_all(conn)


def _m002_indexes(conn: Connection) -> None:
    for sql in (
        "CREATE INDEX ix_articles_origin ON articles (origin)",
        "CREATE INDEX ix_corrections_target ON corrections (target, target_id)",
        "CREATE INDEX ix_corrections_created ON corrections (created_at, correction_id)",
    ):
        conn.execute(sa.text(sql))


def _m003_workspaces(conn: Connection) -> None:
    """Workspaces. The store did not record which corpus folder an article came from, so
    every existing article goes to ``demo`` (corpus articles flagged ``migrated``: they move
    to their corpus's workspace when that corpus is ingested again), and so do the
    corrections; a mention correction is attached to the article it names."""
    md = sa.MetaData()
    sa.Table("articles", md, sa.Column("article_id", sa.String(16), primary_key=True))
    workspaces = sa.Table(
        "workspaces", md,
        sa.Column("workspace_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("corpus", sa.Text),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("corpus", name="uq_workspaces_corpus"),
    )
    members = sa.Table(
        "workspace_articles", md,
        sa.Column("workspace_id", sa.String(64), sa.ForeignKey("workspaces.workspace_id"), primary_key=True),
        sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.article_id"), primary_key=True),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("added_at", sa.String(40), nullable=False),
        sa.Column("changed_at", sa.String(40), nullable=False),
        sa.Column("removed_at", sa.String(40)),
        sa.Column("migrated", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.CheckConstraint("origin IN ('corpus', 'upload')", name="ck_workspace_articles_origin"),
    )
    md.create_all(conn, tables=[workspaces, members])
    conn.execute(sa.insert(workspaces).values(workspace_id="demo", name="Demo corpus", corpus=None,
                                              created_at=now_iso()))
    conn.execute(sa.text(
        "INSERT INTO workspace_articles (workspace_id, article_id, origin, added_at, changed_at, removed_at, migrated) "
        "SELECT 'demo', article_id, origin, created_at, created_at, NULL, origin = 'corpus' FROM articles"))
    for sql in (
        "ALTER TABLE corrections ADD COLUMN workspace_id VARCHAR(64) NOT NULL DEFAULT 'demo'",
        "ALTER TABLE corrections ADD COLUMN article_ids TEXT",
        "CREATE INDEX ix_corrections_workspace ON corrections (workspace_id, created_at, correction_id)",
        "CREATE INDEX ix_workspace_articles_article ON workspace_articles (article_id)",
    ):
        conn.execute(sa.text(sql))
    labels: dict[str, list[str]] = {}
    for label, article_id in conn.execute(sa.text("SELECT label, article_id FROM articles")):
        labels.setdefault(label or article_id, []).append(article_id)
    mentions = conn.execute(sa.text("SELECT correction_id, target_id FROM corrections WHERE target = 'mention'"))
    for correction_id, target_id in list(mentions):
        label, _, prefix = str(target_id).partition("~")
        found = [a for a in labels.get(label, []) if a.startswith(prefix)]
        if len(found) == 1:
            conn.execute(sa.text("UPDATE corrections SET article_ids = :ids WHERE correction_id = :cid"),
                         {"ids": json.dumps(found), "cid": correction_id})


def _m004_provenance(conn: Connection) -> None:
    """Provenance of each article: its author, the sha256 of the original file's bytes
    (the saved or fetched page, the uploaded file) and how its text was extracted. Articles
    stored before have none (null): it was never recorded."""
    for sql in (
        "ALTER TABLE articles ADD COLUMN author TEXT",
        "ALTER TABLE articles ADD COLUMN file_sha256 VARCHAR(64)",
        "ALTER TABLE articles ADD COLUMN extraction TEXT",
    ):
        conn.execute(sa.text(sql))


def _m005_old_mentions(conn: Connection) -> None:
    """Mention corrections made before workspaces that migration 3 could not attach (their
    article named by content hash, hash prefix or URL, as older code did), attached to that
    article and moved with it (:mod:`geo.store.legacy`). Nothing is deleted."""
    from geo.store.legacy import link_old_mentions

    link_old_mentions(conn)


#: Ordered migrations: (version, name, function). Append only; never edit an applied one.
MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "articles, geocode_cache, corrections", _m001_initial),
    (2, "indexes on articles.origin and corrections", _m002_indexes),
    (3, "workspaces: one corpus with its own uploads and corrections", _m003_workspaces),
    (4, "article provenance: author, original file's sha256, extraction method", _m004_provenance),
    (5, "mention corrections made before workspaces attached to their article", _m005_old_mentions),
)
