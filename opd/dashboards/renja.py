"""The Renja table T-C.33 (Permendagri 86/2017): per OPD a heading row, a row per program with
its outcome target and its activities' budget summed, one per activity, then the totals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from opd.dashboards import sheets
from opd.dashboards.exports import UNIT, marked, opd_row, subtitle
from opd.dashboards.sheets import AMOUNT, MONEY, Column, emphasise, row
from opd.models import Activity, Program, WorkPlan

PLANNED = "Rencana Tahun {year}"
FORWARD = "Prakiraan Maju Rencana Tahun {next_year}"
TARGET = "Target Capaian Kinerja"
BUDGET = "Kebutuhan Dana/Pagu Indikatif (Rp)"
RENJA_COLUMNS = (
    Column("Kode", 12, number="1"),
    Column("Urusan/Bidang Urusan Pemerintahan Daerah dan Program/Kegiatan", 34, number="2"),
    Column("Indikator Kinerja Program/Kegiatan", 26, number="3"),
    Column("Lokasi", 18, group=PLANNED, number="4"),
    Column(TARGET, 10, AMOUNT, PLANNED, "5"),
    Column(UNIT, 8, group=PLANNED, number="5"),
    Column(BUDGET, 15, MONEY, PLANNED, "6"),
    Column("Sumber Dana", 11, group=PLANNED, number="7"),
    Column("Catatan Penting", 20, number="8"),
    Column(TARGET, 10, AMOUNT, FORWARD, "9"),
    Column(UNIT, 8, group=FORWARD, number="9"),
    Column(BUDGET, 15, MONEY, FORWARD, "10"),
)
RENJA_HEADERS = [c.heading for c in RENJA_COLUMNS]
FUNDING_ID = {
    "apbd_kota": "APBD Kota",
    "apbd_provinsi": "APBD Provinsi",
    "apbn": "APBN",
    "dak": "DAK",
    "lainnya": "Lainnya",
}


def _place(activity: Activity) -> str:
    if activity.kelurahan is None:
        return ""
    return f"Kel. {activity.kelurahan.name}, Kec. {activity.kelurahan.kecamatan.name}"


@dataclass
class RenjaTotals:
    budget: Decimal
    next_year_budget: Decimal
    activities: int


def renja_columns(year: int) -> list[Column]:
    groups = {PLANNED: PLANNED.format(year=year), FORWARD: FORWARD.format(next_year=year + 1)}
    return [
        Column(c.heading, c.width, c.kind, groups.get(c.group, ""), c.number) for c in RENJA_COLUMNS
    ]


def renja_workbook(
    plans: Sequence[WorkPlan], *, year: int, region_name: str, empty_note: str = ""
) -> tuple[Workbook, RenjaTotals]:
    """T-C.33: one heading row per OPD, a row per program (its outcome target, its budget
    summed), one per activity, then the totals. ``empty_note`` stands in for no plans."""
    book = Workbook()
    sheet = cast(Worksheet, book.active)
    sheet.title = f"T-C.33 {year}"
    columns = renja_columns(year)
    width = len(columns)
    sheets.title(
        sheet,
        marked(
            f"Rumusan Rencana Program dan Kegiatan Perangkat Daerah Tahun {year} "
            f"dan Prakiraan Maju Tahun {year + 1}",
            plans,
        ),
        subtitle(region_name, plans),
        width,
    )
    last_heading = sheets.headings(sheet, columns, numbered=True)
    totals = RenjaTotals(Decimal(0), Decimal(0), 0)
    if empty_note:
        row(sheet, ["", empty_note])
    for plan in plans:
        opd_row(sheet, plan, width, with_code=True)
        for program in plan.programs.all():
            _renja_program(sheet, program, totals)
    total = ["", "Jumlah", "", "", None, "", totals.budget, "", "", None, ""]
    emphasise(row(sheet, [*total, totals.next_year_budget]))
    sheets.table_body(sheet, columns, last_heading + 1, sheet.max_row)
    sheets.print_setup(sheet, repeat_rows=(4, last_heading))
    return book, totals


def _renja_program(sheet: Worksheet, program: Program, totals: RenjaTotals) -> None:
    activities = list(program.activities.all())
    forward = [a.next_year_budget for a in activities if a.next_year_budget is not None]
    emphasise(
        row(
            sheet,
            [
                program.code,
                program.name,
                program.outcome_indicator,
                "",
                program.outcome_target,
                program.outcome_unit,
                sum((a.budget for a in activities), Decimal(0)),
                "",
                "",
                None,
                "",
                sum(forward, Decimal(0)) if forward else None,
            ],
        )
    )
    for activity in activities:
        row(
            sheet,
            [
                activity.code,
                activity.name,
                activity.output_indicator,
                _place(activity),
                activity.output_target,
                activity.output_unit,
                activity.budget,
                FUNDING_ID.get(activity.funding_source, activity.funding_source),
                activity.notes,
                activity.next_year_target,
                activity.output_unit,
                activity.next_year_budget,
            ],
        )
        totals.budget += activity.budget
        totals.next_year_budget += activity.next_year_budget or Decimal(0)
        totals.activities += 1
