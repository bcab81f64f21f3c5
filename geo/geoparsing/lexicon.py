"""The words and curated tables place recognition reads: demonyms, crossings, border and
river patterns, place nouns, titles, organisation words, and small text helpers.

Used by the recognition stages (:mod:`geo.geoparsing.spans`) and re-exported where public.
"""

from __future__ import annotations

import csv
import functools
import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any


from geo.paths import DATA

log = logging.getLogger(__name__)


_GAZ_DIR = DATA / "gazetteer"


# Source priorities when candidates overlap (higher wins; then the longer span).
_PRIORITY = {"pattern": 4, "demonym": 3, "ner": 2, "gazetteer": 1}


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


#: Last words of a street's name: "Darby Street" names a street, not the town of Darby.
_STREET_END = re.compile(r"\b(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Boulevard|Blvd|Lane|Ln|Way|Parkway|Pkwy|"
                         r"Highway|Hwy|Route|Court|Ct|Place|Pl|Square|Terrace|Circle|Trail|Pike)\.?$")

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

#: A hashtag cut by digits or underscores ("#Gaza_Under_Attack", "#Ceasefire4Gaza", "#Haiti5Yrs"):
#: its runs of letters are read as its words.
_HASHTAG_CUT = re.compile(r"(?<![\w&/#])#(?P<tag>\w*?(?:[A-Za-z][\d_]|[\d_][A-Za-z])\w*)")


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


#: "Modesto, CA", "Kingsport TN": a town and the US postal code of its state (checked against the
#: gazetteer: one of the town's entries must lie in that state).
_TOWN_POSTAL = re.compile(
    r"(?<![\w@#.-])(?P<town>[A-Z][a-z'’.-]+(?:\s[A-Z][a-z'’.-]+){0,2}),?\s#?(?P<st>A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|"
    r"K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY])(?![\w@'’-])"
)

#: "Barrow, Jackson and Madison counties", "the Williams and Cranberry rivers": a list of names
#: before a plural unit noun, each name one of those units.
_NAMES_BEFORE_UNITS = re.compile(
    r"(?P<list>(?:[A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*)?,\s+)*[A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*)?,?\s+(?:and|&|&amp;)\s+"
    r"[A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*)?)\s+(?P<unit>counties|parishes|rivers)\b"
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


#: AP-style and postal abbreviations of US states, for qualifiers such as "Alexandria, La.".
_US_STATE_ABBREV: dict[str, str] = {
    "Ala.": "AL", "Alaska": "AK", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Cal.": "CA",
    "Colo.": "CO", "Conn.": "CT", "Del.": "DE", "D.C.": "DC", "Fla.": "FL", "Ga.": "GA",
    "Ill.": "IL", "Ind.": "IN", "Kan.": "KS", "Kans.": "KS", "Ky.": "KY", "La.": "LA",
    "Md.": "MD", "Mass.": "MA", "Mich.": "MI", "Minn.": "MN", "Miss.": "MS", "Mo.": "MO",
    "Mont.": "MT", "Neb.": "NE", "Nebr.": "NE", "Nev.": "NV", "N.H.": "NH", "N.J.": "NJ",
    "N.M.": "NM", "N.Mex.": "NM", "N.Y.": "NY", "N.C.": "NC", "N.D.": "ND", "Okla.": "OK",
    "Ore.": "OR", "Oreg.": "OR", "Pa.": "PA", "Penn.": "PA", "R.I.": "RI", "S.C.": "SC",
    "S.D.": "SD", "Tenn.": "TN", "Tex.": "TX", "Vt.": "VT", "Va.": "VA", "Wash.": "WA",
    "W.Va.": "WV", "W. Va.": "WV", "Wis.": "WI", "Wisc.": "WI", "Wyo.": "WY",
}
_US_POSTAL = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY"
).split()
#: A legislator's party and home after the name: "Tom Bakk, DFL-Cook,", "(R-Elbow Lake)",
#: "both D-W. Va.": the home is a town, a county or a state. Only after "(", a comma, a
#: semicolon or "both", so "D-Day" or "the R-II School District" are not read.
_PARTY_HOME = re.compile(
    r"(?:(?<=\()|(?<=[,;]\s)|(?<=\bboth\s))(?:R|D|I|DFL|Ind|GOP)-(?P<home>[A-Z][\w'’]*\.?(?:[A-Z][a-z]*\.)*(?:\s[A-Z][\w'’]*\.?){0,2})"
)


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


_MEX_CONTEXT = re.compile(r"\b(?:Mexic|Chiapas|Oaxaca|Guerrero|Tapachula|Suchiate|Huixtla|Escuintla|Pijijiapan"
                          r"|Tonal[aá]|Arriaga|Juchit[aá]n)")


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


def gazetteer_top(gaz: Any, name: str) -> Any:
    """The entry a bare name most likely means: its first country, state or region, else its
    first (most populous) entry; None when the gazetteer has none or is broken."""
    if not gaz:
        return None
    try:
        cands = gaz.lookup(name)
    except Exception:  # noqa: BLE001 - a broken gazetteer must not stop recognition
        return None
    if not cands:
        return None
    # Prefer big units over a bigger city only through kind: country/admin1/region first.
    return next((c for c in cands if c.kind in ("country", "admin1", "region")), cands[0])
