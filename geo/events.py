"""Sentences -> dated, located events.

Pure functions from an article's text, its resolved toponyms and its resolved time
expressions to :class:`EventMention` records (one article at a time). Merging the same
event across articles, caravans and routes happen downstream in :mod:`geo.caravans`.

Each event is one clause: a sentence is cut at clause boundaries ("…, when …",
"… as President …") and at each further time expression, so "Sunday's caravan is the
largest since June 2022, when a similarly sized group set off as President Biden hosted
leaders in Los Angeles" yields a June 2022 departure and a June 2022 meeting in Los Angeles,
not a December 2023 meeting.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Sequence

from .model import Toponym

__all__ = [
    "EVENT_TYPES",
    "EventMention",
    "PeopleCount",
    "Clause",
    "extract_events",
    "find_people_counts",
    "classify_clause",
    "clause_status",
    "split_clauses",
]

EVENT_TYPES = (
    "caravan_departure",
    "march",
    "border_crossing",
    "crossing_closed",
    "rail_port_suspension",
    "apprehensions",
    "official_visit",
    "policy",
    "violence_protest",
    "other",
)

# Ordered: the first pattern that matches a clause decides its type. Specific before generic.
_TYPE_RULES: tuple[tuple[str, re.Pattern[str], float], ...] = tuple(
    (name, re.compile(rx, re.I), conf)
    for name, rx, conf in (
        (
            "rail_port_suspension",
            r"\b(?:suspend\w*|halt\w*|clos\w*|shut\w*|stop\w*)\b[^.;]{0,60}\b(?:rail\w*|trains?|freight|ports? of entry)\b"
            r"|\b(?:rail\w*|trains?|freight)\b[^.;]{0,40}\b(?:suspend\w*|halt\w*|closed|shut)\b",
            0.8,
        ),
        (
            "crossing_closed",
            r"\b(?:block\w*|clos\w*|shut\w*|seal\w*)\b[^.;]{0,60}\b(?:border crossings?|crossings?|bridges?|border|ports?)\b"
            r"|\b(?:border crossings?|crossings?|bridges?)\b[^.;]{0,40}\b(?:closed|blocked|shut|sealed)\b",
            0.8,
        ),
        (
            "march",  # a stated distance travelled is progress, even when the clause also says "setting off"
            r"\b(?:covered|walked|advanced|travell?ed|trekked|marched|made it)\b[^.;]{0,40}?\d+(?:\.\d+)?\s*(?:km|kilomet|mile)",
            0.7,
        ),
        (
            "caravan_departure",
            r"\b(?:set(?:ting)? (?:off|out)|depart\w*|embark\w*|commenc\w* (?:its|their) (?:journey|march|trek)"
            r"|beg[au]n (?:its|their) (?:journey|march|trek)|left (?:the city|the town|from|[A-Z]))",
            0.75,
        ),
        (
            "apprehensions",
            r"\b(?:arrests?|apprehensions?|apprehended|detain\w*|detentions?|deport\w*|encounters)\b"
            r"|\bidentified\b[^.;]{0,40}\bliving illegally\b",
            0.7,
        ),
        (
            "border_crossing",
            r"\bcross(?:ed|es|ing)?\b[^.;]{0,30}\b(?:into|the border|the river)\b|\billegal(?:ly)? cross\w*\b|\bcrossings\b",
            0.65,
        ),
        (
            "official_visit",
            r"\b(?:visit\w*|meet(?:s|ing)?|met with|summit|talks|hosted leaders|discussions)\b",
            0.65,
        ),
        (
            "violence_protest",
            r"\b(?:protest\w*|riot(?!\s+(?:shields?|gear|police))\w*|kill\w*|deaths?|murder\w*|attack\w*|violence|beatings?|clash\w*)\b",
            0.6,
        ),
        (
            "policy",
            r"\b(?:agree\w*|agreements?|programs?|programmes?|sanctions?|polic(?:y|ies)|legal status|permits?|permission|aid)\b",
            0.55,
        ),
        (
            "march",
            r"\b(?:march(?:ed|ing|es)?\b|walk\w*|trek\w*|making (?:its|their) way|head(?:ing|ed|s)?\b[^.;]{0,20}\b(?:north\w*|toward\w*|for)"
            r"|mov(?:e|ing) (?:forward|north\w*)|pressed forward|covered)\b",
            0.6,
        ),
    )
)

_CARAVAN_WORDS = re.compile(r"\b(?:caravans?|march(?:ers)?|group|exodus|migrants|trek)\b", re.I)
_FUTURE = re.compile(
    r"\b(?:will|shall|is (?:scheduled|set|expected|due) to|are (?:scheduled|set|expected|due) to|scheduled|plans? to|planned|"
    r"intends? to|aims? to|is to|are to|upcoming|forthcoming|next)\b",
    re.I,
)
_HYPOTHETICAL = re.compile(r"\b(?:if|could|would|might|may|unless|whether|in case)\b", re.I)
_CLAUSE_BREAK = re.compile(
    r"(?:,\s*|\s+)(?=(?:when|while|whereas|as (?=(?:President|Secretary|Prime|the|[A-Z]))|after|before|where)\b)"
    r"|;\s*|\s+[–—-]\s+",
)


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
class Clause:
    start: int
    end: int


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
    extra: dict = field(default_factory=dict, compare=False, hash=False)


# ---------------------------------------------------------------- people counts

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
    r"(?P<qual>exceeded|surpassed|topped|reached|over|more than|nearly|about|around)\s+" + _NUM + _SCALE + r"\b(?!\s*(?:percent|%|dollars|\$))",
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


# ---------------------------------------------------------------- clauses and types

def split_clauses(text: str, start: int, end: int, cut_points: Sequence[int] = ()) -> list[Clause]:
    """Cut ``text[start:end]`` at clause boundaries and at the given extra offsets."""
    cuts = {start, end}
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if m.end() - start > 12 and end - m.end() > 12:
            cuts.add(m.end())
    cuts.update(c for c in cut_points if start < c < end)
    ordered = sorted(cuts)
    return [Clause(a, b) for a, b in zip(ordered, ordered[1:]) if text[a:b].strip()]


def classify_clause(clause_text: str) -> tuple[str, float, str] | None:
    """Event type, rule confidence and the matched words for a clause, or None."""
    for name, rx, conf in _TYPE_RULES:
        m = rx.search(clause_text)
        if m:
            return name, conf, m.group(0)
    return None


_CARAVAN_TYPES = ("caravan_departure", "march")
_CARAVAN_NOUN = re.compile(r"\b(?:caravans?|march(?:es)?|exodus)\b", re.I)
_MOVERS = re.compile(r"\b(?:migrants|marchers|group|participants|they|thousands|hundreds)\b", re.I)
_PRESENT = re.compile(r"\b(?:is|are|has|have|continues?|remains?)\b", re.I)
_CARRY_KINDS = ("city", "place", "crossing", "border", "facility")
#: An undated closure, suspension or crossing reported in news is taken as recent: within
#: this many days before publication (precision "month"), unless the text says otherwise.
RECENT_DAYS = 30
_RECENT_TYPES = ("crossing_closed", "rail_port_suspension", "border_crossing")
_LONG_AGO = re.compile(r"\b(?:previously|earlier|formerly|once|in the past|used to|had been|years? ago|decades?)\b", re.I)


def _clause_types(clause_text: str) -> list[tuple[str, float, str]]:
    """The clause's event type, plus a caravan movement it also reports
    ("another march coincided with a summit" is a march and a meeting)."""
    first = classify_clause(clause_text)
    if first is None:
        return []
    types = [first]
    if first[0] not in _CARAVAN_TYPES and _CARAVAN_NOUN.search(clause_text):
        for name, rx, conf in _TYPE_RULES:
            m = rx.search(clause_text) if name in _CARAVAN_TYPES else None
            if m:
                types.append((name, conf * 0.9, m.group(0)))
                break
    return types


def clause_status(clause_text: str, future_date: bool) -> str:
    """``planned`` for future tense, ``hypothetical`` for conditionals, else ``reported``."""
    if _HYPOTHETICAL.search(clause_text) and not re.search(r"\b(?:may|might|could) have\b", clause_text, re.I):
        return "hypothetical"
    if future_date or _FUTURE.search(clause_text):
        return "planned"
    return "reported"


# ---------------------------------------------------------------- places

_DIRECTION = r"(?:(?:north|south|east|west|central)(?:ern|-?(?:east|west)(?:ern)?)?\s+)?"
_POSITION_KINDS = ("crossing", "city", "place", "facility", "river", "highway", "border", "admin2", "admin1", "region", "country")
_DESTINATION = re.compile(
    r"\b(?:head(?:ed|ing|s)? (?:for|to|towards?)|towards?|bound for|destined for|to reach|reach(?:ing)?|"
    r"on (?:its|their) way to|aims? to (?:make (?:its|their) way )?to|destination)\s+(?:the\s+)?" + _DIRECTION + "$",
    re.I,
)
_ORIGIN = re.compile(r"\b(?:from|left|leaving|depart(?:ed|ing)? from|out of)\s+(?:the\s+)?" + _DIRECTION + "$", re.I)


def _located(t: Toponym) -> bool:
    return t.lat is not None and t.lon is not None and t.kind != "demonym"


def _role(text: str, t: Toponym, clause_start: int) -> str:
    before = text[max(clause_start, t.start - 40):t.start]
    if _DESTINATION.search(before):
        return "destination"
    if _ORIGIN.search(before):
        return "origin"
    return "position"


_SAME_PHRASE = re.compile(r"^(?:\s*(?:,|and|or|&)?\s*(?:the\s+)?|[’']s\s+|\s*[-–]\s*)$", re.I)


def _roles(text: str, places: Sequence[Toponym], clause_start: int) -> list[str]:
    """Role of each place in a clause: ``origin``, ``destination`` or ``position``.
    A place joined to the previous one ("the United States border", "Mexico and the
    United States") shares its role."""
    roles: list[str] = []
    for i, t in enumerate(places):
        role = _role(text, t, clause_start)
        if role == "position" and i and _SAME_PHRASE.match(text[places[i - 1].end:t.start]):
            role = roles[-1]
        roles.append(role)
    return roles


def _pick_place(text: str, clause: Clause, toponyms: Sequence[Toponym], event_type: str) -> tuple[Toponym | None, tuple[Toponym, ...], tuple[Toponym, ...]]:
    """The clause's main place, all its located places, and its stated destinations."""
    inside = [t for t in toponyms if clause.start <= t.start and t.end <= clause.end and _located(t)]
    roles = _roles(text, inside, clause.start)
    destinations = tuple(t for t, r in zip(inside, roles) if r == "destination")
    candidates = [t for t, r in zip(inside, roles) if r != "destination"]
    if not candidates:
        return None, tuple(inside), destinations
    if event_type == "caravan_departure":
        origins = [t for t, r in zip(inside, roles) if r == "origin"]
        if origins:
            candidates = origins
    else:
        # "migrants from Honduras" says where they come from, not where this happened.
        candidates = [t for t, r in zip(inside, roles) if r == "position"]
        if not candidates:
            return None, tuple(inside), destinations
    if event_type in ("crossing_closed", "rail_port_suspension", "border_crossing"):
        crossings = [t for t in candidates if t.kind in ("crossing", "border")]
        if crossings:
            candidates = crossings

    def rank(t: Toponym) -> tuple[int, int]:
        kind = t.kind if t.kind in _POSITION_KINDS else "place"
        return (_POSITION_KINDS.index(kind), t.start)

    return min(candidates, key=rank), tuple(inside), destinations


_DISTANCE = re.compile(r"\b(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>km|kilometers|kilometres|miles|mi)\b", re.I)


def _distance_km(clause_text: str) -> float | None:
    m = _DISTANCE.search(clause_text)
    if not m:
        return None
    v = float(m.group("num"))
    return v * 1.609344 if m.group("unit").lower().startswith("mi") else v


# ---------------------------------------------------------------- dates

def _anchor_date(text: str, dates: Sequence, sentences: Sequence[tuple[int, int]], published: dt.date | None):
    """The article's story date: the first resolved, day-precision, non-future date in a
    sentence about the caravan; else the publication date; else None."""
    for expr in dates:
        if not expr.resolved or expr.future or expr.precision != "day" or expr.kind == "duration":
            continue
        sent = next(((a, b) for a, b in sentences if a <= expr.start < b), None)
        if sent and _CARAVAN_WORDS.search(text[sent[0]:sent[1]]):
            return expr.date_start, expr.date_end, "day", expr.text, f"story date from '{expr.text}'"
    if published is not None:
        return published, published, "day", None, "article published date (no dated sentence about the caravan)"
    return None


def extract_events(
    article_id: str,
    text: str,
    toponyms: Sequence[Toponym],
    dates: Sequence,
    sentences: Sequence[tuple[int, int]],
    published: dt.date | None = None,
) -> list[EventMention]:
    """Every typed event the article reports, one per clause, in text order.

    ``dates`` are :class:`geo.dates.TimeExpression` objects for the same text.
    """
    events: list[EventMention] = []
    anchor = _anchor_date(text, dates, sentences, published)
    usable_dates = [d for d in dates if d.kind != "duration"]
    previous_place: Toponym | None = None  # the paragraph's latest position-like place
    for s_start, s_end in sentences:
        sentence = text[s_start:s_end]
        if not sentence.strip():
            continue
        sentence_dates = [d for d in usable_dates if s_start <= d.start < s_end]
        cuts = [d.start for d in sentence_dates[1:]]
        for clause in split_clauses(text, s_start, s_end, cuts):
            # Time expressions are masked so that "from December to March" is not a march.
            ctext = _mask(text, clause, sentence_dates)
            for event_type, rule_conf, matched in _clause_types(ctext):
                event = _make_event(
                    article_id, text, clause, (s_start, s_end), event_type, rule_conf, matched,
                    toponyms, sentence_dates, anchor, published, previous_place,
                )
                if event is not None:
                    events.append(event)
        placed = [e.place for e in events if s_start <= e.start < s_end and e.place is not None and e.place.kind in _CARRY_KINDS]
        here = [t for t in toponyms if s_start <= t.start < s_end and _located(t) and t.kind in _CARRY_KINDS]
        if placed or here:
            previous_place = (placed or here)[-1]
        if "\n\n" in text[s_end:s_end + 4] or text[s_end:s_end + 2] == "\n\n":
            previous_place = None  # a new paragraph starts a new scene
    return events


def _mask(text: str, clause: Clause, dates: Sequence) -> str:
    chunk = list(text[clause.start:clause.end])
    for d in dates:
        for i in range(max(d.start, clause.start), min(d.end, clause.end)):
            chunk[i - clause.start] = " "
    return "".join(chunk)


def _make_event(
    article_id: str,
    text: str,
    clause: Clause,
    sentence_span: tuple[int, int],
    event_type: str,
    rule_conf: float,
    matched: str,
    toponyms: Sequence[Toponym],
    sentence_dates: Sequence,
    anchor: tuple | None,
    published: dt.date | None = None,
    previous_place: Toponym | None = None,
) -> EventMention | None:
    ctext = text[clause.start:clause.end]
    s_start, s_end = sentence_span
    sentence = text[s_start:s_end]
    about_caravan = bool(_CARAVAN_NOUN.search(sentence)) or (
        event_type in _CARAVAN_TYPES and bool(_MOVERS.search(sentence))
    )
    place, places, destinations = _pick_place(text, clause, toponyms, event_type)
    place_reason = ""
    has_own_date = any(clause.start <= d.start < clause.end for d in sentence_dates)
    if place is None and event_type in _CARAVAN_TYPES and about_caravan and previous_place is not None and not has_own_date:
        place, place_reason = previous_place, f"; place '{previous_place.name}' from earlier in the paragraph"
    at_border = place is not None and place.kind in ("crossing", "border")
    # Date: one inside the clause; else the time context of the clause before it in the
    # sentence; else the sentence's only date; else, for the caravan narrative, the story date.
    in_clause = [d for d in sentence_dates if clause.start <= d.start < clause.end]
    preceding = [d for d in sentence_dates if d.start < clause.start]
    if in_clause:
        expr = in_clause[0]
    elif preceding:
        expr = preceding[-1]
    else:
        expr = sentence_dates[0] if len(sentence_dates) == 1 else None
    if expr is not None:
        d_start, d_end = expr.date_start, expr.date_end
        precision = expr.precision if expr.resolved else "unknown"
        date_text, date_reason, future = expr.text, expr.reason, expr.future
        date_conf = 1.0 if expr.resolved else 0.3
    elif anchor is not None and (about_caravan or at_border) and event_type not in ("policy", "apprehensions", "official_visit"):
        d_start, d_end, precision, date_text, date_reason = anchor
        future, date_conf = False, 0.7
    elif published is not None and event_type in _RECENT_TYPES and not _LONG_AGO.search(ctext):
        d_start, d_end = published - dt.timedelta(days=RECENT_DAYS), published
        precision, date_text, future, date_conf = "month", None, False, 0.4
        date_reason = f"undated report of a recent event: the {RECENT_DAYS} days before publication"
    elif published is not None and _PRESENT.search(ctext) and not _FUTURE.search(ctext):
        d_start = d_end = published
        precision, date_text, future, date_conf = "day", None, False, 0.5
        date_reason = "present tense: as of the published date"
    else:
        if place is None:
            return None  # neither where nor when: nothing to map
        d_start = d_end = None
        precision, date_text, date_reason, future, date_conf = "unknown", None, "no date stated", False, 0.3
    distance = _distance_km(ctext) if event_type == "march" else None
    counts = find_people_counts(text, clause.start, clause.end)
    if place is None and expr is None and distance is None and not (about_caravan and (counts or destinations)):
        return None  # an undated, unplaced remark: nothing to map
    status = clause_status(ctext, future)
    place_conf = place.confidence if place is not None else 0.4
    if place is not None and place.kind in ("country", "region"):
        place_conf *= 0.5  # a country's point says little about where it happened
    if place_reason:
        place_conf *= 0.7
    confidence = round(rule_conf * (0.5 + 0.5 * place_conf) * (0.6 + 0.4 * date_conf), 4)
    return EventMention(
        article_id=article_id,
        event_type=event_type,
        start=clause.start,
        end=clause.end,
        sentence_start=s_start,
        sentence_end=s_end,
        sentence=text[s_start:s_end],
        date_start=d_start,
        date_end=d_end,
        date_precision=precision,
        date_text=date_text,
        date_reason=date_reason,
        place=place,
        places=places,
        people=counts[0] if counts else None,
        status=status,
        confidence=confidence,
        about_caravan=about_caravan,
        destinations=destinations,
        distance_km=distance,
        reason=f"'{matched}' -> {event_type}{place_reason}",
    )


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
