"""The store's articles: adding them to a workspace (once per text), reading, finding, removing and restoring them."""

from __future__ import annotations

import logging

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from geo.sources.corpus import Article


from geo.errors import StoreError
from geo.store.legacy import land
from geo.store.schema import articles_table, corrections_table, members_table, ORIGINS, DEMO_WORKSPACE

log = logging.getLogger(__name__)


class ArticleRecords:
    """Article rows of :class:`~geo.store.database.Store` (a mixin: it uses the store's connection helpers)."""

    @staticmethod
    def _article_row(article: Article, origin: str, created_at: str) -> dict[str, Any]:
        if origin not in ORIGINS:
            raise StoreError(f"origin must be one of {', '.join(ORIGINS)}, got {origin!r}")
        if not isinstance(article, Article):
            raise StoreError(f"expected a geo.sources.corpus.Article, got {article!r}")
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
            "author": article.author,
            "file_sha256": article.file_sha256,
            "extraction": article.extraction,
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
        m = members_table
        with self._write() as conn, conn.begin():
            self._check_workspace(conn, workspace)
            for row in rows:
                stmt = (self._insert(articles_table).values(**row).on_conflict_do_nothing(index_elements=["article_id"])
                        .returning(articles_table.c.article_id))
                if conn.execute(stmt).first() is None:
                    stored = conn.execute(sa.select(articles_table.c.sha256).where(
                        articles_table.c.article_id == row["article_id"])).scalar_one()
                    if stored != row["sha256"]:
                        raise StoreError(f"article id collision: {row['article_id']} holds another text")
                    if row["file_sha256"] is not None:  # stored before provenance was recorded: fill it in
                        conn.execute(sa.update(articles_table).where(articles_table.c.article_id == row["article_id"],
                                                                articles_table.c.file_sha256.is_(None))
                                     .values(author=row["author"], file_sha256=row["file_sha256"],
                                             extraction=row["extraction"]))
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
        m, c = members_table, corrections_table
        moved = conn.execute(sa.delete(m).where(m.c.workspace_id == DEMO_WORKSPACE, m.c.article_id == article_id,
                                                m.c.migrated.is_(True))).rowcount
        if moved:
            log.info("store: article %s moved from demo to its corpus's workspace %s", article_id, workspace)
            # the corrections attached to it follow once the demo holds none of their articles
            for cid, ids in conn.execute(sa.select(c.c.correction_id, c.c.article_ids).where(
                    c.c.workspace_id == DEMO_WORKSPACE, c.c.article_ids.contains(json.dumps(article_id)))).all():
                land(conn, cid, json.loads(ids), workspace)

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
            author=row.author,
            file_sha256=row.file_sha256,
            extraction=row.extraction,
            language=language,
        )

    def articles(self, origin: str | None = None, *, ids: str = "label", workspace: str = DEMO_WORKSPACE,
                 removed: bool = False) -> list[Article]:
        """The articles of ``workspace`` as :class:`geo.sources.corpus.Article`, ordered by label then hash
        (``removed=True``: the ones removed from it instead).

        ``ids="label"`` (default): ``id`` is the article's own id (front matter or file
        name), as a build from files would use, so atlas ids and corrections agree between
        the two; a label shared by different texts of the workspace gets ``~<hash prefix>``
        appended. ``ids="hash"``: ``id`` is the content hash. Either way ``extra`` holds
        ``label``, ``content_hash``, ``origin`` (how it came into this workspace) and
        ``removed_at``. ``origin`` keeps only ``corpus`` or ``upload`` articles."""
        if ids not in ("label", "hash"):
            raise ValueError(f"ids must be 'label' or 'hash', got {ids!r}")
        m = members_table
        cols = [c for c in articles_table.c if c.name != "origin"] + [m.c.origin, m.c.removed_at]
        q = (sa.select(*cols).join(m, m.c.article_id == articles_table.c.article_id)
             .where(m.c.workspace_id == workspace).order_by(articles_table.c.label, articles_table.c.article_id))
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
            row = conn.execute(sa.select(articles_table).where(articles_table.c.article_id == article_id)).first()
        return None if row is None else self._to_article(row)

    def article_count(self, workspace: str | None = None) -> int:
        """Articles stored (each text once), or those ``workspace`` holds (not removed)."""
        q = sa.select(sa.func.count()).select_from(articles_table)
        if workspace is not None:
            q = sa.select(sa.func.count()).select_from(members_table).where(
                members_table.c.workspace_id == workspace, members_table.c.removed_at.is_(None))
        with self._read() as conn:
            return int(conn.execute(q).scalar_one())

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
        m = members_table
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
