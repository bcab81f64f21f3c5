"""Page furniture: the lines of a saved news page that are not the story.

Web pages saved as text keep their site menus, bylines, "Updated" stamps, photo captions,
related-article links, comment sections and subscription prompts. :func:`page_lines` labels
every line of an article so that the event stage reads only the story:

``body``
    the story's own paragraphs;
``heading``
    a headline or subheading (a short line without closing punctuation): it repeats the
    story and carries no date of its own, so it is not a source of events;
``caption``
    a photo caption: its events are real, dated by the caption's own date when it has one;
``byline``, ``related``, ``chrome``, ``comments``
    bylines and publication stamps, related-article links, site chrome (menus, "Today: …",
    share buttons, cookie and subscription prompts) and comment sections: no events, and
    their dates never date the story.

A line is one paragraph of the saved page (pages keep one paragraph per line); a line that
is itself hard-wrapped prose is joined back by :func:`page_lines` before it is labelled.
The dateline ("TAPACHULA, Mexico (AP) — …") is found by :func:`dateline`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Line", "page_lines", "dateline", "LABELS", "EVENT_LABELS"]

LABELS = ("body", "heading", "caption", "byline", "related", "chrome", "comments")
#: Labels whose lines may report events.
EVENT_LABELS = ("body", "caption")


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int  # exclusive, trailing blanks trimmed
    label: str


_I = re.IGNORECASE
_BYLINE = re.compile(
    r"^(?:by\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4}(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})*"
    r"(?:\s*(?:,|\||-|–|—)\s*.{0,60})?$"
    r"|(?:and\s+)?(?:published|updated|posted|last updated|first published|modified|date)\b\s*:?.{0,80}$"
    r"|(?:associated press|the associated press|reuters|afp|agence france-presse|staff|staff reports?|news desk|wire reports?)\s*$"
    r"|[A-Z][a-z]+\s+[A-Z][a-z]+\s*(?:,|\|)\s*(?:reporter|correspondent|writer|editor|contributor)\b.{0,40}$"
    r"|(?:mon|tues?|wed|thu(?:rs)?|fri|sat|sun)[a-z]*\.?,?\s+\w+\.?\s+\d{1,2},?\s+\d{4}.{0,30}$"
    r"|\w{3,9}\.?\s+\d{1,2},\s+\d{4}(?:\s*(?:at\s+)?\d{1,2}:\d\d\s*(?:[ap]\.?m\.?)?.{0,20})?$"
    r"|\d{1,2}\s+\w{3,9}\.?\s+\d{4}(?:\s*\d{1,2}:\d\d.{0,20})?$"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?:\s+\d{1,2}:\d\d.{0,20})?$"
    r"|\d+\s+(?:min(?:ute)?s?|hours?|days?)\s+ago$)",
    _I,
)
_CAPTION = re.compile(
    r"\((?:AP|AFP|Reuters|EFE|Getty)[^)]{0,60}(?:photo|images?)[^)]{0,60}\)"
    r"|\b(?:AP Photo|Photo(?:graph)?:|Photo by|Photo credit|Image:|Image caption|Image copyright|Caption:|Credit:"
    r"|FILE\s*[-–—]|FILE PHOTO|REUTERS/|/\s*Reuters|AFP via Getty|Getty Images|/\s*AFP\b|\(AFP\s*/|/AP\b|Courtesy of"
    r"|\(Photo[^)]*\)|\((?:[A-Z][\w.]*\s*){1,4}/\s*(?:AP|AFP|EFE|Reuters|Getty)[^)]*\))",
)
_RELATED = re.compile(
    r"^(?:related(?: stories| articles| coverage| content| news)?|read more|read also|also read|see also|more from|more on|"
    r"more stories|recommended(?: for you)?|trending(?: now| stories)?|latest(?: news| stories)?|most (?:read|popular|viewed)|"
    r"you may also like|you might also like|watch|video|listen|top stories|editor'?s picks|popular|up next|next up|"
    r"explore more|in other news|sponsored|promoted|from around the web|further reading)\b\s*[:|>»-]?",
    _I,
)
_CHROME = re.compile(
    r"^(?:skip to (?:main )?content|skip navigation|menu|search|home|sections?|sign in|log ?in|sign up|subscribe|register|"
    r"newsletters?|advertisement|ad|share(?: this)?(?: article| story)?|share on \w+|tweet|email|print|facebook|twitter|"
    r"whatsapp|linkedin|reddit|copy link|close|toggle|open menu|today\s*:|weather|cookie|privacy policy|terms of (?:use|service)|"
    r"accessibility|contact us|about us|careers|©|copyright|all rights reserved|download (?:the|our) app|follow us|"
    r"click here|listen to this article|reading time|min read|\d+\s*min read|support (?:our|independent) journalism|"
    r"already a subscriber|become a member|donate|log out|my account|breaking news|live|watch live|show more|load more|"
    r"español|english|en español|back to top|tags?\s*:|topics?\s*:|filed under|categories\s*:|jump to)(?![\w])",
    _I,
)
_CHROME_ANYWHERE = re.compile(
    r"\b(?:all rights reserved|cookies? (?:policy|settings)|subscribe (?:now|today|to)|sign up for (?:our|the)|"
    r"newsletter|this material may not be published|© \d{4}|copyright \d{4}|unlock (?:this|unlimited)|"
    r"to continue reading|create (?:a|your) free account|enable javascript|your browser)\b",
    _I,
)
_COMMENTS = re.compile(
    r"^(?:comments?|\d+\s+comments?|join the (?:conversation|discussion)|leave a (?:comment|reply)|post a comment|"
    r"reply|report abuse|commenting (?:policy|guidelines)|show comments|view comments)\b",
    _I,
)
_BULLET = re.compile(r"^(?:[-•*·–—]|\d{1,2}[.)])\s+")
_END_PUNCT = re.compile(r"[.!?:;\"”’')\]]\s*$")
_WORD = re.compile(r"\w+")
_DATELINE = re.compile(
    # "TAPACHULA, Mexico (AP) — ", "MEXICO (Reuters) – ", and the agencies' title-case form
    # "Agua Caliente, Honduras, Jan 15 (EFE).- "
    r"(?P<place>[A-Z][A-ZÁÉÍÓÚÑÜ.'’ -]{2,40}(?:,\s*[A-Z][\w.'’ -]{1,30}){0,2})"
    r"\s*(?:\((?P<agency>[^)]{1,30})\))?\s*(?:[—–]|--|-(?=\s))\s*"
    r"|(?P<tplace>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}(?:,\s*[A-Z][\w.'’ -]{1,30}){0,2})"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*\((?P<tagency>AP|AFP|EFE|Reuters|Xinhua|ANSA|DPA|Notimex|UPI)\)\s*(?:\.?-|[—–]|--|:)\s*"
)


_CREDIT_ONLY = re.compile(r"^\(?\s*(?:[A-Z][\w.'’-]*\s*){0,4}/\s*(?:AP|AFP|EFE|Reuters|REUTERS|Getty Images|Getty)[\w /]*\)?$")


def _label(line: str, seen_body: bool) -> str:
    bullet = bool(_BULLET.match(line.strip()))
    s = _BULLET.sub("", line.strip()) if bullet else line.strip()
    if _CREDIT_ONLY.match(s):
        return "credit"
    words = len(_WORD.findall(s))
    if _COMMENTS.match(s) and words <= 8:
        return "comments"
    if _CAPTION.search(s):
        return "caption"
    if _BYLINE.match(s) and words <= 25:
        return "byline"
    if _RELATED.match(s) and (words <= 20 or not _END_PUNCT.search(s)):
        return "related"
    if (_CHROME.match(s) and words <= 12) or (_CHROME_ANYWHERE.search(s) and words <= 40):
        return "chrome"
    if bullet and words >= 4 and not _BYLINE.match(s):
        return "body"  # a bullet point of the story
    if words <= 2 and not _END_PUNCT.search(s):
        return "chrome"  # a menu item, a tag, a button
    if not _END_PUNCT.search(s) and words <= 25:
        # A headline, subheading or a related-article title: no closing punctuation.
        return "heading" if not seen_body else "related" if words >= 4 and s[:1].isupper() and _title_like(s) else "heading"
    return "body"


def _title_like(s: str) -> bool:
    return sum(w[:1].isupper() for w in s.split()) >= max(2, len(s.split()) // 2)


def page_lines(text: str) -> list[Line]:
    """Every non-blank line of ``text`` with its label, in order (see the module doc)."""
    lines: list[Line] = []
    seen_body = False
    for m in re.finditer(r"[^\n]+", text):
        a, b = m.start(), m.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a == b:
            continue
        label = _label(text[a:b], seen_body)
        if label == "credit":
            # a photo credit on a line of its own: it and the caption above it
            label = "caption"
            if lines and lines[-1].label in ("body", "heading"):
                lines[-1] = Line(lines[-1].start, lines[-1].end, "caption")
        seen_body = seen_body or label == "body"
        lines.append(Line(a, b, label))
    return lines


def dateline(text: str, lines: list[Line]) -> tuple[int, int, int] | None:
    """The dateline at the head of the first body paragraphs ("TAPACHULA, Mexico (AP) — "):
    the span of its place words and where the story's first sentence starts after it; or None."""
    for line in [ln for ln in lines if ln.label == "body"][:6]:  # (site notices may come first)
        m = _DATELINE.match(text, line.start, line.end)
        if m and any(c.islower() for c in text[m.end():m.end() + 40]):
            group = "place" if m.group("place") else "tplace"
            return m.start(group), m.end(group), m.end()
    return None
