"""A throwaway PostgreSQL server for the store tests, and the ``store_url`` fixture.

``pg_server`` (session scope) starts a cluster with ``initdb`` + ``pg_ctl`` in a temporary
folder, listening on 127.0.0.1 only (and a Unix socket in that folder), with trust
authentication for the user ``atlas``; it is stopped and deleted after the session. As
root, the server runs as the ``postgres`` user (``runuser``), since PostgreSQL refuses root.

``ATLAS_TEST_PG_URL`` (``postgresql://user@host:port/db``) uses an existing server instead.

When no server can be started the PostgreSQL tests are skipped — except under CI
(``CI=true``), where that is a failure. ``scripts/install_postgres.sh`` installs the
binaries (``make test`` runs it).

``store_url`` is parametrised over ``sqlite`` and ``postgresql``: a fresh SQLite file, or a
fresh database on the session's server, for each test.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Iterator

import pytest

__all__ = ["pg_server", "store_url", "in_ci"]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _unavailable(message: str) -> None:
    if in_ci():
        pytest.fail(f"PostgreSQL test server: {message} (CI=true: failing instead of skipping)", pytrace=False)
    pytest.skip(f"PostgreSQL test server: {message}")


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return found[-1]
    return shutil.which(name)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """URL (``postgresql+psycopg://atlas@127.0.0.1:PORT``, no database) of a running server."""
    external = os.environ.get("ATLAS_TEST_PG_URL")
    if external:
        yield external.rstrip("/").rsplit("/", 1)[0] if external.count("/") > 2 else external
        return
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        _unavailable("initdb/pg_ctl not found (run scripts/install_postgres.sh)")
    prefix: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
    if os.geteuid() == 0:
        import pwd

        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(root, ignore_errors=True)
            _unavailable("running as root and there is no 'postgres' user to run the server")
        os.chown(root, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    os.chmod(root, 0o700)
    data, log = root / "data", root / "server.log"
    port = _free_port()

    def run(*cmd: str, timeout: float = 120) -> None:
        subprocess.run([*prefix, *cmd], check=True, capture_output=True, text=True, timeout=timeout)

    started = False
    try:
        try:
            run(initdb, "-D", str(data), "-U", "atlas", "--auth=trust", "-E", "UTF8", "--no-locale", "-N")
            opts = f"-k {root} -h 127.0.0.1 -p {port} -F -c fsync=off -c max_connections=200"
            run(pg_ctl, "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", opts, "start")
            started = True
        except (subprocess.SubprocessError, OSError) as err:
            detail = getattr(err, "stderr", "") or ""
            if log.exists():
                detail += "\n" + log.read_text(errors="replace")[-2000:]
            _unavailable(f"cannot start a cluster: {err}\n{detail}")
        yield f"postgresql+psycopg://atlas@127.0.0.1:{port}"
    finally:
        if started:
            subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def new_pg_database(server: str) -> str:
    """Create an empty database on ``server``; returns its URL."""
    import sqlalchemy as sa

    name = "atlas_" + uuid.uuid4().hex[:12]
    engine = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        engine.dispose()
    return f"{server}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty store: SQLite file or PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'atlas.sqlite'}"
    return new_pg_database(request.getfixturevalue("pg_server"))
