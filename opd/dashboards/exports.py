"""Exports in the official table layouts: Renja T-C.33, the quarterly evaluation, CSV.

Column headers are the official Indonesian ones (Permendagri 86/2017, see the
glossary): they are names of a regulated layout, not interface text, so they
are not translated. Each export runs a fixed number of queries.

Text that a user typed is written as text, never as a formula: every row of the
workbooks goes through ``_row``, which puts each string in a ``text_cell``, and
every text cell of the CSV through ``csv_safe``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.db.models import Prefetch, QuerySet
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from opd.models import Activity, ContributionRow, Realisation, WorkPlan

RENJA_HEADERS = [
    "Kode",
    "Urusan/Bidang Urusan Pemerintahan Daerah dan Program/Kegiatan",
    "Indikator Kinerja Program/Kegiatan",
    "Lokasi",
    "Target Capaian Kinerja",
    "Kebutuhan Dana/Pagu Indikatif (Rp)",
    "Sumber Dana",
    "Catatan Penting",
    "Target Capaian Kinerja (Prakiraan Maju)",
    "Kebutuhan Dana/Pagu Indikatif (Prakiraan Maju) (Rp)",
]
EVALUATION_HEADERS = [
    "No",
    "Sasaran",
    "Program/Kegiatan",
    "Indikator Kinerja Program (outcome)/Kegiatan (output)",
    "Target Kinerja dan Anggaran Renja Tahun Berjalan",
    "Realisasi Triwulan I",
    "Realisasi Triwulan II",
    "Realisasi Triwulan III",
    "Realisasi Triwulan IV",
    "Realisasi Capaian Kinerja dan Anggaran Renja yang Dievaluasi",
    "Tingkat Capaian Kinerja dan Realisasi Anggaran Renja (%)",
    "Unit Perangkat Daerah Penanggung Jawab",
]
CONTRIBUTION_HEADERS = [
    "Kode OPD",
    "Perangkat Daerah",
    "Status Renja",
    "Kontribusi Rencana",
    "Kontribusi Rencana (diajukan)",
    "Kontribusi Rencana (disetujui)",
    "Kontribusi Capaian",
    "Porsi terhadap Kebutuhan",
    "Pagu Selaras (Rp)",
    "Total Pagu (Rp)",
    "Keselarasan Anggaran",
    "Biaya per Jiwa (Rp)",
]
STATUS_ID = {
    "draft": "Draf",
    "submitted": "Diajukan",
    "returned": "Dikembalikan",
    "approved": "Disetujui",
}
FUNDING_ID = {
    "apbd_kota": "APBD Kota",
    "apbd_provinsi": "APBD Provinsi",
    "apbn": "APBN",
    "dak": "DAK",
    "lainnya": "Lainnya",
}
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE7F0")
GROUP_FILL = PatternFill("solid", fgColor="EEF3F8")
RUPIAH = "#,##0"
AMOUNT = "#,##0.##"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# What a spreadsheet reads as the start of a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(sheet: Worksheet, value: str) -> Cell:
    """A cell of ``sheet`` holding ``value`` as text (data type "s"), for ``Worksheet.append``.

    openpyxl stores any string starting with "=" as a formula, so an activity named
    ``=HYPERLINK(...)`` would open as a live link: the type is forced back to text, and
    the quote prefix keeps Excel from reading it as a formula once the cell is edited.
    Control characters the format cannot hold (all but tab and line breaks) are dropped
    where openpyxl would raise.
    """
    cell = Cell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def _row(sheet: Worksheet, values: Sequence[object]) -> tuple[Cell, ...]:
    """Append a row, every string in it as text; numbers and empty cells as they are."""
    sheet.append([text_cell(sheet, v) if isinstance(v, str) else v for v in values])
    return cast(tuple[Cell, ...], sheet[sheet.max_row])


def csv_safe(value: str) -> str:
    """``value`` for a CSV cell: prefixed with ' when a spreadsheet would run it (OWASP)."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def plans_for_export(*, year: int, region_id: int, opd_id: int | None = None) -> QuerySet[WorkPlan]:
    """The year's plans with programs, activities and places (and realisations): 5 queries."""
    plans = WorkPlan.objects.filter(year=year, opd__region_id=region_id).select_related("opd")
    if opd_id is not None:
        plans = plans.filter(opd_id=opd_id)
    return plans.order_by("opd__code").prefetch_related(
        "programs",
        Prefetch(
            "programs__activities",
            queryset=Activity.objects.select_related("kelurahan__kecamatan").prefetch_related(
                Prefetch("realisations", queryset=Realisation.objects.order_by("quarter")),
                "indicators",
            ),
        ),
    )


def _header(sheet: Worksheet, title: str, subtitle: str, headers: Sequence[str]) -> int:
    _row(sheet, [title])[0].font = Font(bold=True, size=13)
    _row(sheet, [subtitle])
    sheet.append([])
    for cell in _row(sheet, headers):
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    _row(sheet, [str(i) for i in range(1, len(headers) + 1)])
    sheet.freeze_panes = "A6"
    return 6


def _widths(sheet: Worksheet, widths: Iterable[int]) -> None:
    for i, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(i)].width = width


def _place(activity: Activity) -> str:
    if activity.kelurahan is None:
        return ""
    return f"Kel. {activity.kelurahan.name}, Kec. {activity.kelurahan.kecamatan.name}"


def _target(value: Decimal | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f} {unit}".strip()


@dataclass
class RenjaTotals:
    budget: Decimal
    next_year_budget: Decimal
    activities: int


def renja_workbook(
    plans: Sequence[WorkPlan], *, year: int, region_name: str
) -> tuple[Workbook, RenjaTotals]:
    """T-C.33: one heading row per OPD, a row per program (its budget summed), one per activity."""
    book = Workbook()
    sheet = cast(Worksheet, book.active)
    sheet.title = f"T-C.33 {year}"
    scope = plans[0].opd.name if len(plans) == 1 else "Seluruh Perangkat Daerah"
    _header(
        sheet,
        f"Rumusan Rencana Program dan Kegiatan Perangkat Daerah Tahun {year} "
        f"dan Prakiraan Maju Tahun {year + 1}",
        f"{region_name} – {scope}",
        RENJA_HEADERS,
    )
    totals = RenjaTotals(Decimal(0), Decimal(0), 0)
    for plan in plans:
        for cell in _row(
            sheet,
            [plan.opd.code, f"{plan.opd.name} (Renja {STATUS_ID.get(plan.status, plan.status)})"],
        ):
            cell.font = BOLD
            cell.fill = GROUP_FILL
        for program in plan.programs.all():
            activities = list(program.activities.all())
            budget = sum((a.budget for a in activities), Decimal(0))
            forward = [a.next_year_budget for a in activities if a.next_year_budget is not None]
            next_budget = sum(forward, Decimal(0)) if forward else None
            for cell in _row(
                sheet,
                [
                    program.code,
                    program.name,
                    program.outcome_indicator,
                    "",
                    "",
                    budget,
                    "",
                    "",
                    "",
                    next_budget,
                ],
            ):
                cell.font = BOLD
            for activity in activities:
                _row(
                    sheet,
                    [
                        activity.code,
                        activity.name,
                        activity.output_indicator,
                        _place(activity),
                        _target(activity.output_target, activity.output_unit),
                        activity.budget,
                        FUNDING_ID.get(activity.funding_source, activity.funding_source),
                        activity.notes,
                        _target(activity.next_year_target, activity.output_unit),
                        activity.next_year_budget,
                    ],
                )
                totals.budget += activity.budget
                totals.next_year_budget += activity.next_year_budget or Decimal(0)
                totals.activities += 1
    for cell in _row(
        sheet, ["", "Jumlah", "", "", "", totals.budget, "", "", "", totals.next_year_budget]
    ):
        cell.font = BOLD
    for row in sheet.iter_rows(min_row=6):
        row[5].number_format = RUPIAH
        row[9].number_format = RUPIAH
    _widths(sheet, [14, 48, 36, 30, 16, 20, 14, 30, 16, 20])
    return book, totals


def evaluation_workbook(plans: Sequence[WorkPlan], *, year: int, region_name: str) -> Workbook:
    """The quarterly evaluation (E.81): each value column a pair, K (output) and Rp."""
    book = Workbook()
    sheet = cast(Worksheet, book.active)
    sheet.title = f"Evaluasi {year}"
    title = f"Evaluasi terhadap Hasil Renja Perangkat Daerah Tahun {year}"
    _row(sheet, [title])[0].font = Font(bold=True, size=13)
    scope = plans[0].opd.name if len(plans) == 1 else "Seluruh Perangkat Daerah"
    _row(sheet, [f"{region_name} – {scope}"])
    sheet.append([])
    # Row 4: the column names, each value column spanning K and Rp; row 5: K / Rp.
    top: list[str] = []
    sub: list[str] = []
    for i, name in enumerate(EVALUATION_HEADERS):
        if 4 <= i <= 10:
            top += [name, ""]
            sub += ["K", "Rp" if i < 10 else "Rp (%)"]
        else:
            top.append(name)
            sub.append("")
    _row(sheet, top)
    _row(sheet, sub)
    column = 1
    for i, _name in enumerate(EVALUATION_HEADERS):
        if 4 <= i <= 10:
            sheet.merge_cells(start_row=4, start_column=column, end_row=4, end_column=column + 1)
            column += 2
        else:
            sheet.merge_cells(start_row=4, start_column=column, end_row=5, end_column=column)
            column += 1
    for row in (sheet[4], sheet[5]):
        for cell in row:
            cell.font = BOLD
            cell.fill = HEAD_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center")
    sheet.freeze_panes = "A6"
    number = 0
    for plan in plans:
        for cell in _row(sheet, ["", plan.opd.name]):
            cell.font = BOLD
            cell.fill = GROUP_FILL
        for program in plan.programs.all():
            program_row = ["", "", f"{program.code} {program.name}", program.outcome_indicator]
            for cell in _row(sheet, program_row):
                cell.font = BOLD
            for activity in program.activities.all():
                number += 1
                by_quarter = {r.quarter: r for r in activity.realisations.all()}
                quarters: list[Decimal | None] = []
                for q in (1, 2, 3, 4):
                    r = by_quarter.get(q)
                    quarters += [r.output_achieved, r.budget_spent] if r else [None, None]
                output = sum((r.output_achieved for r in by_quarter.values()), Decimal(0))
                spent = sum((r.budget_spent for r in by_quarter.values()), Decimal(0))
                target = activity.output_target
                _row(
                    sheet,
                    [
                        number,
                        ", ".join(i.name for i in activity.indicators.all()),
                        f"{activity.code} {activity.name}",
                        _output(activity),
                        target,
                        activity.budget,
                        *quarters,
                        output,
                        spent,
                        _percent(output, target),
                        _percent(spent, activity.budget),
                        plan.opd.name,
                    ],
                )
    for row in sheet.iter_rows(min_row=6):
        for index in range(4, 16):  # the K and Rp pairs up to the realisation
            row[index].number_format = RUPIAH if index % 2 else AMOUNT
        row[16].number_format = row[17].number_format = "0.00"
    sheet.append([])
    for label in [
        "Faktor pendorong",
        "Faktor penghambat",
        "Tindak lanjut yang diperlukan dalam triwulan berikutnya",
        "Tindak lanjut yang diperlukan dalam Renja Perangkat Daerah berikutnya",
    ]:
        _row(sheet, ["", label])[1].font = BOLD
    _widths(sheet, [6, 30, 44, 34] + [12, 18] * 7 + [30])
    return book


def _output(activity: Activity) -> str:
    if activity.output_unit:
        return f"{activity.output_indicator} ({activity.output_unit})"
    return activity.output_indicator


def _percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    if not whole:
        return None
    return (part / whole * 100).quantize(Decimal("0.01"))


def to_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def contribution_csv(rows: Sequence[ContributionRow]) -> str:
    """The OPD contribution table of a snapshot as CSV (comma, dot decimals, no grouping)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CONTRIBUTION_HEADERS)
    for row in rows:
        writer.writerow(
            [
                csv_safe(row.opd.code),
                csv_safe(row.opd.name),
                csv_safe(STATUS_ID.get(row.work_plan_status, row.work_plan_status)),
                _plain(row.planned),
                _plain(row.planned_submitted),
                _plain(row.planned_approved),
                _plain(row.achieved),
                _plain(row.share),
                _plain(row.aligned_budget),
                _plain(row.total_budget),
                _plain(row.alignment),
                _plain(row.cost_per_person),
            ]
        )
    return out.getvalue()


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f") if value else "0"
