"""Command line: ``python -m geo <command>``.

Each command lives in its own ``_cmd_*`` function; its arguments are declared in an ``_add_*``
function (one per command group) that :func:`build_parser` calls.
Errors the user can fix print one line (``error: ...``) and exit with status 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from geo.errors import AtlasError
from geo.paths import REPO

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description="Caravan Atlas command line")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # Commands register themselves in these functions, one per package they drive, in the order of `--help`.
    for add in (_add_geoparse, _add_gazetteer, _add_build, _add_corrections, _add_store):
        add(sub)
    return parser


_DB_HELP = "database URL (default: $ATLAS_DATABASE_URL or sqlite data/atlas.sqlite)"


def _add_geoparse(sub: Any) -> None:
    """geoparse (geo/geoparsing/pipeline.py)."""
    p = sub.add_parser("geoparse", help="find and locate the places in JSONL texts")
    p.add_argument("input", help='JSONL file, one {"id", "text"} object per line ("-" for stdin); an optional '
                   '"domain", "source" or "url" field names the source (a local paper\'s other stories inform its own)')
    p.add_argument("-o", "--output", default="-", help="output JSONL file (default: stdout)")
    p.add_argument("--no-demonyms", dest="demonyms", action="store_false",
                   help="leave out demonyms such as 'Honduran' (returned by default)")
    p.add_argument("--no-corpus-prior", dest="corpus_prior", action="store_false",
                   help="resolve each text alone, without the prior of the file's other texts and of their source")
    p.add_argument("--alternatives", action="store_true", help="include each toponym's runner-up candidates and reason")
    p.add_argument("--with-features", action="store_true",
                   help="also write the border, crossing, river and highway features that common nouns refer to "
                        "('the border', 'the bridge'); by default only place names are written")
    p.set_defaults(func=_cmd_geoparse)


def _add_gazetteer(sub: Any) -> None:
    """index, geocode (geo/gazetteer/index.py, geo/gazetteer/geocoder.py, geo/gazetteer/online.py)."""
    p = sub.add_parser("index", help="build the offline gazetteer index (once; rebuilt when its inputs change)")
    p.add_argument("--rebuild", action="store_true", help="rebuild even if the index is up to date")
    p.set_defaults(func=_cmd_index)
    p = sub.add_parser("geocode", help="look a place name up in the offline gazetteer")
    p.add_argument("query", help='place name, optionally qualified: "Paris, Texas", "San Ysidro, CA"')
    p.add_argument("--limit", type=int, default=10, help="show at most N candidates (default 10)")
    p.add_argument("--country", action="append", metavar="CC", help="keep only this ISO country code (repeatable)")
    p.add_argument("--online", action="store_true", help="ask OpenStreetMap Nominatim when the gazetteer has no answer")
    p.add_argument("--user-agent", help="identifying User-Agent for Nominatim (required with --online)")
    p.set_defaults(func=_cmd_geocode)


def _add_build(sub: Any) -> None:
    """build (geo/engine.py, geo/atlas/layers.py, geo/export.py; web pages through geo/sources/)."""
    p = sub.add_parser("build", help="build the atlas files (GeoJSON, GeoPackage, CSV or GeoParquet) from articles")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="article files (.md, .txt, .html), folders of them, or RSS/Atom feed files "
                        "(.xml, .rss, .atom: their linked pages are read; default: data/articles)")
    p.add_argument("--out", metavar="DIR", help="output folder (default: data/build)")
    p.add_argument("--check", action="store_true",
                   help="validate the GeoJSON files after writing (exit status 1 if any is invalid)")
    p.add_argument("-j", "--jobs", type=_positive_int, metavar="N",
                   help="worker processes (default: every core); with --engine dask, workers of the local cluster")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local: a process pool on this machine (default); dask: a dask.distributed cluster")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler to use, e.g. tcp://host:8786 (default: start a local cluster)")
    p.add_argument("--db", metavar="URL",
                   help="apply the user corrections kept in this store (default: $ATLAS_DATABASE_URL or "
                        "data/atlas.sqlite when it exists)")
    p.add_argument("--no-corrections", action="store_true", help="build without applying stored corrections")
    p.add_argument("-w", "--workspace", metavar="ID",
                   help="apply this workspace's corrections (default: the workspace of the corpus folder built, "
                        "if the store has one; see `workspace list`)")
    p.add_argument("--format", dest="fmt", choices=("geojson", "parquet"), default="geojson",
                   help="geojson: GeoJSON + CSV + GeoPackage (default); parquet: GeoParquet, partitioned when large")
    web = p.add_argument_group("web pages (geo/sources/feeds.py, geo/sources/fetch.py, geo/sources/intake.py)")
    web.add_argument("--feed", action="append", default=[], metavar="URL", help="read the pages of this RSS/Atom feed (repeatable)")
    web.add_argument("--urls", action="append", default=[], metavar="FILE",
                     help="read the pages listed in FILE, one URL per line (repeatable)")
    web.add_argument("--fetch", action="store_true",
                     help="allow downloads (one request per second per host, robots.txt respected); without it "
                          "only pages already in the cache are read")
    web.add_argument("--refresh-feeds", action="store_true", help="ask the network for a newer version of each --feed")
    web.add_argument("--cache", metavar="DIR", help="fetch cache (default: OUT/fetched)")
    web.add_argument("--timeout", type=float, default=10.0, metavar="S",
                     help="give up on a request after S seconds without data (default 10; 30 s per page in all)")
    p.set_defaults(func=_cmd_build)


def _add_corrections(sub: Any) -> None:
    """corrections (geo/store/database.py, geo/store/corrections.py)."""
    p = sub.add_parser("corrections", help="export, import or list the user corrections kept in the store")
    p.add_argument("action", choices=("export", "import", "list"), help="export to FILE, import FILE, or list")
    p.add_argument("file", nargs="?", metavar="FILE", help='JSON file ("-" for stdout/stdin); needed by export and import')
    p.add_argument("--db", metavar="URL", help=_DB_HELP)
    p.add_argument("--include-undone", action="store_true", help="list: also show undone corrections")
    p.add_argument("-w", "--workspace", default="demo", metavar="ID",
                   help="the workspace whose corrections these are (default: demo; see `workspace list`)")
    p.set_defaults(func=_cmd_corrections)


def _add_store(sub: Any) -> None:
    """workspace, article: workspaces and their articles (geo/store/database.py)."""
    p = sub.add_parser("workspace", help="list the workspaces (one per corpus, with its uploads and corrections); "
                                         "create an empty one; rename one (its id stays)")
    p.add_argument("action", choices=("list", "create", "rename"))
    p.add_argument("names", nargs="*", metavar="NAME",
                   help="create NAME; rename ID NEW-NAME")
    p.add_argument("--db", metavar="URL", help=_DB_HELP)
    p.set_defaults(func=_cmd_workspace)
    p = sub.add_parser("article", help="list, remove or restore the articles of a workspace")
    p.add_argument("action", choices=("list", "remove", "restore"),
                   help="list; remove ARTICLE (and everything built from it) from the workspace; restore it")
    p.add_argument("workspace", metavar="WORKSPACE", help="workspace id (see `workspace list`)")
    p.add_argument("article", nargs="?", metavar="ARTICLE",
                   help="article id as listed, or its content hash (6+ leading digits are enough)")
    p.add_argument("--db", metavar="URL", help=_DB_HELP)
    p.set_defaults(func=_cmd_article)


def _source_of(obj: dict) -> str | None:
    """The source of a JSONL text: its "domain" or "source" field, else its URL's host."""
    from urllib.parse import urlsplit

    for key in ("domain", "source"):
        if isinstance(obj.get(key), str) and obj[key].strip():
            return obj[key].strip().lower()
    url = obj.get("url")
    if isinstance(url, str):
        host = urlsplit(url.strip()).hostname or ""
        return host.removeprefix("www.") or None
    return None


def _read_jsonl_texts(path: str, errors: list[str], with_source: bool = False):
    """Yield (id, text) — or (id, text, source) — from a JSONL file; bad lines are reported, not fatal."""
    import json

    handle = sys.stdin if path == "-" else None
    try:
        f = handle or open(path, encoding="utf-8")
    except OSError as err:
        raise AtlasError(f"{path}: cannot read file: {err.strerror or err}") from None
    with f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                text = obj["text"]
                if not isinstance(text, str):
                    raise TypeError("'text' is not a string")
            except (ValueError, KeyError, TypeError) as err:
                msg = f"{path}:{n}: skipped line: {err if not isinstance(err, KeyError) else 'no ' + str(err) + ' field'}"
                print(msg, file=sys.stderr)
                errors.append(msg)
                continue
            if with_source:
                yield str(obj.get("id", n)), text, _source_of(obj)
            else:
                yield str(obj.get("id", n)), text


def _cmd_geoparse(args: argparse.Namespace) -> int:
    import json

    from tqdm import tqdm

    from geo.geoparsing.pipeline import geoparse_corpus, geoparse_many, is_place_name

    errors: list[str] = []
    items = list(_read_jsonl_texts(args.input, errors, with_source=True))
    if not items and errors:
        raise AtlasError(f"{args.input}: no usable lines ({len(errors)} bad)")
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    fields = ("start", "end", "name", "lat", "lon", "kind", "geonameid", "confidence")
    with out:
        if args.corpus_prior:
            # Two passes (the prior needs every text first): the bar follows recognition.
            with tqdm(total=len(items), desc="geoparse", unit="text", file=sys.stderr) as bar:
                parsed = geoparse_corpus([text for _, text, _ in items], sources=[src for _, _, src in items],
                                         demonyms=args.demonyms, progress=lambda n: bar.update(n - bar.n))
        else:
            parsed = tqdm(geoparse_many((text for _, text, _ in items), demonyms=args.demonyms),
                          total=len(items), desc="geoparse", unit="text", file=sys.stderr)
        for (doc_id, _, _), result in zip(items, parsed):
            toponyms = []
            for t in result.toponyms:
                if not (args.with_features or is_place_name(t)):
                    continue
                d = t.to_dict(with_alternatives=args.alternatives)
                toponyms.append(d if args.alternatives else {k: d[k] for k in fields})
            out.write(json.dumps({"id": doc_id, "toponyms": toponyms}, ensure_ascii=False) + "\n")
    return 0


def _cmd_index(args: argparse.Namespace) -> int:
    import time

    from geo.gazetteer.index import default_index_path, load_gazetteer

    path = default_index_path()
    t0 = time.perf_counter()
    gaz = load_gazetteer(path, rebuild=args.rebuild, progress=True)
    seconds = time.perf_counter() - t0
    counts = gaz.meta.get("counts", {})
    print(f"gazetteer index: {gaz.path}")
    print(f"size: {gaz.path.stat().st_size / 1e6:.1f} MB; built {gaz.meta.get('built_at')} in {gaz.meta.get('build_seconds')} s; "
          f"this run took {seconds:.1f} s")
    print("entries: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return 0


def _cmd_geocode(args: argparse.Namespace) -> int:
    from geo.gazetteer.geocoder import OfflineGeocoder, candidate_to_location

    offline = OfflineGeocoder()
    locs = [candidate_to_location(offline.gazetteer, c)
            for c in offline.candidates(args.query, country_codes=args.country)[: max(args.limit, 1)]]
    if not locs and args.online:
        from geo.gazetteer.online import OnlineGeocoder

        found = OnlineGeocoder(args.user_agent).geocode(args.query, exactly_one=False, limit=args.limit,
                                                        country_codes=args.country)
        locs = list(found or [])
    if not locs:
        print(f"no place named {args.query!r}" + ("" if args.online else " in the offline gazetteer (try --online)"))
        return 1
    header = ("name", "kind", "admin1", "country", "population", "lat", "lon", "id")
    rows = []
    for loc in locs:
        r = loc.raw
        ident = r.get("feature_id") or r.get("geonameid") or (f"osm:{r.get('osm_type')}/{r.get('osm_id')}" if r.get("osm_id") else "")
        rows.append((str(r.get("name") or loc.address)[:60], str(r.get("kind") or r.get("addresstype") or ""),
                     str(r.get("admin1_name") or ""), str(r.get("country_name") or r.get("country_code") or ""),
                     f"{r['population']:,}" if r.get("population") else "", f"{loc.latitude:.5f}", f"{loc.longitude:.5f}", str(ident)))
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    for row in rows:
        print("  ".join(v.rjust(w) if i in (4, 5, 6) else v.ljust(w) for i, (v, w) in enumerate(zip(row, widths))))
    if any(loc.raw.get("source") == "nominatim" for loc in locs):
        print(locs[0].raw.get("attribution", ""))
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _cmd_build(args: argparse.Namespace) -> int:
    from pathlib import Path

    from geo.engine import build
    from geo.export import format_summary, validate_atlas_files

    if args.scheduler and args.engine != "dask":
        raise AtlasError(f"--scheduler {args.scheduler} needs --engine dask")
    if args.check and args.fmt != "geojson":
        raise AtlasError("--check validates GeoJSON files; it needs --format geojson")
    root = REPO
    out_dir = Path(args.out) if args.out else root / "data" / "build"
    web = _read_web(args, out_dir)
    paths = [p for p in args.paths if not _is_feed(p)]
    if not paths and not args.paths and not args.feed and not args.urls:
        paths = [str(root / "data" / "articles")]
    if web is not None and not web.articles and not paths:
        raise AtlasError(f"no web page could be read ({len(web.failures)} failed; see above)")
    # Articles are read lazily; each bad file is logged on one line naming it and skipped.
    result = build(paths, out_dir, jobs=args.jobs, engine=args.engine,
                   scheduler=args.scheduler, fmt=args.fmt, progress=True,
                   corrections=None if args.no_corrections else (args.db or "auto"), workspace=args.workspace,
                   articles=web.articles if web is not None else ())
    print(format_summary(result.atlas, result.files))
    if result.report.corrections:
        print(f"applied {result.report.corrections} user correction(s) from the store", file=sys.stderr)
    if result.bad:
        print(f"skipped {len(result.bad)} unreadable file(s); see the messages above", file=sys.stderr)
    if args.check:
        problems = validate_atlas_files(result.files)
        for problem in problems:
            print(f"invalid: {problem}", file=sys.stderr)
        return 1 if problems else 0
    return 0


def _is_feed(path: str) -> bool:
    from geo.sources.feeds import is_feed_file

    return is_feed_file(path)


def _read_web(args: argparse.Namespace, out_dir):
    """Feed files, --feed and --urls -> fetched pages (geo.sources.intake.Intake), or None if none given.
    Failures are printed one per line; the others go through."""
    from pathlib import Path

    from geo.sources.fetch import Fetcher
    from geo.sources.intake import gather_links, read_links

    feed_files = [p for p in args.paths if _is_feed(p)]
    if not feed_files and not args.feed and not args.urls:
        return None
    cache = Path(args.cache) if args.cache else Path(out_dir) / "fetched"
    fetcher = Fetcher(cache, network=args.fetch, timeout=args.timeout, deadline=max(30.0, args.timeout))
    failures: list[str] = []
    links = gather_links(feed_files=feed_files, feed_urls=args.feed, link_lists=args.urls, fetcher=fetcher,
                         refresh_feeds=args.refresh_feeds, failures=failures)
    if not args.fetch:
        missing = [link for link in links if not fetcher.cached(link.url)]
        if missing:
            for line in failures:
                print(f"failed: {line}", file=sys.stderr)
            raise AtlasError(f"{len(missing)} of {len(links)} linked page(s) are not downloaded yet "
                             f"(first: {missing[0].url}); add --fetch to download them "
                             f"(one request per second per host, cached in {cache})")
    intake = read_links(links, fetcher, progress=True)
    intake.failures[:0] = failures
    for line in intake.failures:
        print(f"failed: {line}", file=sys.stderr)
    for line in intake.duplicates:
        print(f"duplicate: {line}", file=sys.stderr)
    print(f"web pages: {len(links)} link(s): {intake.downloaded} downloaded, {intake.from_cache} from the cache "
          f"({cache}), {len(intake.failures)} failed, {len(intake.duplicates)} duplicate(s); "
          f"{fetcher.requests} request(s)", file=sys.stderr)
    return intake


def _cmd_corrections(args: argparse.Namespace) -> int:
    import json
    import os
    import tempfile
    from pathlib import Path

    from geo.store.corrections import dump_corrections, load_corrections
    from geo.store.database import Store

    if args.action in ("export", "import") and not args.file:
        raise AtlasError(f"corrections {args.action} needs a FILE")
    with Store.open(args.db) as store:
        store.workspace(args.workspace)  # an unknown workspace is a one-line error
        if args.action == "export":
            items = store.corrections(include_undone=True, workspace=args.workspace)  # full history, undo included
            text = dump_corrections(items)
            if args.file == "-":
                sys.stdout.write(text)
            else:
                target = Path(args.file)
                fd, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=f".{target.name}.", suffix=".tmp")
                try:
                    with os.fdopen(fd, "w", encoding="utf-8") as fh:
                        fh.write(text)
                        fh.flush()
                        os.fsync(fh.fileno())
                    os.replace(tmp, target)
                except BaseException:
                    Path(tmp).unlink(missing_ok=True)
                    raise
                print(f"exported {len(items)} correction(s) to {target}", file=sys.stderr)
        elif args.action == "import":
            try:
                text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                raise AtlasError(f"{args.file}: cannot read file: {err}") from None
            items = load_corrections(text, where=args.file)
            added, undone = store.import_corrections(items, workspace=args.workspace)
            print(f"{args.file}: {len(items)} correction(s): {added} added, {undone} newly undone, "
                  f"{len(items) - added - undone} already known", file=sys.stderr)
        else:
            for c in store.corrections(include_undone=args.include_undone, workspace=args.workspace):
                where = f"{c.target_id}[{c.start}:{c.end}]" if c.target == "mention" else c.target_id
                state = f" (undone {c.undone_at})" if c.undone_at else ""
                print(f"{c.created_at}  {c.correction_id}  {c.target} {where}  {c.action} "
                      f"{json.dumps(dict(c.value), ensure_ascii=False, sort_keys=True)}  {c.author or ''}{state}")
    return 0


def _cmd_workspace(args: argparse.Namespace) -> int:
    from geo.store.database import Store

    usage = {"list": [], "create": ["NAME"], "rename": ["ID", "NEW-NAME"]}[args.action]
    if len(args.names) != len(usage):
        raise AtlasError(f"usage: python -m geo workspace {' '.join([args.action, *usage])} "
                         f"(got {len(args.names)} argument(s); quote a name with spaces)")
    with Store.open(args.db) as store:
        if args.action == "create":
            ws = store.create_workspace(args.names[0])
            print(f"created workspace {ws.workspace_id} ({ws.name}); open it: python -m dashboard, then ?ws={ws.workspace_id}")
            return 0
        if args.action == "rename":
            ws = store.rename_workspace(*args.names)
            print(f"renamed workspace {ws.workspace_id} to {ws.name}")
            return 0
        rows = [(w.workspace_id, str(w.articles), str(w.removed), str(w.corrections), w.name,
                 str(w.corpus_folder or "")) for w in store.workspaces()]
    header = ("id", "articles", "removed", "corrections", "name", "corpus")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    for row in [header, *rows]:
        print("  ".join(v.rjust(w) if i in (1, 2, 3) else v.ljust(w) for i, (v, w) in enumerate(zip(row, widths))).rstrip())
    return 0


def _cmd_article(args: argparse.Namespace) -> int:
    from geo.store.database import Store

    if args.action != "list" and not args.article:
        raise AtlasError(f"article {args.action} needs an ARTICLE (see `python -m geo article list {args.workspace}`)")
    with Store.open(args.db) as store:
        store.workspace(args.workspace)  # an unknown workspace is a one-line error
        if args.action == "list":
            for removed in (False, True):
                for a in store.articles(workspace=args.workspace, removed=removed):
                    state = f"removed {a.extra['removed_at'][:19]}" if removed else a.extra["origin"]
                    date = a.published.isoformat() if a.published else "-"
                    print(f"{a.id}  {a.extra['content_hash']}  {date}  {state}  {(a.title or '')[:80]}")
            return 0
        article = store.find_article(args.article, workspace=args.workspace)
        hash_ = article.extra["content_hash"]
        if args.action == "remove":
            changed = store.remove_article(hash_, workspace=args.workspace)
            print(f"removed {article.id} from {args.workspace}" + ("" if changed else " (it already was)")
                  + f"; undo: python -m geo article restore {args.workspace} {hash_}")
        else:
            changed = store.restore_article(hash_, workspace=args.workspace)
            print(f"restored {article.id} in {args.workspace}" + ("" if changed else " (it was not removed)"))
    return 0


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
