"""Which language an article is written in: English or Spanish (the two the pipeline reads).

:func:`detect_language` counts the commonest function words of each language (articles,
prepositions, conjunctions, pronouns: words every sentence has and no place name is). A
text is Spanish when its Spanish function words clearly outnumber its English ones; a text
with too few of either (a headline, a list of names) is English, the pipeline's default.
Deterministic, no model, ~0.1 ms per article; chosen over py3langid after measuring both
on the development sets (see ``docs/spanish.md``).

An article's front matter ``language:`` wins over detection (:func:`article_language`).
"""

from __future__ import annotations

import re

__all__ = ["ENGLISH", "SPANISH", "LANGUAGES", "detect_language", "article_language", "normalise_language"]

ENGLISH = "en"
SPANISH = "es"
#: Languages the pipeline reads; anything else is read as English.
LANGUAGES = (ENGLISH, SPANISH)

_ES = frozenset(
    """de la que el en los del las por con una para se al su es más pero sus le ya este esta fue
    son también como desde hasta hacia según entre sobre cuando donde porque aunque muy sin ha han
    había fueron será están está dijo lo unos unas otro otra""".split()
)
_EN = frozenset(
    """the of and to in is that for on with was as by at from are were have has had this which
    their they been will would said but not an it its who after about into than there""".split()
)
_WORD = re.compile(r"[^\W\d_]+")
_NAMES = {"es": SPANISH, "spa": SPANISH, "spanish": SPANISH, "español": SPANISH, "espanol": SPANISH,
          "castellano": SPANISH, "en": ENGLISH, "eng": ENGLISH, "english": ENGLISH, "inglés": ENGLISH}


def detect_language(text: str, *, sample: int = 20_000) -> str:
    """``"es"`` or ``"en"`` for ``text`` (its first ``sample`` characters)."""
    es = en = 0
    for m in _WORD.finditer(text[:sample]):
        w = m.group(0).lower()
        if w in _ES:
            es += 1
        elif w in _EN:
            en += 1
    # "a", "y", "o" are Spanish words too but also English letters and initials: not counted
    return SPANISH if es >= 5 and es > 2 * en else ENGLISH


def normalise_language(value: object) -> str | None:
    """A front-matter ``language:`` value as a code ("Spanish", "es-MX" -> "es"); None when
    empty. Codes the pipeline does not read are kept as given (lower case)."""
    if value is None:
        return None
    s = str(value).strip().lower()
    if not s:
        return None
    s = s.replace("_", "-")
    return _NAMES.get(s) or _NAMES.get(s.split("-")[0]) or s


def article_language(article) -> str:
    """The language of an :class:`~geo.sources.corpus.Article`: its stated ``language``, else detected."""
    return getattr(article, "language", None) or detect_language(article.text)
