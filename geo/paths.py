"""Where the project's own files are: the repository root and its ``data/`` folder."""

from __future__ import annotations

from pathlib import Path

__all__ = ["REPO", "DATA"]

#: The repository root (the folder that holds ``geo/`` and ``data/``).
REPO = Path(__file__).resolve().parents[1]
#: The curated data the pipeline reads: gazetteer tables, boundaries, roads, schemas, demo articles.
DATA = REPO / "data"
