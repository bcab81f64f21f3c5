"""Admin-1 units by their bare name: "Cortés" for GeoNames' "Cortés Department".

GeoNames names many admin-1 units with a generic word ("Cortés Department", "Izabal
Department", "Departamento de Boaco", "Limón Province", "State of Mexico"), while the news
names them bare ("CORTÉS, HONDURAS.-"). The bare names are *not* added to the gazetteer's
name index (a bare "Santa Rosa" would then be a Guatemalan department everywhere): the
resolver asks :func:`admin1_code_by_bare_name` only when the text itself puts the name in a
country ("X, País", a dateline) and no place of that name lies in that country.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from geo.paths import DATA

__all__ = ["bare_admin1_name", "admin1_code_by_bare_name"]

ADMIN1_CODES = DATA / "geonames" / "admin1CodesASCII.txt"

#: GeoNames' generic words around admin-1 names, in English and in the country's language.
_GENERIC = re.compile(
    r"^(?:(?:departamento|provincia|estado|region|municipality|department|province|state|region|governorate|"
    r"prefecture|district|county|oblast)\s+(?:de\s+la\s+|del\s+|de\s+|of\s+(?:the\s+)?))"
    r"|\s+(?:department|departamento|province|provincia|state|region|governorate|prefecture|district|county|oblast|"
    r"municipality|municipio|krai|kray|voivodeship|canton)$"
)


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", s).split())


def bare_admin1_name(name: str) -> str:
    """``name`` folded (case, accents) without GeoNames' generic word: "Cortés Department" ->
    "cortes", "Departamento de Boaco" -> "boaco", "State of Mexico" -> "mexico"."""
    folded = _fold(name)
    bare = _GENERIC.sub("", folded).strip()
    return bare or folded


@functools.lru_cache(maxsize=1)
def _bare_names() -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    try:
        lines = ADMIN1_CODES.read_text(encoding="utf-8").splitlines()
    except OSError:
        return out
    for line in lines:
        parts = line.split("\t")
        if len(parts) < 3 or "." not in parts[0]:
            continue
        cc = parts[0].split(".")[0]
        for name in (parts[1], parts[2]):
            out.setdefault((cc, bare_admin1_name(name)), parts[0])
    return out


def admin1_code_by_bare_name(country_code: str, name: str) -> str | None:
    """The admin-1 code ("HN.06") of the unit of ``country_code`` whose name, without its
    generic word, is ``name`` ("Cortés", "CORTÉS"); None when the country has none."""
    return _bare_names().get((country_code, bare_admin1_name(name)))
