"""Spanish sentences -> dated, located events, by rules (no dependency parse).

The Spanish counterpart of :func:`geo.atlas.events.extract_events`: the same inputs (the article's
text, resolved toponyms, :class:`~geo.text.dates.TimeExpression` records, sentence spans) and the
same :class:`~geo.atlas.events.EventMention` output, so merging, caravans, routes, crossings,
evidence, exports and the dashboard work unchanged. No Spanish parser installs from the
package registry for the project's spaCy, so the clause structure is read from the words:

1. **Where the story is**: page furniture is skipped as in English (:func:`geo.text.furniture.page_lines`;
   captions are read); the dateline ("TAPACHULA, Chis.—") is the default place.
2. **The predicate**: a verb form in the Spanish event lexicon (:data:`PREDICATES`: salir,
   partir, avanzar, caminar, llegar, arribar, cruzar, ingresar, pernoctar, acampar, detener,
   deportar, disolverse, abordar autobuses, cerrar el puente...), conjugated (preterite,
   present, future, participle, periphrastic "va a salir"); negated predicates ("no
   lograron cruzar") and goals ("con el fin de llegar", "para cruzar") report nothing.
3. **Its place**: the toponyms of its clause (up to the next predicate or the end of the
   sentence) by their preposition: origin "de"/"desde" for departures, destination
   "a"/"hacia"/"hasta"/"rumbo a" for arrivals, position "en"/"por" for the rest; the most
   specific place wins ("a Ciudad Hidalgo, en Chiapas" -> Ciudad Hidalgo). Failing that, a
   place earlier in the sentence ("En Tapachula, los migrantes..."), the paragraph's place,
   then the dateline.
4. **Its time**: the time expression nearest the predicate in its sentence; else the
   narrative time (the last event's); else the publication date (present tense).
5. **Its status**: planned (future forms "saldrán", "va a", "planean", "prevén"),
   hypothetical ("podrían", "si"), else reported.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Sequence

from geo.atlas.events import EventMention, PeopleCount, event_sentences
from geo.text.furniture import EVENT_LABELS, page_lines
from geo.model import Toponym

__all__ = ["extract_events_es", "PREDICATES", "find_people_counts_es"]

#: Every -ar ending news uses (3rd persons and "we": preterite, imperfect, present, future,
#: conditional, subjunctive, participle, gerund, infinitive).
_PRET = r"(?:ó|aron|a|an|ará|arán|aremos|aba|aban|ábamos|ado|ados|ada|adas|ando|ar|arían|aría|amos|e|en|ara|aran|ase|asen)"
_ER = r"(?:ió|ieron|e|en|emos|imos|erá|erán|ía|ían|íamos|ido|idos|ida|idas|iendo|er|ir|irá|irán|iría|irían|iera|ieran)"

#: What "atravesar" crosses when it is a crossing ("atravesaron el río", "la frontera", "el muro");
#: through a state, a country or a jungle it is a march ("atraviesa el estado de Chiapas").
_BARRIER = r"\s+(?:el|la|los|las)\s+(?:r[íi]os?|fronteras?|puentes?|l[íi]nea|valla|muro|cerco|barda)\b"

#: Event type -> regular expression of the Spanish forms that report it.
PREDICATES: dict[str, str] = {
    "departure": (
        rf"(?:la|su)\s+salida|sal(?:ió|ieron|e|en|imos|drá|drán|dremos|dría|drían|ir|iendo|ido|ida|idos|idas|ían|ía|ieran|iera|gan|ga)|part{_ER}"
        rf"|emprendi(?:ó|eron)|inici(?:ó|aron|a|an|ará|arán|ar)\s+(?:su|la|el)\s+(?:marcha|caminata|travesía|recorrido|trayecto|camino|viaje|éxodo)"
        rf"|comenz(?:ó|aron)\s+(?:su|la|el)\s+(?:marcha|caminata|travesía|recorrido|trayecto|camino|viaje|éxodo|caravana)"
        rf"|inici(?:ó|aron)|comenz(?:ó|aron)"
        rf"|abandon{_PRET}|se\s+pusieron\s+en\s+marcha|arranc(?:ó|aron)|zarp(?:ó|aron)"
    ),
    "march": (
        rf"avanz{_PRET}|camin{_PRET}|march{_PRET}|(?:atraves{_PRET}|atravies(?:a|an|e|en))(?!{_BARRIER})|recorri(?:ó|eron|endo)|recorre[n]?|recorrían"
        rf"|contin(?:uó|uaron|úa|úan|uará|uarán|uando|uaba|uaban)\s+(?:su|el|la|con\s+su)\s+(?:camino|marcha|avance|recorrido|trayecto|paso|ruta|viaje|travesía|caminata|éxodo)"
        rf"|reanud{_PRET}|se\s+dirig(?:e|en|ía|ían|ió|ieron|irán)|se\s+desplaz{_PRET}|transit{_PRET}"
        rf"|prosigui(?:ó|eron)"
    ),
    "arrival": rf"lleg{_PRET}|lleg(?:ue|uen|uemos)|arrib{_PRET}|alcanz(?:ó|aron|an|a)|(?:el|su)\s+arribo",
    "crossing": (
        rf"cruz{_PRET}|(?:atraves{_PRET}|atravies(?:a|an|e|en))(?={_BARRIER})|ingres{_PRET}|penetr{_PRET}|(?:el|su)\s+ingreso"
        # "treparon la valla fronteriza", "escalaron el muro"
        rf"|(?:trep|escal){_PRET}\s+(?:por\s+)?(?:la|el|las|los)\s+(?:valla|muro|barda|cerco|reja)s?"
        rf"|entr(?:ó|aron|an|a|arán)\s+(?:a|al|en)\s+(?:territorio|suelo|el\s+país|México|Guatemala|Estados\s+Unidos|Honduras)"
        rf"|rompi(?:ó|eron)|derrib(?:ó|aron)|traspas(?:ó|aron|an|a|ar)"
    ),
    "camp": (
        rf"pernoct{_PRET}|pas(?:ó|aron|an|a|ará|arán|ar|ando)\s+la\s+noche|durmi(?:ó|eron)|duerm(?:e|en)|descans{_PRET}|acamp{_PRET}|se\s+instal{_PRET}|permanec{_ER}"
        rf"|se\s+refugi{_PRET}|se\s+concentr{_PRET}|se\s+congreg{_PRET}|se\s+reuni(?:ó|eron)|se\s+reún(?:e|en)"
        rf"|se\s+detuv(?:o|ieron)|se\s+detien(?:e|en)|esper{_PRET}\s+en|se\s+encuentra[n]?|varad(?:o|os|a|as)|se\s+quedaron|albergad(?:o|os|as)"
        # people somewhere near: "están cerca de la ciudad de Guadalajara", "estaban a 20 kilómetros de Arriaga"
        r"|est(?:á|án|aba|aban)\s+(?:cerca|a\s+(?:unos\s+|unas\s+)?\d+\s+(?:km|kilómetros|millas))\s+de"
        # a stop: "harán una parada en Ciudad Isla", "hicieron una escala en Acayucan"
        r"|(?:har(?:á|án|ía|ían)|hi(?:zo|cieron)|hac(?:e|en|ía|ían|er|iendo))\s+(?:una\s+|un\s+)?(?:parada|escala|alto|pausa)"
        # people present: "en Tijuana había otros 2 mil 700", "hay unos 500 migrantes en el albergue"
        r"|(?:hay|había|habían)(?:\s+(?:otros|otras|unos|unas|más\s+de|alrededor\s+de|cerca\s+de|al\s+menos))?"
        r"(?=\s+\d[\d.,]*(?:\s+mil)?(?:\s+\d+)?\s+(?:migrantes|personas|integrantes|centroamericanos|hondureños|guatemaltecos|"
        r"salvadoreños|extranjeros|solicitantes|que)\b)"
    ),
    "blocked": (
        rf"bloque{_PRET}|fren{_PRET}|contuv(?:o|ieron)|conten(?:er|iendo|ía|ían)|contenid(?:o|os|a|as)|contien(?:e|en)"
        rf"|impidi(?:ó|eron|endo)|imped(?:ir|ido|ida|idos|idas|ía|ían)|impid(?:e|en)|encapsul{_PRET}"
        rf"|se\s+disolv(?:ió|ieron|erá|erán)|disolv(?:ió|ieron|er)|disuel(?:ve|ven|ta|to)|se\s+disgreg{_PRET}|dispers{_PRET}"
        rf"|desintegr{_PRET}|repeli(?:ó|eron|da|do|dos|das)|repliegu|replegaron|cerc(?:ó|aron|ado|ados|ada|adas)|desarticul{_PRET}|retuv(?:o|ieron)|retenid(?:o|os|a|as)"
        rf"|(?:les\s+)?cerraron\s+el\s+paso|se\s+dividi(?:ó|eron)|se\s+desband{_PRET}|se\s+fragment{_PRET}|desmantel{_PRET}"
    ),
    "detention": (
        rf"detuv(?:o|ieron)|deten(?:ido|idos|ida|idas|er|iendo|ía|ían|ción|ciones)|detien(?:e|en)|arrest{_PRET}|deport{_PRET}|retorn(?:ó|aron|ados|adas)"
        rf"|asegur(?:ó|aron|ados|adas)|rescat(?:ó|aron|ados|adas)|se\s+entreg(?:ó|aron|an)|devuelt(?:o|os|a|as)"
        rf"|repatri{_PRET}|expuls{_PRET}|captur{_PRET}|intercept{_PRET}"
    ),
    "transport": (
        r"abord(?:ó|aron|an|a|ar|ando)|sub(?:ieron|ió|en|ir)\s+(?:a|en)\s+(?:los\s+|las\s+|unos\s+|unas\s+)?(?:autobuses|camiones|tráileres|trailers|tren|buses|vehículos|camionetas|pipas|lanchas)"
        rf"|traslad{_PRET}|en\s+autobuses|evacu{_PRET}|llevad(?:o|os|a|as)\s+(?:a|al|hasta|hacia)\b"
    ),
    "violence": (
        rf"enfrent(?:ó|aron|amiento|amientos)|choc(?:ó|aron)|gas(?:es)?\s+lacrimógenos?|agredi(?:ó|eron|dos)|golpe(?:ó|aron|ados)"
        rf"|secuestr{_PRET}|disparos|balacera|atac(?:ó|aron|ados)|riña|zafarrancho|apedre{_PRET}|pedradas"
        rf"|forcej{_PRET}|forcejeos?|empujones|persegu(?:ían|idos|idas|ido)|persigui(?:ó|eron)|balas\s+de\s+goma|toletazos|macanazos"
    ),
    "death": (
        r"muri(?:ó|eron)|muert(?:o|os|a|as)|falleci(?:ó|eron|dos|das|do|da)|ahog(?:ó|aron|ado|ados)|herid(?:o|os|a|as)"
        r"|perdi(?:ó|eron)\s+la\s+vida|sin\s+vida|asesinad(?:o|os|a|as)"
    ),
    "port_status": (
        r"(?:cierr(?:a|an|e|en)|cerr(?:ó|aron|ado|ada|ará|arán|aba|aban)|reabri(?:ó|eron|rá|rán)|suspendi(?:ó|eron|do|da))\s+(?:temporalmente\s+|totalmente\s+|parcialmente\s+)?(?:el\s+|la\s+|los\s+|las\s+)?"
        r"(?:paso|puente|garita|frontera|cruce|puerto)s?"
        r"|(?:cierre|reapertura)\s+(?:total\s+|temporal\s+|parcial\s+)?(?:de\s+la|del|de\s+los|de\s+las)\s+(?:paso|puente|garita|frontera|cruce|puerto)s?"
        r"|(?:estuvo|estuvieron|está|están|permaneci(?:ó|eron)|permanece[n]?|seguía[n]?|sigue[n]?|fue|fueron|quedó|quedaron|ha\s+sido|han\s+sido)\s+"
        r"(?:cerrad|reabiert)(?:o|a|os|as)"
    ),
    "policy": rf"despleg{_PRET}|despliegu(?:e|en)|se\s+apost{_PRET}|otorg(?:ó|aron|ará|arán)"
              r"|entreg(?:ó|aron)\s+(?:visas|tarjetas|permisos|documentos)|firm(?:ó|aron)",
    "other": r"protest(?:ó|aron|an|a)|se\s+manifest(?:ó|aron)|misa|oficiaron",
}
_PRED_RX = re.compile(
    r"(?<![\w])(?:" + "|".join(f"(?P<{t}>{rx})" for t, rx in PREDICATES.items()) + r")(?![\w])", re.I
)
_NEGATED = re.compile(r"\b(?:no|nunca|ni|sin)\s+"
                      r"(?:(?:se|les?|lo|la|los|las|han|ha|había|habían|pudieron|pudo|lograron|logró)\s+){0,2}$", re.I)
# A predicate that states a goal, not an event: "con el fin de llegar", "para cruzar", "buscan llegar".
_GOAL = re.compile(
    r"\b(?:para|de|fin\s+de|objetivo\s+de|intención\s+de|busc(?:a|an|aba|aban|ó|aron|ará|arán|ando|ar)|"
    r"quier(?:e|en)|quer(?:ía|ían|er)|quisieron|quiso|pretend(?:e|en|ía|ían|ió|ieron|iendo|er)|esper(?:a|an|aba|aban|aron)|"
    r"intent(?:a|an|aba|aban|ó|aron|ando|ar)|trat(?:a|an|aba|aban|ó|aron|ando|ar)\s+de|deb(?:e|en|ía|ían|erá|erán|ería|erían|ió|ieron)|"
    r"poder|sueño\s+de|meta\s+de|antes\s+de|tras|después\s+de|al"
    # "para ser trasladados", "para ayudar a detener", "para poder llegar": a purpose a few words on
    r"|para\s+(?:ser|poder|así|luego|seguir|continuar|ayudar\s+a|volver\s+a|tratar\s+de|intentar)"
    # "impacientes por llegar", "dispuestos a cruzar"
    r"|(?:impacientes?|ansios[oa]s?|deseos[oa]s?|dispuest[oa]s?|decidid[oa]s?)\s+(?:por|a)"
    # "reducir la llegada", "evitar el ingreso", "frenar el cruce": what a policy aims to prevent
    r"|(?:reducir|evitar|frenar|contener|impedir|disuadir|desalentar|limitar)\s+(?:la|el|las|los|su|sus))\s+$",
    re.I,
)
_FUTURE = re.compile(
    r"(?:\b\w+(?:rá|rán|remos)\b|\b(?:va|van|vamos|iba|iban)\s+a\s+$|\b(?:planea[n]?|prevé[n]?|preve[n]?|tiene[n]?\s+previsto|"
    r"pretende[n]?|buscará[n]?|anunci(?:ó|aron)\s+que|convoca[n]?\s+a)\s+(?:\w+\s+){0,2}$)",
    re.I,
)
# Where a predicate's clause ends before the next predicate: a relative or adverbial clause,
# a purpose ("llegaron a Tijuana, donde ...", "rumbo a Tijuana, que es ...", "antes de solicitar asilo en ...").
_CLAUSE_END = re.compile(
    r",\s*(?:que|donde|quien(?:es)?|cuando|mientras|aunque|pero|sin\s+embargo|según|dijo|afirmó|señaló|indicó)\b"
    r"|\b(?:al\s+mismo\s+tiempo|a\s+la\s+vez|mientras)\s+que\b"
    r"|\b(?:antes|después|luego|a\s+fin|con\s+el\s+fin|con\s+el\s+objetivo|a\s+pesar)\s+de\b|\bpese\s+a\b|\bpara\s+(?:solicitar|pedir|buscar|llegar|tramitar|ingresar|cruzar)\b"
    # a relative clause of intent: "otros 2 mil 700 que buscan pedir asilo en Estados Unidos" (a goal, not a position)
    r"|\bque\s+(?:busca[n]?|buscaban|quiere[n]?|querían|pretende[n]?|pretendían|desea[n]?|deseaban|intenta[n]?|intentaban|"
    r"planea[n]?|planeaban|esperan\s+(?:llegar|cruzar|pedir|solicitar))\b",
    re.I,
)
_ATTEMPT = re.compile(r"\b(?:intent(?:a|an|aba|aban|ó|aron|ar|ando)|busc(?:a|an|aba|aban|ó|aron|ar|ando)|"
                      r"trat(?:a|an|aba|aban|ó|aron|ar|ando)\s+de|quer(?:ía|ían|er)|quisieron|quiso|pretend\w*)\s+$", re.I)
_HYPOTHETICAL = re.compile(r"\b(?:podría[n]?|podrán|si\s|de\s+ser|en\s+caso\s+de)", re.I)
_ORIGIN = re.compile(r"(?:\b(?:de|desde|del)\s+(?:la\s+|el\s+|los\s+|las\s+)?(?:ciudad\s+de\s+|municipio\s+de\s+)?)$", re.I)
_DEST = re.compile(
    r"(?:\b(?:a|al|hasta|hacia|rumbo\s+a|camino\s+a|con\s+destino\s+a|en\s+dirección\s+a|para)\s+(?:la\s+|el\s+|los\s+|las\s+)?"
    r"(?:ciudad\s+de\s+|municipio\s+de\s+|comunidad\s+de\s+|capital\s+|frontera\s+(?:con|de)\s+)?)$", re.I)
_HEADING = re.compile(r"\b(?:hacia|rumbo\s+a|rumbo\s+al|camino\s+a|con\s+destino\s+a|en\s+dirección\s+a|ruta\s+hacia)"
                      r"\s+(?:\S+\s+){0,3}$", re.I)
# "hacia el punto de Agua Caliente", "a la ciudad de Tijuana": the "de" names the destination
_DEST_OF = re.compile(r"\b(?:a|al|hasta|hacia|rumbo\s+a)\s+(?:la\s+|el\s+|los\s+|las\s+)?[a-záéíóúñ]+\s+(?:de|del)\s+$", re.I)
_AT = re.compile(r"(?:(?:\b(?:en|por|sobre|junto\s+a|frente\s+a|entre)\s+(?:la\s+|el\s+|los\s+|las\s+)?"
                 # "a la altura del municipio de", "en las inmediaciones de", "a las afueras de": near, so at
                 r"|\b(?:cerca|a\s+la\s+altura|(?:en|a)\s+las\s+(?:inmediaciones|afueras|cercanías)|a\s+las\s+puertas)\s+"
                 r"(?:de\s+(?:la\s+|los\s+|las\s+)?|del\s+))"
                 r"(?:(?:ciudad|municipio|comunidad|localidad|poblado|ejido|cabecera\s+municipal)\s+(?:de\s+)?|puente\s+|garita\s+de\s+"
                 r"|(?:frontera|aduana|puesto(?:\s+fronterizo)?|punto\s+fronterizo|paso\s+fronterizo)\s+de\s+)?)$",
                 re.I)
_ABOUT = re.compile(r"caravana|migrante|éxodo|hondureñ|centroamerican|guatemaltec|salvadoreñ|haitian|cubanos|venezolan|"
                    r"extranjer|personas|familias|grupo|contingente|marcha|viacrucis|vía\s+crucis", re.I)
#: "el campo deportivo Emiliano Zapata", "el albergue Jesús el Buen Pastor": a facility named after a
#: person; a town of that name elsewhere is not meant (curated facilities resolve as facilities).
_FACILITY_BEFORE = re.compile(
    r"\b(?:campo|unidad|deportivo|deportiva|estadio|albergue|parque|domo|escuela|colegio|iglesia|parroquia|calle|avenida|"
    r"colonia|barrio|hospital|mercado|auditorio|gimnasio|polideportivo|plaza|casa)\s+(?:deportiv[oa]\s+|municipal\s+)?$", re.I)
_SPECIFICITY = {"crossing": -1, "facility": -1, "place": 0, "city": 0, "admin2": 1, "river": 2, "border": 2,
                "highway": 3, "admin1": 3, "country": 4, "region": 5, "continent": 6}
_TOWN_KINDS = ("crossing", "facility", "place", "city", "admin2")
#: Numbers written as words ("dos mil", "quinientos", "mil 500").
_NUMBER_WORDS_ES = {
    "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
    "doce": 12, "quince": 15, "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "cien": 100, "ciento": 100,
    "doscientos": 200, "doscientas": 200, "trescientos": 300, "trescientas": 300, "cuatrocientos": 400,
    "cuatrocientas": 400, "quinientos": 500, "quinientas": 500, "seiscientos": 600, "seiscientas": 600,
    "setecientos": 700, "setecientas": 700, "ochocientos": 800, "ochocientas": 800, "novecientos": 900,
    "novecientas": 900, "mil": 1000,
}
_NUM = (r"(?P<num>\d{1,3}(?:[.,\s]\d{3})+(?![\d])|\d+(?:[.,]\d+)?|" + "|".join(sorted(_NUMBER_WORDS_ES, key=len, reverse=True))
        + r")(?:\s+(?P<mil>mil))?(?:(?<=mil)\s+(?P<rest>\d{1,3})(?![\d.,]))?")
_PEOPLE_ES = re.compile(
    r"\b(?P<qual>unos|unas|alrededor\s+de|cerca\s+de|más\s+de|aproximadamente|casi|al\s+menos|hasta)?\s*" + _NUM +
    r"\s+(?:de\s+)?(?:migrantes|personas|hondureños|centroamericanos|guatemaltecos|salvadoreños|extranjeros|integrantes|"
    r"cubanos|haitianos|venezolanos|nicaragüenses|niños|menores|familias)\b",
    re.I,
)


def find_people_counts_es(text: str, start: int = 0, end: int | None = None) -> list[PeopleCount]:
    """Numbers of people stated in Spanish ("unos 3 mil migrantes", "más de 5,000 personas")."""
    out = []
    for m in _PEOPLE_ES.finditer(text, start, len(text) if end is None else end):
        num = m.group("num")
        digits = re.sub(r"[.,\s]", "", num) if re.fullmatch(r"\d{1,3}(?:[.,\s]\d{3})+", num) else num.replace(",", ".")
        try:
            n = float(_NUMBER_WORDS_ES.get(num.lower(), digits))
        except ValueError:
            continue
        if m.group("mil"):
            n *= 1000
        if m.group("rest"):
            n += int(m.group("rest"))  # "3 mil 224", "mil 500"
        qual = (m.group("qual") or "").lower()
        lo = hi = int(n)
        if qual.startswith(("más", "al menos")):
            hi = None
        elif qual.startswith(("hasta", "casi")):
            lo = None
        out.append(PeopleCount(start=m.start(), end=m.end(), text=m.group(0).strip(), minimum=lo, maximum=hi))
    return out


_SENSE_NOT = {
    # "forman parte", "por parte de", "parte de la caravana": the noun, not "partir"
    "departure": re.compile(r"^parte\b|^parten\b"),
    # "punto muerto", "recién llegados"
}
#: An infinitive ("llegar", "cruzar", "salir") reports an event only after a word that makes it one:
#: success ("lograron cruzar", "pudieron salir"), onset or repetition ("comenzaron a caminar",
#: "volvieron a salir"), a time clause ("al llegar", "tras cruzar", "después de caminar") or the
#: near future ("van a salir", planned). After anything else it is intended ("tienen planeado
#: arribar", "deberán cruzar"): a planned event.
_INFINITIVE = re.compile(r"[a-záéíóúñ]+(?:ar|er|ir)", re.I)
_INFINITIVE_EVENT = re.compile(
    r"\b(?:logr(?:ó|aron|an|a|aban|ado)|consigui(?:ó|eron)|consigue[n]?|pud(?:o|ieron)|podido|"
    r"(?:volvi(?:ó|eron)|vuelve[n]?|comenz(?:ó|aron|aban)|comienza[n]?|empez(?:ó|aron|aban)|empieza[n]?|inici(?:ó|aron)|"
    r"(?:se\s+)?pusieron|(?:se\s+)?puso|va|van|vamos|iba|iban|fueron|decidieron|decidió)\s+(?:\S+\s+){0,3}?a|"
    r"al|tras|después\s+de|luego\s+de|acab(?:a|an|ó|aron|aban)\s+de)\s+$",
    re.I,
)
#: Nouns that report an event of their own ("la llegada a Tijuana", "su arribo", "la partida").
_EVENT_NOUN = re.compile(r"llegadas?|salidas?|partidas?|arribos?|ingresos?|detenci[oó]n(?:es)?|muert[oe]s?", re.I)
_CAUSE_WORDS = re.compile(r"caravana|travesía|marcha|éxodo|recorrido|caminata|viaje", re.I)


def _not_an_event(etype: str, m: re.Match[str], text: str, a: int, b: int) -> bool:
    """Forms that are another word here: "forman parte" (not partir), "punto muerto", "recién
    llegados", "el puente que cruza el río" (a structure, not people), "inició" of a dialogue."""
    word = m.group(0).lower()
    before = text[max(a, m.start() - 30):m.start()].lower()
    after = text[m.end():min(b, m.end() + 12)].lower()
    if word in ("parte", "parten") and (re.search(r"\b(?:forma[n]?|formaba[n]?|formar|por|una|la|gran|en|otra|mayor|cada|su|esta)\s+$",
                                                  before)
                                      or after.startswith(" de")):
        return True
    if word == "arriba" and (re.search(r"\bpor\s+$", before) or after.startswith(" de")):
        return True  # "por arriba de los 40 grados": above, not arrived
    if (" " not in word and not _EVENT_NOUN.fullmatch(word) and not re.search(r"(?:ad|id)[oa]s?$", word)
            and re.search(r"\b(?:la|el|una|un|su|sus|esta|este|esa|ese|dicha|dicho|nueva|nuevo)\s+$", before)):
        return True  # "la marcha", "su avance", "una espera": a noun (only "la salida", "la llegada"... report one)
    if etype == "port_status" and re.match(r"(?:estuv|est|permanec|segu|sigue|fue|qued|ha\s|han\s)", word) and not re.search(
            r"\b(?:paso|puente|garita|frontera|cruce|puerto|aduana)s?\b", text[max(a, m.start() - 60):m.start()], re.I):
        return True  # "la tienda estuvo cerrada": not a border post
    if re.match(r"asegur(?:ó|aron|a|an|aba|aban)$", word) and re.match(r"\s*(?:[,.;:]|que\b)", text[m.end():b]):
        return True  # "aseguraron que ...", ", aseguraron,": said, not detained
    if word.startswith("muert") and re.search(r"\bpunto\s+$", before):
        return True
    if word.startswith("llegad") and re.search(r"\brecién\s+$", before):
        return True
    if etype == "crossing" and re.search(r"\b(?:puente|carretera|río|línea|camino|vía|calle)\w*\s+(?:\w+\s+)?que\s+$", before):
        return True
    if (re.match(r"(?:inici|comenz|empez)", word) and " " not in word
            and re.match(r"\s+(?:\S+\s+){0,3}?a\s+[a-záéíóúñ]+(?:ar|er|ir)\b", text[m.end():b])):
        return True  # "comenzó a transitar": the walking is the event, told by its own verb
    if (re.match(r"(?:inici|comenz)", word) and " " not in word
            and not _CAUSE_WORDS.search(text, max(a, m.start() - 80), min(b, m.end() + 40))):
        return True
    return False


class _When:
    __slots__ = ("start", "end", "precision", "text", "reason")

    def __init__(self, start, end, precision, text, reason):
        self.start, self.end, self.precision, self.text, self.reason = start, end, precision, text, reason


def _most_specific(cands: list[Toponym]) -> Toponym | None:
    return min(cands, key=lambda t: (_SPECIFICITY.get(t.kind, 3), t.start)) if cands else None


@dataclass(slots=True)
class _StoryEs:
    """One Spanish article as its events are read: what stays fixed, and the story's time and places so far."""

    article_id: str
    text: str
    places: list[Toponym]
    published: dt.date | None
    dateline_place: Toponym | None
    lede_end: int
    focus_place: Toponym | None
    caption_times: dict
    narrative: _When | None = None
    paragraph_place: Toponym | None = None
    story_place: Toponym | None = None  # where the story's last placed event happened


def extract_events_es(
    article_id: str,
    text: str,
    toponyms: Sequence[Toponym],
    dates: Sequence,
    sentences: Sequence[tuple[int, int]],
    published: dt.date | None = None,
    dateline_place: Toponym | None = None,
) -> list[EventMention]:
    """Every dated, located event a Spanish article reports, one per predicate, in text order."""
    lines = page_lines(text)
    places = sorted((t for t in toponyms if t.lat is not None and t.lon is not None and t.kind != "demonym"
                     and not (t.kind in ("place", "city", "admin2")
                              and _FACILITY_BEFORE.search(text, max(0, t.start - 40), t.start))),
                    key=lambda t: t.start)
    times = [d for d in dates if d.kind != "duration" and d.resolved]
    body = [ln for ln in lines if ln.label == "body" and (dateline_place is None or ln.end > dateline_place.start)]
    lede_end = body[min(1, len(body) - 1)].end if body else 0  # the first two paragraphs from the dateline
    s = _StoryEs(article_id, text, places, published, dateline_place, lede_end, _focus_place(places),
                 _caption_times(text, lines, sentences, times))
    events: list[EventMention] = []
    current_line = None
    for a, b, _ in event_sentences(text, sentences, lines):  # cut at line ends: a headline is not the lede's start
        line = next((ln for ln in lines if ln.start <= a < ln.end), None)
        if line is not current_line:
            current_line = line
            s.paragraph_place = None
        if line is not None and line.label not in EVENT_LABELS:
            continue
        if dateline_place is not None and a <= dateline_place.start < b:
            a = max(a, dateline_place.end)
        events.extend(_sentence_events_es(s, a, b, line, times))
    return events


def _sentence_events_es(s: _StoryEs, a: int, b: int, line, times: list) -> list[EventMention]:
    """The events of one sentence; then the story's time and places move on."""
    text = s.text
    preds = list(_PRED_RX.finditer(text, a, b))
    sent_places = [t for t in s.places if a <= t.start < b]
    sent_times = [d for d in times if a <= d.start < b]
    found_here = [also for k in range(len(preds))
                  if (ev := _predicate_event_es(s, preds, k, a, b, sent_places, sent_times, line)) is not None
                  for also in _with_coordinated(text, ev, sent_times)]
    if preds and sent_times and not found_here:
        # an event told without a place still sets the story's time ("salió ayer hacia ...;
        # partieron de San Pedro Sula" is yesterday too)
        when = _time(preds[0], sent_times, "reported", s.narrative, s.published, text)
        if when is not None and when.text:
            s.narrative = when
    towns = [e.place for e in found_here if e.place is not None and e.place.kind in _TOWN_KINDS]
    here = [t for t in sent_places if t.kind in _TOWN_KINDS]
    if towns or here:
        s.paragraph_place = (towns or here)[-1]
    sites = [e.place for e in found_here if e.place is not None and e.place.kind in _TOWN_KINDS + ("river",)]
    if sites:
        s.story_place = sites[-1]
    return found_here


def _predicate_event_es(s: _StoryEs, preds: list[re.Match[str]], k: int, a: int, b: int, sent_places: list[Toponym],
                        sent_times: list, line) -> EventMention | None:
    """The event one predicate reports, or None (negated, a goal, a purpose, no time or no place)."""
    text = s.text
    m = preds[k]
    etype = m.lastgroup
    before = text[max(a, m.start() - 60):m.start()]
    if _NEGATED.search(before):
        return None
    if _GOAL.search(before) and not re.search(r"\b(?:al|tras|después\s+de|antes\s+de)\s+$", before, re.I):
        return None
    if _INFINITIVE.fullmatch(m.group(0)) and re.search(r"\b(?:es|era|sería|será|fue)\s+$", before, re.I):
        return None  # "la primera opción es llegar a Estados Unidos": a goal named, not an event
    if _not_an_event(etype, m, text, a, b):
        return None
    if re.search(r"\b(?:para|hasta|antes\s+de|a\s+fin\s+de)\s+que\s+(?:\S+\s+){0,4}$", before, re.I):
        return None  # "para que abandonen Oaxaca": a purpose, not yet an event
    # the clause runs to the next predicate that reports something: an attempt ("murió ahogado al
    # intentar cruzar el río Bravo cerca de Eagle Pass") is still this predicate's clause
    nxt = next((p for p in preds[k + 1:] if not _ATTEMPT.search(text, max(a, p.start() - 30), p.start())), None)
    c_end = nxt.start() if nxt is not None else b
    cut = _CLAUSE_END.search(text, m.end(), c_end)
    if cut is not None:
        c_end = cut.start()
    c_start = preds[k - 1].end() if k > 0 else a
    clause = [t for t in sent_places if m.end() <= t.start < c_end]
    place, why = _place(text, etype, m, clause, sent_places, c_start, a, k > 0 and preds[k - 1].lastgroup == "arrival",
                        sent_times)
    if place is None:
        place, why = _where_antecedent(text, m.start(), sent_places, a)
    if place is not None and place.kind in ("country", "region", "admin1"):
        place, why = _specific(etype, place, why, sent_places, s.paragraph_place, s.dateline_place, m.start(),
                               s.story_place, text)
    if etype == "march" and place is not None and why.startswith(" to ") and _HEADING.search(text, max(0, place.start - 50), place.start):
        place, why = _far_heading(place, why, s.paragraph_place or s.story_place)
    if place is not None and place.kind in ("border", "highway", "river"):
        place, why = _on_line(place, why, sent_places, s.paragraph_place, s.story_place, s.dateline_place, m.start())
    if place is None and why == " destination only":
        return None
    status = "reported"
    if _FUTURE.search(text, max(a, m.start() - 40), m.start()) or any(re.search(r"(?:rá|rán)$", w) for w in m.group(0).split()):
        status = "planned"
    elif _INFINITIVE.fullmatch(m.group(0)) and not _INFINITIVE_EVENT.search(text[max(a, m.start() - 40):m.start()]):
        status = "planned"  # "tienen planeado arribar", "deberán cruzar": intended, not yet done
    elif _HYPOTHETICAL.search(text, max(a, m.start() - 40), m.start()):
        status = "hypothetical"
    when = _time(m, sent_times, status, s.narrative, s.published, text,
                 s.caption_times.get(line.start) if line is not None else None)
    if when is None:
        return None
    if place is None:
        place, why = _anaphora(text, m.end(), c_end, s.places, a)
    if place is None:
        place, why = _fallback_place(etype, when, s.narrative, s.paragraph_place, s.story_place, s.dateline_place,
                                     a < s.lede_end, s.focus_place)
    if place is None:
        return None
    if sent_times and when.text and status == "reported" and not (s.published and when.start > s.published):
        s.narrative = when  # a plan or a forecast is not the story's time
    counts = find_people_counts_es(text, a, b)
    dests = tuple(t for t in clause if t is not place and _DEST.search(text, max(a, t.start - 30), t.start))
    ev = EventMention(
        article_id=s.article_id, event_type=etype, start=m.start(), end=c_end, sentence_start=a, sentence_end=b,
        sentence=text[a:b], date_start=when.start, date_end=when.end, date_precision=when.precision,
        date_text=when.text, date_reason=when.reason, place=place, places=tuple(clause) or (place,),
        people=counts[0] if counts else None, status=status, confidence=0.6 if clause else 0.45,
        about_caravan=bool(_ABOUT.search(text, a, b)), destinations=dests,
        reason=f"'{m.group(0)}' -> {etype}{why} (Spanish rules)",
        detail=_detail(etype, text[m.start():c_end]),
        extra={"language": "es"},
    )
    return ev


#: What joins two coordinated places of one predicate: "de Eagle Pass y El Paso", "en Huixtla, Escuintla y Mapastepec".
_PLACE_AND = re.compile(r"\s*(?:,|\s(?:y|e)\s)\s*(?:(?:de|del|en|a|al|desde|hacia|hasta)\s+)?(?:(?:la|el|los|las)\s+)?$", re.I)
#: A day coordinated with a full date after it: "el 13 y el 21 de octubre", "los días 13 y 21 de octubre".
_DAY_AND = re.compile(r"\b(?:el|los\s+días)\s+(\d{1,2})\s+y\s+(?:el\s+)?$", re.I)


def _with_coordinated(text: str, ev: EventMention, sent_times: list) -> list[EventMention]:
    """The event, and one more for each place or day coordinated with its own: "se cerraron los
    cruces de Eagle Pass y El Paso" closed two crossings, "salieron el 13 y el 21 de octubre" left twice."""
    out = [ev]
    place = ev.place
    if place is not None and place in ev.places:
        prev = place
        for t in sorted((t for t in ev.places if t.start > place.start), key=lambda t: t.start):
            if t.kind != place.kind or not _PLACE_AND.fullmatch(text, prev.end, t.start):
                break
            out.append(replace(ev, place=t, reason=ev.reason + f"; and '{t.name}', coordinated"))
            prev = t
    if ev.date_precision == "day" and ev.date_start is not None and ev.date_text:
        d = next((d for d in sent_times if d.text == ev.date_text and ev.sentence_start <= d.start < ev.sentence_end), None)
        m = _DAY_AND.search(text, max(ev.sentence_start, d.start - 30), d.start) if d is not None else None
        if m is not None and ev.start <= m.start() < ev.end and int(m.group(1)) < ev.date_start.day:  # the predicate's own date
            day = ev.date_start.replace(day=int(m.group(1)))
            out += [replace(e, date_start=day, date_end=day, date_text=f"{m.group(1)} y {e.date_text}",
                            date_reason=e.date_reason + "; the day coordinated before it") for e in list(out)]
    return out


def _on_line(line: Toponym, why: str, sent_places: list[Toponym], paragraph_place: Toponym | None,
             story_place: Toponym | None, dateline_place: Toponym | None, at: int) -> tuple[Toponym, str]:
    """A border, highway or river as an event's place, narrowed as in English: the town the
    sentence names on it ("sobre la carretera costera ... antes de llegar a Huixtla"), else the
    paragraph's, the story's or the dateline's town when it lies on it (40 km of a border or
    highway, the river's reach); else the line itself."""
    from geo.atlas.events import _within

    towns = [t for t in sent_places if t.kind in _TOWN_KINDS and t is not line and _within(t, line)]
    if towns:
        pick = min(towns, key=lambda t: abs(t.start - at))
        return pick, f" in '{pick.name}' (on '{line.name}')"
    for where, label in ((paragraph_place, "paragraph"), (story_place, "story"), (dateline_place, "dateline")):
        if where is not None and where.kind in _TOWN_KINDS and _within(where, line):
            return where, f" at the {label}'s place '{where.name}' (on '{line.name}')"
    return line, why


_ANAPHORA = re.compile(r"\b(?:esa|dicha|aquella|la\s+misma|esta)\s+(?:localidad|ciudad|comunidad|población|municipalidad)"
                       r"(?:\s+(?P<adj>hondureña|guatemalteca|mexicana|salvadoreña|nicaragüense|estadounidense))?", re.I)
_ADJ_COUNTRY = {"hondureña": "HN", "guatemalteca": "GT", "mexicana": "MX", "salvadoreña": "SV", "nicaragüense": "NI",
                "estadounidense": "US"}


def _anaphora(text: str, start: int, end: int, places: list[Toponym], sent_start: int) -> tuple[Toponym | None, str]:
    """"partió de esa localidad hondureña": the last town named before the sentence (of that
    country when the phrase says which)."""
    m = _ANAPHORA.search(text, start, end)
    if m is None:
        return None, ""
    cc = _ADJ_COUNTRY.get((m.group("adj") or "").lower())
    before = [t for t in places if t.start < sent_start and t.kind in _TOWN_KINDS and (cc is None or t.country_code == cc)]
    if not before:
        return None, ""
    return before[-1], f" in '{before[-1].name}' ('{m.group(0)}')"


def _fallback_place(etype: str, when: _When, narrative: _When | None, paragraph_place: Toponym | None,
                    story_place: Toponym | None, dateline_place: Toponym | None, in_lede: bool,
                    focus_place: Toponym | None = None) -> tuple[Toponym | None, str]:
    """The place of an event whose clause names none, by the English pipeline's rules: the
    paragraph's place (not for announcements, border-post notices or protests, told from
    elsewhere); the story's last place for a march or a camp, or for any scene event told at
    the story's time; the dateline only in the lede (the first two paragraphs), and only a town."""
    same_scene = narrative is not None and (when.start, when.end) == (narrative.start, narrative.end)
    if paragraph_place is not None and etype not in ("policy", "port_status", "other"):
        return paragraph_place, " at the paragraph's place"
    if story_place is not None and (etype in ("march", "camp") or same_scene and etype not in ("policy", "other")):
        return story_place, f" at the story's place '{story_place.name}'"
    if in_lede and dateline_place is not None and dateline_place.kind in _TOWN_KINDS:
        return dateline_place, " at the dateline"
    if in_lede and focus_place is not None and etype not in ("policy", "other", "port_status"):
        return focus_place, f" at '{focus_place.name}', the town the article names most"
    return None, ""


def _focus_place(places: list[Toponym]) -> Toponym | None:
    """The town the article names most (at least twice), first named on a tie."""
    towns = [t for t in places if t.kind in _TOWN_KINDS]
    keys = [(t.geonameid, t.feature_id, t.name) for t in towns]
    counts = {k: sum(1 for t in towns if (t.geonameid, t.feature_id) == k[:2]) for k in keys}
    best = max(towns, key=lambda t: (counts[(t.geonameid, t.feature_id, t.name)], -t.start), default=None)
    return best if best is not None and counts[(best.geonameid, best.feature_id, best.name)] >= 2 else None


def _caption_times(text: str, lines, sentences: Sequence[tuple[int, int]], times: Sequence) -> dict[int, _When]:
    """Per paragraph (by its start), the date of a photo caption's credit line: a sentence that
    opens with a date and reports nothing ("Sábado 24 de noviembre de 2018, en Tijuana. Foto
    ...") dates the caption's other sentences."""
    out: dict[int, _When] = {}
    for a, b in sentences:
        line = next((ln for ln in lines if ln.start <= a < ln.end), None)
        if line is None or line.start in out or _PRED_RX.search(text, a, b):
            continue
        lead = [d for d in times if a <= d.start <= a + 12 and d.start < b and d.precision == "day"]
        if lead and re.search(r"\b(?:foto|fotos|fotografía|imagen)\b", text[a:line.end], re.I):
            d = lead[0]
            out[line.start] = _When(d.date_start, d.date_end, "day", d.text, f"the caption's date ({d.text})")
    return out


def _specific(etype: str, coarse: Toponym, why: str, sent_places: list[Toponym], paragraph_place: Toponym | None,
              dateline_place: Toponym | None, at: int, story_place: Toponym | None = None, text: str = "") -> tuple[Toponym | None, str]:
    """A country, region or state as an event's place, made specific: a town inside it named in
    the sentence (or, for a crossing, a river, bridge or border the sentence names), else the
    paragraph's or the dateline's town when it is inside it (for a crossing: on its border,
    whichever side). A country that is only the goal of a departure or a march ("salieron
    rumbo a Estados Unidos") is not where it happened: the story's place is, if any."""
    def inside(t: Toponym) -> bool:
        if coarse.kind == "admin1":
            return t.admin1 is not None and t.admin1 == coarse.admin1
        return t.country_code is not None and t.country_code == coarse.country_code

    towns = [t for t in sent_places if t.kind in _TOWN_KINDS and inside(t)]
    if why.startswith(" to ") and etype in ("departure", "march", "transport"):
        # "se dirigen a Estados Unidos ... advertencias de Washington": only a town it also heads to
        towns = [t for t in towns if t.start > at and _DEST.search(text, max(0, t.start - 50), t.start)]
    if etype == "crossing":
        towns += [t for t in sent_places if t.kind in ("river", "crossing", "border") and t is not coarse]
    if towns:
        pick = min(towns, key=lambda t: (_SPECIFICITY.get(t.kind, 3) > 0 and etype != "crossing", abs(t.start - at)))
        return pick, f" in '{pick.name}' ({coarse.name} named)"
    for where, label in ((paragraph_place, "paragraph"), (dateline_place, "dateline"), (story_place, "story")):
        # the story's last place counts when it is inside, or a border river (no country of its own)
        if where is not None and (inside(where) or etype == "crossing" or label == "story" and where.country_code is None):
            return where, f" at the {label}'s place '{where.name}' ({coarse.name} named)"
    if why.startswith(" to ") and etype in ("departure", "march", "transport") and coarse.kind != "admin1":
        for where, label in ((paragraph_place, "paragraph"), (story_place, "story"), (dateline_place, "dateline")):
            if where is not None and etype != "transport":  # it left, or walks, from where the story is
                return where, f" at the {label}'s place '{where.name}' (heading to {coarse.name})"
        return None, " destination only"
    return coarse, why


def _words_between(start: int, end: int, times: Sequence) -> int:
    """Characters from ``start`` to ``end`` that are not a time expression: "salió el pasado 24 de
    diciembre de San Pedro Sula" has its origin right after the verb."""
    return (end - start) - sum(max(0, min(end, d.end) - max(start, d.start)) for d in times)


def _place(text: str, etype: str, m: re.Match[str], clause: list[Toponym], sent_places: list[Toponym],
           c_start: int, sent_start: int = 0, after_arrival: bool = False, times: Sequence = ()) -> tuple[Toponym | None, str]:
    origin = [t for t in clause if not _DEST_OF.search(text, max(0, t.start - 50), t.start)
              and _ORIGIN.search(text, max(0, t.start - 40), t.start)
              and (_words_between(m.end(), t.start, times) < 25
                   or re.search(r"\bdesde\s+(?:\w+\s+){0,4}$", text[max(0, t.start - 40):t.start], re.I)
                   or re.search(r"\b(?:del|de\s+la)\s+(?:municipio|ciudad|comunidad|localidad|poblado|estado)\s+de\s+$",
                                text[max(0, t.start - 40):t.start], re.I))]
    dest = [t for t in clause if _DEST.search(text, max(0, t.start - 50), t.start) or _DEST_OF.search(text, max(0, t.start - 50), t.start)]
    at = [t for t in clause if _AT.search(text, max(0, t.start - 50), t.start)]
    heading: list[Toponym] = []
    # a departure is not where it heads, an arrival not where it comes from: those roles
    # leave the place to the sentence, the paragraph or the dateline
    if etype == "departure":
        order = [(origin, "from"), (at, "in")]
    elif etype == "arrival":
        order = [(dest, "to"), (at, "in")]
    elif etype in ("march", "transport"):
        order = [(dest, "to"), (at, "in"), (origin, "from")]
    elif etype == "crossing":
        # a border town it crosses from beats the country it crosses into ("cruzar a territorio
        # mexicano desde Tecún Umán"): the crossing is at the border, not somewhere in the country
        def towns(ts: list[Toponym]) -> list[Toponym]:
            return [t for t in ts if t.kind not in ("country", "region", "admin1")]
        order = [(at, "at"), (towns(dest), "into"), (towns(origin), "from"), (dest, "into"), (origin, "from")]
    else:
        # a camp, a detention, a clash is not where its people head ("descansar ... hacia la frontera")
        heading = [t for t in clause if _HEADING.search(text, max(0, t.start - 50), t.start)]
        dest = [t for t in dest if t not in heading]
        order = [(at, "in"), (dest, "to"), (origin, "from")]
    for group, role in order:
        if group:
            first = group[0]
            # "a Ciudad Hidalgo, en Chiapas": the first named place, unless a town follows a country
            towns = [t for t in group if _SPECIFICITY.get(t.kind, 3) < _SPECIFICITY.get(first.kind, 3)
                     and t.start - first.end < 40]
            pick = towns[0] if towns else first
            return pick, f" {role} '{pick.name}'"
    heading = heading if etype not in ("departure", "arrival", "march", "transport", "crossing") else []
    free = [t for t in clause if t not in origin and t not in dest and t not in heading and t.kind not in ("country", "region")]
    if free:
        pick = _most_specific([t for t in free if t.start - m.end() < 80] or free)
        return pick, f" near '{pick.name}'"
    fronted = [t for t in sent_places if (c_start <= t.start < m.start() and not _ORIGIN.search(text, max(0, t.start - 40), t.start)
               or t.start < m.start() and _AT.search(text, max(0, t.start - 50), t.start))
               # not across a relative clause; what a source says is about the place ("En El Paso, las
               # autoridades reportaron que unas 2,500 personas pasaron la noche ...")
               and not re.search(r"\bque\b", _SAID_THAT.sub(" ", text[t.end:m.start()]), re.I)
               # nor the goal of the predicate before ("se dirigen a Estados Unidos, llegaron ..."), unless
               # it was reached ("llegaron a la capital y se refugiaron en ...")
               and not ((etype != "arrival" or c_start != sent_start) and not (after_arrival and t.start >= c_start)
                        and _DEST.search(text, max(0, t.start - 50), t.start))]
    if fronted:
        # the most specific, and of equals the nearest ("en Tapachula ... y en Huixtla había otros 300")
        pick = min(fronted, key=lambda t: (_SPECIFICITY.get(t.kind, 3), -t.start))
        return pick, f" in '{pick.name}' (earlier in the sentence)"
    return None, ""


def _km(a: Toponym, b: Toponym) -> float:
    import math

    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _far_heading(heading: Toponym, why: str, here: Toponym | None, km: float = 200.0) -> tuple[Toponym, str]:
    """"ya avanzan hacia la capital mexicana" told from Sayula: a march is where its people walk,
    not at a goal hundreds of kilometres ahead; the story's town when the goal is more than ``km`` away."""
    if here is None or here.kind not in _TOWN_KINDS or None in (here.lat, heading.lat) or _km(here, heading) <= km:
        return heading, why
    return here, f" at the story's place '{here.name}', heading for '{heading.name}'"


_SAID_THAT = re.compile(
    r"\b(?:report|inform|señal|asegur|indic|explic|afirm|precis|detall|confirm|reconoc|denunci|agreg|destac|advirt)"
    r"\w*\s+(?:\w+\s+){0,2}?que\b|\b(?:dijo|dijeron|dice|dicen|sostuvo|sostuvieron)\s+que\b", re.I)


_WHERE = re.compile(r"\b(?:en\s+)?(?:donde|adonde)\b", re.I)


def _where_antecedent(text: str, pos: int, sent_places: list[Toponym], sent_start: int) -> tuple[Toponym | None, str]:
    """"llegó a Tecún Umán, donde los migrantes durmieron": a predicate in a "donde" clause
    happens at the place the clause is about, the one named right before "donde" (the town of
    "Tapachula, Chiapas, donde")."""
    wheres = list(_WHERE.finditer(text, sent_start, pos))
    if not wheres:
        return None, ""
    w = wheres[-1].start()
    near = [t for t in sent_places if t.end <= w and w - t.end < 60 and _only_places(text, t.end, w, sent_places)]
    if not near:
        return None, ""
    pick = _most_specific(near)
    return pick, f" in '{pick.name}' (the place a 'donde' clause is about)"


def _only_places(text: str, a: int, b: int, places: list[Toponym]) -> bool:
    """Whether ``text[a:b]`` holds nothing but punctuation and place names ("", ", Chiapas, ")."""
    rest = "".join(ch if not any(t.start <= a + i < t.end for t in places) else " " for i, ch in enumerate(text[a:b]))
    return re.fullmatch(r"[\s,;()]*", rest) is not None


#: A verb in the present ("atraviesa", "avanzan", "se dirige", "permanecen"): the news' now, the
#: publication day, not the time an earlier sentence told (not the imperfect "avanzaba", "salía",
#: nor the subjunctive "llegara", "saliera").
_PRESENT = re.compile(r"(?<!ab)(?<!í)(?<!ar)(?<!ier)(?:a|an|e|en)$", re.I)


def _time(m: re.Match[str], sent_times: list, status: str, narrative: _When | None, published: dt.date | None,
          text: str, caption: _When | None = None) -> _When | None:
    if sent_times:
        d = min(sent_times, key=lambda d: (abs(d.start - m.start()) + (0 if d.start < m.start() else 10)))
        return _When(d.date_start, d.date_end, d.precision if d.precision in ("day", "month", "year", "week") else "day"
                     if d.date_start == d.date_end else "week", d.text, d.reason)
    if caption is not None:
        return caption
    if narrative is not None and status == "reported" and not _PRESENT.search(m.group(0).split()[-1]):
        return _When(narrative.start, narrative.end, narrative.precision, narrative.text,
                     f"the narrative's time ({narrative.text})")
    if published is not None:
        return _When(published, published, "day", None, "publication date")
    return None


def _detail(etype: str, clause: str) -> str | None:
    c = clause.lower()
    if etype == "transport":
        return "train" if "tren" in c else "truck" if re.search(r"camion(?!es\s+de\s+pasaj)|tráiler|trailer", c) else "bus"
    if etype == "port_status":
        return "reopened" if "reabri" in c else "suspended" if "suspend" in c else "closed"
    return None
