"""Border crossings, ports of entry and border lines that the articles name or clearly
refer to, each with the dated status events (closed, blocked, suspended) reported for it.

References are resolved against the curated gazetteer only, and a status belongs to a
crossing only when the text names that crossing:

- a mention that resolved to a curated crossing or border line (``feature_id``), e.g.
  "the main border crossing with Guatemala" or "Mexico's southern border with Guatemala";
- a status reported at a town that is one crossing: the town has a single crossing in the
  gazetteer (a US port of entry is named after its town, a southern crossing lists its
  towns' GeoNames ids), or a single rail crossing when the status is about rail traffic
  ("rail traffic at Eagle Pass was halted").

A status reported for a state, a country or a region ("cross-border rail traffic in Texas")
names no crossing: it stays an event at that area and is not copied to every crossing in it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Sequence

from geo.atlas.caravans import Event
from geo.gazetteer.index import normalize_name
from geo.model import Candidate, Toponym

__all__ = ["CrossingStatus", "Crossing", "collect_crossings", "crossings_at", "STATUS_EVENT_TYPE"]

_CROSSING_KINDS = ("crossing", "border")
#: Kinds of place that may be one crossing (a town, a village, a municipality).
_TOWN_KINDS = ("city", "place", "admin2", "facility")
#: The event type that reports a crossing's status; its ``detail`` says which status.
STATUS_EVENT_TYPE = "port_status"
_RAIL = re.compile(r"\b(?:rail\w*|trains?|freight)\b", re.I)


@dataclass(frozen=True)
class CrossingStatus:
    event_id: str
    status: str  # closed | blocked | suspended
    date_start: dt.date | None
    date_end: dt.date | None
    date_precision: str
    article_ids: tuple[str, ...]
    sentence: str
    reason: str

    def to_dict(self) -> dict:
        return {
            "event_id": self.event_id,
            "status": self.status,
            "date_start": self.date_start.isoformat() if self.date_start else None,
            "date_end": self.date_end.isoformat() if self.date_end else None,
            "date_precision": self.date_precision,
            "article_ids": list(self.article_ids),
            "sentence": self.sentence,
            "reason": self.reason,
        }


@dataclass
class Crossing:
    crossing_id: str
    name: str
    kind: str  # port_of_entry | border_crossing | border_line
    countries: str  # e.g. "US-MX"
    has_rail: bool
    feature: Candidate
    article_ids: set[str] = field(default_factory=set)
    mentions: list[dict] = field(default_factory=list)
    status_events: list[CrossingStatus] = field(default_factory=list)
    confidence: float = 0.0

    @property
    def latest_status(self) -> str | None:
        dated = [s for s in self.status_events if s.date_start is not None]
        if not dated:
            return self.status_events[-1].status if self.status_events else None
        return max(dated, key=lambda s: (s.date_end or s.date_start, s.event_id)).status


def _crossing_kind(c: Candidate) -> str:
    if c.kind == "border":
        return "border_line"
    return "port_of_entry" if (c.feature_id or "").startswith("port:") else "border_crossing"


def _countries(c: Candidate, gazetteer) -> str:
    fid = c.feature_id or ""
    if fid.startswith("border:"):
        return fid.split(":", 1)[1]
    if fid.startswith("port:"):
        return "US-MX"
    raw = _raw(c, gazetteer)
    return str(raw.get("country_pair") or raw.get("countries") or (c.country_code or ""))


def _raw(c: Candidate, gazetteer) -> dict:
    getter = getattr(gazetteer, "properties", None)
    return dict(getter(c.feature_id) or {}) if getter and c.feature_id else {}


def _has_rail(c: Candidate, gazetteer) -> bool:
    return str(_raw(c, gazetteer).get("has_rail")).lower() in ("true", "1", "yes")


def _status_word(event: Event) -> str:
    base = next((m.detail for m in event.mentions if m.detail), "closed")
    text = " ".join(m.sentence[m.start - m.sentence_start:m.end - m.sentence_start].lower() for m in event.mentions)
    if base == "closed" and "block" in text:
        return "blocked"
    return base


def collect_crossings(
    events: Sequence[Event],
    toponyms_by_article: dict[str, Sequence[Toponym]],
    sentences_by_article: dict[str, Sequence[tuple[int, int]]],
    texts: dict[str, str],
    gazetteer,
) -> list[Crossing]:
    """Every crossing referenced by the corpus, with its status events, sorted by id."""
    found: dict[str, Crossing] = {}

    def get(c: Candidate) -> Crossing:
        cid = c.feature_id or f"geonames:{c.geonameid}"
        if cid not in found:
            found[cid] = Crossing(
                crossing_id=cid,
                name=c.name,
                kind=_crossing_kind(c),
                countries=_countries(c, gazetteer),
                has_rail=_has_rail(c, gazetteer),
                feature=c,
            )
        return found[cid]

    for aid in sorted(toponyms_by_article):
        text = texts[aid]
        for t in toponyms_by_article[aid]:
            if t.kind not in _CROSSING_KINDS or not t.feature_id:
                continue
            feature = gazetteer.feature(t.feature_id)
            if feature is None:
                continue
            crossing = get(feature)
            crossing.article_ids.add(aid)
            crossing.confidence = max(crossing.confidence, t.confidence)
            s = next(((a, b) for a, b in sentences_by_article.get(aid, ()) if a <= t.start < b), (t.start, t.end))
            crossing.mentions.append(
                {"article_id": aid, "start": t.start, "end": t.end, "name": t.name,
                 "sentence": text[s[0]:s[1]], "sentence_start": s[0], "sentence_end": s[1], "confidence": t.confidence}
            )

    for event in events:
        if event.event_type != STATUS_EVENT_TYPE:
            continue
        targets = _named_crossings(event, gazetteer)
        for feature, reason in targets:
            crossing = get(feature)
            crossing.article_ids.update(event.article_ids)
            crossing.confidence = max(crossing.confidence, event.confidence * (1.0 if reason.startswith("status reported at") else 0.8))
            first = event.mentions[0]
            for m in event.mentions:
                crossing.mentions.append(
                    {"article_id": m.article_id, "start": m.start, "end": m.end, "name": None,
                     "sentence": m.sentence, "sentence_start": m.sentence_start, "sentence_end": m.sentence_end,
                     "confidence": event.confidence}
                )
            crossing.status_events.append(
                CrossingStatus(
                    event_id=event.event_id,
                    status=_status_word(event),
                    date_start=event.date_start,
                    date_end=event.date_end,
                    date_precision=event.date_precision,
                    article_ids=tuple(event.article_ids),
                    sentence=first.sentence,
                    reason=reason,
                )
            )
    for c in found.values():
        c.status_events.sort(key=lambda s: (s.date_start or dt.date.min, s.event_id))
        c.mentions.sort(key=lambda m: (m["article_id"], m["start"]))
    return [found[k] for k in sorted(found)]


def _named_crossings(event: Event, gazetteer) -> list[tuple[Candidate, str]]:
    """The crossing a status event names, with why: [] when it names none (a state, a
    country, a town with several crossings)."""
    place = event.place
    if place is None:
        return []
    if place.kind in _CROSSING_KINDS and place.feature_id:
        feature = gazetteer.feature(place.feature_id)
        return [(feature, f"status reported at {place.name}")] if feature is not None else []
    if place.kind not in _TOWN_KINDS:
        return []
    at_town = crossings_at(place, gazetteer)
    if len(at_town) == 1:
        return [(at_town[0], f"status reported at {place.name}, the town of this one crossing")]
    rail = [c for c in at_town if _has_rail(c, gazetteer)]
    if len(rail) == 1 and any(_RAIL.search(m.sentence[m.start - m.sentence_start:m.end - m.sentence_start])
                              for m in event.mentions):
        return [(rail[0], f"rail status reported at {place.name}, the town of this one rail crossing")]
    return []


def crossings_at(town: Toponym, gazetteer) -> list[Candidate]:
    """The gazetteer's crossings of ``town``: the ports of entry named after it (BTS names
    a port after its town) in the same state, and the crossings that list its GeoNames id
    as one of their two towns."""
    key = normalize_name(town.name)
    found = []
    for c in gazetteer.features("crossing"):
        raw = _raw(c, gazetteer)
        if town.geonameid is not None and town.geonameid in (raw.get("mx_geonameid"), raw.get("other_geonameid")):
            found.append(c)
        elif ((c.feature_id or "").startswith("port:") and normalize_name(c.name) == key
              and (town.admin1 is None or c.admin1 == town.admin1)
              and (town.country_code is None or c.country_code == town.country_code)):
            found.append(c)
    return found
