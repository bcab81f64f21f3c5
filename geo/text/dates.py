"""Temporal expressions in article text, resolved against the article's ``published`` date.

:func:`find_dates` is a pure function from text (plus the publication date) to frozen
:class:`TimeExpression` records with an exact span, an inclusive date interval, a
precision and a ``reason`` that says how the interval was obtained.

Detection is a single compiled regular expression (plus a few context checks), not
``dateparser.search_dates``: it is about two orders of magnitude faster and does not
turn counts ("7,000 migrants", "22 citizens") into years. The arithmetic is done here
too; the tests cross-check the absolute forms against :func:`dateparser.parse`.

Conventions
-----------
- Spans are TIMEX3-like: plain prepositions ("in", "on", "during", "throughout", "for")
  are left out; words that change the meaning are kept ("since 2008",
  "from December to February", "over a year", "more than 30 hours", "last Monday").
- ``date_start``/``date_end`` form an inclusive interval. ``resolved`` is True exactly
  when both are set; when it is False both are None (never half an interval).
- A weekday, month, month-day, holiday or quarter without a year is the most recent one
  on or before ``published`` (past tense or no tense cue), or the first one on or after
  it when the sentence says the event is planned ("will", "is scheduled to", "plans to",
  ...). "last"/"next" exclude the current one; "this" means the one in the current
  week (weekdays) or year (months, holidays).
- Durations ("over a year", "for more than 30 hours") are not points in time: they carry
  an ISO 8601 ``duration`` ("P1Y", "PT30H", "PXM" when unspecified) and a TIMEX3-style
  ``modifier`` ("MORE_THAN", ...), and no dates.
- Without ``published``, absolute expressions still resolve; relative ones stay
  unresolved with reason "no published date" — nothing is guessed.
- Fiscal years are US federal: FY N = 1 Oct N-1 .. 30 Sep N.
"""

from __future__ import annotations

import bisect
import calendar
import dataclasses
import datetime as dt
import logging
import re
from dataclasses import asdict, dataclass
from typing import Any, Callable

__all__ = ["TimeExpression", "find_dates", "fiscal_year", "PRECISIONS", "KINDS"]

log = logging.getLogger(__name__)

#: Values of :attr:`TimeExpression.precision`.
PRECISIONS = (
    "day",
    "weekend",
    "week",
    "month",
    "quarter",
    "half",
    "season",
    "year",
    "fiscal_year",
    "decade",
    "duration",
)
#: Values of :attr:`TimeExpression.kind`.
KINDS = ("point", "interval", "duration", "set")


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A temporal expression found in text and its (possibly unresolved) interval.

    ``kind`` is ``"point"`` for one calendar unit at ``precision`` (a day, a month, a
    fiscal year, ...), ``"interval"`` for a stretch of several units or an open one
    ("since 2008", "recent days"), ``"duration"`` for a length without a position in
    time, ``"set"`` for non-contiguous units ("fiscal years 2019 and 2023"; the
    interval then spans them all).
    """

    start: int
    end: int
    text: str  # == source_text[start:end]
    date_start: dt.date | None
    date_end: dt.date | None  # inclusive
    precision: str
    kind: str
    resolved: bool
    future: bool
    reason: str
    duration: str | None = None  # ISO 8601 duration for kind == "duration", e.g. "P1Y"
    modifier: str | None = None  # TIMEX3-style: MORE_THAN, LESS_THAN, APPROX, START, MID, END, ...

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("date_start", "date_end"):
            if d[key] is not None:
                d[key] = d[key].isoformat()
        return d


def fiscal_year(n: int) -> tuple[dt.date, dt.date]:
    """US federal fiscal year ``n``: 1 October ``n-1`` to 30 September ``n``."""
    return dt.date(n - 1, 10, 1), dt.date(n, 9, 30)


# --------------------------------------------------------------------------- vocabulary

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a dozen": 12, "a couple of": 2, "couple of": 2, "a couple": 2,
}  # fmt: skip
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
# Vague quantities: the duration is unspecified ("PXD").
_VAGUE = ("several", "a few", "few", "many", "dozens of", "hundreds of", "some")
#: Months whose names are also common words or first names; a bare one needs a cue.
_AMBIGUOUS_MONTHS = {"may", "march", "august", "april", "june", "jan", "mar", "sat", "sun"}
_MOD_WORDS = {
    "over": "MORE_THAN", "more than": "MORE_THAN", "longer than": "MORE_THAN",
    "at least": "EQUAL_OR_MORE", "less than": "LESS_THAN", "under": "LESS_THAN",
    "fewer than": "LESS_THAN", "up to": "EQUAL_OR_LESS", "at most": "EQUAL_OR_LESS",
    "nearly": "APPROX", "almost": "APPROX", "about": "APPROX", "around": "APPROX",
    "approximately": "APPROX", "roughly": "APPROX", "some": "APPROX",
}  # fmt: skip
_ISO_UNIT = {
    "second": ("T", "S"), "minute": ("T", "M"), "hour": ("T", "H"), "day": ("", "D"),
    "night": ("", "D"), "week": ("", "W"), "fortnight": ("", "W"), "month": ("", "M"),
    "year": ("", "Y"), "decade": ("", "DE"), "century": ("", "CE"),
}  # fmt: skip


def _alt(words: list[str] | tuple[str, ...] | Any) -> str:
    """Regex alternation, longest first so "Sept" wins over "Sep"."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_ANY = rf"(?:{_MONTH_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WEEKDAY_ANY = rf"(?:{_WEEKDAY}|(?:Mon|Tues|Tue|Wed|Thurs|Thu|Fri|Sat|Sun)\b\.?)"
_YEAR = r"(?<![\d,.$#£€])(?:1[89]\d\d|20\d\d)(?![\d%]|,\d|\.\d)"
_DAY = r"(?<![\d,.])(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d,.]\d)\b"
_NUM = rf"(?:\d+(?:\.\d+)?|{_alt([w for w in _NUMBER_WORDS if w not in ('a', 'an')])}|{_alt(_VAGUE)})"
_UNIT = r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|years?|decades?|century|centuries)"
_MOD = _alt(_MOD_WORDS)
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
_APOS = r"['’]"

# Holidays: name pattern -> rule. Rules take a year and return the day (or None).


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> dt.date:
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = (h + el - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


_HOLIDAYS: list[tuple[str, str, Callable[[int], dt.date]]] = [
    # (regex, canonical name, rule)
    (r"Christmas\s+Eve", "Christmas Eve", lambda y: dt.date(y, 12, 24)),
    (r"Christmas(?:\s+Day)?", "Christmas Day", lambda y: dt.date(y, 12, 25)),
    (rf"New\s+Year{_APOS}?s\s+Eve", "New Year's Eve", lambda y: dt.date(y, 12, 31)),
    (rf"New\s+Year{_APOS}?s(?:\s+Day)?", "New Year's Day", lambda y: dt.date(y, 1, 1)),
    (r"Thanksgiving(?:\s+Day)?", "Thanksgiving (4th Thursday of November)", lambda y: _nth_weekday(y, 11, 3, 4)),
    (r"Independence\s+Day|(?:the\s+)?Fourth\s+of\s+July", "Independence Day (US, July 4)", lambda y: dt.date(y, 7, 4)),
    (r"Easter(?:\s+Sunday)?", "Easter Sunday", _easter),
    (r"Good\s+Friday", "Good Friday", lambda y: _easter(y) - dt.timedelta(days=2)),
    (r"Labor\s+Day", "Labor Day (US, 1st Monday of September)", lambda y: _nth_weekday(y, 9, 0, 1)),
    (r"Memorial\s+Day", "Memorial Day (US, last Monday of May)", lambda y: _last_weekday(y, 5, 0)),
    (r"Halloween", "Halloween", lambda y: dt.date(y, 10, 31)),
    (rf"Valentine{_APOS}?s\s+Day", "Valentine's Day", lambda y: dt.date(y, 2, 14)),
    (r"Cinco\s+de\s+Mayo", "Cinco de Mayo", lambda y: dt.date(y, 5, 5)),
    (r"(?:the\s+)?Day\s+of\s+the\s+Dead|D[ií]a\s+de\s+(?:los\s+)?Muertos", "Day of the Dead", lambda y: dt.date(y, 11, 2)),
]
_HOLIDAY_RES = [(re.compile(rf"(?:{p})\Z", re.I), name, rule) for p, name, rule in _HOLIDAYS]
_HOLIDAY = "|".join(f"(?:{p})" for p, _, _ in _HOLIDAYS)

_SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 2)}

# The date forms themselves (a pattern and a resolver each) are in _FORMS, below the helpers.

_TRIGGER_BEFORE = re.compile(
    r"(?:\b(?:in|on|since|until|till|by|from|to|through|thru|during|before|after|of|between|and|or|"
    r"early|late|mid|throughout|last|next|this|each|every|as\s+of|starting|beginning|ending|"
    r"around|circa|about|following|into|for|within|at)\s+|[-–])$",
    re.I,
)
_COUNT_BEFORE = re.compile(
    r"(?:\b(?:than|about|some|nearly|almost|approximately|roughly|over|under|up\s+to|least|"
    r"estimated|total\s+of|no\.|number|room|flight|route|highway|page|case|bus|gate|suite|apartment|"
    r"code|model|article|section|resolution|law|decree|bill|population)\s+|[#$€£]\s*)$",
    re.I,
)
_COUNT_NOUNS = {
    "people", "migrants", "persons", "percent", "per", "individuals", "children", "men", "women",
    "families", "members", "dollars", "pesos", "troops", "soldiers", "agents", "officers",
    "km", "miles", "kilometers", "kilometres", "meters", "feet", "strong", "more", "others",
}  # fmt: skip
_NOT_PLURAL = {"was", "has", "is", "as", "this", "its", "us", "his", "thus", "plus", "across", "less", "unless", "alongside"}
_NEXT_WORD = re.compile(r"[ \t]*(?:[-–][ \t]*)?([A-Za-z]+)")
_SINCE_BEFORE = re.compile(r"\bsince\s+$", re.I)
_RANGE_GLUE = re.compile(r"\s*(to|until|till|through|thru|and|-|–|—)\s*\Z", re.I)
_RANGE_OPEN = re.compile(r"\b(from|between)\s+$", re.I)
_SUPERLATIVE = re.compile(
    r"\b(?:most|least|best|worst|first|record|\w+iest|(?:larg|bigg|high|low|great|strong|small|"
    r"long|fast|hott|cold|warm|wett|dead|heavi|few|hard|short|old|young|new|lat|deep|slow|weak)est)\b"
    r"[^.;:!?]{0,60}$",
    re.I,
)

# Tense cues. The nearest cue to an expression (within its sentence) decides.
_FUTURE_CUES = re.compile(
    r"\b(?:will|won[’']t|shall|(?:is|are|was|were)\s+(?:scheduled|set|due|expected|slated|poised|"
    r"going|planning|planned|about)\s+to|scheduled\s+(?:to|for)|plans?\s+to|planning\s+to|"
    r"intends?\s+to|upcoming|forthcoming|next)\b|[’']ll\b",
    re.I,
)
_PAST_CUES = re.compile(
    r"\b(?:was|were|had|did|has\s+been|have\s+been|ago|yesterday|left|began|begun|met|went|came|"
    r"took|made|held|gave|saw|fled|set\s+off|ran|fell|got|sent|brought|kept|\w{3,}ed)\b",
    re.I,
)
_NOT_PAST = {
    "scheduled", "planned", "expected", "slated", "poised", "said", "reported", "announced",
    "added", "stated", "noted", "confirmed", "explained", "emphasized", "expressed", "claimed",
    "indeed", "need", "speed", "feed", "seed", "proceed", "succeed", "exceed", "united", "limited",
    "organized", "based", "related", "detailed", "advanced", "concerned", "needed", "hundred",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?]+[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*\n")
_ABBREV_BEFORE = re.compile(
    r"(?:\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|St|Gen|Gov|Sen|Rep|Lt|Col|"
    r"Sgt|Jr|Sr|Inc|Co|No|vs|approx)|\b[A-Z](?:\.[A-Z])*)$"
)


# --------------------------------------------------------------------------- candidates


@dataclass(slots=True)
class _Cand:
    """A detected expression before resolution."""

    start: int
    end: int
    precision: str
    label: str  # what was recognised, for the reason
    kind: str = "point"
    span: tuple[dt.date, dt.date] | None = None  # absolute interval
    cycle: Callable[[int], tuple[dt.date, dt.date] | None] | None = None  # yearly partial
    weekday: int | None = None  # weekly partial
    rel: Callable[[dt.date], tuple[dt.date, dt.date, str] | None] | None = None  # relative to published
    mod: str = ""  # explicit "last" / "next" / "this" for partials
    duration: str | None = None
    modifier: str | None = None
    inherent_future: bool = False
    forward: bool = False  # "the next two weeks": relative to an event when the narrative is past
    note: str = ""  # extra text appended to the reason

    @property
    def partial(self) -> bool:
        return self.cycle is not None or self.weekday is not None

    @property
    def mergeable(self) -> bool:
        return self.kind == "point" and (self.span is not None or self.partial)


def _month_span(y: int, m: int) -> tuple[dt.date, dt.date]:
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def _quarter_span(y: int, q: int) -> tuple[dt.date, dt.date]:
    return dt.date(y, 3 * q - 2, 1), _month_span(y, 3 * q)[1]


def _season_span(y: int, name: str) -> tuple[dt.date, dt.date]:
    first, last = _SEASONS[name]
    if first > last:  # winter Y = December Y .. February Y+1
        return dt.date(y, first, 1), _month_span(y + 1, last)[1]
    return dt.date(y, first, 1), _month_span(y, last)[1]


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _shift(d: dt.date, n: float, unit: str) -> dt.date:
    """``d`` moved by ``n`` (may be negative) calendar units."""
    if unit in ("day", "night"):
        return d + dt.timedelta(days=round(n))
    if unit == "week":
        return d + dt.timedelta(weeks=round(n))
    if unit == "fortnight":
        return d + dt.timedelta(weeks=2 * round(n))
    if unit == "month":
        return _add_months(d, round(n))
    if unit == "year":
        return _add_months(d, round(12 * n))
    if unit == "decade":
        return _add_months(d, round(120 * n))
    return d


def _unit_span(d: dt.date, unit: str) -> tuple[dt.date, dt.date]:
    """The calendar unit containing ``d``."""
    if unit == "week":
        mon = d - dt.timedelta(days=d.weekday())
        return mon, mon + dt.timedelta(days=6)
    if unit == "month":
        return _month_span(d.year, d.month)
    if unit == "quarter":
        return _quarter_span(d.year, (d.month - 1) // 3 + 1)
    if unit == "year":
        return dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)
    if unit == "decade":
        y = d.year - d.year % 10
        return dt.date(y, 1, 1), dt.date(y + 9, 12, 31)
    return d, d


def _number(word: str) -> float | None:
    """Numeric value of a quantity word; None when vague ("several")."""
    w = re.sub(r"\s+", " ", word.strip().lower())
    if w in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[w])
    if w in ("half a", "half an"):
        return 0.5
    if w in ("a half", "an half"):
        return 0.5
    try:
        return float(w)
    except ValueError:
        return None


def _unit_name(word: str) -> str:
    w = word.lower()
    if w in ("century", "centuries"):
        return "century"
    return w[:-1] if w.endswith("s") else w


def _iso_duration(n: float | None, unit: str) -> str:
    t, code = _ISO_UNIT.get(unit, ("", "X"))
    if n is None:
        amount = "X"
    elif n == int(n):
        amount = str(int(n))
    else:
        amount = f"{n:g}"
    if code == "DE":  # ISO 8601 has no decade designator: use years
        amount, code = ("X" if n is None else f"{10 * n:g}"), "Y"
    elif code == "CE":
        amount, code = ("X" if n is None else f"{100 * n:g}"), "Y"
    elif unit == "fortnight":
        amount = "X" if n is None else f"{2 * n:g}"
    return f"P{t}{amount}{code}"


def _next_word(text: str, pos: int) -> str:
    m = _NEXT_WORD.match(text, pos, min(len(text), pos + 40))
    return m.group(1) if m else ""


def _looks_like_count(text: str, start: int, end: int) -> bool:
    """True when a 4-digit number reads as a quantity ("1900 migrants"), not a year."""
    before = text[max(0, start - 30) : start]
    if _COUNT_BEFORE.search(before):
        return True
    after = text[end : end + 3]
    if after[:1] in ("%",) or after.lstrip()[:1] in ("%",):
        return True
    word = _next_word(text, end)
    if not word or not word.islower():
        return False
    lw = word.lower()
    if lw in _COUNT_NOUNS:
        return True
    return len(lw) > 3 and lw.endswith("s") and not lw.endswith("ss") and lw not in _NOT_PLURAL


def _has_trigger(text: str, start: int) -> bool:
    return bool(_TRIGGER_BEFORE.search(text[max(0, start - 25) : start]))


# --------------------------------------------------------------------------- date forms
#
# One form per kind of expression: a regular expression (one alternative of the pattern, in a
# named group) and a resolver that turns its match into a candidate, or None when the match is
# not a date after all. At a given position the first form that matches wins, so longer forms
# come first in :data:`_FORMS`. A new form is one entry there (and its resolver).

_Resolver = Callable[[re.Match[str], str], "_Cand | None"]


@dataclass(frozen=True, slots=True)
class _DateForm:
    name: str  # the named group; its sub-groups are prefixed with a short form of it
    pattern: str  # verbose regular expression (re.I | re.X)
    resolve: _Resolver  # (match, text) -> candidate or None


def _form_iso(m: re.Match[str], text: str) -> _Cand | None:
    y, mo, d = (int(x) for x in m.group().split("-"))
    day = _safe_date(y, mo, d)
    return None if day is None else _Cand(m.start(), m.end(), "day", f"ISO date {m.group()}", span=(day, day))


def _form_numeric(m: re.Match[str], text: str) -> _Cand | None:
    a, b, y = (int(x) for x in m.group().split("/"))
    if a > 12 >= b:  # day/month/year
        day, order = _safe_date(y, b, a), "day/month/year"
    else:
        day, order = _safe_date(y, a, b), "month/day/year (US order)"
    return None if day is None else _Cand(m.start(), m.end(), "day", f"numeric date read as {order}", span=(day, day))


def _month_day(m: re.Match[str], text: str, g: str) -> _Cand | None:
    """A month and day ("March 5", "5 March", "the 5th of March, 2023", "March 5-7"): form ``g``
    is ``mdy`` or ``dmy``, the prefix of its groups."""
    s, e = m.span()
    mname, dword, yword, wword = m[f"{g}_m"], m[f"{g}_d"], m[f"{g}_y"], m[f"{g}_wd"]
    if not mname[0].isupper():
        return None
    if g == "dmy" and not yword and not wword and _COUNT_BEFORE.search(text[max(0, s - 30) : s]):
        return None
    month = _MONTHS[mname.rstrip(".").lower()]
    daynum = int(re.match(r"\d+", dword).group())  # type: ignore[union-attr]
    d2word = m["mdy_d2"] if g == "mdy" else None
    lastnum = int(re.match(r"\d+", d2word).group()) if d2word else daynum  # type: ignore[union-attr]
    if lastnum < daynum:
        return None
    kind = "interval" if lastnum > daynum else "point"
    if yword:
        day, last = _safe_date(int(yword), month, daynum), _safe_date(int(yword), month, lastnum)
        if day is None or last is None:
            return None
        note = ""
        if wword is not None and day.weekday() != _WEEKDAYS[wword.rstrip(".").lower()]:
            note = f"; the text's weekday {wword} does not match, kept the date"
        return _Cand(s, e, "day", f"date {m.group()!r}", kind=kind, span=(day, last), note=note)
    if _safe_date(2000, month, lastnum) is None:  # impossible in every year (Feb 30)
        return None

    def monthday(y: int, _m: int = month, _d: int = daynum, _l: int = lastnum) -> tuple[dt.date, dt.date] | None:
        day, last = _safe_date(y, _m, _d), _safe_date(y, _m, _l)
        return None if day is None or last is None else (day, last)

    if wword is not None:
        # "Tuesday, March 5": the stated weekday fixes the year, whatever the tense.
        rel = _weekday_fixes_year(monthday, _WEEKDAYS[wword.rstrip(".").lower()], m.group())
        return _Cand(s, e, "day", f"day {m.group()!r} without year", kind=kind, rel=rel)
    return _Cand(s, e, "day", f"day {m.group()!r} without year", kind=kind, cycle=monthday)


def _form_mdy(m: re.Match[str], text: str) -> _Cand | None:
    return _month_day(m, text, "mdy")


def _form_dmy(m: re.Match[str], text: str) -> _Cand | None:
    return _month_day(m, text, "dmy")


def _form_my(m: re.Match[str], text: str) -> _Cand | None:
    if not m["my_m"][0].isupper():
        return None
    month = _MONTHS[m["my_m"].rstrip(".").lower()]
    return _Cand(m.start(), m.end(), "month", f"month {m.group()!r}", span=_month_span(int(m["my_y"]), month))


def _form_fylist(m: re.Match[str], text: str) -> _Cand | None:
    years = sorted({int(x) for x in re.findall(r"(?:1[89]|20)\d\d", m.group())})
    if not years:
        return None
    contiguous = years == list(range(years[0], years[-1] + 1))
    names = ", ".join(f"FY{y}" for y in years)
    return _Cand(
        m.start(), m.end(), "fiscal_year", f"US federal fiscal years {names}",
        kind="interval" if contiguous and len(years) > 1 else ("point" if len(years) == 1 else "set"),
        span=(fiscal_year(years[0])[0], fiscal_year(years[-1])[1]),
    )  # fmt: skip


def _form_fyroll(m: re.Match[str], text: str) -> _Cand | None:
    n = _number(m["fyroll_n"])
    if n is None or n < 1 or n != int(n):
        return None
    k = int(n)

    def fyroll(pub: dt.date, _k: int = k) -> tuple[dt.date, dt.date, str]:
        cur = pub.year + 1 if pub.month >= 10 else pub.year
        first, last = cur - _k, cur - 1
        return (
            fiscal_year(first)[0],
            fiscal_year(last)[1],
            f"the {_k} complete US federal fiscal years before FY{cur} (which contains published {pub}): "
            f"FY{first}–FY{last}",
        )

    return _Cand(m.start(), m.end(), "fiscal_year", m.group(), kind="interval", rel=fyroll)


def _form_fyrel(m: re.Match[str], text: str) -> _Cand | None:
    """"next fiscal year", "this fiscal": the fiscal year relative to the one of publication."""
    word = (m["fyrel_dir"] or m["fr_dir"] or "").lower()
    offset = {"this": 0, "current": 0, "last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}[word]

    def fyrel(pub: dt.date, _o: int = offset) -> tuple[dt.date, dt.date, str]:
        cur = pub.year + 1 if pub.month >= 10 else pub.year
        n = cur + _o
        return (*fiscal_year(n), f"US federal FY{n} ({_o:+d} from FY{cur}, which contains published {pub})")

    return _Cand(m.start(), m.end(), "fiscal_year", m.group(), rel=fyrel, inherent_future=offset > 0)


def _form_fy(m: re.Match[str], text: str) -> _Cand | None:
    if m["fy_n"] is not None:
        if not m.group().startswith("FY"):
            return None
        n = int(m["fy_n"])
        n = n + 2000 if n < 100 else n
    else:
        n = int(m["fy_y1"] or m["fy_y2"])
    return _Cand(m.start(), m.end(), "fiscal_year", f"US federal fiscal year FY{n}", span=fiscal_year(n))


def _form_quarter(m: re.Match[str], text: str) -> _Cand | None:
    q = int(m["q_n"]) if m["q_n"] else _ORDINALS[m["q_ord"].lower()]
    if m["q_n"] and not m.group().startswith("Q"):
        return None
    if m["q_y"]:
        return _Cand(m.start(), m.end(), "quarter", f"Q{q} {m['q_y']}", span=_quarter_span(int(m["q_y"]), q))
    return _Cand(m.start(), m.end(), "quarter", f"quarter Q{q} without year", cycle=lambda y, _q=q: _quarter_span(y, _q))


def _form_half(m: re.Match[str], text: str) -> _Cand | None:
    y, h = int(m["h_y"]), 1 if m["h_ord"].lower() == "first" else 2
    span = (dt.date(y, 1, 1), dt.date(y, 6, 30)) if h == 1 else (dt.date(y, 7, 1), dt.date(y, 12, 31))
    return _Cand(m.start(), m.end(), "half", f"H{h} {y}", span=span)


def _form_holiday(m: re.Match[str], text: str) -> _Cand | None:
    s, e = m.span()
    hol = m["hol"]
    if not hol[0].isupper() and not hol.lower().startswith("the"):
        return None
    for rx, name, rule in _HOLIDAY_RES:  # noqa: B007 - name and rule are read after the loop
        if rx.match(hol):
            break
    else:  # pragma: no cover - the alternation and the table are built from one list
        return None
    if m["hol_y"]:
        day = rule(int(m["hol_y"]))
        return _Cand(s, e, "day", f"{name} {m['hol_y']}", span=(day, day))

    def holiday(y: int, _r: Callable[[int], dt.date] = rule) -> tuple[dt.date, dt.date]:
        day = _r(y)
        return day, day

    return _Cand(s, e, "day", f"{name} without year", cycle=holiday, mod=(m["hol_mod"] or "").lower())


def _form_recent(m: re.Match[str], text: str) -> _Cand | None:
    unit = m["recent_u"].lower()[:-1]
    precision = _VAGUE_WINDOW[unit][0]
    return _Cand(m.start(), m.end(), precision, m.group(), kind="interval", rel=_window(unit, None, -1, vague=True))


def _form_roll(m: re.Match[str], text: str) -> _Cand | None:
    direction = m["roll_dir"].lower()
    unit = _unit_name(m["roll_u"])
    plural = m["roll_u"].lower().endswith("s")
    nword = m["roll_n"]
    if direction in ("following", "preceding"):
        return None  # "the following day": relative to an event, not to publication
    if not nword and not plural:
        return None  # "the next day", "last decade": relative to an event or handled by <rel>
    if plural and nword is None and not m["roll_the"]:
        return None  # "past years": too vague
    n = _number(nword) if nword else (None if plural else 1.0)
    sign = 1 if direction in ("next", "coming") else -1
    vague = n is None
    precision = _VAGUE_WINDOW[unit][0] if vague else ("day" if unit == "day" else unit)
    return _Cand(
        m.start(), m.end(), precision, m.group(), kind="interval", rel=_window(unit, n, sign, vague=vague),
        inherent_future=sign > 0, forward=sign > 0,
    )  # fmt: skip


def _form_rel(m: re.Match[str], text: str) -> _Cand | None:
    s, e = m.span()
    direction, unit = m["rel_dir"].lower(), m["rel_u"].lower()
    if m["rel_the"] and direction in ("past", "last", "previous", "coming", "next") and unit != "weekend":
        # "the past year" / "the coming month": a rolling window, not a calendar unit
        sign = 1 if direction in ("next", "coming") else -1
        u = "month" if unit == "quarter" else unit
        n = 3.0 if unit == "quarter" else 1.0
        return _Cand(
            s, e, unit, m.group(), kind="interval", rel=_window(u, n, sign), inherent_future=sign > 0, forward=sign > 0
        )
    if direction in ("past", "coming") and not m["rel_the"]:
        return None
    offset = {"this": 0, "current": 0, "last": -1, "previous": -1, "next": 1}[direction]
    if unit == "weekend":
        return _Cand(s, e, "weekend", m.group(), rel=_weekend(offset), inherent_future=offset > 0, kind="interval")
    return _Cand(s, e, unit, m.group(), rel=_calendar(unit, offset), inherent_future=offset > 0)


def _form_weekend(m: re.Match[str], text: str) -> _Cand | None:
    return _Cand(m.start(), m.end(), "weekend", m.group(), rel=None, weekday=-1, kind="interval")


def _form_ago(m: re.Match[str], text: str) -> _Cand | None:
    n = 1.0 if m["ago_n"].lower() in ("a", "an") else _number(m["ago_n"])
    unit = _unit_name(m["ago_u"])
    if unit in ("second", "minute", "hour"):
        unit, n = "day", 0.0
    if n is None:
        return None

    def ago(pub: dt.date, _n: float = n, _u: str = unit) -> tuple[dt.date, dt.date, str]:
        d = _shift(pub, -_n, _u)
        lo, hi = _unit_span(d, _u if _u != "night" else "day")
        return lo, hi, f"{_n:g} {_u}(s) before published {pub}: the {_u} containing {d}"

    prec = unit if unit in ("day", "week", "month", "year", "decade") else "day"
    return _Cand(m.start(), m.end(), prec, m.group(), rel=ago)


def _form_season(m: re.Match[str], text: str) -> _Cand | None:
    s, e = m.span()
    name = m["se"].lower()
    dword = (m["se_dir"] or "").strip().lower().rstrip("-")
    pos = {"early": "START", "mid": "MID", "late": "END"}.get(dword)
    if m["se_y"]:
        y = int(m["se_y"])
        return _Cand(s, e, "season", f"{name} {y} (meteorological, northern)", span=_season_span(y, name), modifier=pos)
    if dword not in ("this", "last", "next"):
        return None  # bare "fall"/"spring" are too often verbs or nouns
    return _Cand(
        s, e, "season", f"{name} without year (meteorological, northern)",
        cycle=lambda y, _n=name: _season_span(y, _n), mod=dword,
    )  # fmt: skip


def _form_deictic(m: re.Match[str], text: str) -> _Cand | None:
    word = re.sub(r"\s+", " ", m.group().lower())
    offset = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)

    def deictic(pub: dt.date, _o: int = offset, _w: str = word) -> tuple[dt.date, dt.date, str]:
        d = pub + dt.timedelta(days=_o)
        return d, d, f"{_w!r} relative to published {pub}"

    return _Cand(m.start(), m.end(), "day", word, rel=deictic, inherent_future=offset > 0)


def _form_weekday(m: re.Match[str], text: str) -> _Cand | None:
    mod = (m["wd_mod"] or "").lower()
    mod = {"past": "last", "coming": "next"}.get(mod, mod)
    return _Cand(m.start(), m.end(), "day", f"weekday {m['wd']!r}", weekday=_WEEKDAYS[m["wd"].lower()], mod=mod)


def _form_month(m: re.Match[str], text: str) -> _Cand | None:
    s, e = m.span()
    mname = m["m"]
    if not mname[0].isupper():
        return None
    mod = (m["m_mod"] or "").lower()
    mod = {"past": "last", "coming": "next"}.get(mod, mod)
    pos_word = re.sub(r"\s+", " ", (m["m_pos"] or "").lower())
    if not (mod or pos_word) and not _has_trigger(text, s):
        if mname.lower() in _AMBIGUOUS_MONTHS:
            return None  # "May", "March", "June": verbs, nouns and first names without a cue
        if _next_word(text, e)[:1].isupper():
            return None  # "October Revolution", "April Ryan"
    month = _MONTHS[mname.rstrip(".").lower()]
    position = _position_modifier(pos_word)
    if m["m_y"]:  # "late November 2018"
        if mod:
            return None
        return _Cand(s, e, "month", f"month {m.group()!r}", span=_month_span(int(m["m_y"]), month), modifier=position)
    return _Cand(
        s, e, "month", f"month {mname!r} without year",
        cycle=lambda y, _m=month: _month_span(y, _m), mod=mod, modifier=position,
    )  # fmt: skip


def _form_decade(m: re.Match[str], text: str) -> _Cand | None:
    y = int(m["dec"])
    pos = _position_modifier((m["dec_pos"] or "").lower())
    return _Cand(m.start(), m.end(), "decade", f"the {y}s", span=(dt.date(y, 1, 1), dt.date(y + 9, 12, 31)),
                 modifier=pos)


def _form_year(m: re.Match[str], text: str) -> _Cand | None:
    ys, ye = m.span("y")
    if _looks_like_count(text, ys, ye):
        return None
    y = int(m["y"])
    pos = _position_modifier((m["y_pos"] or "").lower())
    return _Cand(m.start(), m.end(), "year", f"year {y}", span=(dt.date(y, 1, 1), dt.date(y, 12, 31)), modifier=pos)


def _form_dur(m: re.Match[str], text: str) -> _Cand | None:
    s, e = m.span()
    nword = m["dur_n"].lower()
    mod_word = re.sub(r"\s+", " ", (m["dur_mod"] or "").lower())
    unit = _unit_name(m["dur_u"])
    after = text[e : e + 8].lower()
    if re.match(r"\s*(?:-\s*)?old\b|\s*ago\b|-", after):
        return None  # "10 years old", "a 5-year-old", "30-hour"
    if text[max(0, s - 1) : s] == "-":
        return None
    if nword in ("a", "an") and not mod_word and not text[max(0, s - 4) : s].lower() == "for ":
        return None  # "once a year", "10,000 a day"
    n = _number(nword)
    if m["dur_half"] and n is not None:
        n += 0.5
    if nword.strip() in ("a half", "an half"):
        n = 0.5
    if mod_word == "some" and n is None:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", nword) and float(nword) > 1000:
        return None
    return _Cand(
        s, e, "duration", m.group(), kind="duration",
        duration=_iso_duration(n, unit), modifier=_MOD_WORDS.get(mod_word),
    )  # fmt: skip


def _form_durx(m: re.Match[str], text: str) -> _Cand | None:
    s = m.start()
    if text[max(0, s - 4) : s].lower() != "for ":
        return None
    unit = _unit_name(m["durx_u"])
    return _Cand(s, m.end(), "duration", m.group(), kind="duration", duration=_iso_duration(None, unit))


#: Every date form, in the order the pattern tries them at one position (longer forms first).
_FORMS: list[_DateForm] = [
    _DateForm("iso", r"(?<![\d-])\d{4}-[01]\d-[0-3]\d(?![\d-])", _form_iso),
    _DateForm("numeric", r"(?<![\d/.])[01]?\d/[0-3]?\d/(?:1[89]|20)\d\d(?![\d/])", _form_numeric),
    _DateForm("mdy", rf"(?:(?P<mdy_wd>{_WEEKDAY_ANY}),?\s+)?(?:the\s+)?(?P<mdy_m>{_MONTH_ANY})\s+(?P<mdy_d>{_DAY})(?:\s*[-–]\s*(?P<mdy_d2>{_DAY}))?(?:,?\s+(?P<mdy_y>{_YEAR}))?", _form_mdy),
    _DateForm("dmy", rf"(?:(?P<dmy_wd>{_WEEKDAY_ANY}),?\s+)?(?:the\s+)?(?P<dmy_d>{_DAY})(?:\s+of)?\s+(?P<dmy_m>{_MONTH_ANY})(?:,?\s+(?P<dmy_y>{_YEAR}))?", _form_dmy),
    _DateForm("my", rf"(?P<my_m>{_MONTH_ANY})(?:\s+of)?,?\s+(?P<my_y>{_YEAR})", _form_my),
    _DateForm("fylist", rf"(?:the\s+)?fiscal\s+years\s+(?:FY\s*)?{_YEAR}(?:\s*(?:,|and|&|to|through|-|–)\s*(?:FY\s*)?{_YEAR})+", _form_fylist),
    _DateForm("fyroll", rf"(?:the\s+)?(?P<fyroll_dir>last|past|previous)\s+(?P<fyroll_n>{_NUM})\s+fiscal\s+years", _form_fyroll),
    _DateForm("fyrel", r"(?:the\s+)?(?P<fyrel_dir>this|last|next|current|previous|past|coming)\s+fiscal\s+year", _form_fyrel),
    _DateForm("fy", rf"\bFY\s?{_APOS}?(?P<fy_n>\d{{4}}|\d\d)\b|fiscal\s+(?:year\s+)?(?P<fy_y1>{_YEAR})|(?:the\s+)?(?P<fy_y2>{_YEAR})\s+fiscal\s+year", _form_fy),
    _DateForm("quarter", rf"(?:\bQ(?P<q_n>[1-4])\b|(?:the\s+)?(?P<q_ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter)(?:(?:\s+of)?,?\s+(?P<q_y>{_YEAR}))?", _form_quarter),
    _DateForm("half", rf"(?:the\s+)?(?P<h_ord>first|second)\s+half\s+of\s+(?P<h_y>{_YEAR})", _form_half),
    _DateForm("holiday", rf"(?:(?P<hol_mod>this|last|next)\s+)?(?P<hol>{_HOLIDAY})(?:(?:\s+of)?,?\s+(?P<hol_y>{_YEAR}))?", _form_holiday),
    _DateForm("fiscalrel", r"(?P<fr_dir>this|last|next)\s+fiscal\b", _form_fyrel),
    _DateForm("recent", r"recent\s+(?P<recent_u>days|weeks|months|years)", _form_recent),
    _DateForm("rel", r"(?P<rel_the>the\s+)?(?P<rel_dir>this|current|last|next|past|previous|coming)\s+(?P<rel_u>week|month|quarter|year|weekend)\b", _form_rel),
    _DateForm("roll", rf"(?P<roll_the>the\s+)?(?P<roll_dir>last|past|previous|preceding|next|coming|following)\s+(?:(?P<roll_n>{_NUM})\s+)?(?P<roll_u>days?|weeks?|months?|years?|decades?)\b", _form_roll),
    _DateForm("weekend", r"\bthe\s+weekend\b", _form_weekend),
    _DateForm("ago", rf"(?P<ago_n>{_NUM}|an?)\s+(?P<ago_u>{_UNIT})\s+ago\b", _form_ago),
    _DateForm("season", rf"(?:(?P<se_dir>this|last|next|(?:early|mid|late)(?:\s+|-)?)\s+)?(?P<se>spring|summer|fall|autumn|winter)\b(?:(?:\s+of)?,?\s+(?P<se_y>{_YEAR}))?", _form_season),
    _DateForm("deictic", r"\b(?:yesterday|today|tomorrow|tonight|last\s+night|this\s+(?:morning|afternoon|evening))\b", _form_deictic),
    _DateForm("weekday", rf"(?:(?P<wd_mod>last|next|this|past|coming)\s+)?(?P<wd>{_WEEKDAY}){_PART_OF_DAY}", _form_weekday),
    _DateForm("month", rf"(?:(?P<m_pos>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)[\s-]*)?(?:(?P<m_mod>last|next|this|past|coming)\s+)?(?P<m>{_MONTH_FULL}|Sept\.)(?![\w-])(?:(?:\s+of)?,?\s+(?P<m_y>{_YEAR}))?", _form_month),
    _DateForm("decade", rf"(?:the\s+)?(?:(?P<dec_pos>early|mid|late)[\s-]+)?(?P<dec>(?:1[89]|20)\d0){_APOS}?s\b", _form_decade),
    _DateForm("year", rf"(?:(?P<y_pos>early|mid|late)[\s-]+)?(?P<y>{_YEAR})", _form_year),
    _DateForm("dur", rf"(?:(?P<dur_mod>{_MOD})\s+)?(?P<dur_n>{_NUM}|an?|half\s+an?|an?\s+half)\s+(?P<dur_u>{_UNIT})\b(?P<dur_half>\s+and\s+a\s+half)?", _form_dur),
    _DateForm("durx", r"\b(?P<durx_u>hours|days|weeks|months|years|decades)\b", _form_durx),
]
#: One pattern, one named group per form.
_RX = re.compile("\n  " + "\n| ".join(f"(?P<{f.name}>{f.pattern})" for f in _FORMS) + "\n", re.I | re.X)
_RESOLVERS: dict[str, _Resolver] = {f.name: f.resolve for f in _FORMS}


def _make_cand(m: re.Match[str], text: str) -> _Cand | None:
    """The candidate for a match of :data:`_RX`, by the resolver of the form that matched."""
    return _RESOLVERS[m.lastgroup](m, text)  # type: ignore[index]


def _weekday_fixes_year(
    cycle: Callable[[int], tuple[dt.date, dt.date] | None], weekday: int, label: str
) -> Callable[[dt.date], tuple[dt.date, dt.date, str] | None]:
    """A month-day stated with its weekday: the occurrence nearest to publication (a year
    before, the same year or the year after) that falls on that weekday. An article of
    March 4 that says "Tuesday, March 5" means the coming one when only that one is a Tuesday."""

    def rel(pub: dt.date) -> tuple[dt.date, dt.date, str]:
        fits = [occ for y in (pub.year - 1, pub.year, pub.year + 1) if (occ := cycle(y)) and occ[0].weekday() == weekday]
        if fits:
            occ = min(fits, key=lambda o: (abs((o[0] - pub).days), o[0] > pub))
            return occ[0], occ[1], f"day {label!r} without year: the occurrence nearest published {pub} that falls on that weekday"
        occ = _pick_yearly(cycle, pub, False, "") or _pick_yearly(cycle, pub, True, "")
        if occ is None:
            return None
        return occ[0], occ[1], f"day {label!r} without year: the weekday fits no year near published {pub}; most recent one kept"

    return rel


def _position_modifier(word: str) -> str | None:
    word = word.strip().rstrip("-")
    return {
        "early": "START", "the beginning of": "START", "the start of": "START",
        "mid": "MID", "the middle of": "MID", "late": "END", "the end of": "END",
    }.get(word)  # fmt: skip


_FINENESS = ["day", "weekend", "week", "month", "quarter", "half", "season", "year", "fiscal_year", "decade"]

#: unit -> (precision, window length in units) for vague windows ("recent days").
_VAGUE_WINDOW = {
    "day": ("week", 7, "day"),
    "week": ("month", 4, "week"),
    "month": ("quarter", 3, "month"),
    "year": ("year", 3, "year"),
    "decade": ("decade", 2, "decade"),
}


def _window(unit: str, n: float | None, sign: int, *, vague: bool = False) -> Callable[[dt.date], tuple[dt.date, dt.date, str]]:
    """A rolling window of ``n`` units ending (sign -1) or starting (+1) at publication."""

    def window(pub: dt.date) -> tuple[dt.date, dt.date, str]:
        k = float(_VAGUE_WINDOW[unit][1]) if n is None else n
        other = _shift(pub, sign * k, unit)
        lo, hi = (other, pub) if sign < 0 else (pub, other)
        side = "before" if sign < 0 else "after"
        how = f"vague, assumed {k:g} {unit}s" if vague else f"{k:g} {unit}(s)"
        return lo, hi, f"rolling window {side} published {pub} ({how})"

    return window


def _calendar(unit: str, offset: int) -> Callable[[dt.date], tuple[dt.date, dt.date, str]]:
    def cal(pub: dt.date) -> tuple[dt.date, dt.date, str]:
        if unit == "week":
            d = pub + dt.timedelta(weeks=offset)
        elif unit == "month":
            d = _add_months(pub, offset)
        elif unit == "quarter":
            d = _add_months(pub, 3 * offset)
        else:
            d = _add_months(pub, 12 * offset)
        lo, hi = _unit_span(d, unit)
        which = {0: "the", -1: "the previous", 1: "the next"}[offset]
        extra = " (Monday–Sunday)" if unit == "week" else ""
        return lo, hi, f"{which} calendar {unit}{extra} relative to published {pub}"

    return cal


def _weekend(offset: int) -> Callable[[dt.date], tuple[dt.date, dt.date, str]]:
    def weekend(pub: dt.date) -> tuple[dt.date, dt.date, str]:
        sat = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(days=5)  # Saturday of this ISO week
        if offset < 0:  # the weekend of the previous ISO week
            sat -= dt.timedelta(weeks=1)
        elif offset > 0 and sat <= pub:
            sat += dt.timedelta(weeks=1)
        which = {0: "this", -1: "the last complete", 1: "the next"}[offset]
        return sat, sat + dt.timedelta(days=1), f"{which} weekend relative to published {pub}"

    return weekend


# --------------------------------------------------------------------------- resolution


def _pick_yearly(
    cycle: Callable[[int], tuple[dt.date, dt.date] | None], ref: dt.date, future: bool, mod: str
) -> tuple[dt.date, dt.date] | None:
    if mod == "this":
        return cycle(ref.year)
    if future or mod == "next":
        for y in range(ref.year - 1, ref.year + 6):
            occ = cycle(y)
            if occ and (occ[0] > ref if mod == "next" else occ[1] >= ref):
                return occ
    else:
        for y in range(ref.year + 1, ref.year - 6, -1):
            occ = cycle(y)
            if occ and (occ[1] < ref if mod == "last" else occ[0] <= ref):
                return occ
    return None


def _pick_weekday(wd: int, ref: dt.date, future: bool, mod: str) -> dt.date:
    if mod == "this":
        return ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(days=wd)
    if mod == "next":
        return ref + dt.timedelta(days=(wd - ref.weekday() - 1) % 7 + 1)
    if mod == "last":
        return ref - dt.timedelta(days=(ref.weekday() - wd - 1) % 7 + 1)
    if future:
        return ref + dt.timedelta(days=(wd - ref.weekday()) % 7)
    return ref - dt.timedelta(days=(ref.weekday() - wd) % 7)


def _direction_words(future: bool, mod: str) -> str:
    if mod == "this":
        return "the one in the same week/year as"
    if mod == "next":
        return "the first one after"
    if mod == "last":
        return "the most recent one before"
    return "the first one on or after" if future else "the most recent one on or before"


def _resolve_partial(c: _Cand, ref: dt.date, future: bool) -> tuple[dt.date, dt.date] | None:
    if c.weekday == -1:  # "the weekend": the one under way or the most recent / the next one
        if ref.weekday() == 6:
            sat = ref - dt.timedelta(days=1)
        else:
            sat = _pick_weekday(5, ref, future, "")
        return sat, sat + dt.timedelta(days=1)
    if c.weekday is not None:
        d = _pick_weekday(c.weekday, ref, future, c.mod)
        return d, d
    assert c.cycle is not None
    return _pick_yearly(c.cycle, ref, future, c.mod)


def _to_expr(
    c: _Cand, text: str, dates: tuple[dt.date, dt.date] | None, reason: str, future: bool, *, kind: str | None = None,
    start: int | None = None,
) -> TimeExpression:
    s = c.start if start is None else start
    ds, de = dates if dates is not None else (None, None)
    if c.note:
        reason += c.note
    if c.modifier in ("START", "MID", "END") and ds is not None:
        reason += f" ({c.modifier.lower()} of it; interval kept whole)"
    return TimeExpression(
        start=s,
        end=c.end,
        text=text[s : c.end],
        date_start=ds,
        date_end=de,
        precision=c.precision,
        kind=kind or c.kind,
        resolved=ds is not None and de is not None,
        future=future,
        reason=reason,
        duration=c.duration,
        modifier=c.modifier,
    )


def _resolve(c: _Cand, text: str, published: dt.date | None, tense_future: bool) -> TimeExpression:
    if c.kind == "duration":
        return _to_expr(c, text, None, f"duration {c.duration}: a length of time, not a point in time", tense_future)
    if c.span is not None:
        future = tense_future or (published is not None and c.span[0] > published)
        return _to_expr(c, text, c.span, f"absolute: {c.label}", future)
    if published is None:
        return _to_expr(c, text, None, f"no published date: {c.label} is relative", tense_future or c.inherent_future)
    if c.rel is not None:
        got = c.rel(published)
        if got is None:
            return _to_expr(c, text, None, f"{c.label}: no occurrence near published {published}", tense_future)
        lo, hi, why = got
        return _to_expr(c, text, (lo, hi), why, tense_future or c.inherent_future or lo > published)
    future = tense_future and c.mod not in ("last", "this") or c.mod == "next"
    dates = _resolve_partial(c, published, future)
    if dates is None:
        return _to_expr(c, text, None, f"{c.label}: no occurrence near published {published}", future)
    what = "weekend" if c.weekday == -1 else c.label
    cue = " (future tense)" if tense_future and not c.mod else ""
    reason = f"{what}: {_direction_words(future, c.mod)} published {published}{cue}"
    return _to_expr(c, text, dates, reason, future)


def _resolve_since(c: _Cand, text: str, since_start: int, published: dt.date | None, tense_future: bool) -> TimeExpression:
    """'since X': from the start of X to publication (open-ended without ``published``)."""
    anchor = _resolve(c, text, published, False)
    if anchor.date_start is None:
        return _to_expr(c, text, None, f"since: {anchor.reason}", tense_future, kind="interval", start=since_start)
    if published is None:  # both dates stay None: a half-open interval would break interval arithmetic
        return _to_expr(
            c, text, None, f"no published date for the end of the interval (it starts {anchor.date_start})",
            False, kind="interval", start=since_start,
        )  # fmt: skip
    end = max(published, anchor.date_start)
    return _to_expr(
        c, text, (anchor.date_start, end),
        f"since: from the start of ({anchor.reason}) to published {published}",
        False, kind="interval", start=since_start,
    )  # fmt: skip


def _resolve_range(
    a: _Cand, b: _Cand, start: int, text: str, published: dt.date | None, tense_future: bool
) -> TimeExpression | None:
    """'from A to B' / 'between A and B' / 'A–B', resolving partial ends against each other."""

    def build(lo: dt.date, hi: dt.date, why: str, future: bool) -> TimeExpression | None:
        if lo > hi:
            return None
        return TimeExpression(
            start=start, end=b.end, text=text[start : b.end], date_start=lo, date_end=hi, precision=prec,
            kind="interval", resolved=True, future=future, reason=why,
        )  # fmt: skip

    prec = min(a.precision, b.precision, key=_FINENESS.index) if {a.precision, b.precision} <= set(_FINENESS) else "day"
    if a.span is not None and b.span is not None:
        fut = tense_future or (published is not None and a.span[0] > published)
        return build(a.span[0], b.span[1], f"range of absolute dates: {a.label} to {b.label}", fut)
    if a.span is not None and b.partial:  # "from December 2017 to February": B is the first after A
        occ = _resolve_partial(b, a.span[0], True)
        return None if occ is None else build(a.span[0], occ[1], f"range: {a.label} to the first {b.label} after it", tense_future)
    if a.partial and b.span is not None:  # "from December to February 2018": A is the last before B
        occ = _resolve_partial(a, b.span[1], False)
        return None if occ is None else build(occ[0], b.span[1], f"range: the last {a.label} before {b.label}", tense_future)
    if not (a.partial and b.partial) or a.mod or b.mod:
        return None
    if published is None:
        return TimeExpression(
            start=start, end=b.end, text=text[start : b.end], date_start=None, date_end=None, precision=prec,
            kind="interval", resolved=False, future=tense_future, reason=f"no published date: range of {a.label} to {b.label}",
        )  # fmt: skip
    if tense_future:
        first = _resolve_partial(a, published, True)
        if first is None:
            return None
        second = _resolve_partial(b, first[0], True)
        if second is None:
            return None
        why = f"range: the first {a.label} on or after published {published} (future tense), then the first {b.label} after it"
        return build(first[0], second[1], why, True)
    second = _resolve_partial(b, published, False)
    if second is None:
        return None
    first = _resolve_partial(a, second[1], False)
    if first is None:
        return None
    why = f"range: the most recent {b.label} on or before published {published}, from the {a.label} before it"
    return build(first[0], second[1], why, False)


# --------------------------------------------------------------------------- sentences and tense


def _split_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group().startswith(".") and _ABBREV_BEFORE.search(text[max(0, m.start() - 8) : m.start()]):
            continue
        spans.append((start, m.start() + len(m.group().rstrip())))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


class _Tense:
    """Finds the sentence of a position and whether its nearest tense cue is future."""

    def __init__(self, text: str, spans: list[tuple[int, int]]) -> None:
        self.text = text
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.cache: dict[tuple[int, int], list[tuple[int, int, bool]]] = {}

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and self.spans[i][0] <= pos < max(self.spans[i][1], self.spans[i][0] + 1):
            return self.spans[i]
        return max(0, pos - 150), min(len(self.text), pos + 150)

    def cues(self, sent: tuple[int, int]) -> list[tuple[int, int, bool]]:
        found = self.cache.get(sent)
        if found is None:
            s, e = sent
            chunk = self.text[s:e]
            found = [(s + m.start(), s + m.end(), True) for m in _FUTURE_CUES.finditer(chunk)]
            fut_spans = [(a, b) for a, b, _ in found]
            for m in _PAST_CUES.finditer(chunk):
                a, b = s + m.start(), s + m.end()
                if m.group().lower() in _NOT_PAST or any(fa <= a < fb for fa, fb in fut_spans):
                    continue
                found.append((a, b, False))
            self.cache[sent] = found
        return found

    def tense(self, start: int, end: int) -> str | None:
        """"future", "past" or None (no cue in the sentence).

        The nearest cue before the expression decides (its verb usually precedes it:
        "left on Monday", "will meet on Monday"); for a fronted expression with no cue
        before it ("On Monday, Blinken will ...") the nearest cue after it decides.
        """
        before: tuple[int, bool] | None = None  # (distance, future?)
        after: tuple[int, bool] | None = None
        for a, b, fut in self.cues(self.sentence(start)):
            if a >= start and b <= end:
                continue  # inside the expression itself ("next Monday" is handled by the form)
            if b <= start:
                if before is None or start - b < before[0]:
                    before = (start - b, fut)
            elif a >= end and (after is None or a - end < after[0]):
                after = (a - end, fut)
        best = before or after
        return None if best is None else ("future" if best[1] else "past")


# --------------------------------------------------------------------------- public API


#: Lower-cased words that can begin an expression; the big pattern is only tried there.
_TRIGGERS = frozenset(
    [*_MONTHS, *_WEEKDAYS, *(w.split()[0] for w in _NUMBER_WORDS), *(w.split()[0] for w in _VAGUE)]
    + [w.split()[0] for w in _MOD_WORDS]
    + """the fiscal first second third fourth christmas new thanksgiving independence fourth easter good
    labor memorial halloween valentine cinco day dia día this last next current previous past coming
    preceding following recent yesterday today tomorrow tonight early mid late spring summer fall autumn
    winter half hours days weeks months years decades""".split()
)
_WORD = re.compile(r"\w+")


def _is_trigger(word: str) -> bool:
    lw = word.lower()
    return lw in _TRIGGERS or lw[0].isdigit() or lw[:2] == "fy" or (lw[0] == "q" and lw[1:2].isdigit())


def _detect(text: str) -> list[_Cand]:
    """Try the pattern at the start of each word that can begin an expression."""
    cands: list[_Cand] = []
    covered = 0
    match = _RX.match
    for w in _WORD.finditer(text):
        pos = w.start()
        if pos < covered or not _is_trigger(w.group()):
            continue
        m = match(text, pos)
        if m is None or m.end() == pos:
            continue
        c = _make_cand(m, text)
        if c is not None:  # a rejected match ("the following day") does not hide later words
            cands.append(c)
            covered = c.end
    return cands


def _emit(
    c: _Cand, nxt: _Cand | None, text: str, published: dt.date | None, tense: _Tense, out: list[TimeExpression]
) -> int:
    """Resolve ``c`` (merged with ``nxt`` for a range) into ``out``; return how many candidates were used."""
    when = None if c.kind == "duration" else tense.tense(c.start, c.end)
    future = when == "future"
    if c.forward and when == "past":
        return 1  # "they walked for the next two days": counted from an event, not from publication
    # "from A to B", "between A and B", "A–B"
    if c.mergeable and nxt is not None and nxt.mergeable:
        glue = _RANGE_GLUE.match(text, c.end, nxt.start)
        opener = _RANGE_OPEN.search(text, max(0, c.start - 12), c.start)
        if glue and glue.end() == nxt.start and (opener or glue.group(1).lower() != "and"):
            start = opener.start() if opener else c.start
            merged = _resolve_range(c, nxt, start, text, published, future)
            if merged is not None:
                out.append(merged)
                return 2
    since = _SINCE_BEFORE.search(text, max(0, c.start - 12), c.start)
    if since and c.mergeable:
        if _SUPERLATIVE.search(text, max(0, since.start() - 80), since.start()):
            # "the largest since June 2022": June 2022 is the reference point itself
            e = _resolve(c, text, published, False)
            reason = e.reason + "; 'since' after a superlative: the reference point, not an open interval"
            out.append(dataclasses.replace(e, start=since.start(), text=text[since.start() : e.end], reason=reason))
        else:
            out.append(_resolve_since(c, text, since.start(), published, future))
    else:
        out.append(_resolve(c, text, published, future))
    return 1


def find_dates(
    text: str,
    published: dt.date | None = None,
    *,
    sentence_spans: list[tuple[int, int]] | None = None,
) -> list[TimeExpression]:
    """Find temporal expressions in ``text`` and resolve them against ``published``.

    Parameters
    ----------
    text
        The article text; offsets in the result index into it.
    published
        The article's publication date. Without it, only absolute expressions resolve.
    sentence_spans
        ``(start, end)`` of each sentence, when already known (e.g. from spaCy). Tense
        cues are looked for in the sentence of each expression. Without them a simple
        regex splitter is used.

    Returns
    -------
    list of TimeExpression
        Sorted by ``start``, non-overlapping.
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    cands = _detect(text)
    if not cands:
        return []
    tense = _Tense(text, sentence_spans if sentence_spans is not None else _split_sentences(text))
    out: list[TimeExpression] = []
    i = 0
    while i < len(cands):
        c = cands[i]
        try:
            step = _emit(c, cands[i + 1] if i + 1 < len(cands) else None, text, published, tense, out)
        except (OverflowError, ValueError):  # e.g. "next year" published in 9999
            out.append(_to_expr(c, text, None, f"{c.label}: outside the supported calendar range", False))
            step = 1
        i += step
    return out


