"""Files for the Renstra import tests: rows in the layout of a 2016–2021 Renstra, written as
XLSX or CSV, and the world they are imported into (Dinas Sosial's draft Renstra, its plan's
indicator KMS, and a person of every role)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from opd import models as om
from opd.renstra import services
from opd.renstra.import_rows import columns_for
from targets import models as tm
from tests import factories as f
from tests.factories import UserFactory
from tests.workplans.plan_world import member, reviewer

PERIOD = list(range(2016, 2022))  # PlanFactory's plan
HEADERS = [column.header for column in columns_for(PERIOD)]


def program(code: str = "1.06.01", **values: Any) -> dict[str, Any]:
    """A clean program row: every year's target 100 and pagu 1.000.000."""
    row: dict[str, Any] = {
        "Jenis": "program",
        "Kode program": code,
        "Kode kegiatan": "",
        "Nama": f"Program {code}",
        "Indikator": "Keluarga miskin yang mandiri",
        "Satuan": "KK",
        "Kode indikator RPJMD": "KMS",
    }
    for year in PERIOD:
        row[f"Target {year}"] = 100
        row[f"Pagu {year}"] = 1_000_000
    return {**row, **values}


def activity(program_code: str = "1.06.01", code: str = "1.06.01.001", **values: Any) -> dict:
    """A clean activity row of ``program_code``: every year's target 10."""
    row: dict[str, Any] = {
        "Jenis": "kegiatan",
        "Kode program": program_code,
        "Kode kegiatan": code,
        "Nama": f"Kegiatan {code}",
        "Indikator": "Keluarga penerima bantuan",
        "Satuan": "KK",
        "Kode indikator RPJMD": "",
    }
    for year in PERIOD:
        row[f"Target {year}"] = 10
    return {**row, **values}


def plan_rows(programs: int, activities_each: int = 0) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for p in range(1, programs + 1):
        code = f"1.06.{p:02d}"
        rows.append(program(code))
        rows += [activity(code, f"{code}.{a:03d}") for a in range(1, activities_each + 1)]
    return rows


def xlsx(rows: Iterable[dict[str, Any]], headers: Sequence[str] = HEADERS) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Renstra")
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: Iterable[dict[str, Any]], headers: Sequence[str] = HEADERS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else row.get(h) for h in headers])
    return out.getvalue().encode("utf-8-sig")


def upload(data: bytes, name: str = "renstra.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@dataclass
class World:
    opd: om.Opd
    plan: Any
    indicator: Any
    renstra: om.Renstra
    head: Any  # a member of the Renstra's OPD
    other: Any  # a member of another OPD of the region
    reviewer: Any  # Bappeda
    user: Any  # signed in, no OPD, not Bappeda
    stranger: Any  # Bappeda of another kota of the province
    province: Any  # Bappeda of the province above the OPD's region

    @classmethod
    def build(cls) -> World:
        opd = f.OpdFactory(code="1.06", name="Dinas Sosial")
        plan = f.PlanFactory(region=opd.region)
        indicator = f.IndicatorFactory(plan=plan, code="KMS")
        head = member(opd)
        renstra = services.renstra_create(opd=opd, plan=plan, by=head)
        province = f.RegionFactory(kind=tm.Region.Kind.PROVINCE)
        tm.Region.objects.filter(pk=opd.region_id).update(parent=province)
        elsewhere = f.RegionFactory(parent=province)
        f.OpdFactory(region=elsewhere, code="1.06", name="Dinas Sosial lain")
        return cls(
            opd=opd,
            plan=plan,
            indicator=indicator,
            renstra=renstra,
            head=head,
            other=member(f.OpdFactory(region=opd.region)),
            reviewer=reviewer(region=opd.region),
            user=UserFactory(),
            stranger=reviewer("bappeda.lain", region=elsewhere),
            province=reviewer("bappeda.provinsi", region=province),
        )

    def who(self, role: str) -> Any:
        return {
            "member": self.head,
            "other": self.other,
            "reviewer": self.reviewer,
            "user": self.user,
            "stranger": self.stranger,
            "province": self.province,
        }[role]

    def url(self, name: str) -> str:
        return reverse(f"renstra:{name}", args=[self.renstra.pk])

    def set_status(self, status: str) -> None:
        """Put the Renstra in ``status`` directly (the workflow is the services' tests')."""
        from django.utils import timezone

        now = timezone.now()
        om.Renstra.objects.filter(pk=self.renstra.pk).update(
            status=status,
            submitted_at=None if status == "draft" else now,
            reviewed_at=now if status in ("returned", "approved") else None,
        )
        self.renstra.refresh_from_db()


def state(renstra: om.Renstra) -> dict[str, Any]:
    """Everything an import may write about ``renstra``, to compare before and after."""
    return {
        "renstra": list(om.Renstra.objects.filter(pk=renstra.pk).values()),
        "programs": list(om.RenstraProgram.objects.filter(renstra=renstra).values().order_by("pk")),
        "program_years": list(
            om.RenstraProgramYear.objects.filter(program__renstra=renstra).values().order_by("pk")
        ),
        "activities": list(
            om.RenstraActivity.objects.filter(program__renstra=renstra).values().order_by("pk")
        ),
        "activity_years": list(
            om.RenstraActivityYear.objects.filter(activity__program__renstra=renstra)
            .values()
            .order_by("pk")
        ),
        "audit": om.RenstraAuditEntry.objects.filter(renstra=renstra).count(),
    }


def decimal(value: Any) -> Decimal:
    return Decimal(str(value))
