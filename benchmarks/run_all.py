"""Run every benchmark and print one table: figure, value, and the command that produced it.

    .venv/bin/python benchmarks/run_all.py            # full sizes (about an hour on 2 cores)
    .venv/bin/python benchmarks/run_all.py --quick    # smaller sizes (a few minutes)
    .venv/bin/python benchmarks/run_all.py --only dashboard build

Each benchmark script runs as a subprocess (so every figure comes from a fresh process);
its own output is kept in ``.cache/bench/<name>.txt`` and its figures are collected into the
table. The dashboard cold start is measured here: ``streamlit run dashboard/app.py`` is
started on a free port and Chromium (Playwright, every non-loopback request blocked) loads
it; the figure is the time from starting Streamlit until the map's iframe
(``devtools.headless.MAP_IFRAME``) has a non-zero height. Timings on a shared machine are noisy: repeat what matters.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
BENCH = Path(__file__).resolve().parent
LOG_DIR = ROOT / ".cache" / "bench"
PY = ".venv/bin/python"
UNITS = {"s", "MB", "kB", "GB", "s/1k"}

Row = tuple[str, str, str, str]  # section, figure, value, command


def _run(name: str, args: list[str], timeout: float) -> str:
    """Run ``benchmarks/<script> args`` and return its stdout (stderr goes to the log)."""
    cmd = [sys.executable, str(BENCH / args[0]), *args[1:]]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    (LOG_DIR / f"{name}.txt").write_text(f"$ {' '.join(cmd)}\n{proc.stdout}\n--- stderr\n{proc.stderr}", "utf-8")
    print(f"  {name}: {time.perf_counter() - t0:.0f} s (exit {proc.returncode})", file=sys.stderr, flush=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited with {proc.returncode}: {proc.stderr.strip()[-400:]}")
    return proc.stdout


def _shown(args: list[str]) -> str:
    return f"{PY} benchmarks/{' '.join(args)}"


def _line_rows(out: str, pattern: str, row: Callable[[re.Match[str]], tuple[str, str, str]],
               args: list[str]) -> list[Row]:
    """One table row (section, figure, value) per output line that ``pattern`` matches at its start,
    each with the command that produced ``out``."""
    rows = []
    for line in out.splitlines():
        m = re.match(pattern, line)
        if m:
            rows.append((*row(m), _shown(args)))
    return rows


# --------------------------------------------------------------------------- benchmarks


def geoparse(quick: bool) -> list[Row]:
    """LGL (speed, memory and accuracy), then accuracy on the world sets (WikToR, GeoCorpora with and
    without demonyms) and on the real news pages' toponyms (development and held out)."""
    args = ["geoparse_lgl.py"] + (["--limit", "150"] if quick else [])
    out = _run("geoparse_lgl", args, 1800)
    values = dict(re.findall(r"^(\S.*?)\s{2,}(.+)$", out, re.M))
    rows = []
    for key, label in (("throughput (1 process)", "geoparse throughput, 1 process = 1 core"),
                       ("peak RSS", "geoparse peak RSS"),
                       ("model + gazetteer load", "spaCy + gazetteer load"),
                       ("recognition P / R / F1", "recognition P / R / F1 (LGL)"),
                       ("acc@161", "acc@161 (LGL)"),
                       ("articles", "LGL articles geoparsed")):
        if key in values:
            rows.append(("geoparse", label, values[key].strip(), _shown(args)))
    limit = ["--limit", "300"] if quick else []
    for name, args in (("WikToR", ["geoparse_lgl.py", "--gold", "../shared/eval/wiktor.jsonl", *limit]),
                       ("GeoCorpora", ["geoparse_lgl.py", "--gold", "../shared/eval/geocorpora.jsonl", *limit]),
                       ("GeoCorpora, no demonyms", ["geoparse_lgl.py", "--gold", "../shared/eval/geocorpora.jsonl",
                                                    "--no-demonyms", *limit]),
                       ("news pages, development", ["news_toponyms.py", "--split", "dev"]),
                       ("news pages, held out", ["news_toponyms.py", "--split", "heldout"])):
        if not (ROOT / "benchmarks" / args[0]).exists() or "--gold" in args and not (
                ROOT / args[args.index("--gold") + 1]).exists():
            continue
        values = dict(re.findall(r"^(\S.*?)\s{2,}(.+)$", _run("geoparse_" + re.sub(r"\W+", "_", name.lower()), args, 1800), re.M))
        for key, label in (("recognition P / R / F1", f"recognition P / R / F1 ({name})"),
                           ("acc@161", f"acc@161 ({name})"),
                           ("articles", f"articles scored ({name}; pages without their text are skipped)")):
            if key in values:
                rows.append(("geoparse", label, values[key].strip(), _shown(args)))
    return rows


def events(quick: bool) -> list[Row]:
    """The real-news event sets, English and Spanish: recall and precision per split (the quick run
    is the same: they are small)."""
    rows = []
    for language, extra in (("English", []), ("Spanish", ["--set", "es"])):
        args = ["events_dev.py", *extra]
        rows += _line_rows(_run(f"events_dev{'_es' if extra else ''}", args, 900),
                           r"(dev|heldout)\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)",
                           lambda m, lang=language: ("events", f"{lang} event recall / precision, {m[1]} "
                                                                f"({m[2]} articles, {m[3]} gold events)", f"{m[5]} / {m[6]}"),
                           args)
    return rows


def gazetteer(quick: bool) -> list[Row]:
    args = ["gazetteer_bench.py"] + (["--no-build"] if quick else [])
    out = _run("gazetteer_bench", args, 1800)
    rows = []
    for pattern, label in ((r"index build \(fresh[^)]*\):\s+([\d.]+ s\s+\([^)]*\))", "gazetteer index build (fresh)"),
                           (r"index build \(recorded[^)]*\):\s+([\d.]+ s\s+\([^)]*\))", "gazetteer index build (recorded)"),
                           (r"load in a fresh process[^:]*:\s+([\d.]+ s)", "gazetteer load, fresh process"),
                           (r"peak RSS after load[^:]*:\s+([\d.]+ MB)", "gazetteer peak RSS after load")):
        m = re.search(pattern, out)
        if m:
            rows.append(("gazetteer", label, re.sub(r"\s+", " ", m.group(1)), _shown(args)))
    return rows


def build(quick: bool) -> list[Row]:
    args = ["build_bench.py"] + (["--sizes", "demo", "588"] if quick else [])
    out = _run("build_bench", args, 4 * 3600)
    rows = []
    for line in out.splitlines():
        m = re.match(r"\s*(\S+)\s+(local|dask):(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+(\S+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)"
                     r"\s+(\S+)\s+(\S+)\s+(python -m geo build .*)$", line)
        if m:
            corpus, engine, jobs, n, wall, rate, speedup, analyse, assemble, write, rss, _digest, cmd = m.groups()
            what = "demo corpus" if corpus == "demo" else f"{int(n):,} LGL articles"
            who = f"{engine}, {jobs} {'process' if engine == 'local' else 'worker'}{'es' if engine == 'local' and jobs != '1' else ''}" \
                  f"{'s' if engine == 'dask' and jobs != '1' else ''}"
            value = (f"{wall} s ({rate} art/s; speed-up {speedup}; analyse {analyse} / assemble {assemble} / "
                     f"write {write} s; RSS {rss} MB)")
            rows.append(("build", f"atlas build, {what}, {who}", value, cmd))
        elif "identical GeoJSON+CSV" in line:
            rows.append(("build", "identical GeoJSON+CSV across engines and jobs", line.split(":")[-1].strip(),
                         _shown(args)))
    return rows


def _columns(header: str) -> list[str]:
    names: list[str] = []
    for token in header.split():
        if token in UNITS and names:
            names[-1] += f" {token}"
        else:
            names.append(token)
    return names


def webmap(quick: bool) -> list[Row]:
    sizes = ["1000", "10000"] if quick else ["1000", "10000", "100000"]
    args = ["map_bench.py", "--sizes", *sizes]
    out = _run("map_bench", args, 3600)
    lines = [line for line in out.splitlines() if line.strip()]
    header = next((line for line in lines if line.split() and line.split()[0] == "events"), None)
    if header is None:
        return [("map", "map benchmark", "no table in output", _shown(args))]
    names = _columns(header)
    rows = []
    for line in lines[lines.index(header) + 1:]:
        values = line.split()
        if len(values) != len(names) or not values[0].isdigit():
            continue
        rec = dict(zip(names, values))
        n = int(rec["events"])
        parts = [f"build {rec.get('build s', '?')} s"]
        if "HTML MB" in rec:
            parts.append(f"HTML {rec['HTML MB']} MB")
        if "browser s" in rec:
            parts.append(f"browser time-to-map {rec['browser s']} s")
        if "paint s" in rec:
            parts.append(f"first frame with the data {rec['paint s']} s")
        if "names s" in rec:
            parts.append(f"basemap names drawn {rec['names s']} s")
        rows.append(("map", f"map, {n:,} events", "; ".join(parts), _shown(args)))
    if "no Chromium" in out:
        rows.append(("map", "browser time-to-map", "skipped (no Chromium)", _shown(args)))
    return rows


# --------------------------------------------------------------------------- dashboard cold start

def dashboard_cold_start(timeout: float = 180.0) -> tuple[float, float]:
    """(seconds until Streamlit is healthy, seconds until the map iframe has a height),
    both from starting ``streamlit run``."""
    from playwright.sync_api import sync_playwright

    from devtools import headless

    executable = headless.chromium_path()
    if executable is None:
        raise RuntimeError("no Chromium (make browser)")
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOG_DIR / "dashboard_streamlit.log", "w") as log:
        t0 = time.perf_counter()
        with headless.streamlit_app(log=log) as (url, proc):
            headless.wait_healthy(headless.health_url(url), proc, timeout, poll=0.1)
            healthy = time.perf_counter() - t0
            with sync_playwright() as pw:
                browser = headless.launch_chromium(pw, executable)
                try:
                    context = browser.new_context(viewport={"width": 1400, "height": 950})
                    context.route("**/*", headless.loopback_guard())
                    page = context.new_page()
                    page.goto(url, wait_until="commit", timeout=timeout * 1000)
                    page.wait_for_function(
                        f"""() => {{ const f = document.querySelector('{headless.MAP_IFRAME}');
                                   return f && f.getBoundingClientRect().height > 0; }}""",
                        timeout=timeout * 1000, polling=50)
                    visible = time.perf_counter() - t0
                finally:
                    browser.close()
    return healthy, visible


def dashboard(quick: bool) -> list[Row]:
    runs = 1 if quick else 3
    results = [dashboard_cold_start() for _ in range(runs)]
    healthy = sorted(r[0] for r in results)[len(results) // 2]
    visible = sorted(r[1] for r in results)[len(results) // 2]
    cmd = f"{PY} benchmarks/run_all.py --only dashboard" + (" --quick" if quick else "")
    label = "median of 3" if runs == 3 else "1 run"
    return [("dashboard", f"dashboard cold start to map visible ({label})", f"{visible:.1f} s", cmd),
            ("dashboard", f"dashboard cold start to server healthy ({label})", f"{healthy:.1f} s", cmd)]


def startup(quick: bool) -> list[Row]:
    args = ["startup_bench.py", "--repeat", "1" if quick else "3"]
    return _line_rows(_run("startup", args, 900), r"\s*(first start|next starts)\s+([\d.]+)\s+([\d.]+)",
                      lambda m: ("dashboard", f"server start to map features visible, {m[1]} (median)",
                                 f"{float(m[3]):.1f} s"), args)


def corrections(quick: bool) -> list[Row]:
    args = ["corrections_bench.py", "--corrections", "20"] + (["--events", "2000"] if quick else [])
    return _line_rows(_run("corrections", args, 900), r"\s*(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)",
                      lambda m: ("corrections", f"apply {m[2]} corrections to {m[1]} events (median wall / CPU)",
                                 f"{float(m[3]):.3f} / {float(m[4]):.3f} s"), args)


def assemble_memory(quick: bool) -> list[Row]:
    args = ["assemble_memory_bench.py", "--articles", "2000" if quick else "10000"]
    return _line_rows(_run("assemble_memory", args, 1800), r"\s*(\d+)\s+([\d.]+)\s+([\d.]+)",
                      lambda m: ("build", f"corpus stage peak RSS at {m[1]} articles (replayed analyses)",
                                 f"{float(m[2]):.0f} MB"), args)


# --------------------------------------------------------------------------- table

BENCHMARKS = {"geoparse": geoparse, "events": events, "gazetteer": gazetteer, "build": build, "map": webmap,
              "dashboard": dashboard, "startup": startup, "corrections": corrections,
              "assemble_memory": assemble_memory}


def format_table(rows: list[Row]) -> str:
    header = ("figure", "value", "command")
    widths = [max(len(header[i]), *(len(r[i + 1]) for r in rows)) for i in range(2)] if rows else [6, 5]
    lines = [f"| {header[0]:<{widths[0]}} | {header[1]:<{widths[1]}} | {header[2]} |",
             f"|{'-' * (widths[0] + 2)}|{'-' * (widths[1] + 2)}|---------|"]
    for _, figure, value, cmd in rows:
        lines.append(f"| {figure:<{widths[0]}} | {value:<{widths[1]}} | `{cmd}` |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller sizes for a fast run")
    ap.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="run only these benchmarks")
    a = ap.parse_args()
    names = a.only or list(BENCHMARKS)
    rows: list[Row] = []
    failures = []
    print(f"running {', '.join(names)}{' (quick)' if a.quick else ''}; raw outputs in {LOG_DIR}", file=sys.stderr)
    for name in names:
        try:
            rows += BENCHMARKS[name](a.quick)
        except Exception as err:  # noqa: BLE001 - one broken benchmark must not hide the others
            failures.append(name)
            rows.append((name, f"{name} benchmark", f"FAILED: {str(err).splitlines()[0][:120]}", "see .cache/bench"))
    try:
        load = os.getloadavg()
        machine = f"{os.cpu_count()} cores, load average {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f} at the end"
    except OSError:  # pragma: no cover
        machine = f"{os.cpu_count()} cores"
    print(f"Caravan Atlas benchmarks ({'quick' if a.quick else 'full'}; {platform.python_version()}, "
          f"{platform.machine()}, {machine}; {time.strftime('%Y-%m-%d')})\n")
    print(format_table(rows))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
