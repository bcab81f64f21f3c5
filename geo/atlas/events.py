"""Sentences -> dated, located events: one event per clause, read from the dependency parse.

Pure functions from an article's text, its resolved toponyms and its resolved time
expressions to :class:`EventMention` records (one article at a time). Merging the same
event across articles, caravans and routes happen downstream in :mod:`geo.atlas.caravans`.

How an event is read (see ``docs/events.md`` for the vocabulary and the rules):

1. **Where the story is.** Page furniture (bylines, captions, related links, menus, comment
   sections; :mod:`geo.text.furniture`) is not read; captions are, dated by their own date.
   Sentences are also cut at line ends, so a masthead or a bullet never glues onto a sentence.
2. **The predicate.** A verb (or one of a few event nouns) whose *lemma* is in the event
   vocabulary, with the arguments that decide its sense ("set off", "spent the night",
   "closed the bridge", "were returned"); negated predicates report nothing.
3. **Its place.** The toponyms in the predicate's own arguments (direct object, and the
   objects of its prepositions: "left X", "arrived in X", "crossed into X", "at the X
   bridge"), by role: origin ("from"), destination ("to", "toward") or position; the most
   specific place wins. Failing that, a place fronted in the same clause, the place the
   paragraph's narrative is at, or the dateline.
4. **Its time.** The time expression attached to the predicate in the parse; else the one
   its coordinated verb or its reporting verb carries; else a narrative-relative expression
   ("the next day", "two days later", "that night") counted from the previous event; else
   the narrative time of the paragraph (past tense); else the publication date (present
   tense: "migrants are camped"). An event with no time at all is not drawn.
5. **Its status.** ``planned`` (will, plans to, is set to), ``hypothetical`` (if, could,
   would) or ``reported``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from geo.text.furniture import EVENT_LABELS, Line, dateline, page_lines
from geo.model import Toponym

__all__ = [
    "EVENT_TYPES",
    "EVENT_TYPE_ALIASES",
    "EventMention",
    "PeopleCount",
    "extract_events",
    "find_people_counts",
    "caravan_size_statements",
    "event_sentences",
]

#: The event vocabulary (documented in ``docs/events.md``).
EVENT_TYPES = (
    "departure",     # a caravan or group sets off
    "march",         # walks, advances, heads on
    "arrival",       # arrives at / reaches a place
    "crossing",      # crosses a border or river, enters a country
    "camp",          # camps, rests, spends the night, waits
    "blocked",       # stopped, blocked, turned back; a caravan dissolves
    "detention",     # detained, deported, returned, surrenders
    "transport",     # boards or is carried by buses, trains, trucks
    "violence",      # clash, attack, tear gas
    "death",         # deaths and injuries
    "port_status",   # a crossing, port of entry, bridge or rail crossing closed / suspended / reopened
    "policy",        # an official action at a place: deployments, announcements, permits
    "other",         # a placed, dated happening that fits none of the above (protests, meetings)
)
#: Names used by earlier versions (stored corrections may carry them).
EVENT_TYPE_ALIASES = {
    "caravan_departure": "departure",
    "border_crossing": "crossing",
    "crossing_closed": "port_status",
    "rail_port_suspension": "port_status",
    "apprehensions": "detention",
    "official_visit": "other",
    "violence_protest": "violence",
}


@dataclass(frozen=True, slots=True)
class PeopleCount:
    """A number of people stated in the text ("about 6,000", "up to 10,000 daily")."""

    start: int
    end: int
    text: str
    minimum: int | None
    maximum: int | None
    rate: str | None = None  # "daily" when the figure is per day


@dataclass(frozen=True, slots=True)
class EventMention:
    """One event as one article reports it (before merging across articles)."""

    article_id: str
    event_type: str
    start: int  # the clause's span in the article text
    end: int
    sentence_start: int
    sentence_end: int
    sentence: str
    date_start: dt.date | None
    date_end: dt.date | None
    date_precision: str
    date_text: str | None
    date_reason: str
    place: Toponym | None
    places: tuple[Toponym, ...]
    people: PeopleCount | None
    status: str  # reported | planned | hypothetical
    confidence: float
    about_caravan: bool
    destinations: tuple[Toponym, ...] = ()
    distance_km: float | None = None
    reason: str = ""
    detail: str | None = None  # port_status: closed | suspended | reopened; transport: bus | train | truck
    extra: dict = field(default_factory=dict, compare=False, hash=False)


_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "a hundred": 100,
}
_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_SCALE = r"(?:\s+(?P<scale>million|thousand|hundred))?"
_QUAL = (
    r"(?:(?P<qual>about|around|approximately|an estimated|estimated|some|nearly|almost|over|more than|fewer than|"
    r"less than|up to|at least|roughly|as many as|exceeded|surpassed|topped|reached|reaching|exceeding|surpassing)\s+)?"
)
_PEOPLE_NOUNS = (
    r"(?:migrants?|people|persons|individuals|asylum[- ]seekers|members|marchers|participants|families|"
    r"children|foreigners|foreign nationals|citizens|refugees|travell?ers|arrests|apprehensions|crossings|"
    r"encounters|deportations|deportees|detainees|residents|protesters|protestors|workers|minors)"
)
_PEOPLE_AFTER = re.compile(
    r"\b" + _QUAL + _NUM + _SCALE + r"(?P<mid>(?:\s+(?!of\b)[a-z][\w-]*){0,2})\s+(?:of\s+(?:whom|the)\s+)?" + _PEOPLE_NOUNS + r"\b",
    re.I,
)
# "the number of illegal crossings exceeded 2 million", "apprehensions ... surpassed two million people"
_PEOPLE_BEFORE = re.compile(
    r"\b(?:crossings|apprehensions|arrests|encounters|migrants|people|individuals)\b[^.;]{0,60}?\b"
    r"(?P<qual>exceeded|surpassed|topped|reached|over|more than|nearly|about|around)\s+" + _NUM + _SCALE
    + r"\b(?!\s*(?:percent|%|dollars|\$))",
    re.I,
)
_SIZE_OF = re.compile(r"\b(?:size of|caravan of|group of|total of)\s+" + _QUAL + _NUM + _SCALE + r"\b", re.I)
_DAILY = re.compile(r"\b(?:daily|per day|a day|each day|every day)\b", re.I)
_LOWER_BOUND = {"over", "more than", "at least", "exceeded", "surpassed", "topped", "exceeding", "surpassing"}
_UPPER_BOUND = {"up to", "nearly", "almost", "as many as", "fewer than", "less than"}


def _value(num: str, scale: str | None) -> int | None:
    n = num.lower().replace(",", "")
    try:
        v = float(n) if n[0].isdigit() else float(_NUMBER_WORDS[n])
    except (KeyError, ValueError, IndexError):
        return None
    mult = {"million": 1_000_000, "thousand": 1_000, "hundred": 100}.get((scale or "").lower(), 1)
    return int(round(v * mult))


def find_people_counts(text: str, start: int = 0, end: int | None = None) -> list[PeopleCount]:
    """People counts stated in ``text[start:end]`` with their bounds, in text order."""
    end = len(text) if end is None else end
    chunk = text[start:end]
    found: dict[int, PeopleCount] = {}
    for rx in (_PEOPLE_AFTER, _SIZE_OF, _PEOPLE_BEFORE):
        for m in rx.finditer(chunk):
            value = _value(m.group("num"), m.group("scale"))
            if value is None or value < 2:
                continue
            num_start = m.start("num")
            if 1900 <= value <= 2100 and not m.group("scale") and "," not in m.group("num"):
                continue  # a year, not a count
            qual = (m.group("qual") or "").lower()
            lo: int | None = value
            hi: int | None = value
            if qual in _LOWER_BOUND:
                hi = None
            elif qual in _UPPER_BOUND:
                lo = None
            span_start = start + (m.start("qual") if m.group("qual") else num_start)
            span_end = start + m.end()
            window = text[span_start:min(len(text), span_end + 25)]
            rate = "daily" if _DAILY.search(window) else None
            key = start + num_start
            if key not in found:
                found[key] = PeopleCount(span_start, span_end, text[span_start:span_end], lo, hi, rate)
    return [found[k] for k in sorted(found)]



# ---------------------------------------------------------------- the vocabulary

# lemma -> (event type, confidence). Senses that need an argument are decided in _sense().
_VERBS: dict[str, tuple[str, float]] = {
    **{w: ("departure", 0.8) for w in ("leave", "depart", "embark", "set", "start", "begin", "launch", "commence")},
    **{w: ("march", 0.7) for w in (
        "walk", "march", "advance", "trek", "continue", "move", "head", "travel", "push", "proceed", "progress",
        "resume", "hike", "make", "press", "trudge", "journey", "cover")},
    **{w: ("arrival", 0.75) for w in ("arrive", "reach", "get", "return")},
    **{w: ("crossing", 0.75) for w in ("cross", "enter", "wade", "swim", "ford", "breach", "storm", "jump", "climb", "rush",
                                         "burst", "tear", "surge", "stream", "pour")},
    **{w: ("camp", 0.7) for w in (
        "camp", "sleep", "rest", "spend", "stay", "overnight", "shelter", "wait", "remain", "settle", "stop", "gather",
        "assemble", "congregate", "regroup", "pause", "huddle", "sit", "stand")},
    **{w: ("blocked", 0.75) for w in (
        "block", "halt", "prevent", "contain", "repel", "disperse", "dissolve", "disband", "break", "turn", "stall",
        "strand", "trap", "corral", "thwart", "barricade", "encircle", "surround", "line")},
    **{w: ("detention", 0.8) for w in (
        "detain", "arrest", "apprehend", "deport", "expel", "repatriate", "surrender", "round", "intercept", "capture",
        "catch", "rescue", "fly")},
    **{w: ("transport", 0.75)
       for w in ("board", "bus", "ride", "hop", "transport", "ferry", "hitch", "take", "pile", "load", "drive", "truck")},
    **{w: ("violence", 0.75) for w in (
        "use", "force", "unleash", "clash", "attack", "assault", "beat", "kidnap", "abduct", "shoot", "fire", "throw", "hurl",
        "fight", "scuffle",
        "riot", "rob", "extort", "rape", "teargas", "tear-gas", "confront", "charge", "pelt", "hit")},
    **{w: ("death", 0.8) for w in ("die", "kill", "drown", "injure", "wound", "hurt", "perish", "murder", "suffocate", "crush", "find")},
    **{w: ("port_status", 0.8) for w in ("close", "shut", "reopen", "suspend", "seal", "open", "restrict", "limit")},
    **{w: ("policy", 0.6) for w in (
        "deploy", "dispatch", "send", "station", "announce", "sign", "grant", "issue", "offer", "order", "approve",
        "declare", "impose", "give", "hand", "install", "erect", "build", "reinforce", "process")},
    **{w: ("other", 0.55) for w in ("protest", "pray", "rally", "demonstrate", "meet", "visit", "celebrate", "hold", "host", "vote")},
}
_NOUNS: dict[str, tuple[str, float]] = {
    "departure": ("departure", 0.6), "exodus": ("departure", 0.5), "arrival": ("arrival", 0.6),
    "clash": ("violence", 0.65), "confrontation": ("violence", 0.6), "skirmish": ("violence", 0.65),
    "death": ("death", 0.6), "closure": ("port_status", 0.65), "closing": ("port_status", 0.6),
    "reopening": ("port_status", 0.65), "suspension": ("port_status", 0.6), "shutdown": ("port_status", 0.6),
    "protest": ("other", 0.5), "raid": ("detention", 0.6), "deportation": ("detention", 0.5),
    "stampede": ("death", 0.5), "shooting": ("violence", 0.6), "attack": ("violence", 0.6),
}
# A cheap filter before parsing: the inflected forms of the vocabulary. A sentence with none
# of them has no event and is not parsed.
_IRREGULAR = {
    "leave": "left", "set": "set", "begin": "began begun", "make": "made", "get": "got gotten", "take": "took taken",
    "send": "sent", "give": "gave given", "hold": "held", "sleep": "slept", "spend": "spent", "find": "found",
    "shoot": "shot", "throw": "threw thrown", "swim": "swam swum", "ride": "rode ridden", "drive": "drove driven",
    "catch": "caught", "fight": "fought", "break": "broke broken", "beat": "beaten", "fly": "flew flown flies",
    "die": "died dying", "hit": "hit", "shut": "shut", "build": "built", "hurt": "hurt", "lie": "lay", "keep": "kept",
    "stand": "stood", "meet": "met", "go": "went gone", "run": "ran", "hide": "hid hidden", "bus": "bused bussed busing bussing",
    "rob": "robbed robbing", "stop": "stopped stopping", "plan": "planned planning", "trap": "trapped trapping",
    "ferry": "ferried", "carry": "carried", "hop": "hopped hopping", "storm": "stormed", "rally": "rallied",
    "kidnap": "kidnapped kidnapping", "teargas": "teargassed", "tear-gas": "tear-gassed",
}


def _forms(lemma: str) -> set[str]:
    out = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        out |= {lemma[:-1] + "ing"}
    if lemma.endswith("y"):
        out |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) >= 3 and lemma[-1] in "bdglmnprt" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        out |= {lemma + lemma[-1] + "ing", lemma + lemma[-1] + "ed"}  # "setting", "getting", "travelled"
    out.update(_IRREGULAR.get(lemma, "").split())
    return out


_FORMS = frozenset(f for w in list(_VERBS) + list(_NOUNS) + ["arrive"] for f in _forms(w))
_WORDS = re.compile(r"[A-Za-z][a-z-]*")


#: Forms of the predicates that may take a place from the narrative (no toponym of their own).
_CARRIED_FORMS = frozenset(
    f for w, (t, _) in _VERBS.items() if t in ("departure", "march", "arrival", "crossing", "camp", "blocked", "detention",
                                              "transport", "violence", "death") for f in _forms(w)
)


def _lemma_table() -> dict[str, str]:
    """Inflected form -> lemma for every word the event rules look up by lemma."""
    words = set(_VERBS) | set(_NOUNS) | _PLAN_VERBS | _SAY_VERBS | _UNREAL | _ASPECT_VERBS | {"go", "line", "host"}
    table: dict[str, str] = {}
    for w in sorted(words):
        for f in _forms(w):
            table.setdefault(f, w)
    table.update({"said": "say", "told": "tell", "is": "be", "are": "be", "was": "be", "were": "be", "been": "be",
                  "am": "be", "'s": "be", "'re": "be", "has": "have", "had": "have", "having": "have", "'ve": "have",
                  "does": "do", "did": "do", "done": "do", "went": "go", "gone": "go", "going": "go", "meant": "mean",
                  "sought": "seek", "wrote": "write", "written": "write", "kept": "keep", "stopped": "stop",
                  "planned": "plan", "began": "begin", "begun": "begin", "tried": "try", "left": "leave",
                  "lay": "lie", "lying": "lie", "ran": "run", "stood": "stand"})
    for w in _TALLY:
        table.setdefault(w, w[:-1] if w.endswith("s") and w[:-1] in _TALLY else w)
    return table


def _may_report_event(text: str, start: int, end: int, forms: frozenset[str] = _FORMS) -> bool:
    return any(m.group(0).lower() in forms for m in _WORDS.finditer(text, start, end))


def _any_between(sorted_starts: list[int], a: int, b: int) -> bool:
    i = bisect.bisect_left(sorted_starts, a)
    return i < len(sorted_starts) and sorted_starts[i] < b

_CROSSING_WORDS = frozenset(
    "bridge bridges crossing crossings port ports entry border borders checkpoint checkpoints gate gates rail railway "
    "railroad train trains line lane lanes traffic garita garitas puente crosspoint".split()
)
_MOVER_WORDS = frozenset(
    "caravan caravans migrant migrants people group groups family families asylum seeker seekers refugee refugees "
    "marcher marchers participant participants they thousands hundreds dozens member members man men woman women "
    "child children minor minors traveler travelers traveller travellers person persons individual individuals "
    "national nationals foreigner foreigners exodus contingent column we".split()
)
_JOURNEY = frozenset("journey march trek walk trip way caravan travel path route advance progress".split())
_VEHICLES = {"bus": "bus", "buses": "bus", "train": "train", "trains": "train", "truck": "truck", "trucks": "truck",
             "van": "truck", "vans": "truck", "trailer": "truck", "trailers": "truck", "boat": "boat", "boats": "boat",
             "raft": "boat", "rafts": "boat", "plane": "plane", "flight": "plane", "flights": "plane", "freight": "train"}
_FORCE_WORDS = frozenset("troops soldiers agents guard guardsmen police officers personnel military forces marines".split())
_PERMIT_WORDS = frozenset("visa visas permit permits document documents card cards paper papers asylum status pass passes "
                          "appointment appointments".split())
_VIOLENT_OBJECTS = frozenset("gas teargas tear-gas spray shot shots bullet bullets round rounds rock rocks stone stones bottle bottles "
                             "projectile projectiles pepper".split())
_DIRECTION_WORDS = frozenset("north northward northwards south southward east west ahead forward on onward onwards home back".split())
_TIME_OBJECTS = frozenset("night nights day days weekend hours hour week weeks morning evening afternoon".split())
_GATHERING = frozenset("mass meeting vigil protest rally march demonstration press conference ceremony service".split())

_PLAN_VERBS = frozenset(
    "plan intend expect hope aim want seek try threaten vow prepare decide schedule promise mean attempt "
    "propose consider wish need".split()
)
_ASPECT_VERBS = frozenset("begin start continue keep resume manage go proceed be get stop use have choose".split())
_WEAK_CAMP = frozenset(("wait", "remain", "stay"))
_SAY_VERBS = frozenset("say tell report announce state add confirm note explain claim write".split())
_HYPO_MARKS = frozenset(("if", "unless", "whether", "lest"))
_HYPO_MODALS = frozenset(("could", "might", "may", "would", "should", "must", "can"))
_CLAUSE_DEPS = frozenset(("ROOT", "ccomp", "xcomp", "advcl", "relcl", "conj", "parataxis", "pcomp", "acl", "csubj", "csubjpass"))
_ORIGIN_PREPS = frozenset(("from", "out"))
_TIME_DEPS = frozenset(("prep", "npadvmod", "advmod", "tmod", "obl", "advcl", "pcomp", "nummod", "dep", "conj", "appos"))
_DEST_PREPS = frozenset(("to", "toward", "towards", "for", "into", "onto", "until", "till"))
_POSITION_PREPS = frozenset((
    "in", "at", "near", "outside", "inside", "on", "along", "through", "across", "past", "by", "via", "around", "within",
    "throughout", "over", "under", "beside", "behind", "between", "beyond", "off", "upon", "amid", "among", "alongside",
    "underneath", "next", "close", "south", "north", "east", "west", "of",
))
_SPECIFICITY = {
    "crossing": -1, "facility": -1, "place": 0, "city": 0, "admin2": 1, "river": 2, "border": 2, "highway": 3,
    "admin1": 3, "country": 4, "region": 5, "continent": 6,
}
_TOWN_KINDS = ("crossing", "facility", "place", "city", "admin2")

# Times told relative to the narrative, not to the publication date.
_NARRATIVE_REL = re.compile(
    r"\b(?:(?P<next>the (?:next|following) (?:day|morning|afternoon|evening|night)|a day later|the day after)"
    r"|(?P<prev>the (?:day|night|evening) before|the previous (?:day|night|evening)|a day earlier|the night prior)"
    r"|(?P<n>two|three|four|five|six|seven|2|3|4|5|6|7) days (?P<dir>later|after|earlier|before)"
    r"|(?P<same>that (?:same )?(?:day|morning|afternoon|evening|night)|later that day|earlier that day|the same day"
    r"|hours (?:later|earlier)|minutes (?:later|earlier)|shortly (?:after|before)(?:wards)?|soon after(?:wards)?|overnight|"
    r"later in the day|by nightfall|at dawn|at daybreak|by evening))\b",
    re.I,
)
_NUM = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_CARAVAN_NOUN = re.compile(r"\b(?:caravans?|march(?:es)?|exodus)\b", re.I)
_MOVERS = re.compile(r"\b(?:migrants|marchers|group|participants|they|thousands|hundreds|families|asylum seekers)\b", re.I)


def event_sentences(text: str, sentences: Sequence[tuple[int, int]], lines: Sequence[Line] | None = None) -> list[tuple[int, int, str]]:
    """The sentences of ``text`` cut at every line end, each with its line's furniture label."""
    lines = page_lines(text) if lines is None else lines
    out: list[tuple[int, int, str]] = []
    li = 0
    for a, b in sentences:
        while li < len(lines) and lines[li].end <= a:
            li += 1
        j = li
        while j < len(lines) and lines[j].start < b:
            x, y = max(a, lines[j].start), min(b, lines[j].end)
            while x < y and text[x].isspace():
                x += 1
            if x < y:
                out.append((x, y, lines[j].label))
            j += 1
    return out


# ---------------------------------------------------------------- senses


def _child_lemmas(tok, deps: tuple[str, ...]) -> set[str]:
    return {c.lemma_.lower() for c in tok.children if c.dep_ in deps}


def _object_words(tok) -> set[str]:
    """Lower-cased words of the predicate's direct objects and their compounds."""
    words: set[str] = set()
    for c in tok.children:
        if c.dep_ in ("dobj", "obj", "attr", "oprd"):
            words.add(c.lower_)
            words.update(g.lower_ for g in c.children if g.dep_ in ("compound", "amod", "nmod"))
    return words


def _argument_words(tok) -> set[str]:
    """Words of the subject, object and prepositional objects (for "closed the bridge",
    "the crossing was shut", "rail traffic was halted at ...")."""
    words: set[str] = set()
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass", "dobj", "obj", "attr"):
            words.update(t.lower_ for t in c.subtree)
        elif c.dep_ == "prep":
            words.update(t.lower_ for t in c.subtree)
    return words


def _subject_words(tok) -> set[str]:
    cur = tok
    while True:
        subj = [c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return {t.lower_ for s in subj for t in s.subtree}
        if cur.dep_ in ("conj", "xcomp", "advcl") and cur.head.i != cur.i:
            cur = cur.head
            continue
        return set()


def _passive(tok) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children) or tok.dep_ == "acl" and tok.tag_ == "VBN"


_TALLY = frozenset("number numbers increase increases rise rises percent share total totals figure figures tally count "
                   "rate rates flow flows surge decline drop statistic statistics record average wave level levels".split())
_UNREAL = frozenset("prevent avoid fear risk threaten warn deny stop discourage deter ban forbid".split())


def _not_an_occurrence(tok) -> bool:
    """A tally ("increases of migrants arriving"), a kind of people ("migrants crossing"
    counted by the thousand) or something prevented ("to prevent attacks")."""
    for anc in list(tok.ancestors)[:4]:
        if anc.lemma_.lower() in _TALLY and anc.pos_ == "NOUN":
            return True
    if tok.pos_ == "NOUN":
        gov = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
        if gov is not None and (gov.lemma_.lower() in _UNREAL or any(c.dep_ == "aux" and c.lower_ == "to" for c in gov.children)):
            return True
    if tok.dep_ == "acl" and tok.tag_ == "VBG":
        if any(c.dep_ == "nummod" and c.like_num for c in tok.head.children) and tok.head.lemma_.lower() not in ("caravan", "group"):
            return True  # "over 200,000 migrants crossing": a count of people, not one event
    return False


Sense = tuple[str, float, str | None]


@dataclass(frozen=True, slots=True)
class _Verb:
    """What a verb rule reads: the lemma, its default sense and the words around it."""

    lemma: str
    etype: str
    conf: float
    prts: set[str]  # particles ("set off")
    objs: set[str]  # object words
    preps: set[str]  # prepositions governed by the verb
    advs: set[str]  # adverbs and particles
    xcomp_trigger: bool  # an event verb as its complement ("began walking")


#: lemma -> rule for verbs whose sense depends on their arguments; other verbs keep their
#: :data:`_VERBS` sense. One small function per verb (or family of verbs).
_VERB_RULES: dict[str, Callable[[Any, _Verb], Sense | None]] = {}


def _rule(*lemmas: str):
    def register(fn):
        for lemma in lemmas:
            _VERB_RULES.setdefault(lemma, fn)
        return fn
    return register


def _sense(tok) -> Sense | None:
    """The event type a predicate token reports, its rule confidence and a detail, or None."""
    if _not_an_occurrence(tok):
        return None
    lemma = tok.lemma_.lower()
    misread = (tok.pos_ in ("NOUN", "PROPN") and lemma in _VERBS and lemma not in _NOUNS and _verbless(tok)
               and not any(c.dep_ in ("det", "poss") and c.i == tok.i - 1 for c in tok.children))
    if misread:
        pass  # "... caravan heading to the US arrive at a border crossing": a verb the tagger read as a noun
    elif tok.pos_ == "NOUN":
        return _noun_sense(tok, lemma)
    if not misread and (tok.pos_ not in ("VERB", "AUX") or tok.dep_ == "compound"
                        or tok.dep_ == "amod" and not (tok.tag_ in ("VBD", "VBN") and _verbless(tok))):
        return None
    hit = _VERBS.get(lemma)
    if hit is None:
        return None
    if hit[0] == "march" and tok.dep_ == "acl" and tok.tag_ in ("VBG", "VBN"):
        return None  # "a caravan heading north", "migrants walking along the highway": who, not what happened
    verb = _Verb(lemma, hit[0], hit[1], _child_lemmas(tok, ("prt",)), _object_words(tok), _child_lemmas(tok, ("prep",)),
                 {c.lower_ for c in tok.children if c.dep_ in ("advmod", "prt", "npadvmod")},
                 any(c.dep_ == "xcomp" and c.lemma_.lower() in _VERBS for c in tok.children))
    rule = _VERB_RULES.get(lemma)
    return rule(tok, verb) if rule is not None else (verb.etype, verb.conf, None)


def _noun_sense(tok, lemma: str) -> Sense | None:
    hit = _NOUNS.get(lemma)
    if hit is None:
        return None
    if hit[0] == "port_status" and not (_argument_words(tok) | {t.lower_ for t in tok.subtree}) & _CROSSING_WORDS:
        return None
    return hit[0], hit[1], None


@_rule("set")
def _set(tok, v: _Verb) -> Sense | None:
    if "up" in v.prts and v.objs & {"camp", "camps", "tents", "tent", "encampment"}:
        return "camp", 0.75, None
    return ("departure", 0.8, None) if v.prts & {"off", "out"} else None


@_rule("start", "begin", "launch", "commence")
def _start(tok, v: _Verb) -> Sense | None:
    if v.xcomp_trigger:
        return None  # "began walking": the walking is the event
    if v.objs & _JOURNEY or "caravan" in {t.lower_ for t in tok.subtree}:
        return "departure", 0.7, None
    return None


@_rule("continue", "resume", "press", "push")
def _continue(tok, v: _Verb) -> Sense | None:
    if v.lemma == "push" and "back" in v.prts:
        return "blocked", 0.7, None
    if v.xcomp_trigger:
        return None
    if v.objs & _JOURNEY or v.advs & _DIRECTION_WORDS or v.preps & {"toward", "towards", "to", "through", "north", "into", "along"}:
        return "march", 0.65, None
    return None


@_rule("head")
def _head(tok, v: _Verb) -> Sense | None:
    if v.prts & {"out", "off"}:
        return "departure", 0.75, None
    if v.preps & {"to", "toward", "towards", "for", "into"} or v.advs & _DIRECTION_WORDS:
        return "march", 0.6, None
    return None


@_rule("force")
def _force(tok, v: _Verb) -> Sense | None:
    if "back" in v.prts:
        return "blocked", 0.7, None
    return ("crossing", 0.65, None) if v.objs & {"way", "entry", "passage"} else None


@_rule("use")
def _use(tok, v: _Verb) -> Sense | None:
    return ("violence", 0.7, None) if v.objs & (_VIOLENT_OBJECTS | {"force", "spray", "batons", "shields"}) else None


@_rule("make")
def _make(tok, v: _Verb) -> Sense | None:
    return ("march", 0.6, None) if v.objs & {"way", "journey", "trek", "progress"} else None


@_rule("move", "travel", "proceed", "progress", "journey", "cover")
def _move(tok, v: _Verb) -> Sense | None:
    if v.lemma == "cover" and not _DISTANCE.search(" ".join(t.text for t in tok.subtree)):
        return None
    return "march", 0.6, None


@_rule("get")
def _get(tok, v: _Verb) -> Sense | None:
    return ("arrival", 0.6, None) if "to" in v.preps else None


@_rule("return")
def _return(tok, v: _Verb) -> Sense | None:
    return ("detention", 0.7, None) if _passive(tok) else ("arrival", 0.5, None)


@_rule("reach")
def _reach(tok, v: _Verb) -> Sense | None:
    # "reached an agreement", "reached a record": not arrivals
    if v.objs & {"agreement", "deal", "record", "level", "high", "peak", "conclusion", "decision"}:
        return None
    return v.etype, v.conf, None


@_rule("jump", "climb")
def _jump(tok, v: _Verb) -> Sense | None:
    if v.objs & {"fence", "wall", "barrier", "wire"} or v.preps & {"over"}:
        return "crossing", 0.7, None
    if v.lemma == "jump" and v.preps & {"into", "across"} and {t.lower_ for t in tok.subtree} & {"river", "water", "waters"}:
        return "crossing", 0.65, None  # "jumped from the bridge into the river"
    if v.lemma == "climb" and (v.preps & {"aboard", "onto", "on"} or v.prts & {"aboard", "on"}):
        return "transport", 0.7, _vehicle(tok)
    return None


@_rule("storm")
def _storm(tok, v: _Verb) -> Sense | None:
    return "crossing", 0.65, None


@_rule("spend")
def _spend(tok, v: _Verb) -> Sense | None:
    return ("camp", 0.75, None) if v.objs & _TIME_OBJECTS else None


@_rule("stop")
def _stop(tok, v: _Verb) -> Sense | None:
    if v.xcomp_trigger or any(c.dep_ == "xcomp" for c in tok.children):
        return None  # "stopped walking" is a pause, told by the walking
    if _passive(tok) or v.objs & (_MOVER_WORDS | {"caravan", "them", "him", "her", "us"}):
        return "blocked", 0.75, None
    return ("port_status", 0.7, "suspended") if _argument_words(tok) & _CROSSING_WORDS else ("camp", 0.55, None)


@_rule("halt", "close", "shut", "reopen", "suspend", "seal", "open", "restrict", "limit")
def _close(tok, v: _Verb) -> Sense | None:
    words = _argument_words(tok)
    if words & _CROSSING_WORDS:
        if v.lemma in ("reopen",) or (v.lemma == "open" and "up" not in v.prts):
            detail = "reopened"
        elif v.lemma in ("suspend", "halt", "restrict", "limit") or words & {"rail", "railway", "railroad", "train", "trains", "freight"}:
            detail = "suspended"
        else:
            detail = "closed"
        return "port_status", 0.8, detail
    if v.lemma == "halt" and (words & _MOVER_WORDS or _passive(tok)):
        return "blocked", 0.7, None
    return None


@_rule("block", "barricade")
def _block(tok, v: _Verb) -> Sense | None:
    if _object_words(tok) & _CROSSING_WORDS or (_passive(tok) and _argument_words(tok) & _CROSSING_WORDS):
        return "port_status", 0.75, "blocked"  # "migrants blocked the bridge": the crossing's status
    return v.etype, v.conf, None


@_rule("line")
def _line(tok, v: _Verb) -> Sense | None:
    return ("blocked", 0.6, None) if _argument_words(tok) & _FORCE_WORDS else None


@_rule("turn")
def _turn(tok, v: _Verb) -> Sense | None:
    if v.prts & {"back", "away"}:
        return "blocked", 0.75, None
    if "in" in v.prts or "themselves" in v.objs:
        return "detention", 0.7, None
    return None


@_rule("break")
def _break(tok, v: _Verb) -> Sense | None:
    if "up" in v.prts:
        return "blocked", 0.7, None
    return ("crossing", 0.6, None) if "through" in v.prts | v.preps else None


@_rule("round")
def _round(tok, v: _Verb) -> Sense | None:
    return ("detention", 0.75, None) if "up" in v.prts else None


@_rule("catch", "fly", "rescue")
def _catch(tok, v: _Verb) -> Sense | None:
    if v.lemma == "fly":
        return ("detention", 0.6, None) if _passive(tok) or v.objs & _MOVER_WORDS else None
    return (v.etype, 0.6, None) if _passive(tok) or v.objs & _MOVER_WORDS else None


@_rule("take", "pile", "load", "drive", "ride", "hop", "board", "bus", "truck", "ferry", "hitch", "transport")
def _board(tok, v: _Verb) -> Sense | None:
    if v.lemma == "take" and any(c.dep_ == "prep" and any(g.lower_ == "custody" for g in c.children) for c in tok.children):
        return "detention", 0.8, None  # "taken into custody"
    vehicle = _vehicle(tok)
    if v.lemma in ("take", "pile", "load", "drive", "hop") and vehicle is None:
        return None
    return "transport", 0.75, vehicle


@_rule("fire", "throw", "hurl", "pelt")
def _throw(tok, v: _Verb) -> Sense | None:
    return ("violence", 0.75, None) if v.objs & _VIOLENT_OBJECTS or v.lemma == "pelt" else None


@_rule("hit", "charge")
def _hit(tok, v: _Verb) -> Sense | None:
    return ("violence", 0.6, None) if v.objs & (_MOVER_WORDS | _FORCE_WORDS) else None


@_rule("find")
def _find(tok, v: _Verb) -> Sense | None:
    words = {t.lower_ for t in tok.subtree}
    return ("death", 0.75, None) if words & {"dead", "body", "bodies", "remains", "corpse", "corpses"} else None


@_rule("send", "station", "deploy", "dispatch", "reinforce")
def _deploy(tok, v: _Verb) -> Sense | None:
    if v.lemma == "deploy" or v.objs & _FORCE_WORDS or _argument_words(tok) & _FORCE_WORDS:
        return "policy", 0.65, None
    return None


@_rule("give", "grant", "issue", "offer", "hand", "process")
def _grant(tok, v: _Verb) -> Sense | None:
    return ("policy", 0.6, None) if _argument_words(tok) & _PERMIT_WORDS else None


@_rule("install", "erect", "build")
def _install(tok, v: _Verb) -> Sense | None:
    built = {"checkpoint", "checkpoints", "wall", "barrier", "fence", "camp", "shelter", "wire", "containers"}
    return ("policy", 0.55, None) if _argument_words(tok) & built else None


@_rule("host")
def _host(tok, v: _Verb) -> Sense | None:
    return ("other", 0.55, None) if v.objs & {"leaders", "summit", "meeting", "talks", "conference", "delegation"} else None


@_rule("hold")
def _hold(tok, v: _Verb) -> Sense | None:
    return ("other", 0.55, None) if v.objs & _GATHERING else None


@_rule("announce", "sign", "order", "approve", "declare", "impose")
def _announce(tok, v: _Verb) -> Sense | None:
    return v.etype, 0.5, None


@_rule("rush", "burst", "surge", "stream", "pour")
def _rush(tok, v: _Verb) -> Sense | None:
    # "rushed across the bridge", "burst through the fence", "streamed into Mexico"
    if v.preps & {"across", "through", "into", "past", "over"} or v.objs & {"bridge", "border", "gate", "fence", "checkpoint"}:
        return "crossing", 0.7, None
    return None


@_rule("tear")
def _tear(tok, v: _Verb) -> Sense | None:
    if "down" in v.prts and v.objs & {"fence", "fences", "gate", "gates", "barrier", "barriers", "wall"}:
        return "crossing", 0.65, None
    return None


@_rule("unleash")
def _unleash(tok, v: _Verb) -> Sense | None:
    return ("violence", 0.7, None) if v.objs & (_VIOLENT_OBJECTS | {"spray"}) else None


@_rule("sit", "stand")
def _sit(tok, v: _Verb) -> Sense | None:
    if (tok.dep_ not in ("pcomp", "acl", "amod") and _subject_words(tok) & _MOVER_WORDS
            and v.preps & {"on", "in", "at", "outside", "near", "along"}):
        return "camp", 0.5, None
    return None


@_rule(*_WEAK_CAMP)
def _wait(tok, v: _Verb) -> Sense | None:
    # "waited in X" of the migrants; not "police waiting for the marchers", "the frustration of waiting"
    if tok.dep_ in ("pcomp", "acl", "amod") or not _subject_words(tok) & _MOVER_WORDS:
        return None
    return v.etype, 0.55, None


@_rule("gather", "assemble", "congregate", "regroup")
def _gather(tok, v: _Verb) -> Sense | None:
    return v.etype, 0.6, None


@_rule("visit", "meet")
def _meet(tok, v: _Verb) -> Sense | None:
    return v.etype, 0.5, None


def _vehicle(tok) -> str | None:
    for t in tok.subtree:
        v = _VEHICLES.get(t.lower_)
        if v:
            return v
    return None


# ---------------------------------------------------------------- structure helpers


def _is_predicate(tok) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.dep_ in _CLAUSE_DEPS or tok.dep_ == "ROOT"


def _governor(tok, triggers: set[int]):
    """The predicate a token belongs to: the first ancestor that is an event predicate or
    heads a clause."""
    for anc in tok.ancestors:
        if anc.i in triggers or _is_predicate(anc):
            return anc
    return tok.sent.root if tok.sent is not None else None


def _top_child(tok, pred):
    """The child of ``pred`` on the way down to ``tok`` (``tok`` itself when a child)."""
    cur = tok
    while cur.head.i != pred.i and cur.head.i != cur.i:
        cur = cur.head
    return cur if cur.head.i == pred.i else None


def _role(tok, pred) -> str | None:
    """The role of a place token among ``pred``'s arguments: origin, destination, position,
    object, subject, or None when it is not one of its arguments."""
    top = _top_child(tok, pred)
    if top is None:
        return None
    if top.dep_ in ("nsubj", "nsubjpass"):
        # "migrants from Honduras": a place under the subject says who, not where; "police in
        # the state of Chiapas rounded up ...": a position under the subject says where it happened.
        preps = [a for a in tok.ancestors if a.dep_ == "prep" and a.lower_ != "of" and _inside(a, top)]
        if any(a.lower_ in _ORIGIN_PREPS for a in preps):
            return None
        return "position" if preps and preps[0].lower_ in ("in", "at", "near", "outside") else "subject"
    # The nearest telling preposition decides: "a journey from X towards Y" (but "the town
    # of X" says nothing: look further up).
    cur = tok
    while cur.i != top.i:
        cur = cur.head
        if cur.lower_ in ("direction", "directions") and cur.dep_ == "pobj":
            return "destination"  # "moving in the direction of X"
        if cur.dep_ == "prep" and cur.lower_ != "of":
            word = cur.lower_
            if word in _ORIGIN_PREPS:
                return "origin"
            if word in _DEST_PREPS:
                return "destination"
            if cur.i != top.i:
                return "position"
    dep = top.dep_
    if dep == "prep" or dep == "agent":
        word = top.lower_
        if word in _ORIGIN_PREPS:
            return "origin"
        if word in _DEST_PREPS:
            return "destination"
        return "position"
    if dep in ("dobj", "obj", "attr", "oprd", "dative"):
        return "object"
    if dep in ("npadvmod", "advmod", "pobj", "appos", "nmod", "poss"):
        return "position"
    if dep == "compound":
        return "modifier"  # "the US border", "US arrive" (a misparse): a modifier, not where it happened
    return None


def _tense(pred) -> str:
    """past | present | perfect | future for a predicate token."""
    head = pred
    if pred.pos_ == "NOUN":
        head = next((a for a in pred.ancestors if a.pos_ in ("VERB", "AUX")), pred)
    auxes = [c for c in head.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & {"will", "shall", "'ll"} or any(a.lemma_ == "go" and a.tag_ == "VBG" for a in head.ancestors if a.dep_ != "ROOT"):
        return "future"
    if words & {"has", "have", "'ve", "'s"} and head.tag_ == "VBN":
        return "perfect"
    if words & {"had"}:
        return "past"
    if words & {"is", "are", "am", "'re", "'m"} or head.tag_ in ("VBZ", "VBP"):
        return "present"
    if words & {"was", "were", "did"} or head.tag_ == "VBD":
        return "past"
    if head.dep_ in ("xcomp", "conj", "advcl") and head.head.i != head.i:
        return _tense(head.head)
    return "past" if head.tag_ == "VBN" else "present" if head.tag_ == "VBG" else "past"


_STORY_SUBJECTS = frozenset("caravan caravans group contingent column they exodus march marchers".split())


def _progressive(pred) -> bool:
    head = pred if pred.pos_ != "NOUN" else next((a for a in pred.ancestors if a.pos_ in ("VERB", "AUX")), pred)
    if head.dep_ == "xcomp" and head.head.lemma_.lower() in ("continue", "keep") and head.head.tag_ in ("VBZ", "VBP", "VBG"):
        return True  # "migrants continue to arrive": under way now
    return head.tag_ == "VBG" and any(c.dep_ == "aux" and c.lower_ in ("is", "are", "'re", "am") for c in head.children)


def _status(pred, future_date: bool) -> str:
    chain = [pred] + [a for a in pred.ancestors][:4]
    for t in chain:
        marks = {c.lower_ for c in t.children if c.dep_ in ("mark", "advmod")}
        if marks & _HYPO_MARKS:
            return "hypothetical"
        modals = {c.lower_ for c in t.children if c.dep_ == "aux" and c.tag_ == "MD"}
        if modals & _HYPO_MODALS and not any(c.lower_ == "have" for c in t.children if c.dep_ == "aux"):
            return "hypothetical"
        if t is not pred and t.lemma_.lower() in _PLAN_VERBS and pred.dep_ in ("xcomp", "ccomp") :
            return "planned"
        if t.dep_ not in ("xcomp", "conj"):
            break
    if _tense(pred) == "future" or future_date:
        return "planned"
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in pred.children) and pred.head.i != pred.i:
        # "to leave": an intention or a possibility unless it is the aspect of a telling verb
        # ("began to walk", "managed to cross", "continued to advance")
        head = pred.head.lemma_.lower()
        if head in _PLAN_VERBS:
            return "planned"
        if head not in _ASPECT_VERBS or any(c.dep_ in ("dobj", "obj") for c in pred.head.children):
            # ("start the process to enter": the infinitive hangs on an object, an aim)
            return "intention"  # "their bid to reach the US", "impatient to get to the border": not an event
    if any(c.lower_ in ("set", "scheduled", "due", "expected", "slated", "poised", "about")
           for c in pred.head.children if pred.dep_ == "xcomp") or (
        pred.dep_ == "xcomp" and pred.head.lower_ in ("set", "scheduled", "due", "expected", "slated", "poised")
    ):
        return "planned"
    return "reported"


def _negated(pred) -> bool:
    if any(c.dep_ == "neg" for c in pred.children):
        return True
    return pred.dep_ == "xcomp" and any(c.dep_ == "neg" for c in pred.head.children)



_LEMMAS = _lemma_table()


# ---------------------------------------------------------------- extraction


@dataclass(slots=True)
class _When:
    start: dt.date
    end: dt.date
    precision: str
    text: str | None
    reason: str
    conf: float
    future: bool = False


_DIRECT_PRECISION = {"day": "day", "weekend": "day", "week": "week", "month": "month", "quarter": "month",
                     "half": "month", "season": "month", "year": "year", "fiscal_year": "year", "decade": "year"}


def _when_of(expr, why: str, conf: float = 1.0) -> _When | None:
    if not expr.resolved or expr.kind == "duration":
        return None
    if (expr.date_end - expr.date_start).days > 400:
        return None  # "since 2018", "the past decade": a stretch, not the time of one event
    if expr.kind == "interval" and (expr.date_end - expr.date_start).days > 35:
        return None  # "in recent months", "over the past year": background, not one event's time
    precision = _DIRECT_PRECISION.get(expr.precision, "month")
    if expr.kind == "interval" and precision == "day" and (expr.date_end - expr.date_start).days > 1:
        precision = "week" if (expr.date_end - expr.date_start).days <= 7 else "month"
    return _When(expr.date_start, expr.date_end, precision, expr.text, f"{why}: {expr.reason}", conf, expr.future)


def _narrative_shift(m: re.Match[str], base: _When) -> _When:
    if m.group("next"):
        days = 1
    elif m.group("prev"):
        days = -1
    elif m.group("n"):
        n = _NUM.get(m.group("n").lower()) or int(m.group("n"))
        days = n if m.group("dir").lower() in ("later", "after") else -n
    else:
        days = 0
    if base.precision != "day":
        return _When(base.start, base.end, base.precision, m.group(0), f"'{m.group(0)}' after an event of {base.start:%Y-%m}", 0.6)
    d = base.start + dt.timedelta(days=days)
    return _When(d, d, "day", m.group(0), f"'{m.group(0)}' counted from the previous event ({base.start})", 0.85)


class _Article:
    """What one article's sentences share while they are read in order."""

    def __init__(self, article_id, text, toponyms, dates, published):
        self.article_id = article_id
        self.text = text
        self.published = published
        self.toponyms = [t for t in toponyms if t.lat is not None and t.lon is not None and t.kind not in ("demonym",)]
        self.dates = [d for d in dates if d.kind != "duration"]
        self.narrative: _When | None = None  # the time of the last event told with its own date
        self.paragraph_place: Toponym | None = None
        self.story_place: Toponym | None = None  # where the story's last placed event happened
        self.dateline_place: Toponym | None = None
        # the town, crossing or river the article names most (twice at least): where its story is
        towns = [t for t in self.toponyms if t.kind in _TOWN_KINDS + ("river",)]
        keys = [(t.geonameid, t.feature_id) for t in towns]
        ranked = sorted(towns, key=lambda t: (-keys.count((t.geonameid, t.feature_id)), t.start))
        self.focus_place: Toponym | None = ranked[0] if ranked and keys.count((ranked[0].geonameid, ranked[0].feature_id)) >= 2 else None


def extract_events(
    article_id: str,
    text: str,
    toponyms: Sequence[Toponym],
    dates: Sequence,
    sentences: Sequence[tuple[int, int]],
    published: dt.date | None = None,
    parse: Callable[[Sequence[str]], list] | None = None,
) -> list[EventMention]:
    """Every dated, located event the article reports, one per predicate, in text order.

    ``dates`` are :class:`geo.text.dates.TimeExpression` objects for the same text; ``parse``
    turns sentence texts into parsed spaCy docs (default :func:`geo.text.syntax.parse_sentences`).
    """
    if parse is None:
        from geo.text.syntax import parse_sentences

        def parse(texts):  # noqa: E306 - the default parser with this module's lemmas
            return parse_sentences(texts, _LEMMAS)
    lines = page_lines(text)
    art = _Article(article_id, text, toponyms, dates, published)
    dl = dateline(text, lines)
    if dl is not None:
        art.dateline_place = max(
            (t for t in art.toponyms if dl[0] <= t.start < dl[1]),
            key=lambda t: -_SPECIFICITY.get(t.kind, 3), default=None,
        ) or _dateline_town(text, dl[0], dl[1])
    spans = event_sentences(text, sentences, lines)
    if dl is not None:
        # the dateline is not part of the first sentence's grammar
        spans = [(dl[2], b, label) if a <= dl[0] < b and dl[2] < b else (a, b, label) for a, b, label in spans]
    # Parse only what can yield an event or the story's time: a sentence with an event word
    # and a place or a date of its own, or one whose event could take its place from the
    # paragraph, the story or the dateline (a town named before it, or a dateline).
    starts = sorted([t.start for t in art.toponyms] + [d.start for d in art.dates])
    towns = sorted(t.start for t in art.toponyms if t.kind in _TOWN_KINDS)
    wanted = [
        (a, b, label) for a, b, label in spans
        if label in EVENT_LABELS and _may_report_event(text, a, b)
        and (_any_between(starts, a, b) or dl is not None or (towns and towns[0] < a) and _may_report_event(text, a, b, _CARRIED_FORMS))
    ]
    docs = iter(parse([text[a:b] for a, b, _ in wanted]))
    body_paragraphs = [ln for ln in lines if ln.label == "body"]
    if dl is not None:  # the lede starts at the dateline (site notices may come before it)
        body_paragraphs = [ln for ln in body_paragraphs if ln.end > dl[0]]
    lede_end = body_paragraphs[min(1, len(body_paragraphs) - 1)].end if body_paragraphs else 0
    events: list[EventMention] = []
    current_line = None
    wanted_iter = iter(wanted)
    nxt = next(wanted_iter, None)
    for a, b, label in spans:
        line = next((ln for ln in lines if ln.start <= a < ln.end), None)
        if line is not current_line:
            current_line = line
            art.paragraph_place = None  # a new paragraph starts a new scene
        if nxt is None or (a, b) != (nxt[0], nxt[1]):
            if label == "body":
                _note_places(art, a, b)
            continue
        nxt = next(wanted_iter, None)
        doc = next(docs)
        found = _sentence_events(art, doc, a, b, label, line, in_lede=a < lede_end)
        events.extend(found)
        if label == "body":
            _note_places(art, a, b, found)
    return events


def _dateline_town(text: str, start: int, end: int) -> Toponym | None:
    """The dateline's town looked up in the gazetteer when recognition did not find it
    ("BAJO CHIQUITO, Panama (AP) —", "Agua Caliente, Honduras, Jan 15 (EFE).-"): a dateline
    states where the story was written, so a town of that name in that country is the place."""
    from geo.gazetteer.index import load_gazetteer

    parts = [p.strip() for p in text[start:end].split(",")]
    name = parts[0].title() if parts[0].isupper() else parts[0]
    country = parts[1] if len(parts) > 1 else None
    gaz = load_gazetteer()
    try:
        cands = [c for c in gaz.lookup(name) if c.kind in ("city", "crossing", "facility")]
        codes = {c.country_code for c in gaz.lookup(country) if c.kind == "country"} if country else set()
    except Exception:  # noqa: BLE001 - a broken gazetteer must not stop the event stage
        return None
    if codes:
        # a border post may sit on the other side of the line from the country the dateline names
        cands = [c for c in cands if c.country_code in codes or c.kind == "crossing"]
    if not cands:
        return None
    c = max(cands, key=lambda c: (c.feature_id is not None, c.population))
    return Toponym(start=start, end=start + len(parts[0]), name=text[start:start + len(parts[0])], lat=c.lat, lon=c.lon,
                   kind=c.kind, geonameid=c.geonameid, country_code=c.country_code, confidence=0.7, admin1=c.admin1,
                   feature_id=c.feature_id, reason="the dateline's town, looked up in the gazetteer")


def _note_places(art: _Article, a: int, b: int, found: Sequence[EventMention] = ()) -> None:
    placed = [e.place for e in found if e.place is not None and e.place.kind in _TOWN_KINDS]
    here = [t for t in art.toponyms if a <= t.start < b and t.kind in _TOWN_KINDS]
    if placed or here:
        art.paragraph_place = (placed or here)[-1]
    if placed:
        art.story_place = placed[-1]


@dataclass(slots=True)
class _Sentence:
    """One parsed sentence and what the event rules read around it."""

    doc: Any
    a: int  # the sentence's span in the article
    b: int
    label: str  # its furniture label (body, caption, ...)
    in_lede: bool
    paragraph: str
    triggers: set[int]  # token indices of the event predicates
    date_tokens: list
    topo_tokens: list
    caption_when: "_When | None"
    about_caravan: bool


def _sentence_events(art: _Article, doc, a: int, b: int, label: str, line: Line | None, in_lede: bool) -> list[EventMention]:
    date_spans = [d for d in art.dates if a <= d.start < b]
    topo_spans = [t for t in art.toponyms if a <= t.start and t.end <= b]
    senses = _senses(doc, _tokens_inside(doc, a, (*date_spans, *topo_spans)))
    if not senses:
        return []
    sentence = art.text[a:b]
    s = _Sentence(doc, a, b, label, in_lede, art.text[line.start:line.end] if line is not None else sentence, set(senses),
                  _rooted(doc, a, date_spans), _rooted(doc, a, topo_spans), _caption_time(art, label, line),
                  bool(_CARAVAN_NOUN.search(sentence)))
    out: list[EventMention] = []
    # Predicates with a date of their own first: the others may count from it ("covered
    # 15 km after setting off on December 24").
    order = sorted(senses, key=lambda i: (not _has_own_date(doc[i], s.triggers, s.date_tokens), i))
    for i in order:
        out += _predicate_events(art, s, doc[i], senses[i])
    out.sort(key=lambda e: (e.start, e.event_type))
    return _drop_nested(out)


def _tokens_inside(doc, a: int, spans) -> set[int]:
    """Indices of the tokens inside dates and toponyms (they are not predicates)."""
    return {tok.i for obj in spans for tok in doc if obj.start <= a + tok.idx < obj.end}


def _senses(doc, masked: set[int]) -> dict[int, Sense]:
    senses = {}
    for tok in doc:
        if tok.i in masked or _negated(tok):
            continue
        sense = _sense(tok)
        if sense is not None:
            senses[tok.i] = sense
    return senses


def _rooted(doc, a: int, spans) -> list:
    """(span, its root token) for the spans the parse has a root for."""
    pairs = [(x, _span_root(doc, x.start - a, x.end - a)) for x in spans]
    return [(x, tok) for x, tok in pairs if tok is not None]


def _caption_time(art: _Article, label: str, line: Line | None) -> "_When | None":
    """A photo caption is dated by its own date, else by the publication date."""
    if label != "caption" or line is None:
        return None
    own = [d for d in art.dates if line.start <= d.start < line.end]
    when = next((w for d in own if (w := _when_of(d, "the caption's own date")) is not None
                 and w.precision != "year"), None)  # ("this year's caravan ... on Wednesday")
    if when is None and art.published is not None:
        when = _When(art.published, art.published, "day", None, "photo caption without a date: the publication date", 0.6)
    return when


def _predicate_events(art: _Article, s: _Sentence, pred, sense: Sense) -> list[EventMention]:
    """The events one predicate reports: none, one, or one per coordinated place."""
    etype, rule_conf, detail = sense
    text, a, b = art.text, s.a, s.b
    about = s.about_caravan or (etype in ("departure", "march", "arrival", "camp", "crossing", "blocked")
                                and bool(_MOVERS.search(s.paragraph)))
    when = s.caption_when or _time_for(art, pred, s.triggers, s.date_tokens, s.doc, a, about, etype)
    if when is None or when.precision == "year":
        return []  # no time, or only a year: background, not an event to draw on a day
    status = _status(pred, when.future and when.start > (art.published or when.start))
    if status == "intention":
        return []
    aim = status == "planned" and not when.future and "attached" not in when.reason
    # ("still aiming to reach the United States": a goal with no time of its own, not a dated plan)
    same_scene = art.narrative is not None and (when.start, when.end) == (art.narrative.start, art.narrative.end)
    if (status == "reported" and not aim and s.label == "body" and when.conf >= 0.85 and when.precision in ("day", "week")
            and not (art.published is not None and when.start > art.published) and etype not in _OFF_SCENE_TYPES):
        art.narrative = when  # the story's time now, placed or not: later sentences may count from it
    place, places, destinations, place_reason, place_conf = _place_for(
        art, pred, etype, s.triggers, s.topo_tokens, s.in_lede, same_scene)
    clause = _clause_span(pred, s.triggers)
    distance = _distance_km(text[a + clause[0]:a + clause[1]]) if etype == "march" else None
    if distance is not None and place_reason:
        # "covered 15 km": progress from where the caravan was, drawn by the route, not a point
        place, place_reason, place_conf = None, "; progress from the previous position", 0.5
    elif aim and place is not None:
        destinations = tuple(dict.fromkeys((*destinations, place)))
        place, place_reason, place_conf = None, "; an aim, not a dated plan: a destination", 0.5
        if etype not in ("departure", "march", "arrival", "crossing"):
            return []
    elif place is None or place_reason and status != "reported":
        if not (destinations and etype in ("departure", "march", "arrival", "crossing")):
            return []  # a planned or hypothetical event needs a place of its own
        # "aims to make the trek to the US border": no point to draw, but where it is heading
        place, place_reason, place_conf = None, "; no place of its own, only a destination", 0.5
    if status == "reported" and art.published is not None and when.start > art.published:
        status = "planned"
    c_start, c_end = a + clause[0], a + clause[1]
    counts = find_people_counts(text, c_start, c_end) or find_people_counts(text, a, b)
    place_factor = place_conf * (0.5 if place is None or place.kind in ("country", "region", "continent") else 1.0)
    confidence = round(rule_conf * (0.5 + 0.5 * place_factor) * (0.6 + 0.4 * when.conf), 4)
    # "stayed near Tijuana and Mexicali": one event at each coordinated place
    also = _coordinated(place, s.topo_tokens) if place is not None and not place_reason else []
    return [_mention(art, etype, c_start, c_end, a, b, text[a:b], when, where, places, counts, status,
                     confidence, about, destinations, distance, pred, place_reason, detail)
            for where in [place, *also]]


def _coordinated(place: Toponym, topo_tokens) -> list[Toponym]:
    tok_of = {id(t): tok for t, tok in topo_tokens}
    root = tok_of.get(id(place))
    if root is None:
        return []
    linked = {c.i for c in root.conjuncts}
    return [t for t, tok in topo_tokens if tok.i in linked and t.kind == place.kind and t is not place]


def _mention(art, etype, c_start, c_end, a, b, sentence, when, place, places, counts, status, confidence, about,
             destinations, distance, pred, place_reason, detail) -> EventMention:
    return EventMention(
        article_id=art.article_id,
        event_type=etype,
        start=c_start,
        end=c_end,
        sentence_start=a,
        sentence_end=b,
        sentence=sentence,
        date_start=when.start,
        date_end=when.end,
        date_precision=when.precision,
        date_text=when.text,
        date_reason=when.reason,
        place=place,
        places=places,
        people=counts[0] if counts else None,
        status=status,
        confidence=confidence,
        about_caravan=about,
        destinations=destinations,
        distance_km=distance,
        reason=f"'{pred.text}' ({pred.lemma_}) -> {etype}{place_reason}",
        detail=detail,
    )


def _has_own_date(pred, triggers: set[int], date_tokens) -> bool:
    return any((g := _governor(tok, triggers)) is not None and g.i == pred.i for _, tok in date_tokens)


def _drop_nested(events: list[EventMention]) -> list[EventMention]:
    """Two predicates of one type at one place and time in one sentence ("walked and
    walked") are one event."""
    seen: set[tuple] = set()
    out = []
    for e in events:
        key = (e.event_type, e.place.start if e.place else None, e.date_start, e.date_end)
        if key in seen:
            continue
        seen.add(key)
        out.append(e)
    return out


def _span_root(doc, start: int, end: int):
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _clause_span(pred, triggers: set[int]) -> tuple[int, int]:
    """Character span of the predicate's own clause: its subtree without nested clauses
    that have a predicate of their own."""
    keep = []
    stack = [pred]
    while stack:
        t = stack.pop()
        keep.append(t)
        for c in t.children:
            if c.dep_ in ("relcl", "advcl", "ccomp", "parataxis", "conj") and (c.pos_ in ("VERB", "AUX") or c.i in triggers):
                continue
            stack.append(c)
    lo = min(t.idx for t in keep)
    hi = max(t.idx + len(t.text) for t in keep)
    return lo, hi


def _place_for(art: _Article, pred, etype: str, triggers: set[int], topo_tokens, in_lede: bool, same_scene: bool = False):
    """(place, the clause's places, destinations, reason, confidence factor)."""
    args: list[tuple[Toponym, str]] = []
    for topo, tok in topo_tokens:
        gov = _governor(tok, triggers)
        if gov is None:
            continue
        role = None
        if gov.i == pred.i:
            role = _role(tok, pred)
        elif pred.dep_ == "xcomp" and gov.i == pred.head.i and gov.i not in triggers:
            role = _role(tok, gov)  # "began walking from X": the place hangs on "began"
        elif gov.dep_ in ("acl", "relcl") and gov.head is not None and _inside(gov.head, pred):
            role = None
        if role is not None:
            args.append((topo, role))
    places = tuple(t for t, _ in args)
    destinations = tuple(t for t, r in args if r == "destination")
    prefer = {
        "departure": ("origin", "object", "position"),
        "arrival": ("destination", "object", "position"),
        "march": ("position", "object", "destination"),
        "crossing": ("object", "position", "destination", "origin"),
        "port_status": ("subject", "object", "position"),
    }.get(etype, ("position", "object"))
    if etype == "march" and pred.lemma_.lower() in ("head", "continue", "move", "make", "press", "push", "proceed"):
        # "heading towards Esquipulas": the town it is making for, when a town is named;
        # never a country or "the US border" far away
        prefer = ("position", "object", "destination")
        args = [(t, r) for t, r in args if r != "destination" or t.kind in _TOWN_KINDS]
    if etype in ("detention", "death", "violence", "camp", "blocked", "transport", "policy", "other"):
        prefer = prefer + (("destination",) if etype in ("transport", "policy", "detention") else ())
    best = _most_specific([(t, r) for t, r in args if r in prefer], prefer)
    if best is not None and best.kind in _COARSE_KINDS:
        # "stranded on the border" / "left for Mexico" in a story told at a town: the town, when
        # it lies in that country or state, or on that border
        near = [t for t, tok in topo_tokens if t.kind in _TOWN_KINDS and _within(t, best) and not _origin_of_people(tok)]
        near += [t for t in (art.paragraph_place, art.story_place, art.dateline_place) if t is not None and _within(t, best)]
        if not near and best.kind in ("border", "highway", "river"):
            # the border town (or crossing, or border river) the article names anywhere, most named first
            towns = [t for t in art.toponyms if t.kind in _TOWN_KINDS + ("river",) and _within(t, best)]
            names = [t.name for t in towns]
            near = sorted(towns, key=lambda t: (-names.count(t.name), t.start))[:1]
        if near:
            t = near[0]
            return t, places, destinations, f"; '{best.name}' narrowed to '{t.name}', named in the story", t.confidence * 0.8
    if best is not None:
        return best, places, destinations, "", best.confidence
    # A place fronted in the same sentence ("In Tapachula, migrants ..."), not the argument
    # of another event and not where the people come from.
    loose = []
    for topo, tok in topo_tokens:
        gov = _governor(tok, triggers)
        if gov is None or gov.i in triggers and gov.i != pred.i:
            continue
        top = _top_child(tok, gov)
        if top is not None and top.dep_ == "prep" and top.lower_ in _POSITION_PREPS and topo.kind in _TOWN_KINDS:
            loose.append(topo)
    if loose:
        t = min(loose, key=lambda t: (_SPECIFICITY.get(t.kind, 3), abs(t.start - pred.idx)))
        return t, places, destinations, f"; place '{t.name}' from the same sentence", t.confidence * 0.8
    if etype not in ("policy", "port_status", "other") and art.paragraph_place is not None:
        t = art.paragraph_place
        return t, places, destinations, f"; place '{t.name}' from earlier in the paragraph", t.confidence * 0.7
    if art.story_place is not None and (etype in ("march", "camp") or same_scene and etype not in ("policy", "other")):
        t = art.story_place
        return t, places, destinations, f"; place '{t.name}' where the story's last event was", t.confidence * 0.6
    if in_lede and art.dateline_place is not None and art.dateline_place.kind in _TOWN_KINDS:
        t = art.dateline_place
        return t, places, destinations, f"; place '{t.name}' from the dateline", t.confidence * 0.7
    if in_lede and art.focus_place is not None and etype not in ("policy", "other", "port_status"):
        t = art.focus_place
        return t, places, destinations, f"; place '{t.name}', the town the article names most", t.confidence * 0.6
    # Only a country named for it ("crossed into Mexico"): kept, drawn as a country-level event.
    countries = [(t, r) for t, r in args if r in ("object", "position") or r == "destination" and etype == "arrival"]
    if countries:
        t = countries[0][0]
        return t, places, destinations, "", t.confidence
    return None, places, destinations, "", 0.0


_COARSE_KINDS = ("country", "admin1", "border", "highway", "river")
#: Event types told from another scene (a capital's announcement, an agency's plan): their
#: date does not become the time of the caravan's story.
_OFF_SCENE_TYPES = ("policy", "other")
#: How far from a border line a town may be and still be "at the border".
BORDER_TOWN_KM = 40.0
#: How far from a river a town may be and still be where people crossed it ("forded the Rio
#: Grande" in a story told at Eagle Pass): a river is hundreds of km long, its point is one of many.
RIVER_TOWN_KM = 10.0


def _within(town: Toponym, coarse: Toponym) -> bool:
    if coarse.kind == "country":
        return town.country_code is not None and town.country_code == coarse.country_code
    if coarse.kind == "admin1":
        return town.admin1 is not None and town.admin1 == coarse.admin1
    if coarse.kind in ("border", "highway") and coarse.feature_id and town.feature_id != coarse.feature_id:
        return _km_to_feature(town, coarse.feature_id) <= BORDER_TOWN_KM
    if coarse.kind == "river" and coarse.feature_id and town.kind != "river":
        return _km_to_feature(town, coarse.feature_id) <= RIVER_TOWN_KM
    return False


def _km_to_feature(t: Toponym, feature_id: str) -> float:
    from shapely.geometry import Point

    from geo.gazetteer.index import load_gazetteer

    geom = load_gazetteer().geometry(feature_id)
    if geom is None or t.lat is None:
        return float("inf")
    return geom.distance(Point(t.lon, t.lat)) * 111.0  # degrees to km, near enough at these latitudes


def _origin_of_people(tok) -> bool:
    """"under pressure from Washington", "migrants from Honduras": a place people or pressure come from."""
    return any(a.dep_ == "prep" and a.lower_ in _ORIGIN_PREPS for a in list(tok.ancestors)[:3])


def _inside(tok, pred) -> bool:
    return tok.i == pred.i or any(a.i == pred.i for a in tok.ancestors)


def _most_specific(cands: list[tuple[Toponym, str]], prefer: tuple[str, ...]) -> Toponym | None:
    if not cands:
        return None
    return min(cands, key=lambda tr: (_SPECIFICITY.get(tr[0].kind, 3) >= 4, _SPECIFICITY.get(tr[0].kind, 3),
                                      prefer.index(tr[1]), tr[0].start))[0]


def _time_for(art: _Article, pred, triggers: set[int], date_tokens, doc, offset: int, about: bool, etype: str) -> _When | None:
    # 1. a time expression attached to the predicate itself
    own, via_head, root_level = [], [], []
    chain = _clause_chain(pred)
    for expr, tok in date_tokens:
        gov = _governor(tok, triggers)
        if gov is None:
            continue
        if gov.i == pred.i:
            top = _top_child(tok, pred)
            if top is None or top.dep_ in _TIME_DEPS:
                own.append(expr)  # (a date inside the subject or object -- "the largest since 2018" -- is not its time)
        elif gov.dep_ == "conj" and gov.head.i == pred.i or pred.dep_ == "conj" and gov.head.i == pred.head.i and gov.dep_ == "conj":
            via_head.append(expr)  # "broke through X and forced their way into Y on Friday": one time for both
        elif any(gov.i == c.i for c in chain):
            via_head.append(expr)  # "left on Monday and crossed ...", "said on Monday that ...", "began walking on Monday"
        elif gov.dep_ == "ROOT" and gov.i not in triggers and _main_chain(pred):
            root_level.append(expr)
        elif _trailing_adjunct(tok) and _main_chain(pred):
            root_level.append(expr)  # "..., Jan. 27." hung by the parser on the last noun
    for clause in [pred, *chain]:
        if clause.dep_ in ("relcl", "advcl", "acl"):
            # "June 2022, when a group set off": the clause hangs on the date itself
            for expr, _tok in date_tokens:
                if expr.start - offset <= clause.head.idx < expr.end - offset:
                    via_head.insert(0, expr)
    for group, why, conf in ((own, "attached to the predicate", 1.0), (via_head, "attached to its governing verb", 0.9),
                             (root_level, "attached to the sentence's main verb", 0.8)):
        for expr in group:
            when = _when_of(expr, why, conf)
            if when is not None:
                return when
    # 2. a time told relative to the narrative ("the next day", "two days later")
    sent_text = doc.text
    m = _NARRATIVE_REL.search(sent_text)
    if m and art.narrative is not None:
        return _narrative_shift(m, art.narrative)
    tense = _tense(pred)
    # 3. present tense: as of publication -- for what is under way ("is making its way",
    # "are camped"), what the story's own group has done, and a crossing's status ("officials
    # suspend rail traffic", "the bridge is closed": the state it is in when the article
    # appears); a plain present or perfect of people in general ("migrants cross", "have
    # reached the border") is a habit or a tally.
    if tense in ("present", "perfect") and art.published is not None:
        ongoing = _progressive(pred) or (tense == "present" and _passive(pred))
        if ongoing or etype == "port_status" or _subject_words(pred) & _STORY_SUBJECTS:
            p = art.published
            return _When(p, p, "day", None, f"{tense} tense: as of the published date", 0.6)
        return None
    # 4. past tense: the narrative time of the story so far
    if tense == "past" and art.narrative is not None:
        n = art.narrative
        return _When(n.start, n.end, n.precision, n.text, f"narrative time of the story ({n.text or n.start})", 0.65)
    # 5. past tense, nothing else to go by: the days before publication (a week, said so)
    if tense == "past" and art.published is not None and (about or etype in ("port_status", "blocked")):
        p = art.published
        return _When(p - dt.timedelta(days=7), p, "week", None, "past tense, no date stated: the week before publication", 0.4)
    return None


def _clause_chain(pred) -> list:
    """The predicates ``pred``'s time may come from: the verb it is coordinated with or
    complements ("left on Monday and crossed"), a reporting verb ("said on Monday that
    ..."), the clause a temporal "as"/"when" clause hangs on; up to three steps."""
    chain = []
    cur = pred
    for _ in range(3):
        head = cur.head
        if head.i == cur.i:
            break
        if cur.dep_ in ("conj", "xcomp") or cur.dep_ == "ccomp" and head.lemma_.lower() in _SAY_VERBS:
            chain.append(head)
        elif cur.dep_ in ("advcl", "relcl") and any(c.dep_ in ("mark", "advmod") and c.lower_ in ("as", "when", "while", "after", "before")
                                                    for c in cur.children):
            chain.append(head)
        else:
            break
        cur = head
    return chain


def _trailing_adjunct(tok) -> bool:
    """A date set off by a comma at the very end of the sentence ("... the Rio Grande, Jan. 27."):
    it dates the sentence, whatever noun the parser hung it on."""
    span = tok.subtree
    toks = list(span)
    first, last = toks[0], toks[-1]
    doc = tok.doc
    return (tok.dep_ in ("npadvmod", "appos", "nmod", "pobj", "dep") and first.i > 0 and doc[first.i - 1].text == ","
            and all(t.is_punct for t in doc[last.i + 1:]))


def _main_chain(pred) -> bool:
    """True when ``pred`` is the sentence's main verb or coordinated / complement to it."""
    if _verbless(pred):
        return True  # the parser read the sentence as one noun phrase: everything hangs on its root
    cur = pred
    while cur.dep_ != "ROOT":
        if cur.dep_ not in ("conj", "xcomp", "advcl", "ccomp"):
            return False
        cur = cur.head
    return True


def _verbless(tok) -> bool:
    """True when the parser found no verb at the sentence root ("On Saturday hundreds of
    migrants boarded buses" read as a noun phrase with "boarded" an adjective)."""
    root = tok.sent.root if tok.sent is not None else tok
    return root.pos_ in ("NOUN", "PROPN", "NUM")


_DISTANCE = re.compile(r"\b(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>km|kilometers|kilometres|miles|mi)\b", re.I)


def _distance_km(clause_text: str) -> float | None:
    m = _DISTANCE.search(clause_text)
    if not m:
        return None
    v = float(m.group("num"))
    return v * 1.609344 if m.group("unit").lower().startswith("mi") else v


# ---------------------------------------------------------------- caravan sizes

_SIZE_NOUNS = re.compile(r"\b(?:migrants?|people|persons|individuals|members|marchers|participants|travell?ers)\b", re.I)
_CARAVAN_ONLY = re.compile(r"\bcaravans?\b", re.I)


def caravan_size_statements(text: str, sentences: Sequence[tuple[int, int]]) -> list[PeopleCount]:
    """People counts that state the size of a caravan: in a sentence naming a caravan,
    counting people (not arrests or crossings), not per day."""
    found: list[PeopleCount] = []
    for a, b in sentences:
        if not _CARAVAN_ONLY.search(text, a, b):
            continue
        for count in find_people_counts(text, a, b):
            if count.rate is None and _SIZE_NOUNS.search(count.text):
                found.append(count)
                break
    return found
