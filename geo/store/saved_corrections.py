"""The user's corrections kept in the store, per workspace, with undo."""

from __future__ import annotations

import dataclasses
import json
from typing import Any, Iterable

import sqlalchemy as sa

from geo.store.corrections import Correction


from geo.errors import StoreError
from geo.store.legacy import feature_articles, land_legacy, legacy_targets
from geo.store.schema import articles_table, corrections_table, members_table, DEMO_WORKSPACE


class CorrectionRecords:
    """Correction rows of :class:`~geo.store.database.Store` (a mixin)."""

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
                stmt = (self._insert(corrections_table).values(**row).on_conflict_do_nothing(index_elements=["correction_id"])
                        .returning(corrections_table.c.correction_id))
                added = conn.execute(stmt).first() is not None
                undone = False
                if not added and c.undone_at is not None:
                    undone = conn.execute(
                        sa.update(corrections_table)
                        .where(corrections_table.c.correction_id == c.correction_id, corrections_table.c.undone_at.is_(None))
                        .values(undone_at=c.undone_at)
                    ).rowcount == 1
                out.append((c.correction_id, added, undone))
        return out

    def corrections(self, include_undone: bool = False, *, target: str | None = None,
                    target_id: str | None = None, workspace: str = DEMO_WORKSPACE) -> list[Correction]:
        """The corrections of ``workspace`` in the order they apply (``created_at``, id);
        undone ones only with ``include_undone``. Corrections attached to articles that are
        all removed from the workspace are left out (they come back with the articles)."""
        t, m = corrections_table, members_table
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
            names = self._article_names(conn, workspace) if any(
                r.target == "mention" and r.article_ids for r in rows) else {}
        out = []
        for r in rows:
            ids = json.loads(r.article_ids) if r.article_ids else []
            if ids and held.isdisjoint(ids):
                continue
            c = self._to_correction(r)
            if c.target == "mention" and len(ids) == 1 and ids[0] in names and names[ids[0]] != c.target_id:
                # the mention's article as this workspace names it (an old "label~hash" or hash)
                c = dataclasses.replace(c, target_id=names[ids[0]])
            out.append(c)
        return out

    @staticmethod
    def _article_names(conn: Any, workspace: str) -> dict[str, str]:
        """Content hash -> the article's id in ``workspace``'s atlas: its label, with
        ``~<hash prefix>`` when several texts of the workspace share it (as ``Store.articles``)."""
        a, m = articles_table, members_table
        rows = conn.execute(sa.select(a.c.article_id, a.c.label).join(m, m.c.article_id == a.c.article_id)
                            .where(m.c.workspace_id == workspace)).all()
        counts: dict[str, int] = {}
        for aid, label in rows:
            counts[label or aid] = counts.get(label or aid, 0) + 1
        return {aid: (label or aid) if counts[label or aid] == 1 else f"{label or aid}~{aid[:8]}" for aid, label in rows}

    def link_legacy_corrections(self, workspace: str, events: Any, places: Any) -> int:
        """Attach the event and place corrections made before workspaces (in ``demo``, attached
        to no article) to the articles their feature is built from in ``workspace``'s atlas
        (its ``events`` and ``places`` frames), and move them there when those articles moved
        there (:mod:`geo.store.legacy`). Returns how many were attached; a quick no-op once
        none is left."""
        with self._read() as conn:
            targets = legacy_targets(conn)
            found = feature_articles(targets, events, places) if targets else {}
            names = self._article_names(conn, workspace) if found else {}
        hashes = {name: aid for aid, name in names.items()} | {aid: aid for aid in names}
        found = {k: [hashes[i] for i in ids if i in hashes] for k, ids in found.items()}
        if not any(found.values()):
            return 0
        with self._write() as conn, conn.begin():
            return land_legacy(conn, workspace, found)

    def correction(self, correction_id: str) -> Correction | None:
        with self._read() as conn:
            row = conn.execute(sa.select(corrections_table).where(corrections_table.c.correction_id == correction_id)).first()
        return None if row is None else self._to_correction(row)

    def undo_correction(self, correction_id: str) -> bool:
        """Undo a correction (sets ``undone_at``; the row is kept). True if it was active;
        False if it was already undone. Unknown ids raise :class:`StoreError`."""
        with self._write() as conn, conn.begin():
            n = conn.execute(
                sa.update(corrections_table)
                .where(corrections_table.c.correction_id == correction_id, corrections_table.c.undone_at.is_(None))
                .values(undone_at=self._clock())
            ).rowcount
            if n == 0 and conn.execute(sa.select(corrections_table.c.correction_id).where(
                    corrections_table.c.correction_id == correction_id)).first() is None:
                raise StoreError(f"no correction with id {correction_id!r}")
        return n == 1

    def correction_count(self, include_undone: bool = True, *, workspace: str | None = None) -> int:
        """Corrections in the store, or made in ``workspace``."""
        q = sa.select(sa.func.count()).select_from(corrections_table)
        if not include_undone:
            q = q.where(corrections_table.c.undone_at.is_(None))
        if workspace is not None:
            q = q.where(corrections_table.c.workspace_id == workspace)
        with self._read() as conn:
            return int(conn.execute(q).scalar_one())
