"""Place-mention recognition: text -> :class:`~geo.model.Mention` records (no coordinates).

Four sources of candidates, merged into one sorted, non-overlapping list per text:

``pattern``
    Curated regular expressions for what caravan news is full of and statistical NER misses:
    border lines ("the US-Mexico border", "Mexico's southern border with Guatemala",
    "the U.S. southwest border"), border crossings, bridges and ports of entry ("the main
    border crossing with Guatemala", "the San Ysidro port of entry", "the Rodolfo Robles
    bridge"), highways ("Highway 200", "the coastal highway") and rivers ("the Suchiate
    River", "Rio Grande"). Curated features get ``feature_ids`` (``border:US-MX``,
    ``border:MX-GT``, ``border:MX-BZ``, the borders further south ``border:GT-HN`` ...
    ``border:PA-CO``, ``highway:MEX-200``, ``port:<BTS code>`` from
    ``us_mexico_ports.csv``, ``crossing_id`` from ``mx_south_crossings.csv``). The name after a
    place noun ("the town of Vado Hondo", "the city of Juchitan") is a place when the gazetteer
    knows it, however NER split or labelled it.
``ner``
    spaCy entities: GPE and LOC; FAC only when it is a crossing/bridge or a known populated
    place (streets and buildings are not places on a map); ORG and PERSON only when the
    gazetteer knows the name as a sizeable place and the context is place-like.
``demonym``
    Demonyms and adjectival forms ("Honduran migrants", "Central American countries") from
    ``data/gazetteer/demonyms.csv``: ``kind_hint="demonym"`` and ``query`` = the country or
    region they point to. Off with ``demonyms=False``.
``pattern`` (also)
    Hashtags that name a place ("#Ferguson", "#SierraLeone": a country, a big state, or a
    town of 10,000 people or more when capitalised); country and big-city names written all in
    lower case or in capitals ("crossing into mexico", "GENEVA (Reuters)"), never a common word.
``gazetteer``
    Capitalised words NER missed or gave another label, kept when the gazetteer knows them and
    the context is place-like ("in X", "near X", "X, Texas", "walked ... to X", datelines such
    as "COLUMBUS, Ohio --", "X County"). An entity that spans a preposition ("Sayula towards
    Isla" tagged PERSON) is read as the names on either side of it.

Span conventions
----------------
* Spans are exact (``text[m.start:m.end] == m.name``), never include a leading "the", a
  possessive "'s" or trailing punctuation.
* A feature phrase is split into the place names it contains and a *head* mention that carries
  the feature: "Mexico's southern border with Guatemala" gives ``Mexico`` (country),
  ``southern border`` (kind ``border``, ``feature_ids=("border:MX-GT",)``) and ``Guatemala``
  (country); "the US-Mexico border" gives ``US``, ``Mexico`` and ``border``; "the San Ysidro
  port of entry" gives ``San Ysidro`` (place) and ``port of entry`` (``port:2504``). The head
  mention's ``query`` is the whole phrase (e.g. ``"Mexico's southern border with Guatemala"``)
  so a reader sees what it stands for. Country names thus stay toponyms of their own and the
  list stays non-overlapping. Names that *are* the feature (bridges named after people such
  as "Rodolfo Robles bridge", rivers, highways) are one mention.
* Bare "the border" is not a mention; "the southwest border" without a country is the
  US-Mexico border; "the southern border" is offered as the US-Mexico or the Mexico-Guatemala
  border, and a border named by one side ("the Guatemalan border") as each border that side
  shares with a neighbour caravans cross to, the usual one first: resolution picks by the
  story's other places.

The gazetteer is optional: ``recognize_doc(doc, gazetteer=None)`` loads
:func:`geo.gazetteer.index.load_gazetteer` lazily when it can and works without it (NER, patterns and
demonyms only); pass ``gazetteer=False`` to switch it off explicitly.
"""

from __future__ import annotations

import csv
import functools
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from geo.model import Mention
from geo.paths import DATA
from geo.text.nlp import SPACY_MODEL, use_numpy_matmul

__all__ = [
    "load_nlp",
    "recognize",
    "recognize_doc",
    "recognize_many",
    "recognize_patterns_with",
    "load_demonyms",
    "Demonym",
    "SPACY_MODEL",
]

log = logging.getLogger(__name__)

_GAZ_DIR = DATA / "gazetteer"

# Components recognition does not need. NER has its own embedded tok2vec in the small English
# pipeline, and sentence boundaries come from the fast "senter" instead of the parser.
_EXCLUDE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")

# Source priorities when candidates overlap (higher wins; then the longer span).
_PRIORITY = {"pattern": 4, "demonym": 3, "ner": 2, "gazetteer": 1}

# --------------------------------------------------------------------------------------------
# spaCy


@functools.lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The shared spaCy pipeline for recognition: ``senter`` + ``ner`` only (cached)."""
    use_numpy_matmul()
    nlp = spacy.load(SPACY_MODEL, exclude=list(_EXCLUDE))
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    nlp.max_length = max(nlp.max_length, 5_000_000)
    return nlp


# --------------------------------------------------------------------------------------------
# Curated tables


@dataclass(frozen=True, slots=True)
class Demonym:
    """A demonym or adjectival form and the country (or region) it points to."""

    form: str
    country_code: str  # "" for regions
    country_name: str


@functools.lru_cache(maxsize=1)
def load_demonyms() -> dict[str, Demonym]:
    """``data/gazetteer/demonyms.csv`` keyed by the exact (case-sensitive) form."""
    out: dict[str, Demonym] = {}
    with open(_GAZ_DIR / "demonyms.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            form = row["demonym"].strip()
            if form:
                out[form] = Demonym(form, row["country_code"].strip(), row["country_name"].strip())
    return out


@functools.lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    with open(_GAZ_DIR / "first_names.txt", encoding="utf-8") as fh:
        return frozenset(s.strip() for s in fh if s.strip() and not s.startswith("#"))


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def _loose(name: str) -> str:
    """Regex for ``name`` that ignores accents and case and allows flexible spaces/hyphens."""
    out = []
    for ch in _fold(name):
        if ch.isalpha():
            variants = {ch, ch.upper()}
            for acc in _ACCENTED.get(ch, ""):
                variants |= {acc, acc.upper()}
            out.append("[" + "".join(sorted(variants)) + "]")
        elif ch in " -":
            out.append(r"[\s\-–]+")
        elif ch == ".":
            out.append(r"\.?")
        else:
            out.append(re.escape(ch))
    return "".join(out)


_ACCENTED = {"a": "áà", "e": "éè", "i": "í", "o": "ó", "u": "úü", "n": "ñ"}


@functools.lru_cache(maxsize=1)
def _ports() -> list[tuple[str, str]]:
    """(port name, feature id) for US-Mexico land ports of entry."""
    out = []
    with open(_GAZ_DIR / "us_mexico_ports.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.append((row["port_name"].strip(), f"port:{row['port_code'].strip()}"))
    return out


@functools.lru_cache(maxsize=1)
def _south_crossing_places() -> list[tuple[str, str]]:
    """(place name, crossing id) for the towns at Mexico's southern crossings (first id wins)."""
    seen: dict[str, str] = {}
    with open(_GAZ_DIR / "mx_south_crossings.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for col in ("mx_place", "other_place"):
                for part in row[col].split("(")[0].split("/"):
                    part = part.strip()
                    if len(part) > 3 and _fold(part) not in seen:
                        seen[_fold(part)] = row["crossing_id"]
    # A name -> id table keyed by folded name, re-cased for display only.
    return [(k, v) for k, v in seen.items()]


@functools.lru_cache(maxsize=1)
def _demonym_re() -> re.Pattern[str]:
    forms = sorted(load_demonyms(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w])")


_NOT_AFTER_DEMONYM = frozenset(
    """and or is was are were language speakers speaking speak class classes lessons translation
    version words word to in with as at on for from by of that which who""".split()
)


@functools.lru_cache(maxsize=1)
def _corridor_crossings() -> list[tuple[str, str]]:
    """(name, feature id) for the corridor's border posts and checkpoints (curated)."""
    path = _GAZ_DIR / "corridor_places.csv"
    if not path.exists():
        return []
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            if row["kind"] in ("border_post", "river_crossing", "checkpoint"):
                fid = f"corridor:{row['place_id']}"
                out.extend((n.strip(), fid) for n in [row["name"], *row["alt_names"].split(";")] if n.strip())
    return out


@functools.lru_cache(maxsize=1)
def _place_head_res() -> tuple[dict[str, str], re.Pattern[str], re.Pattern[str]]:
    """(folded name -> feature id, "<name> <head>" regex, "<head> in <name>" regex)."""
    ids: dict[str, str] = {}
    for folded, fid in _south_crossing_places():  # Mexico's southern crossings first:
        ids.setdefault(folded.replace(".", ""), fid)  # "Ciudad Hidalgo" is not "Hidalgo", Texas
    for name, fid in _ports():
        ids.setdefault(_fold(name).replace(".", ""), fid)
    for name, fid in _corridor_crossings():  # "the Agua Caliente border crossing", "El Florido checkpoint"
        ids.setdefault(_fold(name).replace(".", ""), fid)
    alts = "|".join(_loose(n) for n in sorted(ids, key=len, reverse=True))
    after = re.compile(rf"\b(?P<name>{alts})(?![\w’'])(?:{_POSS})?\s+(?P<head>{_CROSS_HEAD})\b")
    before = re.compile(rf"\b(?P<head>{_CROSS_HEAD})\s+(?:in|at|of|near)\s+(?P<name>{alts})(?![\w’'])")
    return ids, after, before


_HEAD_HINT = re.compile(r"(?i)port|crossing|bridge|checkpoint")

# --------------------------------------------------------------------------------------------
# Patterns

_US = r"(?:U\.\s?S\.(?:\s?A\.)?|USA|US|United\s+States(?:\s+of\s+America)?|America)"
_COUNTRY_RES = {
    "US": _US,
    "MX": r"(?:M[eé]xico)",
    "GT": r"(?:Guatemala)",
    "BZ": r"(?:Belize)",
    "HN": r"(?:Honduras)",
    "SV": r"(?:El\s+Salvador)",
    "NI": r"(?:Nicaragua)",
    "CR": r"(?:Costa\s+Rica)",
    "PA": r"(?:Panama|Panamá)",
    "CO": r"(?:Colombia)",
}
_COUNTRY_NAME = {"US": "United States", "MX": "Mexico", "GT": "Guatemala", "BZ": "Belize", "HN": "Honduras",
                 "SV": "El Salvador", "NI": "Nicaragua", "CR": "Costa Rica", "PA": "Panama", "CO": "Colombia"}
_DEMONYM_RES = {"US": r"(?:American|U\.S\.)", "MX": r"(?:Mexican)", "GT": r"(?:Guatemalan)", "BZ": r"(?:Belizean)",
                "HN": r"(?:Honduran)", "SV": r"(?:Salvadoran|Salvadorean)", "NI": r"(?:Nicaraguan)",
                "CR": r"(?:Costa\s+Rican)", "PA": r"(?:Panamanian)", "CO": r"(?:Colombian)"}
_BORDER_PAIRS = {
    frozenset(pair): f"border:{pair[0]}-{pair[1]}"
    for pair in (("US", "MX"), ("MX", "GT"), ("MX", "BZ"), ("GT", "HN"), ("GT", "SV"), ("HN", "SV"), ("HN", "NI"),
                 ("NI", "CR"), ("CR", "PA"), ("PA", "CO"))
}
# With only one side named, the other is one of the neighbours caravans cross to or from, the
# usual one first; resolution picks among them by the story's other places.
_OTHER_SIDES = {"US": ("MX",), "MX": ("US", "GT", "BZ"), "GT": ("MX", "HN", "SV"), "BZ": ("MX",),
                "HN": ("GT", "NI", "SV"), "SV": ("GT", "HN"), "NI": ("HN", "CR"), "CR": ("NI", "PA"),
                "PA": ("CO", "CR"), "CO": ("PA",)}
_DIRS = r"(?:south(?:ern|west(?:ern)?)?|north(?:ern)?|south[- ]?east(?:ern)?|east(?:ern)?|west(?:ern)?)"


def _cc_alt(group: str, demonym: bool = False) -> str:
    table = _DEMONYM_RES if demonym else _COUNTRY_RES
    return "(?:" + "|".join(f"(?P<{group}_{cc}>{rx})" for cc, rx in table.items()) + ")"


_POSS = r"(?:'s|’s|')"
_CROSS_HEAD = (
    r"(?:(?:main|principal|busiest|official|international|formal|informal)\s+)?"
    r"(?:border\s+)?(?:ports?\s+of\s+entry|crossing\s+points?|crossings?|bridges?|checkpoints?)"
)
_BORDER_WORD = r"(?:[Bb]order(?!\s+(?:Patrol|Protection|Security|Agency|Force|Service)))"
_CROSS_AFTER_BORDER = r"(?:\s+(?:crossings?|crossing\s+points?|bridges?|checkpoints?|ports?\s+of\s+entry|posts?))?"
_WITH = rf"(?:\s+(?:with|between)\s+(?:{_cc_alt('c3')}))?"

_BORDER_RES = [
    # "the US-Mexico border", "U.S.–Mexican border", "Mexico/Guatemala border"
    re.compile(
        rf"\b{_cc_alt('c1')}\s?[-–—/]\s?(?:{_cc_alt('c2')}|{_cc_alt('d2', True)})\s+(?P<head>{_BORDER_WORD}{_CROSS_AFTER_BORDER})"
    ),
    # "Mexico's southern border with Guatemala", "Guatemala's border with Mexico"
    re.compile(
        rf"\b{_cc_alt('c1')}{_POSS}\s+(?P<head>(?:(?P<dir>{_DIRS})\s+)?{_BORDER_WORD}{_CROSS_AFTER_BORDER}){_WITH}"
    ),
    # "the U.S. southwest border", "the Guatemala border", "the Mexican border", "US border"
    re.compile(
        rf"\b(?:{_cc_alt('c1')}|{_cc_alt('d1', True)})\s+(?P<head>(?:(?P<dir>{_DIRS})\s+)?{_BORDER_WORD}{_CROSS_AFTER_BORDER}){_WITH}"
    ),
    # "the border between Mexico and Guatemala"
    re.compile(
        rf"\b(?P<head>{_BORDER_WORD}{_CROSS_AFTER_BORDER})\s+between\s+{_cc_alt('c1')}\s+and\s+{_cc_alt('c2')}"
    ),
    # "the main border crossing with Guatemala", "the southern border", "the border with Mexico"
    re.compile(
        rf"\b(?P<head>(?:(?:main|principal|busiest|official)\s+)?(?:(?P<dir>{_DIRS})\s+)?{_BORDER_WORD}{_CROSS_AFTER_BORDER})"
        rf"(?:\s+(?:with|into|from)\s+{_cc_alt('c3')})"
    ),
    re.compile(rf"\b(?P<head>(?P<dir>south(?:ern|west(?:ern)?))\s+{_BORDER_WORD}{_CROSS_AFTER_BORDER})"),
]

_HWY_RE = re.compile(
    r"\b(?:(?P<pre>Mexico's|Mexico’s|Mexican|Federal|federal|Interstate|State|U\.S\.|US|Mexico)\s+)?"
    r"(?P<core>(?:Highway|Hwy\.?|Route|Carretera(?:\s+Federal)?|Autopista|Interstate)\s+(?:No\.\s*)?(?P<num>\d{1,4}[A-Z]?)\b"
    r"|I-(?P<inum>\d{1,3})\b)"
)
_COASTAL_RE = re.compile(
    r"\b(?P<core>(?:(?:Pacific|coastal|Coastal)\s+(?:highway|Highway|road|Road|route)|Carretera\s+Costera(?:\s+del\s+Pac[ií]fico)?))\b"
)
_PANAM_RE = re.compile(r"\b(?P<core>Pan[- ]?[Aa]merican\s+[Hh]ighway|Panamericana)\b")
_RIVER_RE = re.compile(
    r"\b(?P<core>[Rr][ií]o\s+[A-Z][\w’'-]+(?:\s+del\s+[A-Z][\w’'-]+)?(?!\s+(?:Valley|City|do|de|Grande))"
    r"|(?:[A-Z][\w’'-]+\s+){0,2}[A-Z][\w’'-]+\s+[Rr]iver\b)"
)
# A river name must not start with these (sentence-initial function words etc.).
_RIVER_BAD_FIRST = {"The", "A", "An", "This", "That", "In", "On", "At", "And", "Or", "But", "Of", "To", "From", "Along", "Across", "Near"}
_NAMED_BRIDGES = [
    (re.compile(r"\b(?:Puente\s+)?(?:(?:Dr|Doctor)\.?\s+)?Rodolfo\s+Robles(?:\s+(?:[Ii]nternational\s+)?(?:[Bb]ridge|[Cc]rossing))?"),
     "mxgt_suchiate_rodolfo_robles", True),
    (re.compile(r"\b(?:Puente\s+)?(?:(?:Ing|Ingeniero)\.?\s+)?Luis\s+Cabrera\s+(?:[Bb]ridge|[Cc]rossing)|\bPuente\s+(?:(?:Ing|Ingeniero)\.?\s+)?Luis\s+Cabrera"),
     "mxgt_suchiate_luis_cabrera", False),
    (re.compile(r"\bSuchiate\s+II(?:\s+[Bb]ridge)?"), "mxgt_suchiate_luis_cabrera", False),
    (re.compile(r"\b(?:Puente\s+Talism[aá]n|Talism[aá]n\s+(?:[Ii]nternational\s+)?(?:[Bb]ridge|[Cc]rossing))"), "mxgt_talisman", False),
    (re.compile(r"\b(?:Puente\s+Chactemal|Chactemal\s+[Bb]ridge)"), "mxbz_chactemal", False),
]
# "Rodolfo Robles" alone (without bridge/Puente) is a bridge too in this domain.
_CROSSING_HEAD_RE = re.compile(rf"\s+(?P<head>{_CROSS_HEAD})\b")
_CROSSING_BEFORE_RE = re.compile(rf"\b(?P<head>{_CROSS_HEAD})\s+(?:in|at|of|near)\s+$")

_LEADING_STRIP = re.compile(r"^(?:the|The|THE|(?:City|Town|Village|Township|Borough)\s+of)\s+")
# Abbreviations whose final dot belongs to the name ("U.S.", "D.C.", "Ind.", "W. Va.").
_ABBREV_END = re.compile(
    r"(?:\b[A-Z]\.\s?[A-Z]\.|\bW\.\s?Va\.|\b(?:St|Mt|Ft|Co|Ala|Ariz|Ark|Calif|Cal|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Kans|Ky|La|Md|"
    r"Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nebr|Nev|Okla|Ore|Oreg|Pa|Penn|Tenn|Tex|Vt|Va|Wash|Wis|Wisc|Wyo|Va)\.)$"
)
_STREETISH = re.compile(
    r"\b(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Boulevard|Blvd|Lane|Ln|Way|Parkway|Pkwy|Highway|Hwy|Route|Court|"
    r"Ct|Place|Plaza|Square|Terrace|Circle|Jail|Courthouse|Hall|Day|Marina|Clerk|Commissioners?|Center|Centre|"
    r"Mall|Building|Tower|Hospital|School|Church|Stadium|Arena|Airport|Station|Library|Museum|Office|Cemetery|"
    r"Marshal|District\s+\d+|\d+(?:st|nd|rd|th))\.?$"
)
_GEO_HEAD = re.compile(
    r"(?:^(?:Lake|Mount|Mt\.|Gulf|Bay|Sea|Isle|Port|Fort|Cape|River|North|South|East|West|Upper|Lower)\s|"
    r"\s(?:Township|County|Parish|Borough|Province|Region|Lake|River|Creek|Islands?|Sea|Ocean|Bay|Harbor|Harbour|"
    r"Heights|Valley|Mountains?|Hills|Peninsula|Coast|Strip|Bank|Desert|Canyon|Springs|Falls|Beach|Village|City|"
    r"Town|Park|Atlantic|Pacific)$)"
)
_TRAILING_STRIP = re.compile(r"(?:\s*(?:'s|’s|'|’)|[\s.,;:!?\"“”‘’()\[\]\-–—]+)$")
_LEADING_PUNCT = re.compile(r"^[\s\"“”‘’'()\[\]\-–—.,;:]+")

_TITLES = frozenset(
    """Mr Mrs Ms Miss Dr Prof President Secretary Sen Senator Rep Representative Gov Governor
    Mayor Judge Justice Officer Sgt Sergeant Lt Lieutenant Capt Captain Chief Rev Reverend
    Pope King Queen Prince Princess Minister Premier Chancellor General Gen Col Colonel Maj
    Major Cmdr Commander Adm Admiral Detective Det Deputy Sheriff Coach Attorney Ambassador
    Councilman Councilwoman Commissioner Director Trooper Pastor Father Sister Brother Saint
    Sr Jr Lord Lady Sir Dame Senora Señor Señora Don Doña Vice""".split()
)
_PLACE_PREPS = frozenset(
    """in near from outside across throughout around through toward towards via between into
    of at to within reached reach entered enter leaving left visit visited""".split()
)
_PLACE_PREPS_CAP = frozenset(w.capitalize() for w in _PLACE_PREPS) | {"The"}
_STRONG_PREPS = frozenset("in near from outside throughout toward towards via into within".split())
#: Movement verbs are place context when a group of people moves: "migrants left Tapachula"
#: (not "Biden left Obama").
_MOVE_VERBS = frozenset(
    "left leave leaves leaving reached reach reaches reaching entered enter enters entering departed depart departs "
    "fled flee crossed cross crosses crossing".split()
)
#: "walked from Tapachula to Huixtla", "were taken by bus to Huixtla": "to"/"for" after a verb of
#: motion (within a few words) introduces where people went.
_MOTION_TO = re.compile(
    r"\b(?:walk|march|travel|head|mov|went|go(?:es|ing)?|bus|bused|bussed|taken|took|return|transferr?|deport|flew|fly|flown|"
    r"driv|drove|trek|continu|advanc|proceed|rode|ride|sent|fled|flee|escort|relocat|push|hik|set\s+(?:off|out))\w*"
    r"(?:\s+[\w,.'’-]+){0,6}?\s+(?:to|for)\s+$",
    re.I,
)
_CALENDAR_WORDS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August "
    "September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
_PLACE_NOUN_OF = re.compile(
    r"\b(?:[Cc]ity|[Cc]ities|[Tt]owns?|[Vv]illages?|[Mm]unicipality|[Mm]unicipalities|[Pp]ort|[Cc]ommunity|[Cc]ommunities|"
    r"[Ee]jido|[Ss]tate|[Pp]rovince|[Dd]epartment)\s+of\s+(?:[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)*\s*(?:,|and|or)\s+)?$"
)
#: "the town of Vado Hondo", "the city of Sayula de Alemán": the capitalised words after a
#: place noun (Spanish particles allowed inside), whatever NER made of them.
_PLACE_NOUN_NAME = re.compile(
    r"\b(?:[Cc]ity|[Tt]own|[Vv]illage|[Hh]amlet|[Mm]unicipality|[Cc]ommunity|[Ee]jido|[Pp]ort)\s+of\s+"
    r"(?P<name>[A-ZÁÉÍÓÚÑ][\w'’.-]*(?:\s+(?:(?:de|del|la|las|los|el|y)\s+)?[A-ZÁÉÍÓÚÑ][\w'’.-]*){0,4})"
)
#: "Thornton is a city in Calhoun County", "Cary is the seventh largest municipality in North
#: Carolina", "Tapachula, a city near the Guatemalan border,": the text defines the name as a
#: place. The noun must end the description (followed by a preposition or punctuation): "Smith
#: was a city councilman" is not a definition; no preposition inside ("a resident of the town",
#: "a spokesman for the city").
_PLACE_NOUNS = (
    r"cit(?:y|ies)|towns?|townships?|villages?|hamlets?|municipalit(?:y|ies)|census[- ]designated\s+place|CDP|"
    r"populated\s+place|boroughs?|communit(?:y|ies)|suburbs?|neighbou?rhoods?|districts?|count(?:y|ies)|parish(?:es)?|"
    r"communes?|localit(?:y|ies)|settlements?|seaport|port\s+city|capital|provinces?|states?|countr(?:y|ies)|islands?|"
    r"regions?|cantons?|departments?|prefectures?|oblasts?|tehsils?|talukas?|barangays?|resort\s+town|market\s+town"
)
_DEF_NAME = (
    r"(?P<name>[A-ZÀ-Þ][\w'’.-]*(?:[ -](?:(?:de|del|la|le|les|los|las|el|upon|on|in|the|of|am|an|sur|di|da|do|dos)[ -])?"
    r"[A-ZÀ-Þ][\w'’.-]*){0,4})"
)
_DEF_TAIL = (
    r"(?:(?!(?:of|for|by|with|to|from|at|in|on|and|or|between|among)\b)[\w'’-]+\s+){0,5}?(?P<noun>(?i:" + _PLACE_NOUNS + r"))(?![’'\w-])"
    r"(?=\s*(?:[,.;:()]|$|(?:in|of|on|near|located|situated|and|that|which|with|at|about|along|within|outside|"
    r"north|south|east|west|northeast|northwest|southeast|southwest|between|bordering|close|just|some|approximately|roughly)\b))"
)
_DEFINED_PLACE = re.compile(
    r"(?<![\w’'-])" + _DEF_NAME + r"(?:\s*\([^()]{0,120}\)|\s*/[^/\n]{1,40}/)*"
    r"\s+(?:is|was|has\s+been|became|remains)\s+(?:a|an|the|one\s+of\s+the)\s+" + _DEF_TAIL
)
_APPOSITIVE_PLACE = re.compile(r"(?<![\w’'-])" + _DEF_NAME + r",\s+(?:a|an)\s+" + _DEF_TAIL)
#: "#Ferguson", "#SierraLeone", "#iran": a hashtag that is a place name (CamelCase split).
#: "Sligo-based", "a Gori-based brigade": the name before "-based" is where something is based.
_BASED_IN = re.compile(r"(?<![\w-])(?P<name>[A-Z][\w.'’]*(?:\s[A-Z][\w.'’]*){0,2})-based\b")
_HASHTAG = re.compile(r"(?<![\w&/#])#(?P<tag>[A-Za-z][A-Za-z]{2,})\b")
#: Names written in lower case or in capitals ("protests in ferguson", "GENEVA (Reuters)"): only
#: countries, states and big cities, and never a common word.
_CASELESS = re.compile(r"(?<![\w#@.-])(?P<name>[a-z]{4,}(?:\s[a-z]{3,})?|[A-Z]{4,}(?:\s[A-Z]{3,})?)(?![\w@-])")
_COMMON_WORDS = frozenset("""turkey china chad jordan guinea jersey nice mobile reading bath split male victoria niger
    york paris sale orange chester phoenix aurora eugene florence marion austin jackson lincoln madison salem
    trinity mercy union independence liberty concord providence hope faith joy grace north south east west
    northern southern eastern western central northeast northwest southeast southwest northeastern northwestern
    southeastern southwestern coast coastal capital upper lower middle greater rivers river lakes delta acre saga
    half centre center""".split())
#: Diseases named after places: "Ebola", "Zika", "West Nile" name the disease, not the river or
#: the forest, unless a geographic word follows ("the Ebola River"); any place name followed by
#: "virus", "fever" or "disease" is a disease too ("Lassa fever", "Marburg virus", "Lyme disease").
_DISEASE_NAMES = frozenset("ebola zika malaria dengue chikungunya nipah".split()) | {"west nile"}
_DISEASE_NOT_AFTER = re.compile(r"\s+(?:River|river|Valley|Forest|forest|Island|Lake)\b")
_DISEASE_AFTER = re.compile(r"\s+(?:virus|fever|disease)\b", re.I)
#: "Ferguson protest", "the Napa earthquake", "NYC students", "London Fire": a place named as
#: the modifier of what happened there or of its own people and services.
_EVENT_HEADS = (
    r"protests?|protesters?|protestors?|riots?|rioters?|unrest|demonstrations?|marches|march|rally|rallies|"
    r"shootings?|bombings?|attacks?|violence|massacre|clashes|earthquakes?|quakes?|floods?|flooding|tornado(?:es)?|"
    r"wildfires?|fires?|blaze|storms?|outbreak|police|PD|cops|officers?|chief|mayor|residents|students|schools|"
    r"hospitals?|airport|council|firefighters|protest\s+leader"
)
_PLACE_MODIFIER = re.compile(
    r"(?P<run>(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*?)(?:['’]s)?\s+(?i:" + _EVENT_HEADS + r")\b"
)
_RETWEET_MARK = re.compile(r"RT|MT|HT|CC")
_AT_USER = re.compile(r"\s*@\w")
#: Capitalised words that start a sentence but are not names ("It is a city in ...").
_NOT_NAMES = frozenset("""It This That There Here He She They We You I Which What Who Today Tomorrow Yesterday Its
    Their His Her Our Each Every Another Such One Both Neither Either The A An""".split())
#: Lower-case words that cannot be inside one name: an entity that spans one ("Sayula towards
#: Isla" tagged PERSON) is two names and a preposition, not a person.
_NAME_BREAKERS = frozenset("to towards toward from into through via near in at and or for".split())
_MOVERS = re.compile(
    r"\b(?:migrants?|caravans?|group|groups|they|people|thousands|hundreds|families|marchers|refugees|"
    r"asylum[- ]seekers|travell?ers|residents|participants|exodus|march)\b[^.;!?]{0,40}$",
    re.I,
)
_ADMIN_SUFFIX = re.compile(r"^(?:County|Parish|Borough|Township|Municipality|Province|State|Department|District|Region)$")
_ADMIN_PHRASE = re.compile(
    r"\b(?P<core>(?:[A-Z][a-zA-Z’'.-]+\s+){0,2}[A-Z][a-zA-Z’'.-]+\s+(?:County|Parish|Borough))\b(?!\s+(?:Road|Rd|Line|Highway|Route|Pike|Lane|Drive))"
)
_NOT_PLACE_WORDS = frozenset(
    """Earth World Moon Sun Heaven Hell Paradise North South East West Northeast Northwest
    Southeast Southwest Midwest Downtown Uptown Internet Web Gulf Bay Coast River Lake Mountain
    Valley Hill Park City Town County State Nation Republic Capitol Union Center Santa""".split()
)
_ORG_WORDS = frozenset(
    """University College School Schools Academy Institute Department Dept Council Committee
    Commission Board Bureau Agency Office Association Society Club Company Co Corp Corporation
    Inc Ltd LLC Group Bank Church Hospital Clinic Center Centre Foundation Fund Party Court
    Police Sheriff Patrol Fire Library Museum Times Post News Herald Journal Tribune Gazette
    Press Daily Chronicle Network Radio TV Airlines Airport Stadium Arena Team Authority
    Administration Service Services Union League Federation Organization Organisation Ministry
    Army Navy Guard Force Forces Corps Market Mall Hotel Restaurant Store Church Cathedral High
    Elementary Middle Community Public Senate House Assembly Congress Legislature
    Government Project Program Initiative Coalition Alliance Network""".split()
)
# Organisations of a place's own government: "Gainesville Police", "Dublin City Council".
_CIVIC_WORDS = frozenset(
    """Police City County Council Fire Public Municipal Township Borough Mayor Sheriff Board Schools
    School Utilities Metro Metropolitan Regional Area Chamber Housing Water Transit Parks""".split()
)
#: Words that are not (part of) a place name before an event or civic noun: "Police Chief",
#: "Vice Mayor", "Landmark Bank Chief", "Minor Earthquake" (Police, Vice and Minor are towns too).
_MODIFIER_NOT_NAME = _ORG_WORDS | _CIVIC_WORDS | _TITLES | frozenset(
    "Vice Deputy Assistant Acting Interim Former Great Minor Major Official Communal Golden Big Little".split())
_US_STATE_ABBR = re.compile(
    r"^\s*,\s*(?:Ala|Alaska|Ariz|Ark|Calif|Cal|Colo|Conn|Del|D\.C|Fla|Ga|Ill|Ind|Kan|Kans|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nebr|Nev|N\.H|N\.J|N\.M|N\.Y|N\.C|N\.D|Okla|Ore|Oreg|Pa|Penn|R\.I|S\.C|S\.D|Tenn|Tex|Vt|Va|Wash|W\.\s?Va|Wis|Wisc|Wyo)\.(?![A-Za-z])"
)
_DATELINE = re.compile(
    r"(?:\A|(?<=[.!?]\s)|(?<=[.!?][\"”’]\s)|(?<=\n))\s*(?P<core>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3})"
    r"(?=\s*,|\s*\(|\s*(?:[—–]|--?)\s)"
)
_LANGUAGE_LIKE = frozenset(
    """English Spanish French German Portuguese Italian Chinese Japanese Korean Arabic Russian Dutch
    Greek Turkish Hebrew Polish Swedish Danish Norwegian Finnish Czech Hungarian Thai Vietnamese
    Irish Welsh Scottish""".split()
)
_MEX_CONTEXT = re.compile(r"\b(?:Mexic|Chiapas|Oaxaca|Guerrero|Tapachula|Suchiate|Huixtla|Escuintla|Pijijiapan|Tonal[aá]|Arriaga|Juchit[aá]n)")


# --------------------------------------------------------------------------------------------
# Candidates


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    kind: str
    source: str
    label: str = ""
    query: str | None = None
    feature_ids: tuple[str, ...] = ()

    @property
    def priority(self) -> int:
        return _PRIORITY[self.source]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the", leading/trailing punctuation and a trailing possessive."""
    while True:
        s = text[start:end]
        m = _LEADING_PUNCT.match(s) or _LEADING_STRIP.match(s)
        if m and m.end() > 0 and m.end() < len(s):
            start += m.end()
            continue
        if end < len(text) and text[end] == "." and _ABBREV_END.search(s + "."):
            return start, end + 1  # "W.Va" + "." -> "W.Va."
        m = _TRAILING_STRIP.search(s)
        if m and m.start() > 0:
            # keep abbreviations that end with a dot ("U.S.", "D.C.", "St.")
            if s.endswith(".") and _ABBREV_END.search(s):
                return start, end
            end = start + m.start()
            continue
        return start, end


def _has_upper(s: str) -> bool:
    return any(c.isupper() for c in s)


#: A capitalised city name this big is recognised without any place context around it.
UNMISTAKABLE_CITY_POP = 100_000


class _Recognizer:
    """Holds one document's state while candidates are collected."""

    def __init__(self, doc: Doc, demonyms: bool, gaz: Any) -> None:
        self.doc = doc
        self.ents = tuple(doc.ents)
        self.text = doc.text
        self.demonyms = demonyms
        self.gaz = gaz
        self.cands: list[_Cand] = []
        self.blocked: list[tuple[int, int]] = []  # person-name character ranges
        self.person_tokens: set[str] = set()
        self.first_names = _first_names()
        self.dem = load_demonyms()

    # -- gazetteer helpers -------------------------------------------------------------
    def _corridor_feature(self, name: str) -> bool:
        try:
            return any((c.feature_id or "").startswith("corridor:") for c in self.gaz.lookup(name))
        except Exception:  # noqa: BLE001 - a broken gazetteer must not stop recognition
            return False

    def gaz_top(self, name: str) -> Any:
        if not self.gaz:
            return None
        try:
            cands = self.gaz.lookup(name)
        except Exception:  # noqa: BLE001 - a broken gazetteer must not stop recognition
            return None
        if not cands:
            return None
        # Prefer big units over a bigger city only through kind: country/admin1/region first.
        for c in cands:
            if c.kind in ("country", "admin1", "region"):
                return c
        return cands[0]

    def kind_for(self, name: str, default: str = "ner") -> str:
        """The kind the words themselves state ("Rapides Parish" is a county). What the
        gazetteer knows about the name is for resolution to weigh, not a textual hint."""
        if re.search(r"\b(?:County|Parish|Borough)$", name):
            return "admin2"
        return default

    def place_like(self, name: str, min_pop: int) -> bool:
        top = self.gaz_top(name)
        if top is None:
            return False
        if " " in name and self._corridor_feature(name):
            return True  # a curated corridor site ("El Florido", "Vado Hondo"): small, but what caravan news names
        if top.kind in ("country", "admin1", "region"):
            return True
        return top.kind == "city" and top.population >= min_pop

    # -- helpers -----------------------------------------------------------------------
    def add(self, start: int, end: int, kind: str, source: str, **kw: Any) -> None:
        start, end = _trim(self.text, start, end)
        if end <= start or not _has_upper(self.text[start:end]) and source != "pattern":
            return
        self.cands.append(_Cand(start, end, kind, source, **kw))

    def disease(self, start: int, end: int) -> bool:
        """The span names a disease, not a place (see _DISEASE_NAMES)."""
        if _DISEASE_AFTER.match(self.text, end):
            return True
        return self.text[start:end].lower() in _DISEASE_NAMES and not _DISEASE_NOT_AFTER.match(self.text, end)

    def is_blocked(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.blocked)

    def prev_word(self, start: int) -> str:
        m = re.search(r"([A-Za-z]+)\.?\s*$", self.text[max(0, start - 30):start])
        return m.group(1) if m else ""

    def titled(self, start: int) -> bool:
        return self.prev_word(start) in _TITLES

    def after_first_name(self, start: int) -> bool:
        m = re.search(r"([A-ZÁÉÍÓÚ][a-záéíóúñ]+)\s+$", self.text[max(0, start - 25):start])
        return bool(m and m.group(1) in self.first_names)

    @staticmethod
    def broken(ent: Span) -> bool:
        """An entity with a preposition inside ("Sayula towards Isla"): not one name."""
        return any(t.text in _NAME_BREAKERS for t in ent[1:-1])

    # -- passes ------------------------------------------------------------------------
    def defined_places(self) -> None:
        """Names the text defines as places: "X is a town in Y", "X, a city near Y,"."""
        text = self.text
        for rx in (_DEFINED_PLACE, _APPOSITIVE_PLACE):
            for m in rx.finditer(text):
                s, e = m.span("name")
                name = m.group("name")
                if name.split()[0] in _NOT_NAMES or name in _NOT_PLACE_WORDS or name in self.dem:
                    continue
                if rx is _APPOSITIVE_PLACE and (not self.place_like(name, 0) or m.group("noun").lower().startswith(
                        ("district", "department", "region"))):
                    continue  # an appositive is weaker evidence: the gazetteer must know the name ("a school district")
                if m.group("noun")[:1].isupper() and m.group("noun").lower().startswith(("department", "district", "region")):
                    continue  # "a Department of Defense agency": an organisation
                noun = m.group("noun").lower()
                kind = ("admin2" if noun.startswith(("count", "parish")) else
                        "admin1" if noun.startswith(("state", "province")) else
                        "country" if noun.startswith("countr") else "city" if noun.startswith(
                            ("cit", "town", "village", "hamlet", "municip", "census", "cdp", "populated", "borough",
                             "communit", "suburb", "commune", "localit", "settlement")) else "ner")
                self.add(s, e, kind, "pattern", label="place-def")

    def hashtags(self) -> None:
        """"#Ferguson", "#SierraLeone": a hashtag naming a country, a state or a sizeable town."""
        if not self.gaz:
            return
        for m in _HASHTAG.finditer(self.text):
            tag = m.group("tag")
            words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", tag)
            name = words if words != tag else (tag.title() if tag.islower() or tag.isupper() else tag)
            if name in self.dem or name in _NOT_PLACE_WORDS or name.lower() in _COMMON_WORDS:
                continue
            # a town needs a capital letter ("#Berkeley"); in lower case ("#police", "#sunset")
            # only a country, a big state or a big city, by its own name
            if self._big_place(name, 10_000) if tag[:1].isupper() else self._big_place(name, 1_000_000, exact=True):
                self.add(m.start("tag"), m.end("tag"), "ner", "pattern", label="hashtag", query=name if name != tag else None)
            elif words != tag:
                self._hashtag_part(m.start("tag"), tag)

    def _hashtag_part(self, start: int, tag: str) -> None:
        """"#GazaUnderAttack", "#PrayForBrazil", "#FergusonOctober": the longest run of a
        camel-case hashtag's words that names a country or a town of 10,000 by its own name."""
        parts = [(p.start(), p.end()) for p in re.finditer(r"[A-Z][a-z]+", tag)]
        for n in range(len(parts) - 1, 0, -1):
            for i in range(len(parts) - n + 1):
                run = parts[i:i + n]
                if any(run[k][1] != run[k + 1][0] for k in range(n - 1)):
                    continue
                name = " ".join(tag[a:b] for a, b in run)
                if len(name) < 4 or name in self.dem or name in _NOT_PLACE_WORDS or name.lower() in _COMMON_WORDS:
                    continue
                if self._big_place(name, 10_000, exact=True) or any(
                        c.kind == "city" and c.population >= 10_000 and _fold(c.name) == _fold(name)
                        for c in self.gaz.lookup(name)):
                    s, e = start + run[0][0], start + run[-1][1]
                    self.add(s, e, "ner", "pattern", label="hashtag", query=name if n > 1 else None)
                    return

    def based_in(self) -> None:
        """"the Sligo-based mother", "a Columbia-based firm": a place by the "-based" after it."""
        if not self.gaz:
            return
        for m in _BASED_IN.finditer(self.text):
            words = list(re.finditer(r"\S+", m.group("name")))
            for w in words:  # the longest place that ends before "-based" ("A Columbia-based")
                name = m.group("name")[w.start():]
                if name in self.dem or name.lower() in _COMMON_WORDS or self._orgish(name):
                    continue
                if self.place_like(name, 1000):
                    self.add(m.start("name") + w.start(), m.end("name"), self.kind_for(name), "pattern")
                    break

    def caseless_names(self) -> None:
        """Country, state and big-city names written all in lower case or in capitals."""
        if not self.gaz:
            return
        for m in _CASELESS.finditer(self.text):
            raw = m.group("name")
            name = raw.title()
            if raw.isupper() and re.search(r"\b(?:BY|By|by)\s+$", self.text[max(0, m.start() - 4):m.start()]):
                continue  # a byline in capitals ("BY KENT SMITH")
            first, _, second = name.partition(" ")
            # the two words together, else each alone ("earthquake japan": the second)
            for cand, off in ((name, 0), (first, 0), (second, len(first) + 1)) if second else ((name, 0),):
                if cand.lower() in _COMMON_WORDS or cand.split()[0].lower() in _COMMON_WORDS or cand in self.dem \
                        or cand in _NOT_PLACE_WORDS:
                    continue
                if self._big_place(cand, 1_000_000 if raw.islower() else 100_000, exact=True):
                    s = m.start("name") + off
                    self.add(s, s + len(cand), "ner", "pattern", label="caseless", query=cand)
                    break

    def _country_name(self, name: str) -> bool:
        """A country by its own name (not an alias, not a common word: "Iceland", not "Chad")."""
        if name.lower() in _COMMON_WORDS or name in self.first_names:
            return False
        top = self.gaz_top(name)
        return top is not None and top.kind == "country" and _fold(top.name) == _fold(name)

    def _unmistakable(self, name: str, sent_start: bool) -> bool:
        """A capitalised name that is a place wherever it stands, with no place context around
        it ("Nigeria has suffered ...", "march through Bristol"): a country by its own name or
        an alias, a state or province of a million people or a city of UNMISTAKABLE_CITY_POP by
        their own names — never a common word, a given name or a demonym. A state or city
        opening a sentence ("Man down.") is not enough: there its capital letter says nothing."""
        if name.lower() in _COMMON_WORDS or name in _NOT_PLACE_WORDS or name in self.first_names:
            return False
        top = self.gaz_top(name)
        if top is None:
            return False
        if top.kind == "country":
            return True
        if sent_start or _fold(top.name) != _fold(name):
            return False
        if top.kind == "admin1":
            return top.population >= 1_000_000
        return top.kind == "city" and top.population >= UNMISTAKABLE_CITY_POP

    def _big_place(self, name: str, min_pop: int, exact: bool = False) -> bool:
        """A country, a big state or a town of ``min_pop`` or more; ``exact``: by its own name
        only, not an alternate one ("southern", "part" are alternate names of something)."""
        top = self.gaz_top(name)
        if top is None or exact and (top.kind == "region" or _fold(top.name) != _fold(name)):
            return False
        if exact and min_pop >= 1_000_000 and top.kind == "admin1":
            return False  # lower case: many states are named after common words ("rivers", "delta")
        if top.kind in ("country", "admin1", "region"):
            return top.kind != "admin1" or top.population >= 500_000
        return top.kind == "city" and top.population >= min_pop

    def named_by_place_noun(self) -> None:
        """"the town of Vado Hondo": the longest run of capitalised words after a place noun
        that the gazetteer knows is a place, however NER split or labelled it."""
        if not self.gaz:
            return
        text = self.text
        for m in _PLACE_NOUN_NAME.finditer(text):
            words = list(re.finditer(r"\S+", m.group("name")))
            for n in range(len(words), 0, -1):
                if words[n - 1].group(0)[:1].islower():
                    continue  # a name does not end on a particle
                s, e = m.start("name"), m.start("name") + words[n - 1].end()
                e = _trim(text, s, e)[1]
                name = text[s:e]
                top = self.gaz_top(name)
                if top is not None and top.kind in ("city", "admin2", "crossing", "facility", "place") and name not in self.dem:
                    self.add(s, e, "city" if top.kind == "city" else top.kind, "pattern", label="place-noun")
                    break

    def place_modifiers(self) -> None:
        """"Ferguson protest", "the Napa earthquake", "NYC students": the longest tail of the
        capitalised words before an event or civic noun that the gazetteer knows as a country,
        a state or a town of 1,000 by its own name (not a common word, a given name or a demonym)."""
        if not self.gaz:
            return
        text = self.text
        for m in _PLACE_MODIFIER.finditer(text):
            run = m.group("run")
            words = list(re.finditer(r"\S+", run))
            for w in words:
                name = run[w.start():].rstrip(".")
                if not name[:1].isupper() or name in self.dem or name in _NOT_PLACE_WORDS \
                        or name.lower() in _COMMON_WORDS or name in self.first_names or name in _NOT_NAMES \
                        or any(x in _MODIFIER_NOT_NAME for x in name.split()):
                    continue
                top = self.gaz_top(name)
                if top is None or _fold(top.name) != _fold(name) and top.kind not in ("country", "admin1"):
                    continue
                if name.isupper() and len(name) > 3 and top.kind != "country":
                    continue  # "POLICE OFFICERS RAIDED": a shouted word, not Police, Poland
                # the whole capitalised run, or a tail of it that is a town of 10,000 ("Criticize Ferguson")
                if not self.place_like(name, 1000 if w.start() == 0 else 10_000):
                    continue
                s = m.start("run") + w.start()
                if self.titled(s) or self.after_first_name(s):
                    break
                self.add(s, s + len(name), self.kind_for(name), "gazetteer", label="place-modifier")
                break

    def persons(self) -> None:
        for ent in self.ents:
            if ent.label_ != "PERSON" or self.broken(ent):
                continue
            toks = [t.text for t in ent if t.is_alpha]
            if _ADMIN_PHRASE.search(ent.text):
                continue
            if self.titled(ent.start_char) or (toks and toks[0] in self.first_names) or (
                len(toks) >= 2 and not self.place_like(ent.text, 0)
            ):
                self.blocked.append((ent.start_char, ent.end_char))
                self.person_tokens.update(t for t in toks if t[:1].isupper())

    def patterns(self) -> None:
        text = self.text
        mex_context = bool(_MEX_CONTEXT.search(text))
        # Borders and crossings by country.
        for rx in _BORDER_RES:
            for m in rx.finditer(text):
                self._border_match(m)
        # Named bridges.
        for rx, fid, _ in _NAMED_BRIDGES:
            for m in rx.finditer(text):
                self.add(m.start(), m.end(), "crossing", "pattern", query=m.group(0), feature_ids=(fid,))
        # "<port> port of entry" / "the port of entry in <port>"; "<crossing town> bridge".
        if _HEAD_HINT.search(text):
            self._places_with_heads()
        # Highways.
        for m in _HWY_RE.finditer(text):
            num = m.group("num") or m.group("inum")
            pre = m.group("pre") or ""
            start = m.start("core")
            if pre and pre not in ("Mexico's", "Mexico’s", "Mexican", "Mexico"):
                start = m.start("pre")
            fids: tuple[str, ...] = ()
            if num == "200" and (pre.startswith("Mexic") or "Carretera" in m.group("core") or mex_context):
                fids = ("highway:MEX-200",)
            if pre in ("Mexico's", "Mexico’s", "Mexico"):
                self.add(m.start("pre"), m.start("pre") + 6, "country", "pattern", query="Mexico")
            elif pre == "Mexican":
                self._demonym_at(m.start("pre"), m.end("pre"))
            self.add(start, m.end(), "highway", "pattern", feature_ids=fids)
        for m in _COASTAL_RE.finditer(text):
            fids = ("highway:MEX-200",) if mex_context else ()
            self.add(m.start("core"), m.end("core"), "highway", "pattern", feature_ids=fids)
        for m in _PANAM_RE.finditer(text):
            self.add(m.start("core"), m.end("core"), "highway", "pattern")
        # Rivers.
        for m in _RIVER_RE.finditer(text):
            core = m.group("core")
            words = core.split()
            skip = 0
            while skip < len(words) - 1 and (words[skip] in _RIVER_BAD_FIRST or words[skip] in self.person_tokens):
                skip += 1
            if len(words) - skip < 2:
                continue
            start = m.start("core") + len(" ".join(words[:skip])) + (1 if skip else 0)
            self.add(start, m.end("core"), "river", "pattern")

    def _border_match(self, m: re.Match[str]) -> None:
        gd = {k: v for k, v in m.groupdict().items() if v is not None}
        countries: list[tuple[str, str, str]] = []  # (group, cc, role)
        for g in gd:
            if "_" in g:
                role, cc = g.split("_", 1)
                countries.append((g, cc, role))
        ccs = [cc for _, cc, _ in countries]
        head = m.group("head")
        direction = (gd.get("dir") or "").lower()
        fids: tuple[str, ...] = ()  # the border(s) meant, the usual one first: resolution picks by context
        if len(set(ccs)) >= 2:
            fids = tuple(f for f in [_BORDER_PAIRS.get(frozenset((ccs[0], ccs[-1])))] if f)
        elif len(ccs) == 1:
            cc = ccs[0]
            role = countries[0][2]
            if role == "c3" or not direction:
                # "the border with Guatemala", "the Mexican border": a neighbour caravans cross to
                others = _OTHER_SIDES.get(cc, ())
            elif cc == "MX":
                others = ("GT",) if direction.startswith("south") else ("US",) if direction.startswith("north") else ()
            elif cc == "US":
                others = ("MX",) if direction.startswith("south") else ()
            elif cc in ("GT", "BZ"):
                others = ("MX",) if direction.startswith(("north", "west")) else ()
            else:
                others = ()
            fids = tuple(f for o in others if (f := _BORDER_PAIRS.get(frozenset((cc, o)))))
        elif direction in ("south", "southern"):
            # "the southern border" with no country: the US's or, in a story told in Mexico, Mexico's
            fids = ("border:US-MX", "border:MX-GT")
        elif direction.startswith("south"):
            fids = ("border:US-MX",)  # "the southwest border"
        fid = fids[0] if fids else None
        hs, he = m.span("head")
        is_crossing = bool(re.search(r"crossing|bridge|checkpoint|port|post", head, re.I))
        kind = "crossing" if is_crossing else "border"
        if is_crossing and fid == "border:MX-GT" and re.match(r"(?:main|principal|busiest)\b", head, re.I):
            fids = ("mxgt_suchiate_rodolfo_robles",)
        self.add(hs, he, kind, "pattern", query=m.group(0), feature_ids=fids)
        for g, cc, role in countries:
            s, e = m.span(g)
            if role.startswith("d"):
                self._demonym_at(s, e)
            else:
                self.add(s, e, "country", "pattern", query=_COUNTRY_NAME[cc])

    def _places_with_heads(self) -> None:
        """"<port or crossing town> <crossing head>" and "<head> in/at <town>": the town stays a
        place mention, the head carries the port / crossing feature id."""
        text = self.text
        ids, after_rx, before_rx = _place_head_res()
        for rx in (after_rx, before_rx):
            for m in rx.finditer(text):
                name = m.group("name")
                fid = ids.get(_fold(re.sub(r"[\s\-–]+", " ", name)).replace(".", ""))
                if fid is None or not name[:1].isupper():
                    continue
                hs, he = m.span("head")
                self.add(hs, he, "crossing", "pattern", query=m.group(0), feature_ids=(fid,))
                ns, ne = m.span("name")
                # no kind hint: the text names the crossing, not what kind of place its namesake is
                self.add(ns, ne, "place", "pattern")

    def _demonym_at(self, start: int, end: int) -> None:
        if not self.demonyms:
            return
        form = self.text[start:end]
        d = self.dem.get(form)
        if d is None and form == "U.S.":
            return
        if d is not None:
            self.add(start, end, "demonym", "demonym", query=d.country_name)

    def ner(self) -> None:
        text = self.text
        for ent in self.ents:
            label = ent.label_
            if label in ("PERSON", "ORG", "GPE", "LOC", "FAC") and self.broken(ent):
                continue  # its names are found one by one by the gazetteer pass
            s, e = _trim(text, ent.start_char, ent.end_char)
            if e <= s:
                continue
            name = text[s:e]
            if label in ("GPE", "LOC"):
                self._ner_place(ent, s, e, name, label)
            elif label == "FAC":
                if re.search(r"\b(?:[Bb]ridge|[Cc]rossing|[Pp]ort of [Ee]ntry)$", name):
                    self.add(s, e, "crossing", "ner", label=label)
                elif self.place_like(name, 5000) and not self._orgish(name):
                    self.add(s, e, self.kind_for(name), "ner", label=label)
            elif label == "NORP":
                self._ner_norp(ent, s, e, name)
            elif label in ("ORG", "PERSON", "PRODUCT", "WORK_OF_ART", "EVENT"):
                self._ner_other(ent, s, e, name, label)

    def _ner_place(self, ent: Span, s: int, e: int, name: str, label: str) -> None:
        m = re.search(r"(?:\s+[a-z][\w'’-]*)+$", name)  # "Fargo city", "City of" -> drop the tail
        if m:
            e = s + m.start()
            name = self.text[s:e]
        if not _has_upper(name) or name in _NOT_PLACE_WORDS:
            return
        if self.titled(s) or self.after_first_name(s):
            return
        words = name.split()
        if all(w in self.person_tokens for w in words) and not self._strong_place(name):
            return
        if len(words) >= 2 and words[0] in self.first_names and not self.place_like(name, 0) and not _ADMIN_SUFFIX.match(words[-1]):
            return
        if name in self.dem:
            # "American" tagged GPE: it is a demonym.
            self._demonym_at(s, e)
            return
        known = self.place_like(name, 0)
        if self.gaz and not known and name.endswith(" City") and self.place_like(name[:-5], 1000):
            e -= 5
            name = name[:-5]
            known = True
        if not known and _STREETISH.search(name):
            # "Anderson County Jail" -> "Anderson County"; streets and buildings are dropped
            sub = _ADMIN_PHRASE.search(name)
            if sub:
                self.add(s + sub.start("core"), s + sub.end("core"), "admin2", "ner", label=label)
            return
        # An entity that is really an organisation with a place name inside ("Ohio State University").
        if not known and self._orgish(name):
            self._embedded(s, e)
            return
        if self.gaz and not known:
            if not (_GEO_HEAD.search(name) or _ABBREV_END.search(name) or self._ner_context(s, e)):
                return
        self.add(s, e, self.kind_for(name), "ner", label=label)

    def _ner_context(self, s: int, e: int) -> bool:
        """Place-like context for a name NER tagged as a place but the gazetteer does not know."""
        if self.prev_word(s).lower() in _PLACE_PREPS or self._qualified(e):
            return True
        after = self.text[e:e + 12]
        return bool(re.match(r"(?:-based|\s*,\s*[A-Z][a-z]+\.?\s*(?:\(|[—–-]))", after))

    def _ner_norp(self, ent: Span, s: int, e: int, name: str) -> None:
        if name not in self.dem and self._unmistakable(name, True):
            self.add(s, e, "country", "ner", label="NORP")  # "in Togo" tagged as a nationality
            return
        if not self.demonyms:
            return
        if name in self.dem:
            self.add(s, e, "demonym", "demonym", label="NORP", query=self.dem[name].country_name)
            return
        # "Russian-American", "Mexican-Americans": each part that is a demonym.
        for m in re.finditer(r"[A-Z][\w]+(?:\s[A-Z][\w]+)?", name):
            part = m.group(0)
            if part in self.dem:
                self.add(s + m.start(), s + m.end(), "demonym", "demonym", label="NORP", query=self.dem[part].country_name)
            elif " " in part:
                for w in re.finditer(r"[A-Z]\w+", part):
                    if w.group(0) in self.dem:
                        self.add(s + m.start() + w.start(), s + m.start() + w.end(), "demonym", "demonym", label="NORP",
                                 query=self.dem[w.group(0)].country_name)

    def _ner_other(self, ent: Span, s: int, e: int, name: str, label: str) -> None:
        """ORG/PERSON/... entities that are places (gazetteer + context), or contain one."""
        if not self.gaz:
            return
        if label == "PERSON" and self.is_blocked(s, e) and not self._qualified(e):
            return
        if self.titled(s):
            return
        words = name.split()
        if (not self._orgish(name) or self._strong_place(name)) and len(words) <= 3:
            if self._strong_place(name) or self._unmistakable(name, bool(ent[0].is_sent_start)) or (
                    self.place_like(name, 1000) and self._place_context(s, e)):
                if not (len(words) == 1 and name in self.person_tokens and not self._strong_place(name)):
                    self.add(s, e, self.kind_for(name), "gazetteer", label=label)
                    return
        if label == "ORG":
            self._embedded(s, e)

    def _embedded(self, s: int, e: int) -> None:
        """Place names inside an organisation's name: "University of Cincinnati", "Ohio State
        University", "Dublin City Council", "Boone County Sheriff's Office"."""
        text = self.text
        sub = text[s:e]
        m = _ADMIN_PHRASE.search(sub)
        if m:
            self.add(s + m.start("core"), s + m.end("core"), "admin2", "gazetteer")
            return
        # "... of X" at the end
        m = re.search(r"\bof\s+(?:the\s+)?(?P<p>[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){0,2})$", sub)
        if m and not self._orgish(m.group("p")) and self.place_like(m.group("p"), 20000):
            # an institution is named after a state or a country when one has that name
            # ("University of Texas"), not after a village of it
            top = self.gaz_top(m.group("p"))
            kind = top.kind if top is not None and top.kind in ("country", "admin1") else self.kind_for(m.group("p"))
            self.add(s + m.start("p"), s + m.end("p"), kind, "gazetteer")
            return
        # "X <org word>..." at the start
        words = list(re.finditer(r"[A-Z][\w.’'-]*", sub))
        for n in (3, 2, 1):
            if len(words) <= n:
                continue
            first, last = words[0], words[n - 1]
            if first.start() != 0:
                break
            cand = sub[first.start():last.end()]
            if self._orgish(cand):
                continue
            nxt = words[n].group(0)
            if nxt in _CIVIC_WORDS and self.place_like(cand, 5000):
                self.add(s + first.start(), s + last.end(), self.kind_for(cand), "gazetteer")
                return
            # "Mount Pleasant High School", "Tennessee Senior Olympics": a state or country heads
            # any organisation's name, a town one named by an organisation word after it; not a
            # word that is also a direction or a common noun ("Western State Hospital"), nor a
            # person's name ("Graham Middle School")
            first_word = cand.split()[0]
            if first_word.lower() in _COMMON_WORDS or first_word in self.first_names or cand in self.person_tokens:
                continue
            if self._strong_place(cand) or (
                    nxt in _ORG_WORDS and self.place_like(cand, 5000 if " " in cand else 50000)):
                self.add(s + first.start(), s + last.end(), self.kind_for(cand), "gazetteer")
                return

    def _orgish(self, name: str) -> bool:
        return any(w in _ORG_WORDS for w in re.findall(r"[A-Za-z]+", name)[1:]) or name.split()[0] in ("University",)

    def _strong_place(self, name: str) -> bool:
        top = self.gaz_top(name)
        if top is not None and top.kind == "country" and name.lower() not in _COMMON_WORDS:
            return True  # a small country is a country too ("Nauru", "Vanuatu" tagged ORG or PERSON)
        return top is not None and top.kind in ("country", "admin1", "region") and top.population >= 500_000

    def _qualified(self, end: int) -> bool:
        """Followed by ", <state or country>" (", Texas", ", Ga.", ", Mexico")."""
        after = self.text[end:end + 40]
        if _US_STATE_ABBR.match(after):
            return True
        m = re.match(r"\s*,\s*(?:in\s+)?([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)", after)
        if m and self.gaz:
            top = self.gaz_top(m.group(1))
            return top is not None and top.kind in ("country", "admin1")
        return False

    def _place_context(self, start: int, end: int) -> bool:
        prev = self.prev_word(start).lower()
        if prev in _MOVE_VERBS:
            return bool(_MOVERS.search(self.text, max(0, start - 60), start))
        return self._qualified(end) or prev in _STRONG_PREPS or self.after_place_noun(start) or self.motion_to(start)

    def motion_to(self, start: int) -> bool:
        return _MOTION_TO.search(self.text, max(0, start - 70), start) is not None

    def after_place_noun(self, start: int) -> bool:
        """"the city of X", "the border town of X", "the cities of X and Y": a place by its head noun."""
        return _PLACE_NOUN_OF.search(self.text, max(0, start - 60), start) is not None

    def demonym_tokens(self) -> None:
        """Demonyms NER did not label NORP ("Honduran migrants" tagged nothing or GPE)."""
        if not self.demonyms:
            return
        text = self.text
        spans = [(e.start_char, e.end_char, e.label_) for e in self.ents]
        for m in _demonym_re().finditer(text):
            s, e = m.span()
            word = m.group(0)
            label = next((lab for a, b, lab in spans if a <= s < b), "")
            if label in ("LANGUAGE", "PERSON", "ORG", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "FAC"):
                continue
            if word in _LANGUAGE_LIKE and label != "NORP":
                # "speaks Spanish": a language unless followed by a noun-like lower-case word
                nxt = re.match(r"\s+([a-z]+)", text[e:e + 30])
                if nxt is None or nxt.group(1) in _NOT_AFTER_DEMONYM:
                    continue
            self.add(s, e, "demonym", "demonym", label=label, query=self.dem[word].country_name)

    def gazetteer_recovery(self) -> None:
        """Capitalised words NER did not tag, kept when the gazetteer knows them as places and
        the context is place-like."""
        text = self.text
        for m in _ADMIN_PHRASE.finditer(text):
            s, e = m.span("core")
            words = m.group("core").split()
            # drop leading words that are not part of the name ("In Boone County")
            while len(words) > 2 and (words[0] in _RIVER_BAD_FIRST or words[0] in _TITLES):
                s += len(words[0]) + 1
                words = words[1:]
            if len(words) >= 2 and (words[0] in _RIVER_BAD_FIRST or words[0] in _ORG_WORDS):
                s += len(words[0]) + 1
                words = words[1:]
            if len(words) >= 2:
                self.add(s, e, "admin2", "gazetteer")
        for m in _DATELINE.finditer(text):
            core = m.group("core")
            if len(core) < 3 or not self.gaz:
                continue
            title = " ".join(w.capitalize() for w in core.split())
            if re.search(r"\s(?:County|Parish|Borough)$", title):
                self.add(m.start("core"), m.end("core"), "admin2", "gazetteer", query=title)
            elif self.place_like(title, 1000):
                self.add(m.start("core"), m.end("core"), self.kind_for(title), "gazetteer", query=title)
        if not self.gaz:
            return
        doc = self.doc
        in_ent = set()
        for ent in self.ents:
            if not self.broken(ent):
                in_ent.update(range(ent.start, ent.end))
        max_n = 3
        i = 0
        n = len(doc)
        while i < n:
            tok = doc[i]
            if i in in_ent or not tok.is_title or tok.is_sent_start and i > 0 and doc[i - 1].text not in _PLACE_PREPS:
                i += 1
                continue
            prev = doc[i - 1].text.lower() if i > 0 else ""
            found = None
            for k in range(max_n, 0, -1):
                if i + k > n or any((j in in_ent) or not doc[j].is_title for j in range(i, i + k)):
                    continue
                span = doc[i:i + k]
                name = span.text
                # not the start of a longer capitalised name ("in Tom Smith's")
                if i + k < n and doc[i + k].is_title and doc[i + k].text not in self.dem and doc[i + k].text not in _CALENDAR_WORDS \
                        and not (self._country_name(name) and self.gaz_top(f"{name} {doc[i + k].text}") is None):
                    continue  # (but "Tapachula Sunday": a weekday or month does not lengthen a name;
                    # and a country stays a country in a title-case headline, "Earthquake Shakes Iceland
                    # Volcano", unless the longer name is a place too: "Panama City")
                if name in self.first_names or name in _NOT_PLACE_WORDS or name in self.person_tokens:
                    continue
                if name in self.dem:
                    continue
                if (prev in _STRONG_PREPS or self.after_place_noun(span.start_char) or self.motion_to(span.start_char)) \
                        and self.place_like(name, 1000):
                    found = span
                elif self._qualified(span.end_char) and self.place_like(name, 0):
                    found = span
                elif self._unmistakable(name, i == 0 or doc[i].is_sent_start):
                    found = span
                if found is not None:
                    break
            if found is None:
                i += 1
                continue
            if not self.titled(found.start_char) and not self.after_first_name(found.start_char):
                self.add(found.start_char, found.end_char, self.kind_for(found.text), "gazetteer")
            i = found.end

    def _propagate(self, chosen: list[_Cand]) -> list[_Cand]:
        """One sense per discourse: a name recognised as a place once is a place at its other
        occurrences too ("in Gainesville" ... "Gainesville Police said"), unless they are part
        of a longer capitalised name or a person's name."""
        text = self.text
        person_votes: dict[str, int] = {}
        for ent in self.ents:
            if ent.label_ == "PERSON":
                person_votes[ent.text] = person_votes.get(ent.text, 0) + 1
        place_votes: dict[str, int] = {}
        for c in chosen:
            name = text[c.start:c.end]
            place_votes[name] = place_votes.get(name, 0) + 1
        names: dict[str, _Cand] = {}
        for c in chosen:
            if c.label == "place-def":
                names.setdefault(text[c.start:c.end], c)  # the text says it is a place: every mention is
                continue
            if (c.source in ("ner", "gazetteer") or c.label == "place-noun") and c.kind != "demonym":
                name = text[c.start:c.end]
                if (
                    len(name) >= 3 and not name.isupper() and name not in self.person_tokens
                    and name not in self.first_names and self.place_like(name, 1000)
                    and place_votes[name] >= person_votes.get(name, 0)
                ):
                    names.setdefault(name, c)
        if not names:
            return []
        taken = sorted((c.start, c.end) for c in chosen)
        extra: list[_Cand] = []
        rx = re.compile(r"(?<![\w.-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w-])")
        for m in rx.finditer(text):
            s, e = m.span()
            if any(a < e and s < b for a, b in taken) or self.is_blocked(s, e):
                continue
            after = re.match(r"\s+([A-Z][\w’']*)", text[e:e + 30])
            if after and after.group(1) not in _CIVIC_WORDS and after.group(1) not in _ORG_WORDS:
                continue
            before = re.search(r"([A-Z][\w’']*)\s+$", text[max(0, s - 30):s])
            if before and not re.search(r"(?:[.!?\"“”]|\n)\s*\S+\s+$", text[max(0, s - 40):s]) and before.group(1) not in _PLACE_PREPS_CAP:
                continue
            if self.titled(s) or self.after_first_name(s):
                continue
            src = names[m.group(0)]
            extra.append(_Cand(s, e, src.kind, src.source, label=src.label, query=src.query))
            taken.append((s, e))
        return extra

    # -- merge -------------------------------------------------------------------------
    def mentions(self) -> list[Mention]:
        text = self.text
        chosen: list[_Cand] = []
        for c in sorted(self.cands, key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
            if c.source != "pattern" and self.is_blocked(c.start, c.end):
                continue
            if c.kind == "demonym" and not self.demonyms:
                continue
            if self.disease(c.start, c.end):
                continue
            if _RETWEET_MARK.fullmatch(self.text, c.start, c.end) and _AT_USER.match(self.text, c.end):
                continue  # "MT @user", "HT @user": a tweet's modified-tweet or hat-tip mark, not Montana
            if any(o.start < c.end and c.start < o.end for o in chosen):
                continue
            chosen.append(c)
        chosen.extend(self._propagate(chosen))
        chosen.sort(key=lambda c: (c.start, c.end))
        out = []
        for c in chosen:
            name = text[c.start:c.end]
            query = c.query if c.query and c.query != name else None
            out.append(Mention(start=c.start, end=c.end, name=name, kind_hint=c.kind, source=c.source,
                               label=c.label, query=query, feature_ids=c.feature_ids))
        return out


# --------------------------------------------------------------------------------------------
# Public API

_GAZ_STATE: dict[str, Any] = {}


def _default_gazetteer() -> Any:
    """The project gazetteer if it can be loaded, else None (recognition works without it)."""
    if "gaz" not in _GAZ_STATE:
        try:
            from geo.gazetteer.index import load_gazetteer

            _GAZ_STATE["gaz"] = load_gazetteer()
        except Exception as err:  # noqa: BLE001 - optional dependency of recognition
            log.warning("recognition runs without the gazetteer: %s", err)
            _GAZ_STATE["gaz"] = None
    return _GAZ_STATE["gaz"]


def recognize_doc(doc: Doc, *, demonyms: bool = True, gazetteer: Any = None) -> list[Mention]:
    """Place mentions in a spaCy ``Doc`` (made by :func:`load_nlp`): sorted, non-overlapping,
    exact spans. ``gazetteer=None`` uses the project gazetteer when available; ``False``
    switches it off; any object with ``lookup(name) -> list[Candidate]`` works."""
    if not doc.text.strip():
        return []
    gaz = _default_gazetteer() if gazetteer is None else (gazetteer or None)
    r = _Recognizer(doc, demonyms, gaz)
    r.persons()
    r.patterns()
    r.hashtags()
    r.based_in()
    r.caseless_names()
    r.defined_places()
    r.named_by_place_noun()
    r.place_modifiers()
    r.ner()
    r.demonym_tokens()
    r.gazetteer_recovery()
    return r.mentions()


def recognize_patterns_with(
    doc: Doc, candidates: Iterable[tuple[int, int, str, str, str | None, tuple[str, ...]]], *, gazetteer: Any = None
) -> list[Mention]:
    """Place mentions from the curated patterns alone (borders, named bridges, ports,
    highways incl. "Carretera Costera", rivers incl. "río Suchiate": regular expressions that
    read names, not English grammar) plus the caller's ``candidates`` ``(start, end, kind,
    source, query, feature_ids)``, merged as :func:`recognize_doc` merges. No NER, no
    English context rules: the hook :mod:`geo.geoparsing.places_es` uses for Spanish text."""
    if not doc.text.strip():
        return []
    gaz = _default_gazetteer() if gazetteer is None else (gazetteer or None)
    r = _Recognizer(doc, False, gaz)
    r.patterns()
    for start, end, kind, source, query, fids in candidates:
        r.add(start, end, kind, source, query=query, feature_ids=tuple(fids))
    return r.mentions()


def recognize(text: str, *, demonyms: bool = True, gazetteer: Any = None) -> list[Mention]:
    """Place mentions in ``text`` (see :func:`recognize_doc`)."""
    if not isinstance(text, str):
        raise TypeError(f"recognize() needs a str, got {type(text).__name__}")
    return recognize_doc(load_nlp()(text), demonyms=demonyms, gazetteer=gazetteer)


def recognize_many(
    texts: Iterable[str],
    *,
    demonyms: bool = True,
    batch_size: int = 32,
    n_process: int = 1,
    gazetteer: Any = None,
) -> Iterator[tuple[Doc, list[Mention]]]:
    """(doc, mentions) for each text, in order, with the NLP batched through ``nlp.pipe``."""
    nlp = load_nlp()
    for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        yield doc, recognize_doc(doc, demonyms=demonyms, gazetteer=gazetteer)
