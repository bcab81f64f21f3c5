"""Command line: ``python -m geo <command>``.

Each command lives in its own ``_cmd_*`` function registered in :func:`build_parser`.
Errors the user can fix print one line (``error: ...``) and exit with status 2.
"""

from __future__ import annotations

import argparse
import logging
import sys

from .errors import AtlasError

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description="Caravan Atlas command line")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # Commands register themselves below; keep one block per command.
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except AtlasError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
