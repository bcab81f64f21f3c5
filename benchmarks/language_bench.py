"""Language detection on the event sets: the function-word rule (geo/text/language.py) against
py3langid when it is importable (it is not a dependency: ``pip install py3langid`` to compare).

    .venv/bin/python benchmarks/language_bench.py

Texts: the English event set (``benchmarks/events_dev``, labelled "en") and the Spanish dev
split (``benchmarks/events_dev_es``, "es"; the held-out split is not read), whole and cut to
their first 300 and 120 characters (a headline and a line: where a rule can fail). Prints
accuracy and milliseconds per text for each detector.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.text.language import detect_language  # noqa: E402


def _texts() -> list[tuple[str, str]]:
    out = []
    for folder, cache, lang in (("events_dev", "events_dev", "en"), ("events_dev_es", "events_dev_es", "es")):
        data = ROOT / "benchmarks" / folder
        if not (data / "articles.jsonl").exists():
            continue
        for line in (data / "articles.jsonl").read_text(encoding="utf-8").splitlines():
            meta = json.loads(line)
            if lang == "es" and meta["split"] != "dev":
                continue  # held-out texts are only scored by events_dev.py
            for path in (data / "texts" / f"{meta['id']}.txt", ROOT / ".cache" / cache / f"{meta['id']}.txt"):
                if path.exists():
                    out.append((lang, path.read_text(encoding="utf-8")))
                    break
    return out


def main() -> int:
    texts = _texts()
    detectors = {"function words (geo.language)": detect_language}
    try:
        import py3langid

        detectors["py3langid"] = lambda t: py3langid.classify(t)[0]
    except ImportError:
        print("py3langid not installed: only the rule is measured")
    n_en = sum(1 for lang, _ in texts if lang == "en")
    print(f"{len(texts)} texts ({n_en} English, {len(texts) - n_en} Spanish)")
    print(f"{'detector':32s} {'cut':>6s} {'accuracy':>8s} {'errors':>6s} {'ms/text':>8s}")
    for name, detect in detectors.items():
        detect("warm up")
        for cut in (None, 300, 120):
            sample = [(lang, t if cut is None else t.strip()[:cut]) for lang, t in texts]
            t0 = time.perf_counter()
            got = [detect(t) for _, t in sample]
            ms = (time.perf_counter() - t0) * 1000 / max(1, len(sample))
            wrong = sum(g != lang for g, (lang, _) in zip(got, sample))
            print(f"{name:32s} {cut or 'all':>6} {1 - wrong / len(sample):8.3f} {wrong:6d} {ms:8.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
