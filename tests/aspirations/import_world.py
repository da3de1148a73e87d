"""Files for the bulk-import tests: rows in the layout, written as XLSX or CSV, and the world
they are imported into (the aspiration world as the default region, with a kelurahan in the
other kecamatan and a kelurahan name that two kecamatan share)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from opd.aspirations.import_rows import HEADERS
from targets import models as tm
from tests.aspirations.world import AspirationWorld
from tests.factories import KelurahanFactory

GOOD = {
    "Forum": "Musrenbang kelurahan",
    "Tanggal forum": "23/01/2018",
    "Tahun rencana": 2019,
    "Kecamatan": "Magelang Utara",
    "Kelurahan": "Kramat Utara",
    "Jenis pengusul": "kelompok",
    "Nama pengusul": "Karang Taruna RW 04",
    "Kontak pengusul": "0812 0000 0000",
    "Kategori": "Infrastruktur",
    "Judul": "Perbaikan saluran air RW 04",
    "Uraian": "Saluran tersumbat setiap musim hujan.",
    "Prioritas": 1,
    "Kode indikator": "",
}


def good(n: int = 0, **values: Any) -> dict[str, Any]:
    """A clean row; ``n`` makes its title unique."""
    return {**GOOD, "Judul": f"Perbaikan saluran air RW {n:04d}", **values}


def many(count: int, **values: Any) -> list[dict[str, Any]]:
    return [good(n, **values) for n in range(count)]


def xlsx(rows: Iterable[dict[str, Any]], headers: Sequence[str] = HEADERS) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Usulan")
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(
    rows: Iterable[dict[str, Any]],
    *,
    delimiter: str = ",",
    bom: bool = False,
    headers: Sequence[str] = HEADERS,
    header_row: Sequence[str] | None = None,
) -> bytes:
    """``headers`` are the columns written; ``header_row``, if given, their header text."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header_row or headers)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else row.get(h) for h in headers])
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@dataclass
class ImportWorld:
    aspirations: AspirationWorld
    kelurahan: tm.Kelurahan  # Kramat Utara, Magelang Utara
    other_kelurahan: tm.Kelurahan  # Jurangombo Utara, Magelang Selatan

    @classmethod
    def build(cls, settings: Any) -> ImportWorld:
        aspirations = AspirationWorld.build()
        kelurahan = aspirations.plan.kelurahan
        settings.DEFAULT_REGION_CODE = kelurahan.kecamatan.region.code
        other_kecamatan = tm.Kecamatan.objects.get(name="Magelang Selatan")
        other = KelurahanFactory(kecamatan=other_kecamatan, name="Jurangombo Utara")
        # Two kecamatan with a kelurahan of one name: the kecamatan column tells them apart.
        KelurahanFactory(kecamatan=kelurahan.kecamatan, name="Tidar")
        KelurahanFactory(kecamatan=other_kecamatan, name="Tidar")
        return cls(aspirations=aspirations, kelurahan=kelurahan, other_kelurahan=other)

    def who(self, name: str) -> Any:
        return self.aspirations.who(name)


def received(day: int = 23) -> date:
    return date(2018, 1, day)
