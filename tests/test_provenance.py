"""Provenance of uploads and fetched pages (issue 14): the store keeps each article's author,
the SHA-256 of its original file and how its text was extracted (migration 4), and every
export carries it (events CSV columns, the GeoPackage's ``articles`` table,
``articles.parquet``, the dashboard's downloads); pasted links go into one workspace and a
second paste sends no request (:mod:`dashboard.web_intake`, against a loopback server)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pyogrio

from dashboard.exports import csv_bytes, gpkg_bytes, zip_bytes
from dashboard.sample import AtlasFrames
from dashboard.uploads import read_upload
from dashboard.web_intake import ADDED, ALREADY, FAILED, add_links, pasted_links
from geo.sources.corpus import Article
from geo.export import PROVENANCE_COLUMNS, read_atlas, read_gpkg_articles, write_atlas
from geo.sources.fetch import Fetcher
from geo.atlas.layers import article_provenance, make_atlas
from geo.store.database import DEMO_WORKSPACE, Store
from test_export import A1_TEXT, A2_TEXT, _records
from web_support import SEEDS, NewsServer, seed_page

ROOT = Path(__file__).resolve().parents[1]
V2_STORE = ROOT / "tests" / "data" / "store_v2.sqlite"
ARTICLES = [
    Article(id="a1", text=A1_TEXT, url="https://news.example.org/a1", author="Staff Reporter",
            file_sha256="1" * 64, extraction="trafilatura 2.0.0", path="a1.html"),
    Article(id="a2", text=A2_TEXT, file_sha256="2" * 64, extraction="text", path="a2.md"),
]


def test_store_keeps_the_provenance_of_an_uploaded_page(tmp_path: Path) -> None:
    data = seed_page(SEEDS[0], canonical="https://news.example.org/story/one").encode("utf-8")
    article = read_upload("story.html", data)
    with Store.open(f"sqlite:///{tmp_path / 'a.sqlite'}") as store:
        store.add_article(article, origin="upload")
        back = store.articles(workspace=DEMO_WORKSPACE)[0]
    assert back.file_sha256 == hashlib.sha256(data).hexdigest()  # of the original file, not the text
    assert back.author == "Staff Reporter" and back.extraction.startswith("trafilatura ")
    assert back.url == "https://news.example.org/story/one"


def test_migration_4_keeps_old_articles_and_fills_their_provenance_on_reingest(tmp_path: Path) -> None:
    target = tmp_path / "old.sqlite"
    shutil.copyfile(V2_STORE, target)
    with Store.open(f"sqlite:///{target}") as store:
        assert store.schema_version >= 4
        old = store.articles(workspace=DEMO_WORKSPACE)
        assert old and all(a.file_sha256 is None and a.extraction is None for a in old)  # never recorded
        ushuaia = next(a for a in old if a.id == "ushuaia_2024")
        fresh = replace(ushuaia, extra={}, author="Someone", file_sha256="f" * 64, extraction="text")
        store.add_article(fresh, origin="corpus", workspace=DEMO_WORKSPACE)
        again = {a.id: a for a in store.articles(workspace=DEMO_WORKSPACE)}["ushuaia_2024"]
        assert (again.author, again.file_sha256, again.extraction) == ("Someone", "f" * 64, "text")
        assert store.migrate() == []


def test_build_files_carry_the_provenance(tmp_path: Path) -> None:
    atlas = make_atlas(*_records(), articles=ARTICLES)
    written = write_atlas(atlas, tmp_path)
    rows = list(csv.DictReader(io.StringIO(written["events.csv"].read_text(encoding="utf-8"))))
    assert rows and set(PROVENANCE_COLUMNS) <= set(rows[0])
    for row in rows:
        ids = json.loads(row["article_ids"])
        by_id = {a["article_id"]: a for a in article_provenance(ARTICLES)}
        assert json.loads(row["article_urls"]) == [by_id[i]["url"] for i in ids]
        assert json.loads(row["article_file_sha256"]) == [by_id[i]["file_sha256"] for i in ids]
        assert json.loads(row["article_extraction"]) == [by_id[i]["extraction"] for i in ids]
    table = read_gpkg_articles(written["atlas.gpkg"])
    assert {a["article_id"]: a["file_sha256"] for a in table} == {"a1": "1" * 64, "a2": "2" * 64}
    assert {a["article_id"]: a["author"] for a in table} == {"a1": "Staff Reporter", "a2": None}
    # a folder with only the GeoPackage still gives the provenance back
    only = tmp_path / "gpkg-only"
    only.mkdir()
    shutil.copyfile(written["atlas.gpkg"], only / "atlas.gpkg")
    assert read_atlas(only).articles == atlas.articles


def test_dashboard_downloads_carry_the_provenance_of_the_view(tmp_path: Path) -> None:
    atlas = make_atlas(*_records(), articles=ARTICLES)
    frames = AtlasFrames(atlas.events, atlas.routes, atlas.places, atlas.crossings, articles=atlas.articles)
    header = csv_bytes(frames.events, frames.articles).decode("utf-8").splitlines()[0]
    assert header.split(",")[-5:-2] == list(PROVENANCE_COLUMNS)
    assert "article_urls" not in csv_bytes(frames.events).decode("utf-8")  # no provenance given: as before
    with zipfile.ZipFile(io.BytesIO(zip_bytes(frames))) as zf:
        events = json.loads(zf.read("events.geojson"))
    assert {a["article_id"] for a in events["articles"]} <= {"a1", "a2"} and events["articles"]
    path = tmp_path / "view.gpkg"
    path.write_bytes(gpkg_bytes(frames))
    assert "articles" in dict(pyogrio.list_layers(path))
    assert {a["article_id"] for a in read_gpkg_articles(path)} <= {"a1", "a2"}


def test_pasted_links_go_into_one_workspace_and_a_second_paste_fetches_nothing(tmp_path: Path) -> None:
    with NewsServer() as server, Store.open(f"sqlite:///{tmp_path / 'a.sqlite'}") as store:
        server.page("/news/0.html", seed_page(SEEDS[0]))
        server.page("/report.pdf", "%PDF-1.4", ctype="application/pdf")
        ws = store.workspace_for_corpus(tmp_path / "mine").workspace_id
        text = f"{server.base}/news/0.html\n{server.base}/missing.html\n{server.base}/report.pdf\n"
        seen: list[tuple[int, str | None]] = []

        def paste() -> object:
            fetcher = Fetcher(tmp_path / "cache", min_interval=0.0)
            failures: list[str] = []
            links = pasted_links(text, feed=False, fetcher=fetcher, failures=failures)
            return add_links(links, fetcher, store, ws, on_link=lambda i, _l, r: seen.append((i, r and r.status)))

        first = paste()
        assert [r.status for r in first.links] == [ADDED, FAILED, FAILED]
        assert first.links[1].detail == "HTTP 404 Not Found"
        assert first.links[2].detail == "not an HTML page (Content-Type application/pdf)"
        assert seen[:2] == [(0, None), (0, ADDED)]  # reported before and after each link
        assert [a.author for a in store.articles(workspace=ws)] == ["Staff Reporter"]
        assert store.articles(workspace=DEMO_WORKSPACE) == []  # the open workspace only
        hits = sum(server.hits.values())
        second = paste()
        assert second.requests == 0 and sum(server.hits.values()) == hits
        assert [r.status for r in second.links] == [ALREADY, FAILED, FAILED]
