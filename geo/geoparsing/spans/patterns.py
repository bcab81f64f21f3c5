"""Spans found by the project's own patterns: borders and crossings, highways and rivers, places
with a geographic head word.
"""

from __future__ import annotations

import re


from geo.geoparsing.lexicon import (
    _BORDER_PAIRS,
    _BORDER_RES,
    _COASTAL_RE,
    _COUNTRY_NAME,
    _HEAD_HINT,
    _HWY_RE,
    _MEX_CONTEXT,
    _NAMED_BRIDGES,
    _OTHER_SIDES,
    _PANAM_RE,
    _RIVER_BAD_FIRST,
    _RIVER_RE,
    _fold,
    _place_head_res,
)
from geo.geoparsing.spans.context import RecognitionContext


class PatternSpans(RecognitionContext):
    """Pattern stage of recognition."""

    def patterns(self) -> None:
        text = self.text
        mex_context = bool(_MEX_CONTEXT.search(text))
        # Borders and crossings by country.
        for rx in _BORDER_RES:
            for m in rx.finditer(text):
                self._border_match(m)
        # Named bridges.
        for rx, fid, _ in _NAMED_BRIDGES:
            for m in rx.finditer(text):
                self.add(m.start(), m.end(), "crossing", "pattern", query=m.group(0), feature_ids=(fid,))
        # "<port> port of entry" / "the port of entry in <port>"; "<crossing town> bridge".
        if _HEAD_HINT.search(text):
            self._places_with_heads()
        # Highways.
        for m in _HWY_RE.finditer(text):
            num = m.group("num") or m.group("inum")
            pre = m.group("pre") or ""
            start = m.start("core")
            if pre and pre not in ("Mexico's", "Mexico’s", "Mexican", "Mexico"):
                start = m.start("pre")
            fids: tuple[str, ...] = ()
            if num == "200" and (pre.startswith("Mexic") or "Carretera" in m.group("core") or mex_context):
                fids = ("highway:MEX-200",)
            if pre in ("Mexico's", "Mexico’s", "Mexico"):
                self.add(m.start("pre"), m.start("pre") + 6, "country", "pattern", query="Mexico")
            elif pre == "Mexican":
                self._demonym_at(m.start("pre"), m.end("pre"))
            self.add(start, m.end(), "highway", "pattern", feature_ids=fids)
        for m in _COASTAL_RE.finditer(text):
            fids = ("highway:MEX-200",) if mex_context else ()
            self.add(m.start("core"), m.end("core"), "highway", "pattern", feature_ids=fids)
        for m in _PANAM_RE.finditer(text):
            self.add(m.start("core"), m.end("core"), "highway", "pattern")
        # Rivers.
        for m in _RIVER_RE.finditer(text):
            core = m.group("core")
            before = re.search(r"([A-Z][\w’'-]*)\s+$", text[max(0, m.start("core") - 25):m.start("core")])
            if before and core[:1] in "Rr" and self.place_like(f"{before.group(1)} {core.split()[0]}", 0):
                continue  # "Del Rio Sector": the town Del Rio, not a river "Rio Sector"
            words = core.split()
            skip = 0
            while skip < len(words) - 1 and (words[skip] in _RIVER_BAD_FIRST or words[skip] in self.person_tokens):
                skip += 1
            if len(words) - skip < 2:
                continue
            start = m.start("core") + len(" ".join(words[:skip])) + (1 if skip else 0)
            self.add(start, m.end("core"), "river", "pattern")

    def _border_match(self, m: re.Match[str]) -> None:
        gd = {k: v for k, v in m.groupdict().items() if v is not None}
        countries: list[tuple[str, str, str]] = []  # (group, cc, role)
        for g in gd:
            if "_" in g:
                role, cc = g.split("_", 1)
                countries.append((g, cc, role))
        ccs = [cc for _, cc, _ in countries]
        head = m.group("head")
        direction = (gd.get("dir") or "").lower()
        fids: tuple[str, ...] = ()  # the border(s) meant, the usual one first: resolution picks by context
        if len(set(ccs)) >= 2:
            fids = tuple(f for f in [_BORDER_PAIRS.get(frozenset((ccs[0], ccs[-1])))] if f)
        elif len(ccs) == 1:
            cc = ccs[0]
            role = countries[0][2]
            if role == "c3" or not direction:
                # "the border with Guatemala", "the Mexican border": a neighbour caravans cross to
                others = _OTHER_SIDES.get(cc, ())
            elif cc == "MX":
                others = ("GT",) if direction.startswith("south") else ("US",) if direction.startswith("north") else ()
            elif cc == "US":
                others = ("MX",) if direction.startswith("south") else ()
            elif cc in ("GT", "BZ"):
                others = ("MX",) if direction.startswith(("north", "west")) else ()
            else:
                others = ()
            fids = tuple(f for o in others if (f := _BORDER_PAIRS.get(frozenset((cc, o)))))
        elif direction in ("south", "southern"):
            # "the southern border" with no country: the US's or, in a story told in Mexico, Mexico's
            fids = ("border:US-MX", "border:MX-GT")
        elif direction.startswith("south"):
            fids = ("border:US-MX",)  # "the southwest border"
        fid = fids[0] if fids else None
        hs, he = m.span("head")
        is_crossing = bool(re.search(r"crossing|bridge|checkpoint|port|post", head, re.I))
        kind = "crossing" if is_crossing else "border"
        if is_crossing and fid == "border:MX-GT" and re.match(r"(?:main|principal|busiest)\b", head, re.I):
            fids = ("mxgt_suchiate_rodolfo_robles",)
        self.add(hs, he, kind, "pattern", query=m.group(0), feature_ids=fids)
        for g, cc, role in countries:
            s, e = m.span(g)
            if role.startswith("d"):
                self._demonym_at(s, e)
            else:
                self.add(s, e, "country", "pattern", query=_COUNTRY_NAME[cc])

    def _places_with_heads(self) -> None:
        """"<port or crossing town> <crossing head>" and "<head> in/at <town>": the town stays a
        place mention, the head carries the port / crossing feature id."""
        text = self.text
        ids, after_rx, before_rx = _place_head_res()
        for rx in (after_rx, before_rx):
            for m in rx.finditer(text):
                name = m.group("name")
                fid = ids.get(_fold(re.sub(r"[\s\-–]+", " ", name)).replace(".", ""))
                if fid is None or not name[:1].isupper():
                    continue
                hs, he = m.span("head")
                self.add(hs, he, "crossing", "pattern", query=m.group(0), feature_ids=(fid,))
                ns, ne = m.span("name")
                # no kind hint: the text names the crossing, not what kind of place its namesake is
                # (resolution takes the crossing only when no town of the name is near it)
                self.add(ns, ne, "place", "pattern", label="crossing-town")
