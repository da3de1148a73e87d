"""Benchmark of the aspirations' bulk import: a generated 5,000-row XLSX file, checked and then
imported by Bappeda into the seeded region (Django set up, the demo seed loaded).

Returns the lines ``python -m benchmarks`` prints: the time to read and check the file (every
row against the region's kelurahan, the indicators and the stored titles) and the time of the
import itself (one transaction, bulk inserts in chunks, references drawn and checked per chunk).
"""

from __future__ import annotations

import io
import time

ROWS = 5000
YEAR = 2021


def generated_file(places: list[tuple[str, str]], rows: int = ROWS) -> bytes:
    """A file in the import layout: ``rows`` aspirations over the kelurahan ``places``."""
    from openpyxl import Workbook

    from opd.aspirations.import_rows import HEADERS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Usulan")
    sheet.append(list(HEADERS))
    forums = ["Musrenbang kelurahan", "musrenbang_kecamatan", "FGD", "Konsultasi publik"]
    for n in range(rows):
        kecamatan, kelurahan = places[n % len(places)]
        sheet.append(
            [
                forums[n % len(forums)],
                f"{1 + n % 28:02d}/02/{YEAR - 1}",
                YEAR,
                kecamatan,
                kelurahan,
                "kelompok" if n % 3 else "perorangan",
                f"Kelompok warga {n}",
                "0812 0000 0000",
                "Infrastruktur",
                f"Usulan bangku {n:05d} (benchmark)",
                "Dibuat oleh benchmark impor.",
                1 + n % 10,
                "",
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run() -> list[str]:
    from django.contrib.auth import get_user_model

    from opd.aspirations import import_run, imports
    from opd.models import Aspiration, AspirationImport
    from targets.models import Kelurahan

    user = get_user_model().objects.get(username="bappeda")
    region = imports.default_region()
    places = list(
        Kelurahan.objects.filter(kecamatan__region=region).values_list("kecamatan__name", "name")
    )
    data = generated_file(places)

    start = time.perf_counter()
    checked = imports.check_file(user=user, name="benchmark.xlsx", data=data)
    checking = time.perf_counter() - start
    if checked.bad:
        raise SystemExit(f"The generated file has bad rows: {checked.bad[:3]}")
    batch = imports.stage(user=user, name="benchmark.xlsx", checked=checked)
    AspirationImport.objects.filter(pk=batch.pk).update(state=AspirationImport.State.QUEUED)
    start = time.perf_counter()
    imported = import_run.run(batch.pk)
    importing = time.perf_counter() - start
    if imported != ROWS:
        batch.refresh_from_db()
        raise SystemExit(f"The import failed: {batch.error}")
    # Leave the seeded database as it was, so the benchmark can run again on it.
    Aspiration.objects.filter(year=YEAR, title__endswith="(benchmark)").delete()
    AspirationImport.objects.filter(pk=batch.pk).delete()
    return [
        f"import, check      {checking * 1000:8.1f} ms  {ROWS} rows of XLSX read and checked",
        f"import, insert     {importing * 1000:8.1f} ms  {ROWS} aspirations and their events",
    ]
