"""Feeds, lists of links and fetching (geo/sources/feeds.py, geo/sources/fetch.py, geo/sources/intake.py), against
a loopback HTTP server started by the test: no internet."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from geo.sources.feeds import is_feed_file, parse_feed, parse_link_list
from geo.sources.fetch import USER_AGENT, Fetcher
from geo.sources.intake import gather_links, read_links, web_article_id
from web_support import SEEDS, NewsServer, rss, seed_page

ROOT = Path(__file__).resolve().parents[1]
DATES = ["Sun, 24 Dec 2023 09:00:00 GMT", "Mon, 25 Dec 2023 09:00:00 GMT", "Tue, 26 Dec 2023 09:00:00 GMT"]


def _site(server: NewsServer, *, max_bytes_page: int = 200_000) -> None:
    """Three seed pages, the bad cases, robots.txt and a feed of everything."""
    server.page("/robots.txt", "User-agent: *\nDisallow: /private/\n", ctype="text/plain")
    for i, seed in enumerate(SEEDS):
        server.page(f"/news/{i}.html", seed_page(seed, canonical=f"https://news.example.org/story/{seed.stem}"))
    server.page("/broken.html", "<html><body>oops</body></html>", status=500)
    server.routes["/slow.html"] = (200, {"Content-Type": "text/html"}, "SLOW")
    server.page("/report.pdf", "%PDF-1.4 not a page", ctype="application/pdf")
    big = "<html><body>" + "<p>Migrants walked north from Tapachula.</p>" * (max_bytes_page // 40 + 10) + "</body></html>"
    server.page("/huge.html", big)
    server.page("/huge-unsized.html", big, **{"X-Omit-Length": "1"})
    server.page("/loop/a", "", status=302, Location="/loop/b")
    server.page("/loop/b", "", status=302, Location="/loop/a")
    server.page("/moved.html", "", status=301, Location="/news/0.html")
    server.page("/private/secret.html", seed_page(SEEDS[0]))
    items = [(f"/news/{i}.html", f"Story {i}", DATES[i]) for i in range(len(SEEDS))]
    items += [(p, p, DATES[0]) for p in ("/missing.html", "/broken.html", "/slow.html", "/report.pdf", "/huge.html",
                                          "/huge-unsized.html", "/loop/a", "/private/secret.html")]
    server.page("/feed.xml", rss(server.base, items), ctype="application/rss+xml", ETag='"v1"')


def _fetcher(cache: Path, **kw) -> Fetcher:
    kw.setdefault("min_interval", 0.0)
    kw.setdefault("timeout", 0.5)
    kw.setdefault("max_bytes", 200_000)
    return Fetcher(cache, **kw)


def test_feed_of_good_and_bad_pages(tmp_path: Path) -> None:
    with NewsServer() as server:
        _site(server)
        fetcher = _fetcher(tmp_path / "cache")
        failures: list[str] = []
        links = gather_links(feed_urls=[server.base + "/feed.xml"], fetcher=fetcher, failures=failures)
        assert failures == [] and len(links) == len(SEEDS) + 8
        intake = read_links(links, fetcher)
        assert [a.url for a in intake.articles] == [f"https://news.example.org/story/{s.stem}" for s in SEEDS]
        reasons = {line.split(": ", 1)[0].removeprefix(server.base): line.split(": ", 1)[1] for line in intake.failures}
        assert all("\n" not in line for line in intake.failures)
        assert reasons["/missing.html"].startswith("HTTP 404")
        assert reasons["/broken.html"].startswith("HTTP 500")
        assert reasons["/slow.html"].startswith("timed out after 0.5 s")
        assert reasons["/report.pdf"] == "not an HTML page (Content-Type application/pdf)"
        assert reasons["/huge.html"].startswith("too large") and reasons["/huge-unsized.html"].startswith("too large")
        assert reasons["/loop/a"].startswith("redirect loop")
        assert "robots.txt" in reasons["/private/secret.html"] and server.hits["/private/secret.html"] == 0
        assert server.hits["/robots.txt"] == 1
        assert all("Caravan Atlas" in ua for ua in server.agents) and set(server.agents) == {USER_AGENT}
        first = intake.articles[0]
        assert first.id == web_article_id(server.base + "/news/0.html")
        assert first.extraction.startswith("trafilatura ") and len(first.file_sha256) == 64
        assert first.source == "Border Wire" and first.author == "Staff Reporter"
        assert first.extra["listed_in"] == server.base + "/feed.xml"
        assert intake.downloaded == len(SEEDS) and intake.from_cache == 0

        # Second run: nothing is requested again except what failed for a passing reason
        before = server.hits.copy()
        again = _fetcher(tmp_path / "cache")
        links2 = gather_links(feed_urls=[server.base + "/feed.xml"], fetcher=again)
        intake2 = read_links(links2, again)
        asked = {p for p in server.hits if server.hits[p] != before[p]}
        assert asked == {"/broken.html", "/slow.html"}  # 5xx and timeouts are tried again, nothing else
        assert [a.id for a in intake2.articles] == [a.id for a in intake.articles]
        assert intake2.from_cache == len(SEEDS) and intake2.downloaded == 0


def test_second_build_of_good_pages_fetches_nothing_and_refresh_is_conditional(tmp_path: Path) -> None:
    with NewsServer() as server:
        _site(server)
        server.page("/good.xml", rss(server.base, [(f"/news/{i}.html", "s", DATES[i]) for i in range(len(SEEDS))]),
                    ctype="application/rss+xml", ETag='"v1"')
        f1 = _fetcher(tmp_path / "c")
        read_links(gather_links(feed_urls=[server.base + "/good.xml"], fetcher=f1), f1)
        hits = sum(server.hits.values())
        f2 = _fetcher(tmp_path / "c")
        intake = read_links(gather_links(feed_urls=[server.base + "/good.xml"], fetcher=f2), f2)
        assert sum(server.hits.values()) == hits and f2.requests == 0 and len(intake.articles) == len(SEEDS)
        # --refresh-feeds: the feed is asked again, with its ETag (a 304 would keep the cached one)
        seen: list[str | None] = []
        feed = server.routes["/good.xml"]
        server.routes["/good.xml"] = lambda h: (seen.append(h.headers.get("If-None-Match")) or feed)
        f3 = _fetcher(tmp_path / "c")
        gather_links(feed_urls=[server.base + "/good.xml"], fetcher=f3, refresh_feeds=True)
        assert seen == ['"v1"'] and f3.requests == 1


def test_interrupted_run_resumes_where_it_stopped(tmp_path: Path) -> None:
    with NewsServer() as server:
        _site(server)
        links = parse_link_list("\n".join(f"{server.base}/news/{i}.html" for i in range(len(SEEDS))), where="links.txt")
        fetcher = _fetcher(tmp_path / "c")
        real = fetcher.fetch
        calls = []

        def interrupted(url, **kw):
            calls.append(url)
            if len(calls) == 3:
                raise KeyboardInterrupt  # Ctrl-C while the third page is being fetched
            return real(url, **kw)

        fetcher.fetch = interrupted
        with pytest.raises(KeyboardInterrupt):
            read_links(links, fetcher)
        done = {p: n for p, n in server.hits.items() if p.startswith("/news/")}
        assert done == {"/news/0.html": 1, "/news/1.html": 1}
        resumed = _fetcher(tmp_path / "c")
        intake = read_links(links, resumed)
        assert len(intake.articles) == len(SEEDS) and intake.from_cache == 2 and intake.downloaded == 1
        assert {p: n for p, n in server.hits.items() if p.startswith("/news/")} == {
            "/news/0.html": 1, "/news/1.html": 1, "/news/2.html": 1}


def test_one_request_per_second_per_host(tmp_path: Path) -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(round(s, 3))
        now[0] += s

    with NewsServer() as server:
        _site(server)
        port = server.base.rsplit(":", 1)[1]
        fetcher = Fetcher(tmp_path / "c", clock=lambda: now[0], sleep=sleep, timeout=2)
        fetcher.fetch(server.base + "/news/0.html")  # robots.txt, then the page: one wait
        now[0] += 0.25
        fetcher.fetch(server.base + "/news/1.html")  # 0.25 s later: waits the other 0.75 s
        fetcher.fetch(f"http://localhost:{port}/news/2.html")  # another host: robots.txt at once, then one wait
        assert slept == [1.0, 0.75, 1.0] and fetcher.requests == 5


def test_no_network_and_no_fetch_flag_are_one_line_errors(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on: what a machine without network gets
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    links = parse_link_list(f"http://127.0.0.1:{port}/a.html\nhttp://127.0.0.1:{port}/b.html\n", where="l")
    intake = read_links(links, _fetcher(tmp_path / "c"))
    assert len(intake.failures) == 2 and all("connection refused" in f and "\n" not in f for f in intake.failures)
    offline = _fetcher(tmp_path / "c", network=False)
    intake = read_links(links, offline)
    assert all(f.endswith("not downloaded yet; add --fetch to download it") for f in intake.failures)


def test_feed_and_link_list_parsing(tmp_path: Path) -> None:
    base = "https://news.example.org"
    links = parse_feed(rss(base, [("/a", "A & B", DATES[0]), ("/a", "dup", DATES[1]), ("/b", "B", DATES[2])]).encode(),
                       where="f.xml")
    assert [(link.url, link.title, str(link.published)) for link in links] == [
        (base + "/a", "A & B", "2023-12-24"), (base + "/b", "B", "2023-12-26")]
    atom = (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            b'<entry><title>C</title><link href="https://news.example.org/c"/><updated>2023-12-27T10:00:00Z</updated></entry></feed>')
    assert [(link.url, str(link.published)) for link in parse_feed(atom, where="a.atom")] == [(base + "/c", "2023-12-27")]
    from geo.errors import ArticleError

    with pytest.raises(ArticleError, match="not an RSS/Atom feed"):
        parse_feed(b"just some words", where="x.xml")
    errors: list[str] = []
    got = parse_link_list(f"# my list\n\n{base}/a\nftp://x/y\n{base}/a\nnot a url\n", where="links.txt", errors=errors)
    assert [link.url for link in got] == [base + "/a"]
    assert errors == ["links.txt:4: not an http(s) URL: 'ftp://x/y'", "links.txt:6: not an http(s) URL: 'not a url'"]
    (tmp_path / "feed.rss").write_bytes(atom)
    (tmp_path / "noname").write_bytes(atom)
    (tmp_path / "story.md").write_text("Migrants left Tapachula.\n")
    assert is_feed_file(tmp_path / "feed.rss") and is_feed_file(tmp_path / "noname") and not is_feed_file(tmp_path / "story.md")


def _geo(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


def test_cli_build_from_a_feed_file_and_a_link_list(tmp_path: Path) -> None:
    with NewsServer() as server:
        _site(server)
        feed = tmp_path / "border.xml"
        feed.write_text(rss(server.base, [("/news/0.html", "Story 0", DATES[0]), ("/missing.html", "gone", DATES[0])]))
        links = tmp_path / "links.txt"
        links.write_text(f"{server.base}/moved.html\n{server.base}/news/1.html\n")
        out = tmp_path / "out"
        args = ["build", str(feed), "--urls", str(links), "--out", str(out), "--jobs", "1", "--no-corrections", "--check"]
        refused = _geo(*args, cwd=tmp_path)
        assert refused.returncode == 2 and sum(server.hits.values()) == 0
        err = refused.stderr.strip().splitlines()
        assert len(err) == 1 and "add --fetch" in err[0] and "Traceback" not in refused.stderr
        first = _geo(*args, "--fetch", cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        assert f"failed: {server.base}/missing.html: HTTP 404" in first.stderr
        assert "3 downloaded, 0 from the cache" in first.stderr and "1 failed, 1 duplicate(s)" in first.stderr
        assert f"duplicate: {server.base}/moved.html: same page as {server.base}/news/0.html" in first.stderr
        hits = sum(server.hits.values())
        again = _geo(*args, cwd=tmp_path)  # no --fetch needed: everything is cached
        assert again.returncode == 0, again.stderr
        assert sum(server.hits.values()) == hits and "0 downloaded, 3 from the cache" in again.stderr
        assert "0 request(s)" in again.stderr
    events = json.loads((out / "events.geojson").read_text())
    assert events["features"]
    by_id = {a["article_id"]: a for a in events["articles"]}
    for feature in events["features"]:
        article = by_id[feature["properties"]["article_id"]]
        assert article["url"].startswith("https://news.example.org/story/") and len(article["file_sha256"]) == 64
        assert article["extraction"].startswith("trafilatura ")


def test_feed_entry_fills_what_the_page_does_not_say(tmp_path: Path) -> None:
    with NewsServer() as server:
        _site(server)
        server.page("/undated.html", seed_page(SEEDS[0], with_date=False))
        server.page("/f.xml", rss(server.base, [("/undated.html", "From the feed", DATES[2])]), ctype="text/xml")
        fetcher = _fetcher(tmp_path / "c")
        [article] = read_links(gather_links(feed_urls=[server.base + "/f.xml"], fetcher=fetcher), fetcher).articles
        assert str(article.published) == "2023-12-26"  # the feed's pubDate: the page has none
        assert article.title.startswith("Thousands in migrant caravan")  # the page's own title wins
        assert article.url == server.base + "/undated.html" and article.path == server.base + "/undated.html"
