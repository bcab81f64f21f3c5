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

Tables:

``articles``
    ``article_id`` = :attr:`geo.corpus.Article.content_hash` (SHA-256 of the text, 16 hex
    digits): ingesting the same text twice stores it once (the first metadata is kept).
    ``label`` (the article's own id from its front matter or file name), ``title``,
    ``published``, ``source``, ``url``, ``filename``, ``extra`` (JSON) are metadata only;
    ``origin`` is ``corpus`` or ``upload``.
``geocode_cache``
    ``(provider, query_key)`` -> ``response`` (JSON), ``status`` ``found`` | ``not_found``
    and ``created_at``. Errors are never stored (there is no status for them).
``corrections``
    One row per :class:`geo.corrections.Correction` (UUID key, so import is idempotent);
    undo sets ``undone_at``: rows are never deleted (full history).

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .corpus import Article
from .corrections import Correction
from .errors import AtlasError

__all__ = [
    "ENV_URL",
    "MIGRATIONS",
    "CacheEntry",
    "Store",
    "StoreError",
    "StoreResponseCache",
    "default_url",
]

log = logging.getLogger(__name__)

#: Environment variable holding the database URL (e.g. ``postgresql://user@host/atlas``).
ENV_URL = "ATLAS_DATABASE_URL"
ORIGINS = ("corpus", "upload")
CACHE_STATUSES = ("found", "not_found")
_PG_LOCK_KEY = 0x43415241  # "CARA": advisory lock id for migrations
_BUSY_TIMEOUT_MS = 30_000


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


#: Ordered migrations: (version, name, function). Append only; never edit an applied one.
MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "articles, geocode_cache, corrections", _m001_initial),
    (2, "indexes on articles.origin and corrections", _m002_indexes),
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
            "extra": json.dumps(article.extra or {}, sort_keys=True, ensure_ascii=False, default=str),
            "origin": origin,
            "created_at": created_at,
        }

    def add_article(self, article: Article, origin: str = "corpus") -> tuple[str, bool]:
        """Store ``article``; returns (article_id, created). The id is the text's content
        hash; the same text again is not stored twice (``created`` is False)."""
        return self.add_articles([article], origin)[0]

    def add_articles(self, articles: Iterable[Article], origin: str = "corpus") -> list[tuple[str, bool]]:
        """Store several articles in one transaction; (article_id, created) for each."""
        now = self._clock()
        rows = [self._article_row(a, origin, now) for a in articles]
        out = []
        with self._write() as conn, conn.begin():
            for row in rows:
                stmt = (self._insert(_articles).values(**row).on_conflict_do_nothing(index_elements=["article_id"])
                        .returning(_articles.c.article_id))
                created = conn.execute(stmt).first() is not None
                if not created:
                    stored = conn.execute(sa.select(_articles.c.sha256).where(
                        _articles.c.article_id == row["article_id"])).scalar_one()
                    if stored != row["sha256"]:
                        raise StoreError(f"article id collision: {row['article_id']} holds another text")
                out.append((row["article_id"], created))
        return out

    @staticmethod
    def _to_article(row: Any, article_id: str | None = None) -> Article:
        extra = json.loads(row.extra) if row.extra else {}
        extra.update(label=row.label, origin=row.origin, stored_at=row.created_at, content_hash=row.article_id)
        return Article(
            id=article_id or row.article_id,
            text=row.text,
            title=row.title,
            published=dt.date.fromisoformat(row.published) if row.published else None,
            source=row.source,
            url=row.url,
            path=row.filename,
            extra=extra,
        )

    def articles(self, origin: str | None = None, *, ids: str = "label") -> list[Article]:
        """Every stored article as :class:`geo.corpus.Article`, ordered by label then hash.

        ``ids="label"`` (default): ``id`` is the article's own id (front matter or file
        name), as a build from files would use, so atlas ids and corrections agree between
        the two; a label shared by different texts gets ``~<hash prefix>`` appended.
        ``ids="hash"``: ``id`` is the content hash. Either way ``extra`` holds ``label``,
        ``content_hash`` and ``origin``. ``origin`` keeps only ``corpus`` or ``upload`` articles."""
        if ids not in ("label", "hash"):
            raise ValueError(f"ids must be 'label' or 'hash', got {ids!r}")
        q = sa.select(_articles).order_by(_articles.c.label, _articles.c.article_id)
        if origin is not None:
            q = q.where(_articles.c.origin == origin)
        with self._read() as conn:
            rows = list(conn.execute(q))
        if ids == "hash":
            return [self._to_article(r) for r in rows]
        counts: dict[str, int] = {}
        for r in rows:
            counts[r.label or r.article_id] = counts.get(r.label or r.article_id, 0) + 1
        out = []
        for r in rows:
            label = r.label or r.article_id
            out.append(self._to_article(r, label if counts[label] == 1 else f"{label}~{r.article_id[:8]}"))
        return out

    def article(self, article_id: str) -> Article | None:
        with self._read() as conn:
            row = conn.execute(sa.select(_articles).where(_articles.c.article_id == article_id)).first()
        return None if row is None else self._to_article(row)

    def article_count(self) -> int:
        with self._read() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(_articles)).scalar_one())

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
    def _correction_row(c: Correction) -> dict[str, Any]:
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
        }

    @staticmethod
    def _to_correction(row: Any) -> Correction:
        return Correction(
            correction_id=row.correction_id, target=row.target, target_id=row.target_id, start=row.span_start,
            end=row.span_end, action=row.action, value=json.loads(row.value), author=row.author,
            session=row.session, note=row.note, created_at=row.created_at, undone_at=row.undone_at,
        )

    def add_correction(self, correction: Correction) -> str:
        """Save a correction (``created_at`` = now unless given); returns its id. Saving the
        same ``correction_id`` again changes nothing."""
        return self._merge_corrections([correction])[0][0]

    def import_corrections(self, corrections: Iterable[Correction]) -> tuple[int, int]:
        """Merge corrections from another installation: new ones are added; a known one that
        the other side has undone is undone here too (undo is never reverted). Returns
        (added, newly undone). Idempotent."""
        results = self._merge_corrections(list(corrections))
        return sum(1 for _, added, _ in results if added), sum(1 for _, _, undone in results if undone)

    def _merge_corrections(self, corrections: list[Correction]) -> list[tuple[str, bool, bool]]:
        now = self._clock()
        out = []
        with self._write() as conn, conn.begin():
            for c in corrections:
                row = self._correction_row(c)
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
                    target_id: str | None = None) -> list[Correction]:
        """Saved corrections in the order they apply (``created_at``, id); undone ones only
        with ``include_undone``."""
        t = _corrections
        q = sa.select(t).order_by(t.c.created_at, t.c.correction_id)
        if not include_undone:
            q = q.where(t.c.undone_at.is_(None))
        if target is not None:
            q = q.where(t.c.target == target)
        if target_id is not None:
            q = q.where(t.c.target_id == target_id)
        with self._read() as conn:
            return [self._to_correction(r) for r in conn.execute(q)]

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

    def correction_count(self, include_undone: bool = True) -> int:
        q = sa.select(sa.func.count()).select_from(_corrections)
        if not include_undone:
            q = q.where(_corrections.c.undone_at.is_(None))
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
