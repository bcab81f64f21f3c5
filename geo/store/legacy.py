"""Corrections made before workspaces (schema version 2), landed in the workspace of the
article they correct.

Migration 3 put every old article and every old correction in ``demo``, since the store did
not record which corpus an article came from; an article moves to its corpus's workspace when
that corpus is ingested again (:meth:`~geo.store.articles.ArticleRecords.add_articles`), and
so does a correction attached to it (``article_ids``). What an old correction row carries about
its article:

- a **mention** names its article in ``target_id``, in whatever form the code of the day
  gave articles: the label (front matter id or file name), ``label~<hash prefix>`` (a label
  shared by several texts of the whole store), the content hash (the store's ids before
  a148e4c), a hash prefix, or a web page's URL. :func:`link_old_mentions` (migration 5) reads
  all of them; migration 3 read only the first two;
- an **event** or a **place** carries only the feature's id (``ev_…``, ``geonames:…``), which
  a build of the atlas gives: :func:`link_legacy_corrections` attaches such a correction to the
  articles that feature is built from when a workspace's atlas shows it (the dashboard and
  ``build`` call it), and moves it to that workspace when the articles moved there.

A correction is "legacy" while it is in ``demo``, attached to no article and older than
migration 3. Only articles stored before migration 3 count as its articles. Plain SQL on the
columns of schema version 5, the same for SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)

DEMO = "demo"  # schema.DEMO_WORKSPACE (not imported: schema imports this module)
_MIN_PREFIX = 6


def workspaces_cutoff(conn: Connection) -> str | None:
    """When migration 3 (workspaces) was applied to this store (None: not yet)."""
    return conn.execute(sa.text("SELECT applied_at FROM schema_version WHERE version = 3")).scalar()


def article_for(rows: Iterable[tuple[str, str | None, str | None]], ref: str) -> list[str]:
    """Content hashes of the stored articles (``rows`` of article_id, label, url) that ``ref``
    names as an old mention target did: label, ``label~prefix``, content hash, hash prefix (6+
    digits) or URL; [] when none."""
    label, sep, prefix = ref.partition("~")
    for test in (
        lambda a, lab, url: (lab or a) == label and (not sep or a.startswith(prefix)),
        lambda a, lab, url: a == ref,
        lambda a, lab, url: len(ref) >= _MIN_PREFIX and a.startswith(ref),
        lambda a, lab, url: url is not None and url == ref,
    ):
        found = sorted({a for a, lab, url in rows if test(a, lab, url)})
        if found:
            return found if len(found) == 1 else []  # ambiguous: left unattached
    return []


def land(conn: Connection, correction_id: str, hashes: Iterable[str], workspace: str | None = None) -> str | None:
    """Attach a legacy correction to the articles ``hashes`` and move it out of ``demo`` to the
    workspace that holds them when ``demo`` no longer does (``workspace``, else the only one
    holding them all). Returns the workspace it is in, None when left as it was."""
    ids = sorted(set(hashes))
    if not ids:
        return None
    holders: dict[str, set[str]] = {}
    for ws, aid in conn.execute(sa.text("SELECT workspace_id, article_id FROM workspace_articles")):
        if aid in ids:
            holders.setdefault(ws, set()).add(aid)
    whole = sorted(ws for ws, held in holders.items() if held == set(ids))
    if DEMO in holders:
        target = DEMO  # (some of) its articles are still in the demo: it stays there, attached
    elif workspace is not None:
        target = workspace if workspace in whole else None
    else:
        target = whole[0] if len(whole) == 1 else None
    if target is None:
        return None
    conn.execute(sa.text("UPDATE corrections SET article_ids = :ids, workspace_id = :ws WHERE correction_id = :cid"),
                 {"ids": json.dumps(ids), "ws": target, "cid": correction_id})
    if target != DEMO:
        log.info("store: correction %s made before workspaces moved to workspace %s", correction_id, target)
    return target


def _pre_workspace_articles(conn: Connection, cutoff: str) -> set[str]:
    return set(conn.execute(sa.text("SELECT article_id FROM articles WHERE created_at <= :t"), {"t": cutoff}).scalars())


def link_old_mentions(conn: Connection) -> None:
    """Migration 5: the mention corrections migration 3 left unattached, attached to the
    article their ``target_id`` names in any of the old forms (and moved with it)."""
    cutoff = workspaces_cutoff(conn)
    if cutoff is None:
        return
    old = _pre_workspace_articles(conn, cutoff)
    rows = conn.execute(sa.text(
        "SELECT correction_id, target_id FROM corrections WHERE target = 'mention' AND article_ids IS NULL "
        "AND workspace_id = :demo AND created_at <= :t"), {"demo": DEMO, "t": cutoff}).all()
    articles = conn.execute(sa.text("SELECT article_id, label, url FROM articles")).all() if rows else []
    for correction_id, target_id in rows:
        land(conn, correction_id, [a for a in article_for(articles, str(target_id)) if a in old])


def legacy_targets(conn: Connection) -> set[tuple[str, str]]:
    """(target, target_id) of the event and place corrections made before workspaces that
    are attached to no article yet."""
    cutoff = workspaces_cutoff(conn)
    if cutoff is None:
        return set()
    return {(t, str(tid)) for _, t, tid in _legacy_feature_corrections(conn, cutoff)}


def _legacy_feature_corrections(conn: Connection, cutoff: str) -> list[Any]:
    """(correction_id, target, target_id) of the event and place corrections made before
    workspaces (before ``cutoff``) that are attached to no article yet."""
    return conn.execute(sa.text(
        "SELECT correction_id, target, target_id FROM corrections WHERE target IN ('event', 'place') "
        "AND article_ids IS NULL AND workspace_id = :demo AND created_at <= :t"), {"demo": DEMO, "t": cutoff}).all()


def land_legacy(conn: Connection, workspace: str, found: Mapping[tuple[str, str], Iterable[str]]) -> int:
    """Attach the legacy event and place corrections whose feature ``workspace``'s atlas shows
    to the pre-workspace articles (content hashes) it is built from there; returns how many."""
    cutoff = workspaces_cutoff(conn)
    if cutoff is None or not found:
        return 0
    old = _pre_workspace_articles(conn, cutoff)
    n = 0
    for correction_id, target, target_id in _legacy_feature_corrections(conn, cutoff):
        hashes = [h for h in found.get((target, str(target_id)), ()) if h in old]
        n += land(conn, correction_id, hashes, workspace) is not None
    return n


def feature_articles(targets: set[tuple[str, str]], events: Any, places: Any) -> dict[tuple[str, str], list[str]]:
    """(target, target_id) -> the ids of the articles (as the atlas names them) of each wanted
    event or place of an atlas's ``events`` and ``places`` frames."""
    out: dict[tuple[str, str], list[str]] = {}
    for layer, frame, column in (("event", events, "event_id"), ("place", places, "place_id")):
        wanted = {tid for t, tid in targets if t == layer}
        if not wanted or frame is None or column not in frame.columns or "article_ids" not in frame.columns:
            continue
        for tid, ids in zip(frame[column].tolist(), frame["article_ids"].tolist()):
            if str(tid) in wanted and ids is not None and not isinstance(ids, (str, float)):
                out.setdefault((layer, str(tid)), []).extend(str(a) for a in ids)
    return out
