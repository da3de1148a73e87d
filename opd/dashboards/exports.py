"""Exports in the official table layouts: Renja T-C.33, the quarterly evaluation, CSV.

Column headers are the official Indonesian ones (Permendagri 86/2017, see the
glossary): they are names of a regulated layout, not interface text, so they
are not translated. Each export runs a fixed number of queries.

The workbooks print as the official forms (``sheets``): borders, wrapped text,
landscape A4 fitted to the width, headings repeated on every page. Targets are
numbers, their unit in its own column. A file holding a plan that is not approved
says so in its title.

Text that a user typed is written as text, never as a formula: every row of the
workbooks goes through ``sheets.row``, which puts each string in a ``text_cell``,
and every text cell of the CSV through ``csv_safe``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.db.models import Prefetch, QuerySet
from django.utils import translation
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from opd.dashboards import sheets
from opd.dashboards.sheets import AMOUNT, MONEY, PERCENT, Column, emphasise, row
from opd.models import (
    AchievedContribution,
    Activity,
    ContributionRow,
    ExpectedContribution,
    Program,
    Realisation,
    WorkPlan,
)
from targets.models import Indicator

PLANNED = "Rencana Tahun {year}"
FORWARD = "Prakiraan Maju Rencana Tahun {next_year}"
TARGET = "Target Capaian Kinerja"
UNIT = "Satuan"
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


def _pair(group: str, kinds: tuple[str, str] = (AMOUNT, MONEY)) -> tuple[Column, Column]:
    """A value column of the evaluation: K (kinerja, the output) and Rp."""
    return Column("K", 9, kinds[0], group), Column("Rp", 14, kinds[1], group)


EVALUATION_COLUMNS = (
    Column("No", 5),
    Column("Sasaran", 18),
    Column("Program/Kegiatan", 28),
    Column("Indikator Kinerja Program (outcome)/Kegiatan (output)", 24),
    Column(UNIT, 8),
    *_pair("Target Kinerja dan Anggaran Renja Tahun Berjalan"),
    *_pair("Realisasi Triwulan I"),
    *_pair("Realisasi Triwulan II"),
    *_pair("Realisasi Triwulan III"),
    *_pair("Realisasi Triwulan IV"),
    *_pair("Realisasi Capaian Kinerja dan Anggaran Renja yang Dievaluasi"),
    *_pair("Tingkat Capaian Kinerja dan Realisasi Anggaran Renja (%)", (PERCENT, PERCENT)),
    Column("Unit Perangkat Daerah Penanggung Jawab", 18),
)
EVALUATION_HEADERS = list(dict.fromkeys(c.group or c.heading for c in EVALUATION_COLUMNS))
EVALUATION_FOOTER = [
    "Faktor pendorong",
    "Faktor penghambat",
    "Tindak lanjut yang diperlukan dalam triwulan berikutnya",
    "Tindak lanjut yang diperlukan dalam Renja Perangkat Daerah berikutnya",
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
# The state of each plan as the official forms name it; "" is an OPD without a plan.
STATUS_ID = {
    "": "Belum ada Renja",
    "draft": "Draf",
    "submitted": "Diajukan",
    "returned": "Dikembalikan",
    "approved": "Disetujui",
    "reopened": "Dibuka kembali",
}
FUNDING_ID = {
    "apbd_kota": "APBD Kota",
    "apbd_provinsi": "APBD Provinsi",
    "apbn": "APBN",
    "dak": "DAK",
    "lainnya": "Lainnya",
}
DRAFT_MARK = "DRAF: memuat Renja yang belum disetujui"
NONE_APPROVED = "Belum ada Renja Perangkat Daerah yang disetujui untuk tahun {year}."
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = sheets.FORMULA_STARTS


def status_label(status: str | None) -> str:
    """A plan's state in words, as the official forms name it."""
    return STATUS_ID.get(status or "", status or "")


def csv_safe(value: str) -> str:
    """``value`` for a CSV cell: prefixed with ' when a spreadsheet would run it (OWASP)."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def plans_for_export(
    *,
    year: int,
    region_id: int,
    opd_id: int | None = None,
    approved_only: bool = False,
    with_results: bool = False,
) -> QuerySet[WorkPlan]:
    """The year's plans with programs, activities and places: 3 queries; ``with_results``
    adds the realisations, what they achieved and what each activity plans: 3 more."""
    plans = WorkPlan.objects.filter(year=year, opd__region_id=region_id).select_related("opd")
    if opd_id is not None:
        plans = plans.filter(opd_id=opd_id)
    if approved_only:
        plans = plans.filter(status=WorkPlan.Status.APPROVED)
    activities = Activity.objects.select_related("kelurahan__kecamatan")
    if with_results:
        achieved = AchievedContribution.objects.select_related("indicator")
        activities = activities.prefetch_related(
            Prefetch(
                "realisations",
                queryset=Realisation.objects.order_by("quarter").prefetch_related(
                    Prefetch("achieved_contributions", queryset=achieved)
                ),
            ),
            Prefetch(
                "expected_contributions",
                queryset=ExpectedContribution.objects.select_related("indicator"),
            ),
        )
    return plans.order_by("opd__code").prefetch_related(
        "programs", Prefetch("programs__activities", queryset=activities)
    )


def _scope(plans: Sequence[WorkPlan]) -> str:
    return plans[0].opd.name if len(plans) == 1 else "Seluruh Perangkat Daerah"


def _subtitle(region_name: str, plans: Sequence[WorkPlan]) -> str:
    return f"{region_name} – {_scope(plans)}"


def _marked(title: str, plans: Sequence[WorkPlan]) -> str:
    """``title``, marked as a draft when a plan in the file is not approved."""
    if any(plan.status != WorkPlan.Status.APPROVED for plan in plans):
        return f"{title} ({DRAFT_MARK})"
    return title


def _place(activity: Activity) -> str:
    if activity.kelurahan is None:
        return ""
    return f"Kel. {activity.kelurahan.name}, Kec. {activity.kelurahan.kecamatan.name}"


def _opd_row(sheet: Worksheet, plan: WorkPlan, width: int, *, with_code: bool) -> None:
    label = f"{plan.opd.name} (Renja {status_label(plan.status)})"
    values = [plan.opd.code, label] if with_code else ["", label]
    emphasise(row(sheet, values + [None] * (width - 2)), fill=True)


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
        _marked(
            f"Rumusan Rencana Program dan Kegiatan Perangkat Daerah Tahun {year} "
            f"dan Prakiraan Maju Tahun {year + 1}",
            plans,
        ),
        _subtitle(region_name, plans),
        width,
    )
    last_heading = sheets.headings(sheet, columns, numbered=True)
    totals = RenjaTotals(Decimal(0), Decimal(0), 0)
    if empty_note:
        row(sheet, ["", empty_note])
    for plan in plans:
        _opd_row(sheet, plan, width, with_code=True)
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


@dataclass
class _Results:
    """What an activity reported (or a program's activities together), for the evaluation."""

    outputs: dict[int, Decimal] = field(default_factory=dict)  # by quarter
    spent: dict[int, Decimal] = field(default_factory=dict)
    planned: dict[int, Decimal] = field(default_factory=dict)  # persons, by indicator id
    achieved: dict[int, Decimal] = field(default_factory=dict)

    def add(self, other: _Results) -> None:
        """Sum ``other``'s money and persons into these (outputs of different activities
        are in different units, so they are not summed)."""
        for mine, theirs in (
            (self.spent, other.spent),
            (self.planned, other.planned),
            (self.achieved, other.achieved),
        ):
            for key, amount in theirs.items():
                mine[key] = mine.get(key, Decimal(0)) + amount

    def persons(self, indicators: Sequence[Indicator]) -> list[Decimal | None]:
        values: list[Decimal | None] = []
        for indicator in indicators:
            values += [self.planned.get(indicator.pk), self.achieved.get(indicator.pk)]
        return values


def _results(activity: Activity) -> _Results:
    results = _Results()
    for realisation in activity.realisations.all():
        results.outputs[realisation.quarter] = realisation.output_achieved
        results.spent[realisation.quarter] = realisation.budget_spent
        for achieved in realisation.achieved_contributions.all():
            if achieved.indicator.is_population_share:
                amount = results.achieved.get(achieved.indicator_id, Decimal(0))
                results.achieved[achieved.indicator_id] = amount + achieved.amount
    for expected in activity.expected_contributions.all():
        if expected.indicator.is_population_share:
            results.planned[expected.indicator_id] = expected.amount
    return results


def persons_heading(indicator: Indicator) -> str:
    """The heading over an indicator's persons: its name and what its persons are, in the
    forms' language ("Persentase penduduk miskin: Penduduk keluar dari kemiskinan (jiwa)")."""
    with translation.override("id"):
        return f"{indicator.name}: {indicator.contribution_label()}"


def _population_indicators(plans: Sequence[WorkPlan]) -> list[Indicator]:
    """The population-share indicators the file's activities plan or report persons for."""
    found: dict[int, Indicator] = {}
    for plan in plans:
        for program in plan.programs.all():
            for activity in program.activities.all():
                rows: list[ExpectedContribution | AchievedContribution] = list(
                    activity.expected_contributions.all()
                )
                for realisation in activity.realisations.all():
                    rows += realisation.achieved_contributions.all()
                for contribution in rows:
                    if contribution.indicator.is_population_share:
                        found[contribution.indicator_id] = contribution.indicator
    return sorted(found.values(), key=lambda i: i.code)


def _percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (part / whole * 100).quantize(Decimal("0.01"))


def _activity_values(activity: Activity, results: _Results) -> list[Decimal | None]:
    """Target, the four quarters, their sum and the rates, each K and Rp."""
    values: list[Decimal | None] = [activity.output_target, activity.budget]
    for quarter in (1, 2, 3, 4):
        values += [results.outputs.get(quarter), results.spent.get(quarter)]
    output = sum(results.outputs.values(), Decimal(0))
    spent = sum(results.spent.values(), Decimal(0))
    rates = [_percent(output, activity.output_target), _percent(spent, activity.budget)]
    return [*values, output, spent, *rates]


def _program_values(program: Program, results: _Results, budget: Decimal) -> list[Decimal | None]:
    """The outcome target and the money of the program's activities together (outcomes are
    not reported by quarter, so their K columns stay empty)."""
    values: list[Decimal | None] = [program.outcome_target, budget]
    for quarter in (1, 2, 3, 4):
        values += [None, results.spent.get(quarter)]
    spent = sum(results.spent.values(), Decimal(0))
    return [*values, None, spent, None, _percent(spent, budget)]


def evaluation_workbook(
    plans: Sequence[WorkPlan], *, year: int, region_name: str, empty_note: str = ""
) -> Workbook:
    """The quarterly evaluation (E.81): each value column a pair, K (output) and Rp; then the
    persons planned and achieved for each population-share indicator."""
    book = Workbook()
    sheet = cast(Worksheet, book.active)
    sheet.title = f"Evaluasi {year}"
    indicators = _population_indicators(plans)
    columns = list(EVALUATION_COLUMNS)
    for indicator in indicators:
        group = persons_heading(indicator)
        columns += [Column("Rencana", 10, AMOUNT, group), Column("Realisasi", 10, AMOUNT, group)]
    width = len(columns)
    sheets.title(
        sheet,
        _marked(f"Evaluasi terhadap Hasil Renja Perangkat Daerah Tahun {year}", plans),
        _subtitle(region_name, plans),
        width,
    )
    last_heading = sheets.headings(sheet, columns, numbered=False)
    number = 0
    if empty_note:
        row(sheet, ["", empty_note])
    for plan in plans:
        _opd_row(sheet, plan, width, with_code=False)
        for program in plan.programs.all():
            activities = [(a, _results(a)) for a in program.activities.all()]
            total = _Results()
            for _activity, results in activities:
                total.add(results)
            budget = sum((a.budget for a, _results in activities), Decimal(0))
            program_row = [
                "",
                "",
                f"{program.code} {program.name}",
                program.outcome_indicator,
                program.outcome_unit,
                *_program_values(program, total, budget),
                "",
                *total.persons(indicators),
            ]
            emphasise(row(sheet, program_row))
            for activity, results in activities:
                number += 1
                row(
                    sheet,
                    [
                        number,
                        ", ".join(e.indicator.name for e in activity.expected_contributions.all()),
                        f"{activity.code} {activity.name}",
                        activity.output_indicator,
                        activity.output_unit,
                        *_activity_values(activity, results),
                        plan.opd.name,
                        *results.persons(indicators),
                    ],
                )
    last = sheet.max_row
    for label in EVALUATION_FOOTER:
        line = row(sheet, ["", label])
        line[1].font = sheets.BOLD
        sheet.merge_cells(start_row=line[0].row, start_column=2, end_row=line[0].row, end_column=5)
        sheet.merge_cells(
            start_row=line[0].row, start_column=6, end_row=line[0].row, end_column=width
        )
        sheet.row_dimensions[line[0].row].height = 30
    sheets.table_body(sheet, columns, last_heading + 1, last)
    sheets.table_body(sheet, [Column("", 0)] * width, last + 1, sheet.max_row)
    sheets.print_setup(sheet, repeat_rows=(4, last_heading))
    return book


def to_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def contribution_csv(rows: Sequence[ContributionRow], *, plain: bool = False) -> str:
    """The OPD contribution table of a snapshot as CSV, states in words.

    For Excel set to Indonesian by default: a byte-order mark (so it reads UTF-8), ";"
    between cells and the decimal comma, which is what it expects there. ``plain`` is for
    programs: "," and the decimal dot, no byte-order mark. Numbers are never grouped.
    """
    out = io.StringIO()
    if not plain:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter="," if plain else ";")
    number = _plain if plain else _comma
    writer.writerow(CONTRIBUTION_HEADERS)
    for line in rows:
        writer.writerow(
            [
                csv_safe(line.opd.code),
                csv_safe(line.opd.name),
                csv_safe(status_label(line.work_plan_status)),
                number(line.planned),
                number(line.planned_submitted),
                number(line.planned_approved),
                number(line.achieved),
                number(line.share),
                number(line.aligned_budget),
                number(line.total_budget),
                number(line.alignment),
                number(line.cost_per_person),
            ]
        )
    return out.getvalue()


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f") if value else "0"


def _comma(value: Decimal | None) -> str:
    return _plain(value).replace(".", ",")
