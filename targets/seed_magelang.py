"""Seed facts of Kota Magelang (design section 3), each with its source.

Loaded by ``python manage.py load_magelang``. Figures are exact strings, turned
into ``Decimal`` by the loader. **2018 has no recorded poverty figure**: it is
left out on purpose and must never be invented.

Sources:
- Poverty rate (persentase penduduk miskin): BPS figures as quoted by the
  press; 2015 is the RPJMD's baseline.
- Targets 7.38 % (2018) and 6.12 % (2021): the city government's own
  statement of its RPJMD 2016–2021 targets.
- The region's poverty record (``POVERTY_RECORD``, ``targets/poverty.py``), each figure
  with its own source: 2015–2021 are the poverty rates above (2015 the RPJMD's baseline);
  2022 (poverty rate 7.10 %, 8,650 poor persons, extreme poverty 0.13 % and 163 persons)
  from Bappeda Kota Magelang at its coordination meeting on poverty reduction (rapat
  koordinasi penanggulangan kemiskinan); 2024 (5.94 %, 7,250 poor persons, poverty line
  Rp 626,614) and the poverty lines of 2019 (Rp 481,282) and 2020 (Rp 525,099): BPS as
  reported by the press. Release dates were not found: none is given. Unknown figures
  (2018, 2023, every P1 and P2, the other poverty lines and head counts) are left out and
  must never be invented, nor a rate computed from a head count.
- Population: 120,952 is the 2015 projection of the city statistics office
  (BPS Kota Magelang); 121,526 is the 2020 population census (SP2020).
- Region, kecamatan and kelurahan: Kota Magelang has 3 kecamatan and 17
  kelurahan. Codes follow the Kemendagri pattern (province.city.district.
  1nnn for a kelurahan; Kota Magelang is 33.71). The kecamatan numbers are
  Kemendagri's; the kelurahan sequence numbers here are assigned in
  alphabetical order and must be checked against the current Kepmendagri
  list before they are exchanged with other systems.
- Province: Kota Magelang lies in Provinsi Jawa Tengah, Kemendagri code 33 (the code list of
  Kepmendagri No. 100.1.1-6117 Tahun 2022); loaded as the city's parent region, so a
  province Bappeda can read it (design section 9).
- Mission, goal and objective texts are illustrative placeholders written
  for this portal, not quotations of the RPJMD document.
"""

from __future__ import annotations

from typing import Any

REGION = {"code": "33.71", "name": "Kota Magelang", "kind": "kota"}
PROVINCE = {"code": "33", "name": "Provinsi Jawa Tengah", "kind": "provinsi"}

KECAMATAN: list[dict[str, Any]] = [
    {
        "code": "33.71.01",
        "name": "Magelang Selatan",
        "kelurahan": [
            "Jurangombo Selatan",
            "Jurangombo Utara",
            "Magersari",
            "Rejowinangun Selatan",
            "Tidar Selatan",
            "Tidar Utara",
        ],
    },
    {
        "code": "33.71.02",
        "name": "Magelang Utara",
        "kelurahan": ["Kedungsari", "Kramat Selatan", "Kramat Utara", "Potrobangsan", "Wates"],
    },
    {
        "code": "33.71.03",
        "name": "Magelang Tengah",
        "kelurahan": [
            "Cacaban",
            "Gelangan",
            "Kemirirejo",
            "Magelang",
            "Panjang",
            "Rejowinangun Utara",
        ],
    },
]

PLAN: dict[str, Any] = {
    "name": "RPJMD Kota Magelang 2016–2021",
    "first_year": 2016,
    "last_year": 2021,
    "vision": (
        "Magelang sebagai Kota Jasa yang Modern dan Cerdas dilandasi Masyarakat "
        "Sejahtera dan Religius"
    ),
    "source": (
        "Visi RPJMD Kota Magelang 2016–2021. Misi, tujuan dan sasaran di portal ini "
        "bersifat ilustratif."
    ),
}

# Illustrative cascade: one mission, goal and objective that the poverty rate measures.
MISSION = {"number": 1, "text": "Meningkatkan kesejahteraan masyarakat yang merata (ilustratif)"}
GOAL = {"number": 1, "text": "Menurunkan kemiskinan dan kesenjangan (ilustratif)"}
OBJECTIVE = {"number": 1, "text": "Berkurangnya jumlah penduduk miskin (ilustratif)"}

POVERTY_SOURCE = "BPS, sebagaimana dikutip media"
POVERTY: dict[str, Any] = {
    "code": "KEMISKINAN",
    "name": "Persentase penduduk miskin",
    "unit": "%",
    "direction": "down",
    "is_population_share": True,
    "condition": "kemiskinan",  # contributions count "Penduduk keluar dari kemiskinan"
    "baseline_year": 2015,
    "baseline_value": "9.05",
    "baseline_source": f"{POVERTY_SOURCE} (kondisi awal RPJMD)",
}

TARGET_SOURCE = "Pernyataan Pemerintah Kota Magelang tentang target RPJMD 2016–2021"
POVERTY_TARGETS = {2018: "7.38", 2021: "6.12"}

# No 2018 figure: BPS figures for that year were not found. Do not add one.
POVERTY_ACTUALS = {
    2016: "8.78",
    2017: "8.75",
    2019: "7.46",
    2020: "7.58",
    2021: "7.75",
}

POPULATION = [
    {"year": 2015, "value": 120_952, "source": "Proyeksi penduduk 2015, BPS Kota Magelang"},
    {"year": 2020, "value": 121_526, "source": "Sensus Penduduk 2020 (SP2020), BPS"},
]

# The region's poverty record. Rows: (year, measure, value, source); measures are
# targets.poverty.PovertyMeasure values. A figure absent here is unknown: leave it absent.
POVERTY_RECORD_MEASURE = "p0"  # the KEMISKINAN indicator reads its actuals from P0
BAPPEDA_POVERTY_MEETING = (
    "Bappeda Kota Magelang, rapat koordinasi penanggulangan kemiskinan (data 2022)"
)
POVERTY_RECORD: list[tuple[int, str, str, str]] = [
    (2015, "p0", POVERTY["baseline_value"], POVERTY["baseline_source"]),
    *((year, "p0", value, POVERTY_SOURCE) for year, value in POVERTY_ACTUALS.items()),
    (2019, "poverty_line", "481282", POVERTY_SOURCE),
    (2020, "poverty_line", "525099", POVERTY_SOURCE),
    (2022, "p0", "7.10", BAPPEDA_POVERTY_MEETING),
    (2022, "poor_persons", "8650", BAPPEDA_POVERTY_MEETING),
    (2022, "extreme_rate", "0.13", BAPPEDA_POVERTY_MEETING),
    (2022, "extreme_persons", "163", BAPPEDA_POVERTY_MEETING),
    (2024, "p0", "5.94", POVERTY_SOURCE),
    (2024, "poor_persons", "7250", POVERTY_SOURCE),
    (2024, "poverty_line", "626614", POVERTY_SOURCE),
]
