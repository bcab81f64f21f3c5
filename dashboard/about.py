"""The sidebar's "About and data credits" text."""


ABOUT = """
**Caravan Atlas** reads news articles about migrant caravans and maps what they report:
places, dated events, caravan routes and border crossings. Every feature links to its
evidence (sentence, article, confidence, alternatives). Everything on the map is
extracted automatically: check the evidence before you publish.

**Data and credits**

- Places and the map's town and state names: [GeoNames](https://www.geonames.org/) gazetteer,
  licensed [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).
- Country and state boundaries, country names and rivers: [Natural Earth](https://www.naturalearthdata.com/)
  (public domain).
- US county points: medians of ZIP code points from the
  [zipcodes](https://pypi.org/project/zipcodes/) package's data (CC BY 4.0).
- US–Mexico ports of entry: U.S. Bureau of Transportation Statistics
  ([BTS](https://www.bts.gov/)) border crossing data (public domain).
- Optional online basemaps and geocoding: © [OpenStreetMap](https://www.openstreetmap.org/copyright)
  contributors (ODbL), map tiles by [CARTO](https://carto.com/attributions); Nominatim
  results are © OpenStreetMap contributors.
- Map: [Leaflet](https://leafletjs.com/) via folium, drawn in a Streamlit component of the dashboard's own.

**Corrections and uploads**

Anyone can fix a place (another candidate, "not a place", or a pin where it really is) or an
event (dates, type, people); every layer follows at once, corrected features carry a
magenta "corrected" mark and the original values, and exports say `corrected: true` with the
`original`. Corrections and uploaded articles are saved in the app's database (SQLite file
`data/atlas.sqlite` by default, or the database named by `ATLAS_DATABASE_URL`), in the open
workspace (one per corpus: the sidebar names it and switches), shared by every session and
kept across restarts; each can be undone from the Corrections list, and an article removed
from the workspace can be restored.

On Streamlit Community Cloud the disk is **not persistent**: a restart or redeploy loses the
SQLite file, with its uploads and corrections. Point `ATLAS_DATABASE_URL` at a PostgreSQL
database there to keep them.
"""
