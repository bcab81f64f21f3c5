"""Web pages and a loopback HTTP server for the intake tests (no internet).

:func:`seed_page` wraps a seed article (data/articles/*.md) in a news page with the usual
furniture (menu, byline, related links, footer); the pages and feeds are written here,
never copied from elsewhere. :class:`NewsServer` serves them from 127.0.0.1 in a thread and
counts the requests it gets per path.
"""

from __future__ import annotations

import html
import re
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "data" / "articles").glob("*.md"))


def seed_parts(path: Path) -> tuple[dict[str, str], str]:
    raw = path.read_text(encoding="utf-8")
    m = re.match(r"---\n(.*?)\n---\n", raw, re.S)
    meta = dict(line.split(": ", 1) for line in m.group(1).splitlines())
    meta["title"] = meta["title"].strip('"')
    return meta, raw[m.end():]


def seed_page(path: Path, *, canonical: str | None = None, with_date: bool = True) -> str:
    """The seed article as a saved news page: <head> metadata, menu, byline, the story's
    paragraphs, a related-links box and a footer."""
    meta, body = seed_parts(path)
    title = html.escape(meta["title"])
    paras = "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in body.split("\n\n") if p.strip())
    head = [f'<meta charset="utf-8"><title>{title} | Border Wire</title>',
            '<meta property="og:site_name" content="Border Wire">',
            '<meta name="author" content="Staff Reporter">']
    if canonical:
        head.append(f'<link rel="canonical" href="{html.escape(canonical)}">')
    if with_date:
        head.append(f'<meta property="article:published_time" content="{meta["published"]}T08:00:00Z">')
    return f"""<!DOCTYPE html>
<html lang="en"><head>{''.join(head)}</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/us">U.S.</a></li><li><a href="/subscribe">Subscribe</a></li></ul></nav></header>
<main><article><h1>{title}</h1>
<p class="byline">By Staff Reporter</p>
{paras}
</article>
<aside><h2>Related</h2><ul><li><a href="/a">Heavy rain floods Houston streets</a></li>
<li><a href="/b">Texas governor signs new budget</a></li></ul></aside></main>
<footer><p>&copy; 2023 Border Wire. All rights reserved.</p>
<p><a href="/privacy">Privacy</a> &middot; <a href="/terms">Terms</a></p></footer>
</body></html>
"""


def rss(base: str, items: list[tuple[str, str, str]]) -> str:
    """An RSS 2.0 feed of (path, title, RFC 822 date) items under ``base``."""
    entries = "".join(f"<item><title>{html.escape(t)}</title><link>{base}{p}</link><guid>{base}{p}</guid>"
                      f"<pubDate>{d}</pubDate></item>\n" for p, t, d in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Border Wire</title>'
            f"<link>{base}/</link><description>Test feed</description>\n{entries}</channel></rss>\n")


class NewsServer:
    """A threaded HTTP server on 127.0.0.1: ``routes`` maps a path to (status, headers, body)
    or to a callable returning it; special bodies: ``"SLOW"`` waits until the server stops."""

    def __init__(self) -> None:
        self.routes: dict[str, object] = {}
        self.hits: Counter[str] = Counter()
        self.agents: list[str] = []
        self.release = threading.Event()
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802 - http.server hook
                with server.lock:
                    server.hits[self.path] += 1
                    server.agents.append(self.headers.get("User-Agent", ""))
                route = server.routes.get(self.path)
                if callable(route):
                    route = route(self)
                if route is None:
                    route = (404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>")
                status, headers, body = route
                if body == "SLOW":
                    server.release.wait(10)
                    return
                if isinstance(body, str):
                    body = body.encode("utf-8")
                self.send_response(status)
                for k, v in headers.items():
                    if k != "X-Omit-Length":
                        self.send_header(k, v)
                if "X-Omit-Length" not in headers:  # else the body ends when the connection closes
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> NewsServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def page(self, path: str, text: str, status: int = 200, ctype: str = "text/html; charset=utf-8", **headers) -> None:
        self.routes[path] = (status, {"Content-Type": ctype, **headers}, text)
