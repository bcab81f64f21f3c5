"""The durable store: articles, uploads, the online geocoder's cache and user corrections.

This is the only module that talks to the database. SQLite by default (``data/atlas.sqlite``,
WAL, ``busy_timeout``, ``BEGIN IMMEDIATE`` for every write); PostgreSQL when the URL (or the
``ATLAS_DATABASE_URL`` environment variable) points at one — the same SQLAlchemy Core code
path for both.

Schema: versioned by ordered migration functions (:data:`MIGRATIONS`); each applied
version is a row of ``schema_version``. :meth:`Store.open` applies the pending ones in one
transaction that holds the database's write lock (SQLite ``BEGIN IMMEDIATE``; PostgreSQL a
transaction-scoped advisory lock), so concurrent openers apply each migration once, and
applying again does nothing.

Workspaces: a workspace is one corpus with its own uploads and corrections. Articles are
stored once (by content) and belong to workspaces; what one workspace holds, removes or
corrects is never seen from another. ``demo`` is the demo corpus's (``data/articles``); any
other corpus folder gets its own (:meth:`Store.workspace_for_corpus`). Every article and
correction method takes ``workspace=`` (default ``demo``).

Tables:

``articles``
    ``article_id`` = :attr:`geo.corpus.Article.content_hash` (SHA-256 of the text, 16 hex
    digits): ingesting the same text twice stores it once (the first metadata is kept).
    ``label`` (the article's own id from its front matter or file name), ``title``,
    ``published``, ``source``, ``url``, ``filename``, ``extra`` (JSON) are metadata only;
    ``origin`` is how it first came (``corpus`` or ``upload``).
``workspaces``
    ``workspace_id`` (a slug, used in URLs and the CLI), ``name``, ``corpus`` (the corpus
    folder's absolute path; null for ``demo`` and for workspaces without a folder).
``workspace_articles``
    Which articles a workspace holds: ``origin`` (``corpus`` | ``upload``), ``added_at``,
    ``removed_at`` (set by :meth:`Store.remove_article`, cleared by
    :meth:`Store.restore_article`: the row is kept), ``changed_at`` and ``migrated`` (put in
    ``demo`` by migration 3 because the corpus it came from was not recorded: it moves to its
    corpus's workspace when that corpus is ingested again).
``geocode_cache``
    ``(provider, query_key)`` -> ``response`` (JSON), ``status`` ``found`` | ``not_found``
    and ``created_at``. Errors are never stored (there is no status for them).
``corrections``
    One row per :class:`geo.corrections.Correction` (UUID key, so import is idempotent);
    undo sets ``undone_at``: rows are never deleted (full history). ``workspace_id`` is the
    workspace it was made in; ``article_ids`` (JSON list of content hashes, may be null) the
    articles the corrected feature was built from: while every one of them is removed from
    the workspace, the correction is hidden with them (and comes back on restore).

Several processes (Streamlit sessions, the CLI) share one store; writes from threads and
processes are serialised by the database, inserts are idempotent (``ON CONFLICT DO
NOTHING``) and nothing is read-modify-written outside a write transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .corpus import Article
from .corrections import Correction
from .errors import AtlasError

__all__ = [
    "DEMO_CORPUS",
    "DEMO_WORKSPACE",
    "ENV_URL",
    "MIGRATIONS",
    "CacheEntry",
    "Store",
    "StoreError",
    "StoreResponseCache",
    "Workspace",
    "default_url",
]

log = logging.getLogger(__name__)

#: Environment variable holding the database URL (e.g. ``postgresql://user@host/atlas``).
ENV_URL = "ATLAS_DATABASE_URL"
ORIGINS = ("corpus", "upload")
CACHE_STATUSES = ("found", "not_found")
_PG_LOCK_KEY = 0x43415241  # "CARA": advisory lock id for migrations
_BUSY_TIMEOUT_MS = 30_000
#: The demo corpus's workspace (``data/articles``), and the default of every workspace argument.
DEMO_WORKSPACE = "demo"
DEMO_CORPUS = Path(__file__).resolve().parents[1] / "data" / "articles"
_WORKSPACE_ID = re.compile(r"\A[a-z0-9][a-z0-9-]{0,63}\Z")


class StoreError(AtlasError, RuntimeError):
    """The database cannot be opened, migrated or written; the message names it."""


def default_url() -> str:
    """``ATLAS_DATABASE_URL`` if set, else SQLite at ``<repo>/data/atlas.sqlite``."""
    env = os.environ.get(ENV_URL, "").strip()
    if env:
        return env
    return "sqlite:///" + str(Path(__file__).resolve().parents[1] / "data" / "atlas.sqlite")


def _normalise_url(url: str) -> sa.URL:
    try:
        u = sa.make_url(url)
    except sa.exc.ArgumentError as err:
        raise StoreError(f"not a database URL: {url!r}") from err
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")  # psycopg 3
    if u.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(f"unsupported database {u.get_backend_name()!r} in {u.render_as_string(hide_password=True)}; "
                         "use sqlite:///FILE or postgresql://...")
    return u


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


# --------------------------------------------------------------------------- tables (current schema)

_md = sa.MetaData()
_schema_version = sa.Table(
    "schema_version", _md,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.String(40), nullable=False),
)
_articles = sa.Table(
    "articles", _md,
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
)
_geocode_cache = sa.Table(
    "geocode_cache", _md,
    sa.Column("provider", sa.String(64), primary_key=True),
    sa.Column("query_key", sa.String(200), primary_key=True),
    sa.Column("query", sa.Text),
    sa.Column("response", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
)
_corrections = sa.Table(
    "corrections", _md,
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
_workspaces = sa.Table(
    "workspaces", _md,
    sa.Column("workspace_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("corpus", sa.Text),
    sa.Column("created_at", sa.String(40), nullable=False),
)
_members = sa.Table(
    "workspace_articles", _md,
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
                                              created_at=_now()))
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


#: Ordered migrations: (version, name, function). Append only; never edit an applied one.
MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "articles, geocode_cache, corrections", _m001_initial),
    (2, "indexes on articles.origin and corrections", _m002_indexes),
    (3, "workspaces: one corpus with its own uploads and corrections", _m003_workspaces),
)


# --------------------------------------------------------------------------- engine


def _make_engine(url: sa.URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": _BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})

        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # The driver must not open transactions itself: we emit BEGIN / BEGIN IMMEDIATE.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")  # durable with WAL except on power loss
            cur.execute("PRAGMA foreign_keys = ON")
            cur.close()

        @sa.event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            write = conn.get_execution_options().get("atlas_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One cached answer of an online geocoder."""

    provider: str
    query_key: str
    response: Any  # decoded JSON
    status: str  # "found" | "not_found"
    created_at: str
    query: str | None = None


@dataclass(frozen=True, slots=True)
class Workspace:
    """One corpus with its own uploads and corrections, and its counts."""

    workspace_id: str
    name: str
    corpus: str | None  # absolute path of the corpus folder; None for demo and folder-less ones
    created_at: str
    articles: int = 0  # held (not removed)
    removed: int = 0
    corrections: int = 0  # not undone

    @property
    def corpus_folder(self) -> Path | None:
        """The folder its corpus is read from (the demo corpus for ``demo``)."""
        if self.workspace_id == DEMO_WORKSPACE:
            return DEMO_CORPUS
        return Path(self.corpus) if self.corpus else None


class Store:
    """The durable store. Thread-safe; open one per process (e.g. ``st.cache_resource``).

    Use :meth:`open`; close with :meth:`close` or a ``with`` block.
    """

    def __init__(self, engine: Engine, *, clock: Callable[[], str] = _now) -> None:
        self.engine = engine
        self._clock = clock
        self._dialect = engine.dialect.name

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True, clock: Callable[[], str] = _now) -> Store:
        """Open the store at ``url`` (default :func:`default_url`) and apply pending migrations.

        ``postgresql://`` URLs use psycopg 3.
        """
        u = _normalise_url(url or default_url())
        store = cls(_make_engine(u), clock=clock)
        if migrate:
            try:
                store.migrate()
            except sa.exc.SQLAlchemyError as err:
                store.close()
                raise StoreError(f"{u.render_as_string(hide_password=True)}: cannot open the store: {err}") from err
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._dialect

    def _write(self) -> Any:
        """A write transaction: SQLite ``BEGIN IMMEDIATE``; PostgreSQL READ COMMITTED."""
        return self.engine.connect().execution_options(atlas_write=True)

    def _read(self) -> Any:
        return self.engine.connect()

    def _insert(self, table: sa.Table) -> Any:
        if self._dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table)

    # ----------------------------------------------------------------- schema

    def migrate(self) -> list[int]:
        """Apply the pending migrations (idempotent, safe when run concurrently)."""
        with self._write() as conn, conn.begin():
            if self._dialect == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
            _schema_version.create(conn, checkfirst=True)
            done = set(conn.execute(sa.select(_schema_version.c.version)).scalars())
            applied = []
            for version, name, func in MIGRATIONS:
                if version in done:
                    continue
                log.info("store: applying migration %d (%s)", version, name)
                func(conn)
                conn.execute(sa.insert(_schema_version).values(version=version, name=name, applied_at=self._clock()))
                applied.append(version)
            newest = max(done | set(applied), default=0)
            if newest > MIGRATIONS[-1][0]:
                raise StoreError(f"{self.url}: schema version {newest} is newer than this code knows "
                                 f"({MIGRATIONS[-1][0]}); upgrade Caravan Atlas")
        return applied

    @property
    def schema_version(self) -> int:
        """Highest applied migration (0 for an empty database)."""
        with self._read() as conn:
            if not sa.inspect(conn).has_table("schema_version"):
                return 0
            return int(conn.execute(sa.select(sa.func.max(_schema_version.c.version))).scalar() or 0)

    # ----------------------------------------------------------------- workspaces

    @staticmethod
    def _slug(name: str) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-")
        return slug or "corpus"

    def workspaces(self) -> list[Workspace]:
        """Every workspace, ``demo`` first, then by name, with its counts."""
        m = _members
        active = sa.func.sum(sa.case((m.c.removed_at.is_(None), 1), else_=0))
        removed = sa.func.sum(sa.case((m.c.removed_at.is_not(None), 1), else_=0))
        with self._read() as conn:
            rows = list(conn.execute(sa.select(_workspaces)))
            counts = {r.workspace_id: (int(r.a or 0), int(r.r or 0)) for r in conn.execute(
                sa.select(m.c.workspace_id, active.label("a"), removed.label("r")).group_by(m.c.workspace_id))}
            fixes = dict(conn.execute(
                sa.select(_corrections.c.workspace_id, sa.func.count()).where(_corrections.c.undone_at.is_(None))
                .group_by(_corrections.c.workspace_id)).all())
        out = [Workspace(r.workspace_id, r.name, r.corpus, r.created_at, *counts.get(r.workspace_id, (0, 0)),
                         int(fixes.get(r.workspace_id, 0))) for r in rows]
        return sorted(out, key=lambda w: (w.workspace_id != DEMO_WORKSPACE, w.name.lower(), w.workspace_id))

    def workspace(self, workspace_id: str) -> Workspace:
        """The workspace ``workspace_id``; :class:`StoreError` naming the known ones if there is none."""
        for w in self.workspaces():
            if w.workspace_id == workspace_id:
                return w
        known = ", ".join(w.workspace_id for w in self.workspaces())
        raise StoreError(f"no workspace {workspace_id!r} (workspaces: {known})")

    def workspace_for_corpus(self, folder: str | Path, *, create: bool = True) -> Workspace | None:
        """The workspace of the corpus ``folder`` (``demo`` for the demo corpus), created on
        first use (named after the folder; its id is the name as a slug, made unique), or
        None when ``create`` is False and there is none."""
        corpus = str(Path(folder).expanduser().resolve())
        if corpus == str(DEMO_CORPUS.resolve()):
            return self.workspace(DEMO_WORKSPACE)
        with self._write() as conn, conn.begin():
            row = conn.execute(sa.select(_workspaces.c.workspace_id).where(_workspaces.c.corpus == corpus)).first()
            if row is None:
                if not create:
                    return None
                base = self._slug(Path(corpus).name)
                taken = set(conn.execute(sa.select(_workspaces.c.workspace_id)).scalars())
                ident, n = base, 2
                while ident in taken or ident == DEMO_WORKSPACE:
                    ident, n = f"{base}-{n}", n + 1
                conn.execute(sa.insert(_workspaces).values(workspace_id=ident, name=Path(corpus).name or corpus,
                                                           corpus=corpus, created_at=self._clock()))
                log.info("store: new workspace %s for %s", ident, corpus)
            else:
                ident = row.workspace_id
        return self.workspace(ident)

    @staticmethod
    def _check_workspace(conn: Connection, workspace: str) -> None:
        if conn.execute(sa.select(_workspaces.c.workspace_id).where(
                _workspaces.c.workspace_id == workspace)).first() is None:
            known = ", ".join(conn.execute(sa.select(_workspaces.c.workspace_id)
                                           .order_by(_workspaces.c.workspace_id)).scalars())
            raise StoreError(f"no workspace {workspace!r} (workspaces: {known})")

    # ----------------------------------------------------------------- articles

    @staticmethod
    def _article_row(article: Article, origin: str, created_at: str) -> dict[str, Any]:
        if origin not in ORIGINS:
            raise StoreError(f"origin must be one of {', '.join(ORIGINS)}, got {origin!r}")
        if not isinstance(article, Article):
            raise StoreError(f"expected a geo.corpus.Article, got {article!r}")
        return {
            "article_id": article.content_hash,
            "sha256": hashlib.sha256(article.text.encode("utf-8")).hexdigest(),
            "text": article.text,
            "label": article.id,
            "title": article.title,
            "published": article.published.isoformat() if article.published else None,
            "source": article.source,
            "url": article.url,
            "filename": Path(article.path).name if article.path else None,
            "extra": json.dumps({**(article.extra or {}), **({"language": article.language} if article.language else {})},
                                sort_keys=True, ensure_ascii=False, default=str),
            "origin": origin,
            "created_at": created_at,
        }

    def add_article(self, article: Article, origin: str = "corpus", *,
                    workspace: str = DEMO_WORKSPACE) -> tuple[str, bool]:
        """Store ``article`` in ``workspace``; returns (article_id, added). The id is the
        text's content hash; the text is stored once whatever the workspaces holding it.
        ``added`` is False when the workspace already holds it (an upload of a removed
        article restores it; the corpus ingested again leaves a removed article removed)."""
        return self.add_articles([article], origin, workspace=workspace)[0]

    def add_articles(self, articles: Iterable[Article], origin: str = "corpus", *,
                     workspace: str = DEMO_WORKSPACE) -> list[tuple[str, bool]]:
        """Store several articles in ``workspace`` in one transaction; (article_id, added) for each.

        Ingesting a corpus into its workspace also moves the articles that migration 3 put
        in ``demo`` for want of their corpus (and the corrections attached to them only)."""
        now = self._clock()
        rows = [self._article_row(a, origin, now) for a in articles]
        out = []
        m = _members
        with self._write() as conn, conn.begin():
            self._check_workspace(conn, workspace)
            for row in rows:
                stmt = (self._insert(_articles).values(**row).on_conflict_do_nothing(index_elements=["article_id"])
                        .returning(_articles.c.article_id))
                if conn.execute(stmt).first() is None:
                    stored = conn.execute(sa.select(_articles.c.sha256).where(
                        _articles.c.article_id == row["article_id"])).scalar_one()
                    if stored != row["sha256"]:
                        raise StoreError(f"article id collision: {row['article_id']} holds another text")
                aid = row["article_id"]
                member = (m.c.workspace_id == workspace) & (m.c.article_id == aid)
                added = conn.execute(
                    self._insert(m).values(workspace_id=workspace, article_id=aid, origin=origin, added_at=now,
                                           changed_at=now, removed_at=None, migrated=False)
                    .on_conflict_do_nothing(index_elements=["workspace_id", "article_id"]).returning(m.c.article_id)
                ).first() is not None
                if not added and origin == "upload":  # uploading a removed article again restores it
                    added = conn.execute(sa.update(m).where(member, m.c.removed_at.is_not(None))
                                         .values(removed_at=None, changed_at=now)).rowcount == 1
                if origin == "corpus" and workspace == DEMO_WORKSPACE:
                    conn.execute(sa.update(m).where(member, m.c.migrated.is_(True)).values(migrated=False))
                elif origin == "corpus":
                    self._move_migrated(conn, aid, workspace)
                out.append((aid, added))
        return out

    @staticmethod
    def _move_migrated(conn: Connection, article_id: str, workspace: str) -> None:
        m, c = _members, _corrections
        moved = conn.execute(sa.delete(m).where(m.c.workspace_id == DEMO_WORKSPACE, m.c.article_id == article_id,
                                                m.c.migrated.is_(True))).rowcount
        if moved:
            log.info("store: article %s moved from demo to its corpus's workspace %s", article_id, workspace)
            conn.execute(sa.update(c).where(c.c.workspace_id == DEMO_WORKSPACE,
                                            c.c.article_ids == json.dumps([article_id])).values(workspace_id=workspace))

    @staticmethod
    def _to_article(row: Any, article_id: str | None = None) -> Article:
        extra = json.loads(row.extra) if row.extra else {}
        language = extra.pop("language", None)  # stored in extra: no schema change
        extra.update(label=row.label, origin=row.origin, stored_at=row.created_at, content_hash=row.article_id)
        if "removed_at" in row._fields:
            extra["removed_at"] = row.removed_at
        return Article(
            id=article_id or row.article_id,
            text=row.text,
            title=row.title,
            published=dt.date.fromisoformat(row.published) if row.published else None,
            source=row.source,
            url=row.url,
            path=row.filename,
            extra=extra,
            language=language,
        )

    def articles(self, origin: str | None = None, *, ids: str = "label", workspace: str = DEMO_WORKSPACE,
                 removed: bool = False) -> list[Article]:
        """The articles of ``workspace`` as :class:`geo.corpus.Article`, ordered by label then hash
        (``removed=True``: the ones removed from it instead).

        ``ids="label"`` (default): ``id`` is the article's own id (front matter or file
        name), as a build from files would use, so atlas ids and corrections agree between
        the two; a label shared by different texts of the workspace gets ``~<hash prefix>``
        appended. ``ids="hash"``: ``id`` is the content hash. Either way ``extra`` holds
        ``label``, ``content_hash``, ``origin`` (how it came into this workspace) and
        ``removed_at``. ``origin`` keeps only ``corpus`` or ``upload`` articles."""
        if ids not in ("label", "hash"):
            raise ValueError(f"ids must be 'label' or 'hash', got {ids!r}")
        m = _members
        cols = [c for c in _articles.c if c.name != "origin"] + [m.c.origin, m.c.removed_at]
        q = (sa.select(*cols).join(m, m.c.article_id == _articles.c.article_id)
             .where(m.c.workspace_id == workspace).order_by(_articles.c.label, _articles.c.article_id))
        if origin is not None:
            q = q.where(m.c.origin == origin)
        with self._read() as conn:
            rows = list(conn.execute(q))
        if ids == "hash":
            return [self._to_article(r) for r in rows if (r.removed_at is not None) == removed]
        counts: dict[str, int] = {}
        for r in rows:  # labels are disambiguated over the whole workspace, removed ones included
            counts[r.label or r.article_id] = counts.get(r.label or r.article_id, 0) + 1
        out = []
        for r in rows:
            if (r.removed_at is not None) != removed:
                continue
            label = r.label or r.article_id
            out.append(self._to_article(r, label if counts[label] == 1 else f"{label}~{r.article_id[:8]}"))
        return out

    def article(self, article_id: str) -> Article | None:
        """The stored article with this content hash, whatever workspace holds it."""
        with self._read() as conn:
            row = conn.execute(sa.select(_articles).where(_articles.c.article_id == article_id)).first()
        return None if row is None else self._to_article(row)

    def article_count(self, workspace: str | None = None) -> int:
        """Articles stored (each text once), or those ``workspace`` holds (not removed)."""
        q = sa.select(sa.func.count()).select_from(_articles)
        if workspace is not None:
            q = sa.select(sa.func.count()).select_from(_members).where(
                _members.c.workspace_id == workspace, _members.c.removed_at.is_(None))
        with self._read() as conn:
            return int(conn.execute(q).scalar_one())

    def workspace_version(self, workspace: str) -> str:
        """Changes whenever an article is added to, removed from or restored in ``workspace``
        (a cheap cache key for its article list)."""
        m = _members
        with self._read() as conn:
            row = conn.execute(sa.select(sa.func.count(), sa.func.max(m.c.changed_at))
                               .where(m.c.workspace_id == workspace, m.c.removed_at.is_(None))).one()
        return f"{row[0]}@{row[1]}"

    def find_article(self, ref: str, *, workspace: str = DEMO_WORKSPACE) -> Article:
        """The article of ``workspace`` (removed ones included) that ``ref`` names: its id as
        listed (label, ``label~hash``), its content hash or a hash prefix of 6+ digits.
        :class:`StoreError` when none or several match."""
        with self._read() as conn:
            self._check_workspace(conn, workspace)
        everything = self.articles(workspace=workspace) + self.articles(workspace=workspace, removed=True)
        hits = [a for a in everything if ref in (a.id, a.extra["content_hash"])]
        if not hits and len(ref) >= 6:
            hits = [a for a in everything if a.extra["content_hash"].startswith(ref)]
        if not hits:
            raise StoreError(f"no article {ref!r} in workspace {workspace!r}")
        if len(hits) > 1:
            raise StoreError(f"{ref!r} names {len(hits)} articles in workspace {workspace!r}: "
                             + ", ".join(a.id for a in hits))
        return hits[0]

    def _set_removed(self, article_id: str, workspace: str, removed: bool) -> bool:
        m = _members
        member = (m.c.workspace_id == workspace) & (m.c.article_id == article_id)
        with self._write() as conn, conn.begin():
            self._check_workspace(conn, workspace)
            now = self._clock()
            n = conn.execute(
                sa.update(m).where(member, m.c.removed_at.is_(None) if removed else m.c.removed_at.is_not(None))
                .values(removed_at=now if removed else None, changed_at=now)).rowcount
            if n == 0 and conn.execute(sa.select(m.c.article_id).where(member)).first() is None:
                raise StoreError(f"no article {article_id!r} in workspace {workspace!r}")
        return n == 1

    def remove_article(self, article_id: str, *, workspace: str = DEMO_WORKSPACE) -> bool:
        """Remove the article (content hash) from ``workspace``: it leaves the atlas, and so
        does everything built from it alone (events, places, the corrections attached to
        them). Nothing is deleted: :meth:`restore_article` undoes it. True if it was there;
        False if already removed; :class:`StoreError` if the workspace never held it."""
        return self._set_removed(article_id, workspace, True)

    def restore_article(self, article_id: str, *, workspace: str = DEMO_WORKSPACE) -> bool:
        """Undo :meth:`remove_article`. True if it was removed; False if it was not."""
        return self._set_removed(article_id, workspace, False)

    # ----------------------------------------------------------------- geocoder cache

    def geocode_cache_get(self, provider: str, query_key: str) -> CacheEntry | None:
        """The cached answer for ``query_key`` from ``provider``, or None."""
        with self._read() as conn:
            row = conn.execute(sa.select(_geocode_cache).where(
                _geocode_cache.c.provider == provider, _geocode_cache.c.query_key == query_key)).first()
        if row is None:
            return None
        return CacheEntry(provider=row.provider, query_key=row.query_key, response=json.loads(row.response),
                          status=row.status, created_at=row.created_at, query=row.query)

    def geocode_cache_put(self, provider: str, query_key: str, response: Any, *, status: str | None = None,
                          query: str | None = None) -> CacheEntry:
        """Cache a genuine answer (replacing an older one). ``status`` defaults to
        ``found`` when ``response`` is non-empty, else ``not_found``. Service errors are not
        answers: never store them (any other status is refused)."""
        if status is None:
            status = "found" if response else "not_found"
        if status not in CACHE_STATUSES:
            raise StoreError(f"cache status must be one of {', '.join(CACHE_STATUSES)}, got {status!r} "
                             "(errors are never cached)")
        if len(query_key) > 200:
            query_key = "sha256:" + hashlib.sha256(query_key.encode("utf-8")).hexdigest()
        row = {"provider": provider, "query_key": query_key, "query": query, "status": status,
               "response": json.dumps(response, ensure_ascii=False, sort_keys=True, allow_nan=False),
               "created_at": self._clock()}
        stmt = self._insert(_geocode_cache).values(**row)
        stmt = stmt.on_conflict_do_update(
            index_elements=["provider", "query_key"],
            set_={k: stmt.excluded[k] for k in ("query", "response", "status", "created_at")},
        )
        with self._write() as conn, conn.begin():
            conn.execute(stmt)
        return CacheEntry(provider=provider, query_key=query_key, response=response, status=status,
                          created_at=row["created_at"], query=query)

    def geocode_cache_size(self) -> int:
        with self._read() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(_geocode_cache)).scalar_one())

    def response_cache(self) -> StoreResponseCache:
        """An adapter with ``geo.online.ResponseCache``'s interface (``get``/``put``), so
        ``OnlineGeocoder(user_agent, cache=store.response_cache())`` caches in this store."""
        return StoreResponseCache(self)

    # ----------------------------------------------------------------- corrections

    @staticmethod
    def _correction_row(c: Correction, workspace: str, articles: Iterable[str] | None) -> dict[str, Any]:
        ids = sorted(set(articles or ()))
        return {
            "correction_id": c.correction_id,
            "target": c.target,
            "target_id": c.target_id,
            "span_start": c.start,
            "span_end": c.end,
            "action": c.action,
            "value": json.dumps(dict(c.value), ensure_ascii=False, sort_keys=True, allow_nan=False),
            "author": c.author,
            "session": c.session,
            "note": c.note,
            "created_at": c.created_at,
            "undone_at": c.undone_at,
            "workspace_id": workspace,
            "article_ids": json.dumps(ids) if ids else None,
        }

    @staticmethod
    def _to_correction(row: Any) -> Correction:
        return Correction(
            correction_id=row.correction_id, target=row.target, target_id=row.target_id, start=row.span_start,
            end=row.span_end, action=row.action, value=json.loads(row.value), author=row.author,
            session=row.session, note=row.note, created_at=row.created_at, undone_at=row.undone_at,
        )

    def add_correction(self, correction: Correction, *, workspace: str = DEMO_WORKSPACE,
                       articles: Iterable[str] = ()) -> str:
        """Save a correction made in ``workspace`` (``created_at`` = now unless given); returns
        its id. ``articles``: content hashes of the articles the corrected feature was built
        from (the correction is hidden while all of them are removed from the workspace).
        Saving the same ``correction_id`` again changes nothing."""
        return self._merge_corrections([correction], workspace, articles)[0][0]

    def import_corrections(self, corrections: Iterable[Correction], *,
                           workspace: str = DEMO_WORKSPACE) -> tuple[int, int]:
        """Merge corrections from another installation into ``workspace``: new ones are
        added; a known one that the other side has undone is undone here too (undo is never
        reverted). Returns (added, newly undone). Idempotent."""
        results = self._merge_corrections(list(corrections), workspace, None)
        return sum(1 for _, added, _ in results if added), sum(1 for _, _, undone in results if undone)

    def _merge_corrections(self, corrections: list[Correction], workspace: str,
                           articles: Iterable[str] | None) -> list[tuple[str, bool, bool]]:
        now = self._clock()
        articles = list(articles or ())
        out = []
        with self._write() as conn, conn.begin():
            self._check_workspace(conn, workspace)
            for c in corrections:
                row = self._correction_row(c, workspace, articles)
                row["created_at"] = row["created_at"] or now
                stmt = (self._insert(_corrections).values(**row).on_conflict_do_nothing(index_elements=["correction_id"])
                        .returning(_corrections.c.correction_id))
                added = conn.execute(stmt).first() is not None
                undone = False
                if not added and c.undone_at is not None:
                    undone = conn.execute(
                        sa.update(_corrections)
                        .where(_corrections.c.correction_id == c.correction_id, _corrections.c.undone_at.is_(None))
                        .values(undone_at=c.undone_at)
                    ).rowcount == 1
                out.append((c.correction_id, added, undone))
        return out

    def corrections(self, include_undone: bool = False, *, target: str | None = None,
                    target_id: str | None = None, workspace: str = DEMO_WORKSPACE) -> list[Correction]:
        """The corrections of ``workspace`` in the order they apply (``created_at``, id);
        undone ones only with ``include_undone``. Corrections attached to articles that are
        all removed from the workspace are left out (they come back with the articles)."""
        t, m = _corrections, _members
        q = sa.select(t).where(t.c.workspace_id == workspace).order_by(t.c.created_at, t.c.correction_id)
        if not include_undone:
            q = q.where(t.c.undone_at.is_(None))
        if target is not None:
            q = q.where(t.c.target == target)
        if target_id is not None:
            q = q.where(t.c.target_id == target_id)
        with self._read() as conn:
            rows = list(conn.execute(q))
            held = set(conn.execute(sa.select(m.c.article_id).where(
                m.c.workspace_id == workspace, m.c.removed_at.is_(None))).scalars()) if any(
                r.article_ids for r in rows) else set()
        return [self._to_correction(r) for r in rows
                if not r.article_ids or not held.isdisjoint(json.loads(r.article_ids))]

    def correction(self, correction_id: str) -> Correction | None:
        with self._read() as conn:
            row = conn.execute(sa.select(_corrections).where(_corrections.c.correction_id == correction_id)).first()
        return None if row is None else self._to_correction(row)

    def undo_correction(self, correction_id: str) -> bool:
        """Undo a correction (sets ``undone_at``; the row is kept). True if it was active;
        False if it was already undone. Unknown ids raise :class:`StoreError`."""
        with self._write() as conn, conn.begin():
            n = conn.execute(
                sa.update(_corrections)
                .where(_corrections.c.correction_id == correction_id, _corrections.c.undone_at.is_(None))
                .values(undone_at=self._clock())
            ).rowcount
            if n == 0 and conn.execute(sa.select(_corrections.c.correction_id).where(
                    _corrections.c.correction_id == correction_id)).first() is None:
                raise StoreError(f"no correction with id {correction_id!r}")
        return n == 1

    def correction_count(self, include_undone: bool = True, *, workspace: str | None = None) -> int:
        """Corrections in the store, or made in ``workspace``."""
        q = sa.select(sa.func.count()).select_from(_corrections)
        if not include_undone:
            q = q.where(_corrections.c.undone_at.is_(None))
        if workspace is not None:
            q = q.where(_corrections.c.workspace_id == workspace)
        with self._read() as conn:
            return int(conn.execute(q).scalar_one())


class StoreResponseCache:
    """``geo.online.ResponseCache``'s interface on top of a :class:`Store`.

    ``get(service, request)`` returns the cached list of raw results ([] = a genuine
    "not found") or None; ``put(service, request, results)`` stores a genuine answer.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def key(service: str, request: dict[str, Any]) -> str:
        blob = json.dumps({"service": service, **request}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def get(self, service: str, request: dict[str, Any]) -> list[dict[str, Any]] | None:
        entry = self.store.geocode_cache_get(service, self.key(service, request))
        return None if entry is None else list(entry.response)

    def put(self, service: str, request: dict[str, Any], results: list[dict[str, Any]]) -> None:
        self.store.geocode_cache_put(service, self.key(service, request), list(results),
                                     query=json.dumps(request, sort_keys=True, ensure_ascii=False))

    def __len__(self) -> int:
        return self.store.geocode_cache_size()

    def close(self) -> None:
        """The store stays open: it is shared."""
