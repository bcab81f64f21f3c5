"""Where the geoparser goes wrong: misses, false positives and far resolutions, grouped.

    .venv/bin/python benchmarks/geoparse_errors.py [--gold FILE] [--pred FILE] [--examples N] [--top N]

Reads a gold set (default ``../shared/eval/lgl.jsonl``) and the predictions that
``benchmarks/geoparse_lgl.py`` wrote for it (default ``.cache/bench/<gold>.pred.jsonl``), matches
them with the reference scorer's own matching (Gritta et al. 2018) and prints three groups:

- **misses** (gold toponyms no prediction matches), by the gold entry's kind (the gazetteer's
  kind of its GeoNames id, else its GeoNames feature code, else ``unknown``) and by cause:
  ``boundary`` (a prediction overlaps it with other edges), ``hashtag``/``lowercase`` (written
  that way), ``in gazetteer`` (the name is a gazetteer name but was not recognised),
  ``not in gazetteer``;
- **false positives** (predictions matching no gold toponym), by predicted kind and by cause:
  ``boundary``, ``gold elsewhere`` (the same name is a gold toponym in another text of the set:
  an annotation the gold left out here, or a sense the parser confused), ``never gold``;
- **far resolutions** (matched, over 161 km from the gold point), by predicted kind and cause:
  ``same entry, other point`` (our geonameid is the gold one: only the coordinate differs),
  ``other entry, same country``, ``other country``, ``no id`` (curated entries without a GeoNames id).

Each group lists its most frequent names and ``--examples`` examples with their context.
``--before OLD.pred.jsonl`` (predictions of an earlier version, kept by copying the file) first
prints, by kind, what changed: per predicted kind how many predictions, the share matching a
gold toponym and acc@161; per gold kind the recall — before and after.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval"


def _scorer(path: str):
    spec = importlib.util.spec_from_file_location("reference_scorer", path)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    return ref


def _overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _context(text: str, start: int, end: int, width: int = 45) -> str:
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return f"…{left}[{text[start:end]}]{right}…"


def analyse(docs: list[dict], preds: dict[str, list[dict]], ref, gaz) -> dict[str, dict]:
    """Grouped errors: {"misses"|"false positives"|"far": {(kind, cause): [example, ...]}}.
    An example is (name, context, detail)."""
    gold_names = Counter()
    for d in docs:
        for g in d.get("toponyms", []) + d.get("unresolved_toponyms", []):
            gold_names[g["name"].lower()] += 1
    groups: dict[str, dict] = {"misses": defaultdict(list), "false positives": defaultdict(list),
                               "far": defaultdict(list)}
    for d in docs:
        text = d["text"]
        gold = d.get("toponyms", []) + d.get("unresolved_toponyms", [])
        pred = preds.get(d["id"], [])
        pairs, _ = ref.match(gold, pred, text, "gritta")
        hit_g = {id(g) for g, _ in pairs}
        hit_p = {id(p) for _, p in pairs}
        for g in gold:
            if id(g) in hit_g:
                continue
            kind = _gold_kind(g, gaz)
            name = g["name"]
            if any(_overlaps(g, p) for p in pred):
                cause = "boundary"
                detail = "pred " + ", ".join(repr(p["name"]) for p in pred if _overlaps(g, p))
            elif g["start"] > 0 and text[g["start"] - 1] == "#":
                cause, detail = "hashtag", ""
            elif name[:1].islower():
                cause, detail = "lowercase", ""
            elif gaz.contains(name) or gaz.contains(name.removeprefix("the ").removeprefix("The ")):
                cause, detail = "in gazetteer", ""
            else:
                cause, detail = "not in gazetteer", ""
            groups["misses"][(kind, cause)].append((name, _context(text, g["start"], g["end"]), detail))
        for p in pred:
            if id(p) in hit_p:
                continue
            kind = p.get("kind") or "?"
            if any(_overlaps(g, p) for g in gold):
                cause = "boundary"
                detail = "gold " + ", ".join(repr(g["name"]) for g in gold if _overlaps(g, p))
            elif gold_names[p["name"].lower()]:
                cause, detail = "gold elsewhere", f"gold {gold_names[p['name'].lower()]}x in the set"
            else:
                cause, detail = "never gold", ""
            groups["false positives"][(kind, cause)].append((p["name"], _context(text, p["start"], p["end"]), detail))
        for g, p in pairs:
            if p.get("lat") is None or g.get("lat") is None:
                continue
            km = ref.haversine(g["lat"], g["lon"], p["lat"], p["lon"])
            if km < 161:
                continue
            kind = p.get("kind") or "?"
            pid, gid = p.get("geonameid"), g.get("geonameid")
            if pid is None:
                cause = "no id"
            elif gid is not None and int(pid) == int(gid):
                cause = "same entry, other point"
            else:
                ours = gaz.get(int(pid))
                gcc = g.get("country_code") or g.get("country")
                if ours is not None and gcc and ours.country_code == gcc:
                    cause = "other entry, same country"
                else:
                    cause = "other country"
            gaz_name = g.get("gaz_name") or ""
            detail = (f"{km:.0f} km; gold {gaz_name} {gid} ({g['lat']:.2f},{g['lon']:.2f}) "
                      f"ours {pid} ({p['lat']:.2f},{p['lon']:.2f})")
            groups["far"][(kind, cause)].append((p["name"], _context(text, p["start"], p["end"]), detail))
    return groups


def _gold_kind(g: dict, gaz) -> str:
    gid = g.get("geonameid")
    if gid is not None:
        try:
            c = gaz.get(int(gid))
        except (TypeError, ValueError):
            c = None
        if c is not None:
            return c.kind
    if g.get("fcode"):
        return f"{g.get('fclass') or '?'}.{g['fcode']}"
    return "unknown" if g.get("lat") is not None else "unresolved"


def by_kind(docs: list[dict], preds: dict[str, list[dict]], ref, gaz) -> dict[str, dict[str, tuple[int, int, int]]]:
    """{"predicted": {kind: (n, matched, near)}, "gold": {kind: (n, found, near)}}."""
    pred_k: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    gold_k: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for d in docs:
        gold = d.get("toponyms", []) + d.get("unresolved_toponyms", [])
        pred = preds.get(d["id"], [])
        pairs, _ = ref.match(gold, pred, d["text"], "gritta")
        found = {id(g): p for g, p in pairs}
        for p in pred:
            pred_k[p.get("kind") or "?"][0] += 1
        for g in gold:
            k = _gold_kind(g, gaz)
            gold_k[k][0] += 1
            p = found.get(id(g))
            if p is None:
                continue
            near = (p.get("lat") is not None and g.get("lat") is not None
                    and ref.haversine(g["lat"], g["lon"], p["lat"], p["lon"]) < 161)
            gold_k[k][1] += 1
            gold_k[k][2] += near
            pk = pred_k[p.get("kind") or "?"]
            pk[1] += 1
            pk[2] += near
    return {"predicted": {k: tuple(v) for k, v in pred_k.items()}, "gold": {k: tuple(v) for k, v in gold_k.items()}}


def compare(before: dict, after: dict) -> str:
    """Per kind, before -> after (see :func:`by_kind`)."""
    out = ["== by kind, before -> after",
           "  predicted kind        predicted        matched share      acc@161 of matched"]
    b, a = before["predicted"], after["predicted"]
    for k in sorted(set(b) | set(a), key=lambda k: -a.get(k, b.get(k, (0,)))[0]):
        n0, m0, c0 = b.get(k, (0, 0, 0))
        n1, m1, c1 = a.get(k, (0, 0, 0))
        out.append(f"  {k:<18} {n0:>6} -> {n1:<6}  {_r(m0, n0)} -> {_r(m1, n1)}   {_r(c0, m0)} -> {_r(c1, m1)}")
    out.append("  gold kind             gold   recall             acc@161 of found")
    b, a = before["gold"], after["gold"]
    for k in sorted(set(b) | set(a), key=lambda k: -a.get(k, b.get(k, (0,)))[0]):
        n0, f0, c0 = b.get(k, (0, 0, 0))
        n1, f1, c1 = a.get(k, (0, 0, 0))
        if max(n0, n1) < 5:
            continue
        out.append(f"  {k:<18} {n1:>6}   {_r(f0, n0)} -> {_r(f1, n1)}   {_r(c0, f0)} -> {_r(c1, f1)}")
    return "\n".join(out) + "\n"


def _r(x: int, n: int) -> str:
    return f"{x / n:.3f}" if n else "  -  "


def report(groups: dict[str, dict], *, top: int, examples: int) -> str:
    out = []
    for section, by in groups.items():
        total = sum(len(v) for v in by.values())
        out.append(f"== {section}: {total}")
        kinds = Counter()
        causes = Counter()
        for (k, c), v in by.items():
            kinds[k] += len(v)
            causes[c] += len(v)
        out.append("  by kind:  " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
        out.append("  by cause: " + ", ".join(f"{c} {n}" for c, n in causes.most_common()))
        for (k, c), v in sorted(by.items(), key=lambda kv: -len(kv[1])):
            if len(v) < 2 and len(by) > 12:
                continue
            names = Counter(name for name, _, _ in v)
            out.append(f"  -- {k} / {c}: {len(v)}  " + ", ".join(f"{n} {m}" for n, m in names.most_common(top)))
            for _name, ctx, detail in v[:examples]:
                out.append(f"       {ctx}" + (f"  ({detail})" if detail else ""))
        out.append("")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=str(EVAL / "lgl.jsonl"))
    ap.add_argument("--pred", default="", help="default: .cache/bench/<gold>.pred.jsonl")
    ap.add_argument("--scorer", default=str(EVAL / "score.py"))
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--before", default="", help="predictions of an earlier version: print per-kind changes first")
    a = ap.parse_args()
    pred_path = Path(a.pred) if a.pred else ROOT / ".cache" / "bench" / f"{Path(a.gold).stem}.pred.jsonl"
    for path, what in ((Path(a.gold), "gold set"), (pred_path, "predictions (run benchmarks/geoparse_lgl.py first)")):
        if not path.exists():
            print(f"error: {path}: {what} not found", file=sys.stderr)
            return 2
    try:
        docs = [json.loads(line) for line in open(a.gold, encoding="utf-8") if line.strip()]
        preds = {d["id"]: d["toponyms"] for d in (json.loads(line) for line in open(pred_path, encoding="utf-8"))
                 if d}
    except (json.JSONDecodeError, KeyError) as e:
        print(f"error: {a.gold} or {pred_path}: not a geoparsing JSONL file ({e})", file=sys.stderr)
        return 2
    before = None
    if a.before:
        try:
            before = {d["id"]: d["toponyms"] for d in (json.loads(line) for line in open(a.before, encoding="utf-8"))}
        except (OSError, json.JSONDecodeError, KeyError) as e:
            print(f"error: {a.before}: not a predictions file ({e})", file=sys.stderr)
            return 2
    docs = [d for d in docs if d["id"] in preds]
    from geo.gazetteer import load_gazetteer

    ref, gaz = _scorer(a.scorer), load_gazetteer()
    if before is not None:
        print(compare(by_kind(docs, before, ref, gaz), by_kind(docs, preds, ref, gaz)))
    print(report(analyse(docs, preds, ref, gaz), top=a.top, examples=a.examples))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
