"""Atomic file writes: a temporary file in the same folder, fsync, then ``os.replace``.

A writer that fails or is killed leaves the previous file intact (at worst a hidden
``.name.*.tmp`` file beside it). Used by every module that writes files the user keeps:
exports, the gazetteer index, the dashboard's static assets.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import IO, Any, Iterator

__all__ = ["atomic_write", "write_text_atomic", "temp_path", "replace_file"]


def temp_path(target: Path, suffix: str = ".tmp") -> Path:
    """A hidden temporary path beside ``target`` (same file system, so the rename is atomic)."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}{suffix}")


def replace_file(tmp: Path, target: Path) -> None:
    """Move a finished temporary file over ``target`` and make the rename durable."""
    mode = 0o644
    with contextlib.suppress(OSError):
        mode = target.stat().st_mode & 0o777
    os.chmod(tmp, mode)
    os.replace(tmp, target)
    with contextlib.suppress(OSError):  # make the rename itself durable (POSIX only)
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], *, binary: bool = False) -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path``; on success fsync it and ``os.replace`` it.

    If the body raises (or the process dies), ``path`` keeps its previous content and the
    temporary file is removed (or, after a kill, left as a hidden ``.name.*.tmp`` file).
    Text mode writes UTF-8 with ``\\n`` line ends.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target)
    try:
        if binary:
            fh: IO[Any] = open(tmp, "xb")
        else:
            fh = open(tmp, "x", encoding="utf-8", newline="\n")
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        replace_file(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` atomically (UTF-8)."""
    with atomic_write(path) as fh:
        fh.write(text)
