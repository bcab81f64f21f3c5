"""Property-based tests (Hypothesis): the geoparser never crashes and its spans are always
valid; map text escaping is inert for any input, through the real folium/branca renderer."""

from __future__ import annotations

import html
import re

import folium
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.escape import escape_text

# Words that exercise recognition: places, persons, demonyms, border phrases, numbers, noise.
_WORDS = st.sampled_from([
    "Tapachula", "Mexico", "Mexico's", "southern", "border", "with", "Guatemala", "the", "U.S.",
    "southwest", "Honduran", "migrants", "left", "Paris,", "Texas", "Cristian", "Rivera", "López",
    "Obrador", "Ciudad", "Hidalgo", "coastal", "highway", "Highway", "200", "crossing", "bridge",
    "Río", "Bravo", "in", "from", "to", ".", ",", "—", "\n\n", "7,000", "Sunday", "{{", "}}", "<b>",
    "\u2028", "🙂", "  ", "County", "Parish", "New", "York", "San", "Ysidro", "port", "of", "entry",
])
_TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(_WORDS, max_size=60).map(" ".join),
    st.lists(st.one_of(_WORDS, st.text(max_size=8)), max_size=40).map("".join),
)


@settings(max_examples=220, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_geoparse_never_crashes_and_spans_are_valid(text: str) -> None:
    import geo

    toponyms = geo.geoparse(text)
    last_start = -1
    for t in toponyms:
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start:t.end] == t.name
        assert t.start >= last_start
        last_start = t.start
        assert 0.0 <= t.confidence <= 1.0
        if t.lat is not None:
            assert -90 <= t.lat <= 90 and -180 <= t.lon <= 180


_PAYLOAD_PARTS = st.sampled_from([
    "{{", "}}", "{%", "%}", "{#", "#}", "${", "`", "\\", "<script>", "</script>", "<img src=x onerror=alert(1)>",
    "'", '"', "&", "cycler.__init__.__globals__.os.popen('id').read()", "\u2028", "\x00", "javascript:",
])
_HOSTILE = st.one_of(st.text(max_size=60), st.lists(st.one_of(_PAYLOAD_PARTS, st.text(max_size=5)), max_size=12).map("".join))


@settings(max_examples=220, deadline=None)
@given(_HOSTILE)
def test_escaped_text_is_inert_and_round_trips(value: str) -> None:
    out = escape_text(value)
    for ch in "<>\"'`$\\{}":
        assert ch not in out
    # Only character references carry '&'.
    assert not re.search(r"&(?!#\d+;|#x[0-9a-fA-F]+;|[a-z]+;)", out)
    # The browser shows the original characters (controls become spaces).
    shown = html.unescape(out)
    expected = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]", " ", value)
    assert shown == expected


@settings(max_examples=200, deadline=None)
@given(_HOSTILE)
def test_escaped_text_survives_branca_rendering(value: str) -> None:
    """Through folium's template engine (which compiles rendered scripts again as Jinja2),
    escaped text renders without error, is not evaluated, and stays literal."""
    m = folium.Map(location=[15, -92], zoom_start=5, tiles=None)
    safe = escape_text(value)
    folium.CircleMarker([14.9, -92.26], tooltip=folium.Tooltip(safe), popup=folium.Popup(safe, parse_html=False)).add_to(m)
    rendered = m.get_root().render()
    assert "uid=" not in rendered
    visible = " ".join(safe.split())  # the template engine may normalise line breaks
    if visible:
        assert visible in " ".join(rendered.split())
