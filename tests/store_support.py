"""Stores as older releases left them, for the migration tests."""

from __future__ import annotations

import sqlalchemy as sa

from geo.store.database import MIGRATIONS


def create_schema_v2(conn: sa.Connection, applied_at: str) -> None:
    """The tables of schema version 2 (before workspaces), with its ``schema_version`` rows."""
    conn.exec_driver_sql("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL, "
                         "applied_at VARCHAR(40) NOT NULL)")
    for version, name, func in MIGRATIONS[:2]:
        func(conn)
        conn.execute(sa.text("INSERT INTO schema_version VALUES (:v, :n, :t)"), {"v": version, "n": name, "t": applied_at})
