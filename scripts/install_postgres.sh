#!/usr/bin/env bash
# Install the PostgreSQL server binaries (initdb, pg_ctl) from Debian's packages, for the
# store tests (tests/pg.py starts a throwaway cluster on 127.0.0.1 from a pytest fixture).
#
# Idempotent: does nothing when initdb is on PATH or under /usr/lib/postgresql/*/bin.
# Needs root or sudo to install. Without them it warns and exits 0 (the PostgreSQL tests
# are then skipped) — except under CI (CI=true), where it exits 1.
set -euo pipefail

found_initdb() {
    command -v initdb >/dev/null 2>&1 && return 0
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null 2>&1
}

is_ci() {
    case "${CI:-}" in true | TRUE | True | 1 | yes) return 0 ;; *) return 1 ;; esac
}

if found_initdb; then
    echo "PostgreSQL: initdb found; nothing to install"
    exit 0
fi

if [ "$(id -u)" = 0 ]; then
    SUDO=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "PostgreSQL: initdb not found and neither root nor passwordless sudo; cannot install" >&2
    if is_ci; then exit 1; fi
    echo "PostgreSQL: the store tests will run on SQLite only" >&2
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "PostgreSQL: initdb not found and no apt-get; install the PostgreSQL server yourself" >&2
    if is_ci; then exit 1; fi
    exit 0
fi

echo "Installing PostgreSQL from Debian's packages"
# The tests start their own cluster: do not create (and start) the package's main cluster.
$SUDO mkdir -p /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.d/caravan-atlas.conf >/dev/null
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null

if ! found_initdb; then
    echo "PostgreSQL: installed, but initdb is still not found" >&2
    exit 1
fi
echo "PostgreSQL: installed ($(compgen -G '/usr/lib/postgresql/*/bin/initdb' | head -n1))"
