"""Spanish temporal expressions, resolved against the publication date.

The Spanish counterpart of :func:`geo.text.dates.find_dates`, returning the same
:class:`~geo.text.dates.TimeExpression` records, so the event stage and everything after it
read Spanish dates as English ones. One compiled regular expression finds the forms caravan
news uses; the arithmetic follows the English conventions (see :mod:`geo.text.dates`):

- "el 24 de diciembre", "el pasado 24 de diciembre", "lunes 22 de octubre de 2018",
  "22/10/2018" (day); "octubre de 2018", "en octubre", "a finales de octubre" (month);
  "en 2018" (year);
- "el lunes", "este lunes", "el pasado lunes", "la noche del domingo", "la madrugada de este
  martes" (the most recent such day on or before publication, or the next one when the
  sentence is about the future: "el próximo lunes", "saldrán el lunes");
- "hoy", "ayer", "anoche", "anteayer", "anteanoche", "esta mañana", "mañana" (tomorrow, not "la mañana"),
  "hace dos días", "hace una semana", "la semana pasada", "el fin de semana", "el mes pasado".

Absolute forms are cross-checked against ``dateparser.parse(..., languages=["es"])`` in the
tests; relative forms without a publication date stay unresolved ("no published date").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any, Callable, Sequence

from geo.text.dates import TimeExpression

__all__ = ["find_dates_es", "MONTHS_ES", "WEEKDAYS_ES"]

MONTHS_ES = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}
_MONTH_ABBR = {"ene": 1, "feb": 2, "mar": 3, "abr": 4, "may": 5, "jun": 6, "jul": 7, "ago": 8, "sep": 9,
               "sept": 9, "set": 9, "oct": 10, "nov": 11, "dic": 12}
WEEKDAYS_ES = {"lunes": 0, "martes": 1, "miércoles": 2, "miercoles": 2, "jueves": 3, "viernes": 4,
               "sábado": 5, "sabado": 5, "domingo": 6}
_NUMBERS = {"un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
            "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "quince": 15, "veinte": 20, "treinta": 30}

_MONTH = "(?:" + "|".join(sorted(MONTHS_ES, key=len, reverse=True)) + ")"
_MONTH_SHORT = "(?:" + "|".join(sorted(_MONTH_ABBR, key=len, reverse=True)) + r")\.?"
_WD = "(?:lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo)"
_PART = (r"(?:(?:la|esta|en\s+la|durante\s+la)\s+)?(?:noche|mañana|madrugada|tarde|mediodía|mediodia)"
         r"\s+(?:de(?:l)?\s+)?(?:este\s+|esta\s+|el\s+)?")
_N = r"(?:\d{1,2}|" + "|".join(_NUMBERS) + ")"

_RX = re.compile(
    r"(?<![\w])(?:"
    # 1. day + month (+ year), with optional weekday/part of day/"pasado"/"próximo"
    rf"(?P<dm>(?:(?:{_PART})|(?:el|este|del|al|desde\s+el|hasta\s+el)\s+)?(?:(?P<dm_mod>pasado|próximo|proximo)\s+)?"
    rf"(?:{_WD},?\s+)?(?P<day>\d{{1,2}}|1[ºo°])\s+de\s+(?P<month>{_MONTH})(?:\s+(?:de|del)\s+(?P<year>\d{{4}}))?)"
    rf"|(?P<dm_short>(?P<day2>\d{{1,2}})\s+(?:de\s+)?(?P<month2>{_MONTH_SHORT})(?:\s+(?:de\s+)?(?P<year2>\d{{4}}))?(?=\s*[(,.]))"
    r"|(?P<num>(?P<nd>\d{1,2})/(?P<nm>\d{1,2})/(?P<ny>\d{4}))"
    # 2. month + year
    rf"|(?P<my>(?P<month3>{_MONTH})\s+(?:de|del)\s+(?P<year3>\d{{4}}))"
    # 3. weekday with its cues
    rf"|(?P<wd>(?:{_PART}|(?P<wd_today>hoy\s+)|(?:el|este|esta|del|al|desde\s+el|hasta\s+el|para\s+el|ese)\s+)(?:(?P<wd_mod>pasado|próximo|proximo)\s+)?(?P<weekday>{_WD})(?:\s+(?P<wd_mod2>pasado|próximo|proximo))?)"
    # 4. "hace dos días"
    rf"|(?P<ago>hace\s+(?P<ago_n>{_N}|algunos|algunas|unos|unas|varios|varias|pocos|pocas)\s+(?P<ago_unit>días|dias|semanas?|mes(?:es)?|años|horas))"
    # 5. fixed relatives
    r"|(?P<rel>(?:en\s+)?lo\s+que\s+va\s+(?:del|de\s+este)\s+(?:año|mes)|(?:la\s+)?semana\s+pasada|(?:el\s+)?fin\s+de\s+semana(?:\s+pasado)?|(?:el\s+)?mes\s+pasado|(?:el\s+)?año\s+pasado"
    r"|(?:la\s+)?(?:próxima|proxima)\s+semana|(?:la\s+)?semana\s+(?:próxima|proxima|entrante)|esta\s+semana|este\s+mes"
    r"|pasado\s+mañana|(?:la\s+)?víspera(?!\s+(?:de|del)\b)|anteayer|antier|anteanoche|antenoche|anoche|ayer|hoy|esta\s+(?:mañana|tarde|noche|madrugada)|(?<!la\s)(?<!por\s)mañana(?!\s+(?:de|del)\b))"
    # 6. month alone
    rf"|(?P<mon>(?:(?:a\s+(?:finales|principios|mediados|fines|inicios)\s+de|(?:el\s+)?pasado|en|durante|desde|hasta|de)\s+)(?P<month4>{_MONTH})(?!\s+(?:de|del)\s+\d))"
    # 7. year
    # ("la caravana de 2023" names a caravan by its year: not a time of its own)
    r"|(?P<yr>(?:en|desde|durante|a\s+(?:finales|principios|mediados)\s+de)\s+(?:el\s+año\s+)?(?P<year5>(?:19[89]\d|20[0-4]\d)))(?![\d/])"
    r")(?![\w])",
    re.I,
)
_FUTURE = re.compile(
    r"\b(?:\w+(?:rá|rán|remos|réis)|va\s+a|van\s+a|vamos\s+a|planea[n]?|prevé[n]?|preve[n]?|pretende[n]?|"
    r"buscará[n]?|tiene[n]?\s+previsto|próxim[oa]s?|proxim[oa]s?|convoca[n]?|anuncia(?:ron|n)?\s+que\s+saldr)\b",
    re.I,
)

#: A date a past verb governs ("salieron el 13 de octubre") or that says it is past ("el 21 de
#: octubre pasado"): past, whatever else the sentence plans ("... y que llegarán a México").
_TOLD_AS_PAST = re.compile(r"\b(?:\w+(?:ó|aron|ieron|aba|aban)|\w*[^\Wr]ían?)\s+(?:(?:desde|hasta|el|la|del|al|entre)\s+)*$", re.I)
_PAST_AFTER = re.compile(r"\s+pasad[oa]s?\b", re.I)


def _weekday(published: dt.date, weekday: int, future: bool, mod: str) -> dt.date:
    if future or mod in ("próximo", "proximo"):
        delta = (weekday - published.weekday()) % 7
        if mod in ("próximo", "proximo") and delta == 0:
            delta = 7
        return published + dt.timedelta(days=delta)
    delta = (published.weekday() - weekday) % 7
    if mod == "pasado" and delta == 0:
        delta = 7
    return published - dt.timedelta(days=delta)


def _month_span(y: int, m: int) -> tuple[dt.date, dt.date]:
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def _sentence_of(spans: Sequence[tuple[int, int]], pos: int) -> tuple[int, int]:
    for a, b in spans:
        if a <= pos < b:
            return a, b
    return max(0, pos - 200), pos + 200


def find_dates_es(text: str, published: dt.date | None = None, *,
                  sentence_spans: Sequence[tuple[int, int]] | None = None) -> list[TimeExpression]:
    """Every Spanish time expression in ``text``, in text order, resolved against ``published``."""
    spans = sentence_spans or []
    out: list[TimeExpression] = []
    for m in _RX.finditer(text):
        a, b = _sentence_of(spans, m.start())
        future = bool(_FUTURE.search(text, a, b)) and not _TOLD_AS_PAST.search(text, max(a, m.start() - 25), m.start()) \
            and not _PAST_AFTER.match(text, m.end())
        got = _resolve(m, published, future)
        if got is None:
            continue
        start, end, precision, kind, reason, fut = got
        resolved = start is not None
        out.append(TimeExpression(
            start=m.start(), end=m.end(), text=m.group(0), date_start=start if resolved else None,
            date_end=end if resolved else None, precision=precision, kind=kind, resolved=resolved,
            future=fut, reason=reason,
        ))
    return out


def _year_for(month: int, day: int, published: dt.date | None, future: bool) -> int | None:
    if published is None:
        return None
    y = published.year
    try:
        d = dt.date(y, month, day)
    except ValueError:
        return None
    if future and d < published - dt.timedelta(days=7):
        return y + 1
    if not future and d > published + dt.timedelta(days=1):
        return y - 1
    return y


def _resolve_day_month(g: Callable[[str], str | None], published: dt.date | None, future: bool):
    nopub = (None, None)
    if g("num"):
        day, month, year = int(g("nd")), int(g("nm")), int(g("ny"))
    elif g("dm"):
        day_s = g("day")
        day = 1 if not day_s.isdigit() else int(day_s)
        month = MONTHS_ES[g("month").lower()]
        year = int(g("year")) if g("year") else None
    else:
        day, month = int(g("day2")), _MONTH_ABBR[g("month2").lower().rstrip(".")]
        year = int(g("year2")) if g("year2") else None
    mod = (g("dm_mod") or "").lower()
    fut = future and mod != "pasado" or mod in ("próximo", "proximo")
    if year is None:
        year = _year_for(month, day, published, fut)
        if year is None:
            return (*nopub, "day", "point", "no published date", fut) if published is None else None
        why = f"{day} {month}: year {year} from publication {published}"
    else:
        why = "absolute date"
    try:
        d = dt.date(year, month, day)
    except ValueError:
        return None
    return d, d, "day", "point", why, fut


def _resolve_month_year(g: Callable[[str], str | None], published: dt.date | None, future: bool):
    y, mth = int(g("year3")), MONTHS_ES[g("month3").lower()]
    s, e = _month_span(y, mth)
    return s, e, "month", "point", "month and year", False


def _resolve_weekday(g: Callable[[str], str | None], published: dt.date | None, future: bool):
    wd = WEEKDAYS_ES[g("weekday").lower()]
    mod = (g("wd_mod") or g("wd_mod2") or "").lower()
    fut = future and mod != "pasado" or mod in ("próximo", "proximo")
    if published is None:
        return None, None, "day", "point", "no published date", fut
    if g("wd_today"):
        # "hoy lunes": today, which the writer names; the nearest such day to publication (a story
        # written on Sunday for Monday's paper)
        d = min((published + dt.timedelta(days=k) for k in range(-3, 4)), key=lambda x: (x.weekday() != wd, abs((x - published).days)))
        return d, d, "day", "point", f"hoy {g('weekday').lower()}: that day nearest publication {published}", fut
    d = _weekday(published, wd, fut, mod)
    return d, d, "day", "point", f"{g('weekday').lower()} {'after' if fut else 'on or before'} publication {published}", fut


def _resolve_ago(g: Callable[[str], str | None], published: dt.date | None, future: bool):
    n_s = g("ago_n").lower()
    n = int(n_s) if n_s.isdigit() else _NUMBERS.get(n_s)
    unit = g("ago_unit").lower()
    if published is None:
        return None, None, "day", "point", "no published date", False
    if unit.startswith("hora"):
        return published, published, "day", "point", "hours before publication", False
    if n is None:  # "hace unos días": a vague stretch before publication
        days = 7 if unit.startswith("d") else 31 if unit.startswith("semana") else 365
        return published - dt.timedelta(days=days), published, "week" if days <= 7 else "month", "interval", \
            "a few units before publication", False
    if unit.startswith("d"):
        d = published - dt.timedelta(days=n)
        return d, d, "day", "point", f"{n} days before publication", False
    if unit.startswith("semana"):
        d = published - dt.timedelta(weeks=n)
        return d - dt.timedelta(days=3), d + dt.timedelta(days=3), "week", "point", f"{n} weeks before publication", False
    if unit.startswith("mes"):
        y, mth = published.year, published.month - n
        while mth < 1:
            y, mth = y - 1, mth + 12
        s, e = _month_span(y, mth)
        return s, e, "month", "point", f"{n} months before publication", False
    s = dt.date(published.year - n, 1, 1)
    return s, dt.date(published.year - n, 12, 31), "year", "point", f"{n} years before publication", False


def _resolve_relative(g: Callable[[str], str | None], published: dt.date | None, future: bool):
    w = re.sub(r"\s+", " ", g("rel").lower())
    if published is None:
        return None, None, "day", "point", "no published date", "próxim" in w or "proxim" in w or w == "mañana"
    p = published
    if w in ("hoy",) or w.startswith("esta ") and not w.endswith("semana"):
        return p, p, "day", "point", "publication day", False
    if w in ("ayer", "anoche", "víspera", "la víspera"):
        d = p - dt.timedelta(days=1)
        return d, d, "day", "point", "day before publication", False
    if w in ("anteayer", "antier", "anteanoche", "antenoche"):
        d = p - dt.timedelta(days=2)
        return d, d, "day", "point", "two days before publication", False
    if w == "mañana":
        d = p + dt.timedelta(days=1)
        return d, d, "day", "point", "day after publication", True
    if w == "pasado mañana":
        d = p + dt.timedelta(days=2)
        return d, d, "day", "point", "two days after publication", True
    if "lo que va" in w:  # "en lo que va del año": from its start to publication
        start = dt.date(p.year, 1, 1) if "año" in w else p.replace(day=1)
        return start, p, "year" if "año" in w else "month", "interval", "so far this year/month", False
    monday = p - dt.timedelta(days=p.weekday())
    if "fin de semana" in w:
        sat = p - dt.timedelta(days=(p.weekday() - 5) % 7)
        if "pasado" in w and sat > p - dt.timedelta(days=2):
            sat -= dt.timedelta(days=7)
        if future and "pasado" not in w:
            sat = p + dt.timedelta(days=(5 - p.weekday()) % 7)
        return sat, sat + dt.timedelta(days=1), "weekend", "interval", "weekend around publication", future
    if "semana" in w:
        if "pasada" in w:
            s = monday - dt.timedelta(days=7)
            return s, s + dt.timedelta(days=6), "week", "point", "week before publication", False
        if w == "esta semana":
            return monday, monday + dt.timedelta(days=6), "week", "point", "week of publication", future
        s = monday + dt.timedelta(days=7)
        return s, s + dt.timedelta(days=6), "week", "point", "week after publication", True
    if "mes" in w:
        if "pasado" in w:
            y, mth = (p.year, p.month - 1) if p.month > 1 else (p.year - 1, 12)
        else:
            y, mth = p.year, p.month
        s, e = _month_span(y, mth)
        return s, e, "month", "point", "month of/before publication", False
    if "año" in w:
        return dt.date(p.year - 1, 1, 1), dt.date(p.year - 1, 12, 31), "year", "point", "year before publication", False
    return None


def _resolve_month(g: Callable[[str], str | None], published: dt.date | None, future: bool):
    mth = MONTHS_ES[g("month4").lower()]
    if published is None:
        return None, None, "month", "point", "no published date", future
    y = published.year
    if not future and mth > published.month:
        y -= 1
    elif future and mth < published.month:
        y += 1
    s, e = _month_span(y, mth)
    return s, e, "month", "point", f"month {mth} {'after' if future else 'on or before'} publication", future


def _resolve_year(g: Callable[[str], str | None], published: dt.date | None, future: bool):
    y = int(g("year5"))
    return dt.date(y, 1, 1), dt.date(y, 12, 31), "year", "point", "year", False


#: Spanish date forms: the named groups that mark a match of each, and its resolver. A resolver
#: returns (start, end, precision, kind, reason, future) or None.
_RESOLVERS: tuple[tuple[tuple[str, ...], Callable[..., Any]], ...] = (
    (('dm', 'dm_short', 'num'), _resolve_day_month),
    (('my',), _resolve_month_year),
    (('wd',), _resolve_weekday),
    (('ago',), _resolve_ago),
    (('rel',), _resolve_relative),
    (('mon',), _resolve_month),
    (('yr',), _resolve_year),
)


def _resolve(m: re.Match[str], published: dt.date | None, future: bool):
    """The interval a matched Spanish date expression names, by its form (see :data:`_RESOLVERS`)."""
    for groups, resolver in _RESOLVERS:
        if any(m.group(name) for name in groups):
            return resolver(m.group, published, future)
    return None
