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
    ``article_id`` = :attr:`geo.sources.corpus.Article.content_hash` (SHA-256 of the text, 16 hex
    digits): ingesting the same text twice stores it once (the first metadata is kept).
    ``label`` (the article's own id from its front matter or file name), ``title``,
    ``published``, ``source``, ``url``, ``filename``, ``extra`` (JSON) are metadata only;
    ``origin`` is how it first came (``corpus`` or ``upload``; pages fetched from the web
    come as ``upload``, with ``extra.link`` and ``extra.fetched_at``). Provenance (migration
    4): ``author``, ``file_sha256`` (SHA-256 of the original file's bytes: the saved or
    fetched page, the uploaded file) and ``extraction`` (``text``, ``trafilatura X.Y``,
    ``html.parser``); null for articles stored before it was recorded.
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
    One row per :class:`geo.store.corrections.Correction` (UUID key, so import is idempotent);
    undo sets ``undone_at``: rows are never deleted (full history). ``workspace_id`` is the
    workspace it was made in; ``article_ids`` (JSON list of content hashes, may be null) the
    articles the corrected feature was built from: while every one of them is removed from
    the workspace, the correction is hidden with them (and comes back on restore).

Several processes (Streamlit sessions, the CLI) share one store; writes from threads and
processes are serialised by the database, inserts are idempotent (``ON CONFLICT DO
NOTHING``) and nothing is read-modify-written outside a write transaction.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from geo.errors import StoreError
from geo.paths import DATA
from geo.store.articles import ArticleRecords
from geo.store.geocode_cache import CacheEntry, GeocodeCacheRecords, StoreResponseCache
from geo.store.saved_corrections import CorrectionRecords
from geo.store.schema import (DEMO_WORKSPACE, MIGRATIONS, corrections_table,
                              members_table, now_iso, schema_version_table, workspaces_table)

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
_PG_LOCK_KEY = 0x43415241  # "CARA": advisory lock id for migrations
_BUSY_TIMEOUT_MS = 30_000
DEMO_CORPUS = DATA / "articles"
#: Longest workspace name (characters).
MAX_WORKSPACE_NAME = 80
_WORKSPACE_ID = re.compile(r"\A[a-z0-9][a-z0-9-]{0,63}\Z")




def default_url() -> str:
    """``ATLAS_DATABASE_URL`` if set, else SQLite at ``<repo>/data/atlas.sqlite``."""
    env = os.environ.get(ENV_URL, "").strip()
    if env:
        return env
    return "sqlite:///" + str(DATA / "atlas.sqlite")


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


class Store(ArticleRecords, CorrectionRecords, GeocodeCacheRecords):
    """The durable store. Thread-safe; open one per process (e.g. ``st.cache_resource``).

    Use :meth:`open`; close with :meth:`close` or a ``with`` block.
    """

    def __init__(self, engine: Engine, *, clock: Callable[[], str] = now_iso) -> None:
        self.engine = engine
        self._clock = clock
        self._dialect = engine.dialect.name

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True, clock: Callable[[], str] = now_iso) -> Store:
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
            schema_version_table.create(conn, checkfirst=True)
            done = set(conn.execute(sa.select(schema_version_table.c.version)).scalars())
            applied = []
            for version, name, func in MIGRATIONS:
                if version in done:
                    continue
                log.info("store: applying migration %d (%s)", version, name)
                func(conn)
                conn.execute(sa.insert(schema_version_table).values(version=version, name=name, applied_at=self._clock()))
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
            return int(conn.execute(sa.select(sa.func.max(schema_version_table.c.version))).scalar() or 0)

    # ----------------------------------------------------------------- workspaces

    @staticmethod
    def _slug(name: str) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-")
        return slug or "corpus"

    def workspaces(self) -> list[Workspace]:
        """Every workspace, ``demo`` first, then by name, with its counts."""
        m = members_table
        active = sa.func.sum(sa.case((m.c.removed_at.is_(None), 1), else_=0))
        removed = sa.func.sum(sa.case((m.c.removed_at.is_not(None), 1), else_=0))
        with self._read() as conn:
            rows = list(conn.execute(sa.select(workspaces_table)))
            counts = {r.workspace_id: (int(r.a or 0), int(r.r or 0)) for r in conn.execute(
                sa.select(m.c.workspace_id, active.label("a"), removed.label("r")).group_by(m.c.workspace_id))}
            fixes = dict(conn.execute(
                sa.select(corrections_table.c.workspace_id, sa.func.count()).where(corrections_table.c.undone_at.is_(None))
                .group_by(corrections_table.c.workspace_id)).all())
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
            row = conn.execute(sa.select(workspaces_table.c.workspace_id).where(workspaces_table.c.corpus == corpus)).first()
            if row is None:
                if not create:
                    return None
                ident = self._free_id(conn, self._slug(Path(corpus).name))
                conn.execute(sa.insert(workspaces_table).values(workspace_id=ident, name=Path(corpus).name or corpus,
                                                           corpus=corpus, created_at=self._clock()))
                log.info("store: new workspace %s for %s", ident, corpus)
            else:
                ident = row.workspace_id
        return self.workspace(ident)

    @staticmethod
    def _free_id(conn: Connection, base: str) -> str:
        """``base``, or ``base-2``, ``base-3``… : the first id no workspace has."""
        taken = set(conn.execute(sa.select(workspaces_table.c.workspace_id)).scalars())
        ident, n = base, 2
        while ident in taken or ident == DEMO_WORKSPACE:
            ident, n = f"{base}-{n}", n + 1
        return ident

    @staticmethod
    def _checked_name(conn: Connection, name: str, workspace: str | None = None) -> str:
        """``name`` with its spaces tidied, or :class:`StoreError` saying what is wrong with it:
        empty, longer than :data:`MAX_WORKSPACE_NAME`, a control character, or another
        workspace's name (case aside)."""
        clean = " ".join(str(name).split())
        if not clean:
            raise StoreError("a workspace needs a name")
        if len(clean) > MAX_WORKSPACE_NAME:
            raise StoreError(f"workspace name too long: {len(clean)} characters (at most {MAX_WORKSPACE_NAME})")
        if any(unicodedata.category(ch) == "Cc" for ch in clean):
            raise StoreError(f"workspace name {clean!r} has a control character")
        for ident, other in conn.execute(sa.select(workspaces_table.c.workspace_id, workspaces_table.c.name)):
            if ident != workspace and other.casefold() == clean.casefold():
                raise StoreError(f"there is already a workspace named {other!r} (id {ident})")
        return clean

    def create_workspace(self, name: str) -> Workspace:
        """A new empty workspace named ``name``, without a corpus folder (its articles are the
        uploads and pages added to it); its id is the name as a slug, made unique."""
        with self._write() as conn, conn.begin():
            clean = self._checked_name(conn, name)
            ident = self._free_id(conn, self._slug(clean))
            conn.execute(sa.insert(workspaces_table).values(workspace_id=ident, name=clean, corpus=None,
                                                       created_at=self._clock()))
        log.info("store: new empty workspace %s (%s)", ident, clean)
        return self.workspace(ident)

    def rename_workspace(self, workspace_id: str, name: str) -> Workspace:
        """Give ``workspace_id`` another name; its id (in URLs and the CLI) stays the same."""
        with self._write() as conn, conn.begin():
            self._check_workspace(conn, workspace_id)
            clean = self._checked_name(conn, name, workspace_id)
            conn.execute(sa.update(workspaces_table).where(workspaces_table.c.workspace_id == workspace_id)
                         .values(name=clean))
        return self.workspace(workspace_id)

    @staticmethod
    def _check_workspace(conn: Connection, workspace: str) -> None:
        if conn.execute(sa.select(workspaces_table.c.workspace_id).where(
                workspaces_table.c.workspace_id == workspace)).first() is None:
            known = ", ".join(conn.execute(sa.select(workspaces_table.c.workspace_id)
                                           .order_by(workspaces_table.c.workspace_id)).scalars())
            raise StoreError(f"no workspace {workspace!r} (workspaces: {known})")

    # ----------------------------------------------------------------- articles









    def workspace_version(self, workspace: str) -> str:
        """Changes whenever an article is added to, removed from or restored in ``workspace``
        (a cheap cache key for its article list)."""
        m = members_table
        with self._read() as conn:
            row = conn.execute(sa.select(sa.func.count(), sa.func.max(m.c.changed_at))
                               .where(m.c.workspace_id == workspace, m.c.removed_at.is_(None))).one()
        return f"{row[0]}@{row[1]}"





    # ----------------------------------------------------------------- geocoder cache





    # ----------------------------------------------------------------- corrections











