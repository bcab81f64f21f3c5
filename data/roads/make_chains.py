"""Regenerate the corridor highway chains ``data/roads/<chain>.csv`` from the town lists below.

    .venv/bin/python data/roads/make_chains.py

Each chain is a highway (or a stretch of one, or a foot/boat crossing) written as the ordered
towns it runs through, a town every 20–40 km where the road has one. A town is given by name,
optionally ``@<GeoNames admin-1 code>``, or as ``corridor:<place_id>`` (a row of
``data/gazetteer/corridor_places.csv``). Names are looked up in the project's offline GeoNames
gazetteer (``geo.gazetteer.index``): among the populated places of the chain's country (and admin-1
when given) with that name, the one nearest the previous town is taken (the most populous for
the first town). The CSVs keep the GeoNames id (or corridor feature id) and the gazetteer's
point, so the build never guesses; ``tests/test_roads.py`` checks every row against the
gazetteer. A ``mode`` of ``boat`` on a row means the stretch *to* that town is by boat
(Necoclí → Acandí across the Gulf of Urabá, Bajo Chiquito → Lajas Blancas by canoe).

Which towns each road runs through is stated in ``data/README.md`` (section "Corridor highways")
with its sources.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from pyproj import Geod

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from geo.gazetteer.index import load_gazetteer  # noqa: E402

GEOD = Geod(ellps="WGS84")

#: chain id -> (title, default country, [town, ...])
CHAINS: dict[str, tuple[str, str, list[str]]] = {
    "mex200_chiapas": ("Federal Highway 200 / 190, Chiapas and Oaxaca coast: Ciudad Hidalgo to Juchitán", "MX", [
        "Ciudad Hidalgo@MX.05", "Tapachula", "Álvaro Obregón@MX.05", "Huehuetán", "Tuzantán", "Huixtla",
        "Villa Comaltitlán", "Escuintla@MX.05", "Acapetahua", "Mapastepec", "Pijijiapan", "Tres Picos",
        "Tonalá@MX.05", "Arriaga", "Chahuites", "San Pedro Tapanatepec", "Santo Domingo Zanatepec", "Niltepec",
        "Juchitán de Zaragoza",
    ]),
    "mex185_isthmus": ("Federal Highway 185 (Transístmica), Salina Cruz to Coatzacoalcos", "MX", [
        "Salina Cruz", "Santo Domingo Tehuantepec", "Juchitán de Zaragoza", "La Ventosa", "Matías Romero",
        "Palomares", "Donají", "Sayula de Alemán", "Acayucan", "Jáltipan de Morelos", "Minatitlán@MX.30",
        "Coatzacoalcos",
    ]),
    "mex145_150_puebla": ("Federal Highways 145 and 150, Acayucan to Mexico City via Córdoba and Puebla", "MX", [
        "Acayucan", "Juan Rodríguez Clara", "Isla@MX.30", "Loma Bonita", "Tierra Blanca@MX.30", "Cuitláhuac",
        "Córdoba@MX.30", "Fortín de las Flores", "Orizaba", "Ciudad Mendoza", "Acultzingo", "Esperanza@MX.21",
        "Palmar de Bravo", "Tecamachalco", "Acatzingo", "Amozoc", "Puebla", "San Martín Texmelucan",
        "Río Frío de Juárez", "Ixtapaluca", "Mexico City",
    ]),
    "mex180_gulf": ("Federal Highway 180, the Gulf coast: Acayucan to Matamoros via Veracruz and Tampico", "MX", [
        "Acayucan", "San Andrés Tuxtla", "Santiago Tuxtla", "Lerdo de Tejada", "Alvarado", "Boca del Río",
        "Veracruz", "José Cardel", "Palma Sola", "Vega de Alatorre", "Nautla", "Gutiérrez Zamora",
        "Papantla", "Poza Rica de Hidalgo", "Tuxpan@MX.30", "Álamo", "Naranjos", "Ozuluama", "Tampico",
        "Altamira", "Aldama@MX.28", "Soto la Marina", "San Fernando@MX.28", "Valle Hermoso",
        "Heroica Matamoros",
    ]),
    "mex57_north": ("Federal Highway 57, Mexico City to Piedras Negras via Querétaro, San Luis Potosí and Saltillo", "MX", [
        "Mexico City", "Cuautitlán Izcalli", "Tepotzotlán", "Tepeji del Río de Ocampo", "Polotitlán",
        "San Juan del Río", "Pedro Escobedo", "Santiago de Querétaro", "Santa Rosa Jáuregui",
        "San José Iturbide", "San Luis de la Paz", "Santa María del Río", "San Luis Potosí", "Bocas",
        "Entronque de Matehuala (El Huizache)", "Matehuala", "Agua Nueva", "Saltillo",
        "Ramos Arizpe", "Castaños", "Monclova", "Sabinas@MX.07", "Nueva Rosita", "Allende@MX.07",
        "Nava", "Piedras Negras",
    ]),
    "mex40_85_monterrey": ("Federal Highways 40 and 85, Saltillo to Monterrey and Nuevo Laredo", "MX", [
        "Saltillo", "Santa Catarina@MX.19", "Monterrey", "Ciénega de Flores", "Salinas Victoria",
        "Sabinas Hidalgo", "Vallecillo", "Anáhuac@MX.19", "Nuevo Laredo",
    ]),
    "mex40_2_reynosa": ("Federal Highway 40 Monterrey to Reynosa and Federal Highway 2 Reynosa to Matamoros", "MX", [
        "Monterrey", "Guadalupe@MX.19", "Cadereyta Jiménez", "General Bravo", "Doctor Coss", "Camargo@MX.28",
        "Gustavo Díaz Ordaz", "Reynosa", "Río Bravo@MX.28", "Heroica Matamoros",
    ]),
    "mex45_49_juarez": ("Federal Highways 45 and 49, Querétaro to Ciudad Juárez via León, Zacatecas, Torreón and Chihuahua", "MX", [
        "Santiago de Querétaro", "Apaseo el Grande", "Celaya", "Salamanca", "Irapuato", "Silao", "León de los Aldama",
        "Lagos de Moreno", "Encarnación de Díaz", "Aguascalientes", "Rincón de Romos", "Zacatecas", "Víctor Rosales", "Fresnillo",
        "Río Grande@MX.32", "Juan Aldama@MX.32", "Cuencamé de Ceniceros", "Gómez Palacio", "Bermejillo",
        "Ceballos", "Escalón", "José Mariano Jiménez", "Santa Rosalía de Camargo", "Delicias", "Meoqui",
        "Chihuahua", "El Sauz", "Villa Ahumada", "Samalayuca", "Ciudad Juárez",
    ]),
    "mex15_pacific": ("Federal Highway 15, Mexico City to Nogales via Morelia, Guadalajara, Tepic, Culiacán and Hermosillo", "MX", [
        "Mexico City", "Toluca", "Ixtlahuaca de Rayón", "Atlacomulco de Fabela", "Maravatío de Ocampo",
        "Zinapécuaro", "Morelia", "Quiroga", "Zacapu", "Purépero de Echáiz", "Zamora de Hidalgo", "Jiquilpan",
        "Jamay", "Ocotlán@MX.14", "Zapotlanejo", "Tlaquepaque", "Guadalajara", "Tequila@MX.14", "Magdalena@MX.14",
        "Ixtlán del Río", "Ahuacatlán", "Tepic", "Santiago Ixcuintla", "Tuxpan@MX.18", "Acaponeta", "Escuinapa",
        "Rosario@MX.25", "Villa Unión@MX.25", "Mazatlán", "La Cruz@MX.25", "Eldorado", "Culiacán",
        "Pericos", "Guamúchil", "Guasave", "Los Mochis", "Navojoa", "Ciudad Obregón", "Vícam", "Empalme", "Heroica Guaymas",
        "Hermosillo", "Carbó", "Benjamín Hill", "Santa Ana@MX.26", "Magdalena de Kino", "Ímuris", "Heroica Nogales",
    ]),
    "mex2_baja": ("Federal Highway 2, Santa Ana to Tijuana via Caborca, Sonoyta, San Luis Río Colorado and Mexicali", "MX", [
        "Santa Ana@MX.26", "Altar", "Heroica Caborca", "Sonoyta", "San Luis Río Colorado", "Mexicali",
        "La Rumorosa", "Tecate", "Tijuana",
    ]),
    "suchiate_crossing": ("the Suchiate crossing, Tecún Umán (Guatemala) to Ciudad Hidalgo (Mexico)", "GT", [
        "Ciudad Tecún Umán", "Ciudad Hidalgo@MX.05",
    ]),
    "ca2_guatemala": ("CA-2 and CA-9, Tecún Umán to Guatemala City along the Pacific lowlands", "GT", [
        "Ciudad Tecún Umán", "Coatepeque@GT.13", "Retalhuleu", "Cuyotenango", "Mazatenango",
        "Santa Lucía Cotzumalguapa", "Siquinalá", "Escuintla@GT", "Palín", "Villa Nueva", "Guatemala City",
    ]),
    "ca9_10_esquipulas": ("CA-9 and CA-10, Guatemala City to Agua Caliente (Honduras border) via Chiquimula and Esquipulas", "GT", [
        "Guatemala City", "Sanarate", "Guastatoya", "San Agustín Acasaguastlán", "Teculután", "Río Hondo", "Zacapa",
        "Chiquimula", "corridor:gt_vado_hondo", "Quezaltepeque", "Esquipulas", "corridor:gt_agua_caliente",
    ]),
    "ca9_13_corinto": ("CA-13 and CA-9, Corinto (Honduras border) to Río Hondo via Morales", "GT", [
        "corridor:hn_corinto", "Morales", "Los Amates", "Gualán", "Río Hondo",
    ]),
    "ca11_el_florido": ("CA-11, Vado Hondo to El Florido and Copán Ruinas", "GT", [
        "corridor:gt_vado_hondo", "Jocotán", "Camotán", "corridor:gt_el_florido", "Copán@HN.05",
    ]),
    "ca4_honduras": ("CA-4 and CA-11, Agua Caliente and Copán to San Pedro Sula via Santa Rosa de Copán", "HN", [
        "corridor:gt_agua_caliente", "Nueva Ocotepeque", "San Marcos@HN.14", "Cucuyagua", "Santa Rosa de Copán",
        "La Entrada", "Florida@HN.05", "Naco", "San Pedro Sula",
    ]),
    "ca11_copan": ("CA-11, Copán Ruinas to La Entrada", "HN", [
        "Copán@HN.05", "Santa Rita@HN.05", "La Entrada",
    ]),
    "ca13_honduras": ("CA-13, San Pedro Sula to Corinto via Choloma and Omoa", "HN", [
        "San Pedro Sula", "Choloma", "Omoa", "Cuyamel", "corridor:hn_corinto",
    ]),
    "ca5_honduras": ("CA-5, Tegucigalpa to San Pedro Sula via Comayagua", "HN", [
        "Tegucigalpa", "Zambrano", "Villa de San Antonio", "Comayagua", "Siguatepeque", "Taulabé",
        "Santa Cruz de Yojoa", "Potrerillos@HN", "Villanueva@HN", "San Pedro Sula",
    ]),
    "ca6_danli": ("CA-6 and the Trojes road: Trojes and Las Manos to Tegucigalpa via Danlí", "HN", [
        "corridor:hn_trojes", "Cuyalí", "Jacaleapa", "Danlí", "Ojo de Agua@HN.07",
        "Tegucigalpa",
    ]),
    "ca6_las_manos": ("CA-6, Las Manos border post to Danlí via El Paraíso", "HN", [
        "corridor:hn_las_manos", "El Paraíso@HN.07", "Danlí",
    ]),
    "ca1_central": ("CA-1 (Inter-American Highway), Panama City to Peñas Blancas and on to Managua", "PA", [
        "Panamá", "Arraiján", "La Chorrera", "Capira", "San Carlos@PA", "Antón", "Penonomé", "Natá",
        "Aguadulce", "Santa María@PA.06", "Santiago de Veraguas", "Tolé", "Las Lajas@PA", "San Lorenzo@PA",
        "corridor:pa_los_planes_de_gualaca", "David", "La Concepción", "corridor:cr_paso_canoas", "Corredor@CR",
        "Puerto Cortés@CR", "Buenos Aires@CR", "San Isidro de El General", "Cartago", "San José",
        "Alajuela", "San Ramón@CR.01", "Esparza", "Cañas", "Bagaces", "Liberia", "La Cruz@CR.03",
        "corridor:ni_penas_blancas", "Rivas", "Nandaime", "Jinotepe", "Diriamba", "Managua",
    ]),
    "ca1_nicaragua_north": ("CA-1 north of Managua to Las Manos, and the Jalapa road to Trojes", "NI", [
        "Managua", "Tipitapa", "Ciudad Darío", "Sébaco", "San Isidro@NI.12", "Estelí",
        "Condega", "Palacagüina", "Ocotal", "Dipilto", "corridor:hn_las_manos",
    ]),
    "ni_jalapa_trojes": ("the road from Ocotal to Jalapa and across to Trojes", "NI", [
        "Ocotal", "Mozonte", "San Fernando@NI", "Jalapa", "corridor:hn_trojes",
    ]),
    "darien_foot": ("the Darién crossing: Necoclí by boat to Acandí, on foot to Bajo Chiquito, by canoe to Lajas Blancas, "
                    "by bus to Panama City", "CO", [
        "corridor:co_necocli", "boat:corridor:co_acandi", "corridor:co_capurgana", "corridor:co_loma_de_la_bandera",
        "corridor:pa_canaan_membrillo", "corridor:pa_bajo_chiquito", "boat:corridor:pa_lajas_blancas",
        "corridor:pa_meteti", "corridor:pa_san_vicente", "Santa Fe@PA.05", "Torti",
        "Ipetí", "Cañita", "Chepo", "Pacora", "Tocumen", "Panamá",
    ]),
}

#: chain id -> the curated gazetteer feature of the same road (``data/gazetteer/features.geojson``)
HIGHWAYS = {"mex200_chiapas": "highway:MEX-200"}

#: chain towns at a border crossing that caravans and migrants use (ports of entry on the US border,
#: the crossings further south): an intended leg "to the border" ends at one of these
CROSSINGS = {
    "Ciudad Hidalgo@MX.05", "Ciudad Tecún Umán", "corridor:gt_agua_caliente", "corridor:gt_el_florido",
    "corridor:hn_corinto", "corridor:hn_las_manos", "corridor:hn_trojes", "corridor:ni_penas_blancas",
    "corridor:cr_paso_canoas", "Nuevo Laredo", "Reynosa", "Heroica Matamoros", "Piedras Negras",
    "Ciudad Juárez", "Heroica Nogales", "Mexicali", "Tijuana", "San Luis Río Colorado", "Sonoyta",
}

MISSING: list[str] = []
FIELDS = ("seq", "name", "geonameid", "feature_id", "country_code", "admin1", "lat", "lon", "mode", "crossing", "km_from_prev")


def _resolve(gaz, spec: str, country: str, prev: tuple[float, float] | None):
    """The gazetteer entry a town spec names (see the module docstring)."""
    if spec.startswith("corridor:"):
        c = gaz.feature(spec)
        if c is None:
            raise LookupError(f"unknown corridor place {spec!r}")
        return c
    name, _, where = spec.partition("@")
    cands = [c for c in gaz.lookup(name) if c.kind == "city" and c.geonameid is not None]
    if where:  # an admin-1 code ("MX.05") or a country code ("CR")
        cands = [c for c in cands if c.admin1 == where or c.country_code == where]
    elif prev is None:
        cands = [c for c in cands if c.country_code == country]
    if prev is not None:  # a chain's next town is never far from the last one
        cands = [c for c in cands if GEOD.inv(prev[1], prev[0], c.lon, c.lat)[2] < 200_000]
    if not cands:
        raise LookupError(f"no populated place {spec!r} in {country}")
    if prev is None:
        return cands[0]  # most populous first
    return min(cands, key=lambda c: GEOD.inv(prev[1], prev[0], c.lon, c.lat)[2])


def make_chain(gaz, chain_id: str) -> list[dict[str, object]]:
    _title, country, towns = CHAINS[chain_id]
    rows: list[dict[str, object]] = []
    prev = None
    for _seq, spec in enumerate(towns):
        mode = "road"
        if spec.startswith("boat:"):
            mode, spec = "boat", spec[5:]
        try:
            c = _resolve(gaz, spec, country, prev)
        except LookupError as err:
            MISSING.append(f"{chain_id}: {err}")
            continue
        km = 0.0 if prev is None else GEOD.inv(prev[1], prev[0], c.lon, c.lat)[2] / 1000
        rows.append({
            "seq": len(rows), "name": c.name, "geonameid": c.geonameid or "", "feature_id": c.feature_id or "",
            "country_code": c.country_code or "", "admin1": c.admin1 or "", "lat": f"{c.lat:.5f}",
            "lon": f"{c.lon:.5f}", "mode": mode, "crossing": "yes" if spec in CROSSINGS else "", "km_from_prev": f"{km:.1f}",
        })
        prev = (c.lat, c.lon)
    return rows


def main() -> None:
    gaz = load_gazetteer()
    with open(HERE / "chains.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(("chain_id", "title", "file", "highway"))
        for chain_id, (title, _country, _towns) in CHAINS.items():
            w.writerow((chain_id, title, f"{chain_id}.csv", HIGHWAYS.get(chain_id, "")))
    for chain_id in CHAINS:
        rows = make_chain(gaz, chain_id)
        with open(HERE / f"{chain_id}.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, FIELDS, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        long = [f"{r['name']} ({r['km_from_prev']} km)" for r in rows if float(r["km_from_prev"]) > 45]
        print(f"{chain_id}: {len(rows)} towns" + (f"; gaps > 45 km before: {', '.join(long)}" if long else ""))
    if MISSING:
        raise SystemExit("make_chains.py: " + "; ".join(MISSING))


if __name__ == "__main__":
    main()
