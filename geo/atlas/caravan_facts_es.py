"""What Spanish news says of a caravan as a whole: how many people it has and where they come from.

The Spanish counterparts of :func:`geo.atlas.events.caravan_size_statements` and of the
English homelands (demonyms, "from Honduras"), feeding :func:`geo.atlas.caravans.group_caravans`
the same way:

- **Sizes**: the first count of people ("unos 2 mil migrantes", "más de 3,000 personas",
  "alrededor de 7.000 centroamericanos") in a sentence that names a caravan (or "el éxodo",
  "el contingente"), unless it is a rate ("500 migrantes al día") or a count of the
  detained, deported, rescued, dead or injured ("300 migrantes fueron detenidos").
- **Homelands**: plural demonyms for people ("los hondureños", "migrantes salvadoreñas"; not
  "las autoridades guatemaltecas") and countries after "procedentes de", "provenientes de",
  "originarios de", "oriundos de", "huyendo de", "de origen"... ("procedentes de Honduras").
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from geo.atlas.events import PeopleCount
from geo.atlas.events_es import find_people_counts_es
from geo.model import Toponym

__all__ = ["caravan_size_statements_es", "homelands_es"]

_CARAVAN_ES = re.compile(r"\b(?:caravanas?|éxodo|contingentes?)\b", re.I)
_RATE_ES = re.compile(r"\s*(?:al\s+d[ií]a|diari[oa]s|por\s+d[ií]a|cada\s+d[ií]a|por\s+semana|a\s+la\s+semana|al\s+mes)\b", re.I)
_NOT_SIZE_ES = re.compile(
    r"\s*(?:\w+\s+){0,2}?(?:que\s+)?(?:fueron\s+|han\s+sido\s+|habían\s+sido\s+|ya\s+)?"
    r"(?:detenid|deportad|rescatad|asegurad|repatriad|devuelt|retornad|muert|herid|fallecid|arrestad|interceptad)",
    re.I,
)
#: Counts of a part of a group, not of the caravan.
_PART_NOUNS = re.compile(r"(?:niños|menores|familias)$", re.I)


def caravan_size_statements_es(text: str, sentences: Sequence[tuple[int, int]]) -> list[PeopleCount]:
    """People counts that state a caravan's size, one per sentence that names a caravan."""
    found: list[PeopleCount] = []
    for a, b in sentences:
        if not _CARAVAN_ES.search(text, a, b):
            continue
        for count in find_people_counts_es(text, a, b):
            if _PART_NOUNS.search(count.text) or _RATE_ES.match(text, count.end) or _NOT_SIZE_ES.match(text, count.end):
                continue
            found.append(count)
            break
    return found


_DEMONYMS_ES = {
    "hondureñ": "HN", "guatemaltec": "GT", "salvadoreñ": "SV", "nicaragüens": "NI", "costarricens": "CR",
    "panameñ": "PA", "beliceñ": "BZ", "mexican": "MX", "cuban": "CU", "haitian": "HT", "venezolan": "VE",
    "colombian": "CO", "ecuatorian": "EC", "peruan": "PE", "dominican": "DO", "estadounidens": "US",
}
_DEMONYM_RX = re.compile(r"\b(?P<stem>" + "|".join(_DEMONYMS_ES) + r")(?:os|as|es)\b", re.I)
#: Nouns a demonym describes without meaning people of that country.
_NOT_PEOPLE = re.compile(
    r"\b(?:autoridades|polic[ií]as|agentes|fuerzas|militares|soldados|funcionarios|tropas|aduanas|instituciones|"
    r"organizaciones|empresas|fronteras|costas|tierras|carreteras|ciudades|comunidades|aguas|selvas|cancillerías|"
    r"embajadas|consulados|gobiernos|medios|organismos|elementos|uniformados|oficiales)\s+$",
    re.I,
)
_FROM_ES = re.compile(
    r"\b(?:procedentes?|provenientes?|originari[oa]s?|oriund[oa]s?|nativ[oa]s?|expulsad[oa]s?|llegad[oa]s?)\s+de\s+$"
    r"|\b(?:huyendo|huyen|huían|huyeron|huir|escapando|escapan|vienen|venían|salieron)\s+de\s+$"
    r"|\bde\s+(?:origen|nacionalidad)\s+$",
    re.I,
)


def homelands_es(text: str, toponyms: Sequence[Toponym], gazetteer: Any = None) -> tuple[Toponym, ...]:
    """Countries the people of a Spanish article are said to come from: its plural demonyms for
    people (a ``demonym`` toponym at the country's point) and the countries it names after
    "procedentes de", "huyendo de", "de origen"..."""
    found = [t for t in toponyms if t.kind == "country" and t.country_code
             and _FROM_ES.search(text, max(0, t.start - 30), t.start)]
    if gazetteer is None:
        from geo.gazetteer.index import load_gazetteer

        gazetteer = load_gazetteer()
    for m in _DEMONYM_RX.finditer(text):
        if _NOT_PEOPLE.search(text, max(0, m.start() - 30), m.start()):
            continue
        cc = _DEMONYMS_ES[m.group("stem").lower()]
        country = gazetteer.country(cc)
        if country is None:
            continue
        found.append(Toponym(start=m.start(), end=m.end(), name=m.group(0), lat=country.lat, lon=country.lon,
                             kind="demonym", geonameid=country.geonameid, country_code=cc, confidence=0.9,
                             reason=f"Spanish demonym of {country.name}"))
    return tuple(sorted(found, key=lambda t: t.start))
