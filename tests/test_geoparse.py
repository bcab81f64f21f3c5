"""End to end: geo.geoparse and the `geoparse` / `geocode` commands on the seed articles."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import geo
from geo.cli import main

A000 = "000_97c7dfc788958548"


@pytest.fixture(scope="module")
def parsed(seed_articles):
    return {a.id: (a, geo.geoparse(a.text, published=a.published)) for a in seed_articles}


def test_spans_are_exact_and_sorted(parsed):
    for article, toponyms in parsed.values():
        assert toponyms
        starts = [t.start for t in toponyms]
        assert starts == sorted(starts)
        for t in toponyms:
            assert article.text[t.start:t.end] == t.name
            assert 0 <= t.confidence <= 1
            if t.lat is not None:
                assert -90 <= t.lat <= 90 and -180 <= t.lon <= 180


def test_seed_places_are_found_and_located(parsed):
    article, toponyms = parsed[A000]
    by_name = {}
    for t in toponyms:
        by_name.setdefault(t.name, t)
    tap = by_name["Tapachula"]
    assert (tap.kind, tap.country_code, tap.admin1) == ("city", "MX", "MX.05")
    assert abs(tap.lat - 14.905) < 0.05 and abs(tap.lon + 92.259) < 0.05
    assert by_name["Mexico City"].country_code == "MX"
    assert by_name["Texas"].kind == "admin1" and by_name["Texas"].admin1 == "US.TX"
    assert by_name["Guatemala"].kind == "country"
    # "Central America, Venezuela, Cuba, and other countries" is a list, not "Paris, Texas"
    assert (by_name["Venezuela"].kind, by_name["Venezuela"].country_code) == ("country", "VE")
    assert by_name["Los Angeles"].admin1 == "US.CA"
    # "the main border crossing with Guatemala" is the Ciudad Hidalgo–Tecún Umán bridge
    crossing = next(t for t in toponyms if t.kind == "crossing")
    assert crossing.feature_id == "mxgt_suchiate_rodolfo_robles"
    # "the U.S. southwest border" and "Mexico's southern border with Guatemala"
    borders = {t.feature_id for t in toponyms if t.kind == "border"}
    assert {"border:US-MX", "border:MX-GT"} <= borders
    # every toponym keeps its evidence: reason, and the candidates it was chosen over
    assert all(t.reason for t in toponyms)
    assert any(t.alternatives for t in toponyms)


def test_people_are_not_places(parsed):
    names = {t.name for _, tops in parsed.values() for t in tops}
    for person in ("Cristian Rivera", "Rivera", "Blinken", "Antony Blinken", "López Obrador",
                   "Obrador", "Luis García Villagrán", "Juan Orlando Hernandez", "Donald Trump", "Biden"):
        assert person not in names


def test_demonyms_are_countries_of_origin(parsed, seed_articles):
    _, tops = parsed["001_ee0222d4101fa411"]
    honduran = next(t for t in tops if t.name == "Honduran")
    assert honduran.kind == "demonym" and honduran.country_code == "HN"
    text = seed_articles[1].text
    from geo.geoparsing.pipeline import geoparse_many

    no_dem = next(geoparse_many([text], demonyms=False)).toponyms
    assert not any(t.kind == "demonym" for t in no_dem)
    assert {t.name for t in no_dem} >= {"Tapachula", "Honduras"}


def test_cli_geoparse_jsonl(tmp_path, seed_articles, capsys):
    src = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": a.id, "text": a.text}) for a in seed_articles]
    lines.insert(1, "{not json")
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["geoparse", str(src), "-o", str(out), "--no-demonyms"]) == 0
    err = capsys.readouterr().err
    assert f"{src}:2: skipped line" in err  # one line naming the file and the line; the rest go through
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [a.id for a in seed_articles]
    for r, a in zip(rows, seed_articles):
        for t in r["toponyms"]:
            assert set(t) == {"start", "end", "name", "lat", "lon", "kind", "geonameid", "confidence"}
            assert a.text[t["start"]:t["end"]] == t["name"]
            assert t["kind"] != "demonym"


def test_cli_geoparse_missing_file_is_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "geo", "geoparse", str(tmp_path / "nope.jsonl")],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "nope.jsonl" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_geocode_prints_ranked_candidates():
    proc = subprocess.run([sys.executable, "-m", "geo", "geocode", "Ciudad Hidalgo"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "Michoac" in proc.stdout and "Chiapas" in proc.stdout


def test_public_api_survives_submodule_imports():
    import importlib

    for name in ("geo.geoparsing", "geo.atlas", "geo.recognize", "geo.resolve", "geo.gazetteer"):
        importlib.import_module(name)
    assert callable(geo.geoparse) and callable(geo.build_atlas)
    assert {"geoparse", "build_atlas", "OfflineGeocoder", "read_corpus"} <= set(geo.__all__)


@pytest.mark.parametrize(
    "text, feature_id",
    [
        # a bare "southern border" is the US's, unless the story is told at Mexico's
        ("Border Patrol agents in Texas and Arizona apprehended more migrants at the southern border.", "border:US-MX"),
        ("The migrants waded across the Suchiate River into Ciudad Hidalgo, Chiapas, and Mexican police "
         "stopped them at the southern border.", "border:MX-GT"),
    ],
)
def test_a_bare_southern_border_is_read_from_the_story(text, feature_id):
    [border] = [t for t in geo.geoparse(text) if t.name == "southern border"]
    assert border.feature_id == feature_id, border.reason


@pytest.mark.parametrize(
    "text, feature_id",
    [
        ("OCOTEPEQUE, Honduras — Hundreds of Honduran migrants crossed the Guatemalan border on Monday.", "border:GT-HN"),
        ("TAPACHULA, Mexico — Hundreds of migrants waited at the Guatemalan border near Ciudad Hidalgo.", "border:MX-GT"),
    ],
)
def test_a_one_sided_border_is_the_one_the_story_is_at(text, feature_id):
    [border] = [t for t in geo.geoparse(text) if t.kind == "border"]
    assert border.feature_id == feature_id, border.reason


def test_an_institution_is_named_after_the_state_not_a_village_of_that_name():
    tops = geo.geoparse("Researchers at the University of Texas studied migration through Mexico City.")
    texas = next(t for t in tops if t.name == "Texas")
    assert texas.kind == "admin1" and texas.admin1 == "US.TX", texas.reason


# -- the corpus prior: a text's surroundings (its source's other texts) decide a lone namesake --

_OHIO_PAPER = [
    "Columbus, Ohio, police closed a road after a crash near Westerville.",
    "The Franklin County fair opened in Hilliard, Ohio, on Saturday.",
    "Voters in Worthington, Ohio, approved a school levy.",
]


def test_corpus_priors_are_shares_of_the_other_texts():
    from geo.geoparsing.pipeline import corpus_priors
    from geo.model import Toponym

    def top(cc, a1, kind="city", conf=0.95):
        return Toponym(0, 1, "x", 0.0, 0.0, kind, None, cc, conf, admin1=a1)

    texts = [[top("US", "US.OH")], [top("US", "US.OH"), top("US", "US.OH")], [top("US", "US.TX")],
             [top("IE", "IE.L", conf=0.3)]]
    priors = corpus_priors(texts, ["a", "a", "b", "a"])
    # text 0: the other texts of source a are 1 (Ohio) and 3 (nothing confident): Ohio 1/2
    assert priors[0] == {"US": pytest.approx(0.5), "US.OH": pytest.approx(0.5)}
    assert "IE" not in priors[1]  # a low-confidence pick does not vote
    assert priors[2] == {}  # alone in its source: no prior (the whole corpus does not vote)
    assert corpus_priors(texts) == [{}, {}, {}, {}]  # no sources: every text resolved alone
    with pytest.raises(ValueError):
        corpus_priors(texts, ["a"])


def test_a_local_papers_other_stories_place_a_lone_namesake():
    from geo.geoparsing.pipeline import geoparse_corpus, geoparse_many

    lone = "A Dublin man was arrested Tuesday after a chase on the highway."
    alone = list(geoparse_many([lone]))[0].toponyms
    assert [(t.name, t.country_code) for t in alone] == [("Dublin", "IE")]  # the capital, read alone
    result = geoparse_corpus(_OHIO_PAPER + [lone], sources=["daily.example"] * 4)
    (dublin,) = result[-1].toponyms
    assert (dublin.country_code, dublin.admin1) == ("US", "US.OH")
    assert "source's other articles" in dublin.reason


def test_the_corpus_prior_never_beats_what_the_text_says():
    from geo.geoparsing.pipeline import geoparse_corpus

    story = "Thousands marched in Dublin, Ireland, on Saturday against the housing crisis."
    result = geoparse_corpus(_OHIO_PAPER + [story], sources=["daily.example"] * 4)
    dublin = next(t for t in result[-1].toponyms if t.name == "Dublin")
    assert dublin.country_code == "IE"


def test_cli_geoparse_reads_the_source_from_the_url(tmp_path):
    lines = [{"id": f"o{i}", "text": t, "url": "https://www.daily.example/news/1"} for i, t in enumerate(_OHIO_PAPER)]
    lines.append({"id": "lone", "text": "A Dublin man was arrested Tuesday.", "url": "https://daily.example/2"})
    src = tmp_path / "paper.jsonl"
    src.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["geoparse", str(src), "-o", str(out)]) == 0
    got = {json.loads(x)["id"]: json.loads(x)["toponyms"] for x in out.read_text().splitlines()}
    assert got["lone"][0]["name"] == "Dublin" and got["lone"][0]["lat"] == pytest.approx(40.1, abs=0.2)
    assert main(["geoparse", str(src), "-o", str(out), "--no-corpus-prior"]) == 0
    got = {json.loads(x)["id"]: json.loads(x)["toponyms"] for x in out.read_text().splitlines()}
    assert got["lone"][0]["lat"] == pytest.approx(53.3, abs=0.2)  # alone: Dublin, Ireland


_FEATURE_TEXT = ("Migrants reached the southern border and waited at the bridge near the San Ysidro Port of Entry "
                 "before wading across the Rio Grande.")


def test_common_nouns_refer_to_features_and_are_no_place_names():
    from geo.geoparsing.pipeline import is_place_name

    names = {t.name: is_place_name(t) for t in geo.geoparse(_FEATURE_TEXT)}
    assert names["southern border"] is False  # located (it serves events) but not a name
    assert names["San Ysidro Port of Entry"] is True and names["Rio Grande"] is True


def test_cli_geoparse_writes_place_names_and_features_only_when_asked(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "f1", "text": _FEATURE_TEXT}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["geoparse", str(src), "-o", str(out)]) == 0
    names = [t["name"] for t in json.loads(out.read_text(encoding="utf-8"))["toponyms"]]
    assert "southern border" not in names and "San Ysidro Port of Entry" in names
    assert main(["geoparse", str(src), "-o", str(out), "--with-features"]) == 0
    assert "southern border" in [t["name"] for t in json.loads(out.read_text(encoding="utf-8"))["toponyms"]]


def test_a_numbered_highway_is_a_place_name():
    from geo.geoparsing.pipeline import is_place_name

    [hwy] = [t for t in geo.geoparse("The crash blocked the Skyway Bridge along Highway 49 near Grass Valley.")
             if t.kind == "highway"]
    assert is_place_name(hwy)


def test_a_crossing_named_after_a_town_that_is_not_there_is_the_crossing():
    # San Ysidro is a San Diego district (no town of its own in the gazetteer); the namesake town
    # in New Mexico is 950 km away. Eagle Pass is a town right at its crossing and stays the town.
    text = ("Migrants waited in Tijuana for days, then walked to San Diego's San Ysidro border crossing. "
            "Others crossed at the Eagle Pass port of entry in Texas.")
    by_name = {t.name: t for t in geo.geoparse(text)}
    assert by_name["San Ysidro"].kind == "crossing" and abs(by_name["San Ysidro"].lon + 117.03) < 0.1
    assert by_name["Eagle Pass"].kind == "city"
