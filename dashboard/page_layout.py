"""The page around the map at a phone's width (constant HTML/CSS, no data).

At a narrow width Streamlit stacks the columns: the map comes first and the evidence of a
tapped feature below it. A map as tall as the screen leaves no page to swipe on (a swipe on the
map pans the map), and the evidence is out of sight with nothing saying it is there. So, under
:data:`NARROW` px:

- the map's frame is :data:`PHONE_MAP_HEIGHT` tall (part of the screen), so the page scrolls
  past it (the map inside follows its frame: it fills the frame's page);
- when a feature is selected, a hint right under the map links to the evidence
  (:data:`EVIDENCE_ANCHOR`, the anchor of the Evidence heading).

At wider widths the evidence is beside the map and the hint is hidden. At every width the place
of the map frame's hidden warm-up instance (:func:`dashboard.map.component.warm_up`) is hidden too.
"""

from __future__ import annotations

from dashboard.map.component import IFRAME_TITLE, WARM_UP_TITLE

__all__ = ["NARROW", "PHONE_MAP_HEIGHT", "EVIDENCE_ANCHOR", "PAGE_CSS", "EVIDENCE_HINT_HTML"]

#: below this width (px) Streamlit stacks the columns
NARROW = 640
#: the map frame's height at a narrow width (CSS)
PHONE_MAP_HEIGHT = "min(58vh, 520px)"
EVIDENCE_ANCHOR = "evidence"

PAGE_CSS = f"""<style>
div[data-testid="stElementContainer"]:has(iframe[title="{WARM_UP_TITLE}"]) {{display: none}}
.ca-evidence-hint {{display: none}}
@media (max-width: {NARROW}px) {{
  iframe[title="{IFRAME_TITLE}"] {{height: {PHONE_MAP_HEIGHT} !important}}
  .ca-evidence-hint {{display: block; margin: 2px 0 0; padding: 6px 10px; border-radius: 6px;
    background: #fdf0f5; border: 1px solid #f3c1d6; color: #7a1240; font: 14px/1.35 system-ui, sans-serif;
    text-decoration: none}}
}}
</style>"""

EVIDENCE_HINT_HTML = (
    f'<a class="ca-evidence-hint" href="#{EVIDENCE_ANCHOR}">&#8595; Evidence and corrections for the '
    "selected feature are below the map</a>"
)
