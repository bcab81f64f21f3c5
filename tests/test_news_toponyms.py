"""The news toponym set's files (benchmarks/news_toponyms/): every annotated span reads its name
in the committed page texts, and a page whose text changed is refused by name, not scored.
The rates on these pages are figures of benchmarks/news_toponyms.py, not tests."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("news_toponyms", ROOT / "benchmarks" / "news_toponyms.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_annotations_of_committed_pages_read_their_names():
    bench = _bench()
    committed = sorted((ROOT / "benchmarks" / "events_dev" / "texts").glob("*.txt"))
    assert committed
    checked = 0
    for path in committed:
        ann = ROOT / "benchmarks" / "news_toponyms" / f"{path.stem}.json"
        doc = json.loads(ann.read_text(encoding="utf-8"))
        assert bench._problem(doc, path.read_text(encoding="utf-8")) is None, ann
        checked += len(doc["toponyms"])
    assert checked > 100


def test_a_changed_text_is_refused_with_its_reason():
    bench = _bench()
    path = sorted((ROOT / "benchmarks" / "events_dev" / "texts").glob("*.txt"))[0]
    doc = json.loads((ROOT / "benchmarks" / "news_toponyms" / f"{path.stem}.json").read_text(encoding="utf-8"))
    assert "SHA-256" in bench._problem(doc, path.read_text(encoding="utf-8") + " edited")
    assert "no text" in bench._problem(doc, None)
