"""A Renstra for the work-plan world's OPD: lines with different figures in each year, so a
test can tell which year's were copied."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from opd import models as om
from tests.renstra.makers import make_activity, make_program, make_renstra

APPROVED = om.Renstra.Status.APPROVED


def approved_renstra(opd: om.Opd, plan: Any, status: str = APPROVED) -> om.Renstra:
    now = timezone.now()
    return make_renstra(
        opd=opd,
        plan=plan,
        status=status,
        submitted_at=None if status == om.Renstra.Status.DRAFT else now,
        reviewed_at=now if status in (APPROVED, om.Renstra.Status.RETURNED) else None,
    )


def program_line(
    renstra: om.Renstra, code: str, *, years: tuple[int, ...] = (2018, 2019, 2020)
) -> om.RenstraProgram:
    """A program whose target is ``year`` and budget ``year`` million: 2019 → 2019, Rp 2.019 M."""
    line = make_program(renstra=renstra, code=code, name=f"Program {code}")
    om.RenstraProgramYear.objects.bulk_create(
        om.RenstraProgramYear(
            program=line, year=year, target=Decimal(year), budget=Decimal(year) * 1_000_000
        )
        for year in years
    )
    return line


def activity_line(
    program: om.RenstraProgram, code: str, *, years: tuple[int, ...] = (2018, 2019, 2020)
) -> om.RenstraActivity:
    """An activity whose target is a tenth of ``year``: 2019 → 201.9."""
    line = make_activity(program=program, code=code, name=f"Kegiatan {code}")
    om.RenstraActivityYear.objects.bulk_create(
        om.RenstraActivityYear(activity=line, year=year, target=Decimal(year) / 10)
        for year in years
    )
    return line


def renstra_with_lines(
    opd: om.Opd, plan: Any, *, programs: int, activities_each: int = 1
) -> om.Renstra:
    renstra = approved_renstra(opd, plan)
    for number in range(1, programs + 1):
        program = program_line(renstra, f"1.06.{number:02d}")
        for each in range(1, activities_each + 1):
            activity_line(program, f"1.06.{number:02d}.{each:03d}")
    return renstra
