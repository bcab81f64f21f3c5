"""The one escaping function for every piece of text that reaches the map.

Article text is hostile input (see ``shared/design/SECURITY.md``):

- branca compiles each element's rendered script again as a Jinja2 template, so ``{{ … }}``
  or ``{% … %}`` in a property, popup or tooltip would run on the server;
- popups and tooltips put their HTML into JavaScript template literals and ``innerHTML``,
  so ``<tag>``, `` ` ``, ``${…}`` and ``\\`` would run or break out in the browser.

:func:`escape_text` HTML-escapes (quotes included) and then replaces `` ` `` ``$`` ``\\``
``{`` ``}`` with numeric character references, which the browser shows as the original
characters. Raw strings are kept for exports; only what goes on the map is escaped.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

__all__ = ["escape_text", "safe_url", "highlight", "escape_value"]

_EXTRA = str.maketrans(
    {
        "`": "&#96;",
        "$": "&#36;",
        "\\": "&#92;",
        "{": "&#123;",
        "}": "&#125;",
    }
)
# Line and paragraph separators and other C0/C1 controls have no business on the map.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def escape_text(value: object) -> str:
    """Escape ``value`` (any object; ``None``/NaN give ``""``) for HTML, JS and Jinja2.

    The result contains none of ``< > & " ' ` $ \\ { }`` except inside character
    references, so it is inert in HTML text, attributes, JS template literals, JSON and
    Jinja2 templates.
    """
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    text = _CONTROLS.sub(" ", str(value))
    return html.escape(text, quote=True).translate(_EXTRA)


def escape_value(value: Any) -> Any:
    """Escape strings (recursively in lists/tuples/dicts); pass finite numbers and bools.

    NaN and infinities become ``None`` so the result is strict JSON.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {escape_text(k): escape_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [escape_value(v) for v in value]
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return escape_value(value.tolist())
    return escape_text(value)


def safe_url(url: object) -> str:
    """Return an escaped http(s) URL for an ``href``, or ``""`` for anything else.

    ``javascript:``, ``data:`` and relative URLs are refused: a link on the map may only
    lead to a web page.
    """
    if not isinstance(url, str):
        return ""
    candidate = _CONTROLS.sub("", url).strip()
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return escape_text(candidate)


def highlight(sentence: object, needles: Iterable[object]) -> str:
    """Escape ``sentence`` and wrap the first occurrence of each needle in ``<mark>``.

    Matching is case-insensitive on the raw text; every piece is escaped separately, so the
    only markup in the result is the ``<mark>`` tags added here.
    """
    text = "" if sentence is None else str(sentence)
    if isinstance(sentence, float) and math.isnan(sentence):
        text = ""
    spans: list[tuple[int, int]] = []
    lowered = text.casefold() if len(text.casefold()) == len(text) else None
    for needle in needles:
        if not isinstance(needle, str) or not needle.strip():
            continue
        key = needle.casefold() if lowered is not None else needle
        start = (lowered if lowered is not None else text).find(key)
        if start < 0:
            continue
        end = start + len(key)
        if all(end <= s or start >= e for s, e in spans):
            spans.append((start, end))
    spans.sort()
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out.append(escape_text(text[pos:start]))
        out.append("<mark>" + escape_text(text[start:end]) + "</mark>")
        pos = end
    out.append(escape_text(text[pos:]))
    return "".join(out)
