"""Saved web pages (geo/sources/webpage.py, geo/sources/corpus.py): trafilatura's main text, htmldate's date,
the canonical URL, front matter and sidecars winning, and provenance down to the GeoJSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from geo.atlas.build import analyse_articles
from geo.sources.corpus import read_article, read_corpus
from geo.sources.webpage import extract_page, page_url
from web_support import SEEDS, seed_page

def _events(article):
    """The article's event mentions: type, span, sentence, dates, places, people, status, ..."""
    [analysis] = list(analyse_articles([article]))
    return list(analysis.events)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_html_seed_page_gives_the_events_of_its_markdown_seed(tmp_path: Path, seed: Path) -> None:
    page = tmp_path / f"{seed.stem}.html"
    page.write_text(seed_page(seed, canonical=f"https://news.example.org/story/{seed.stem}"), encoding="utf-8")
    md, html = read_article(seed), read_article(page)
    assert html.id == md.id and html.title == md.title and html.published == md.published
    assert html.text.strip() == md.text.strip()  # menu, byline, related links and footer are gone
    assert html.url == f"https://news.example.org/story/{seed.stem}" and html.source == "Border Wire"
    assert html.extraction.startswith("trafilatura ") and md.extraction == "text"
    assert len(html.file_sha256) == 64 and html.file_sha256 != md.file_sha256
    events = _events(html)
    assert len(events) >= 2 and events == _events(md)


def test_page_metadata_front_matter_and_sidecar(tmp_path: Path) -> None:
    seed = SEEDS[1]
    # no date in the page's metadata: htmldate finds it in the URL; og:url when no canonical link
    text = seed_page(seed, with_date=False).replace(
        "</head>", '<meta property="og:url" content="https://news.example.org/2023/12/25/caravan-sets-off"></head>')
    page = extract_page(text)
    assert page.published == dt.date(2023, 12, 25) and page.url == "https://news.example.org/2023/12/25/caravan-sets-off"
    assert page.author == "Staff Reporter" and not page.text.startswith("Migrant caravan of thousands")
    (tmp_path / "a.html").write_text(seed_page(seed), encoding="utf-8")
    (tmp_path / "a.yaml").write_text("id: story-a\npublished: 2023-12-20\nsource: Wire copy\n", encoding="utf-8")
    a = read_article(tmp_path / "a.html")
    assert (a.id, a.published, a.source, a.author) == ("story-a", dt.date(2023, 12, 20), "Wire copy", "Staff Reporter")
    (tmp_path / "b.html").write_text("---\npublished: 2023-12-21\n---\n" + seed_page(seed), encoding="utf-8")
    (tmp_path / "b.yml").write_text("published: 2023-12-20\ntitle: From the sidecar\n", encoding="utf-8")
    b = read_article(tmp_path / "b.html")
    assert b.published == dt.date(2023, 12, 21) and b.title == "From the sidecar"  # front matter wins over the sidecar
    (tmp_path / "c.html").write_text(seed_page(seed), encoding="utf-8")
    (tmp_path / "c.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    errors = []
    got = list(read_corpus([tmp_path], errors=errors))
    assert [x.id for x in got] == ["story-a", "b"]
    assert [str(e) for e in errors] == [f"{tmp_path / 'c.yaml'}: sidecar is not valid YAML at line 2"]


def test_short_page_and_page_without_text() -> None:
    tiny = extract_page("<html><head><title>T</title></head><body><p>Migrants left Tapachula.</p></body></html>")
    assert tiny.text == "Migrants left Tapachula.\n" and tiny.title == "T"
    empty = extract_page("<html><head><title>Nothing</title><script>var a=1</script></head><body></body></html>")
    assert empty.text == ""
    assert page_url('<link href="/rel" rel="canonical"><meta property="og:url" content="https://x.org/a">') == "https://x.org/a"


def test_built_geojson_links_every_event_to_its_page(tmp_path: Path) -> None:
    from geo.engine import build
    from geo.export import read_atlas, validate_atlas_files

    corpus = tmp_path / "pages"
    corpus.mkdir()
    for seed in SEEDS:
        (corpus / f"{seed.stem}.html").write_text(seed_page(seed, canonical=f"https://news.example.org/story/{seed.stem}"))
    result = build([corpus], tmp_path / "out", jobs=1, corrections=None)
    assert validate_atlas_files(result.files) == []
    events = json.loads((tmp_path / "out" / "events.geojson").read_text())
    provenance = {a["article_id"]: a for a in events["articles"]}
    assert set(provenance) == {s.stem for s in SEEDS}
    for feature in events["features"]:
        for aid in feature["properties"]["article_ids"]:
            a = provenance[aid]
            assert a["url"] == f"https://news.example.org/story/{aid}" and a["path"] == str(corpus / f"{aid}.html")
            assert a["extraction"].startswith("trafilatura ") and len(a["file_sha256"]) == 64
    assert {a["article_id"] for a in read_atlas(tmp_path / "out").articles} == set(provenance)


def test_furniture_inside_the_story_is_left_to_the_event_stage(tmp_path: Path) -> None:
    page = tmp_path / "caravan.html"
    page.write_text("""<html><head><title>Caravan leaves Tapachula</title>
<meta property="article:published_time" content="2023-12-26T16:14:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>Caravan leaves Tapachula</h1>
<p>Updated 10:14 AM CST, December 26, 2023</p>
<p>About 3,000 migrants left Tapachula, Chiapas, on Tuesday morning, walking north toward the U.S. border, organizers said.</p>
<p>RELATED: Migrant caravan reaches Tijuana after weeks on the road</p>
<p>The group walked along the coastal highway toward Huixtla, where it planned to spend the night in a public square.</p>
</article><footer>Contact us</footer></body></html>""", encoding="utf-8")
    article = read_article(page)
    assert "RELATED: Migrant caravan reaches Tijuana" in article.text and "Home" not in article.text
    events = _events(article)
    places = {e.place.name for e in events if e.place is not None}
    assert "Tapachula" in places and "Tijuana" not in places  # the related-link line gives no event
    assert [e.event_type for e in events] == ["departure", "march"]


def test_folder_of_browser_saved_pages(tmp_path: Path) -> None:
    """'Save page as' gives Story.html + Story_files/ (scripts, ad frames) or one .mhtml file."""
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    folder = tmp_path / "saved"
    (folder / "Story_files").mkdir(parents=True)
    (folder / "Story.html").write_text(seed_page(SEEDS[0]), encoding="utf-8")
    (folder / "Story_files" / "ad-frame.html").write_text("<html><body><p>Win a cruise to Cancun!</p></body></html>")
    (folder / "Story_files" / "app.js").write_text("var a = 1;")
    msg = MIMEMultipart("related", type="text/html")
    msg["Snapshot-Content-Location"] = "https://news.example.org/story/caravan"
    msg["Subject"] = "Caravan"
    part = MIMEText(seed_page(SEEDS[1]), "html", "utf-8")
    part["Content-Location"] = "https://news.example.org/story/caravan"
    msg.attach(part)
    (folder / "Caravan.mhtml").write_bytes(msg.as_bytes())
    (folder / "broken.mhtml").write_bytes(b"MIME-Version: 1.0\nContent-Type: text/plain\n\nhello\n")
    errors = []
    got = {a.id: a for a in read_corpus([folder], errors=errors)}
    assert set(got) == {"Story", "Caravan"}  # nothing from Story_files/
    assert [str(e) for e in errors] == [f"{folder / 'broken.mhtml'}: not a saved web page: no text/html part in the MHTML file"]
    assert got["Caravan"].url == "https://news.example.org/story/caravan"
    assert got["Caravan"].text.strip() == read_article(SEEDS[1]).text.strip()
    assert got["Caravan"].file_sha256 == __import__("hashlib").sha256((folder / "Caravan.mhtml").read_bytes()).hexdigest()
