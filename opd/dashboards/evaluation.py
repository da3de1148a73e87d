"""The quarterly evaluation of the Renja (E.81): each value column a pair, K (output) and Rp,
then the persons planned and achieved for each population-share indicator."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.utils import translation
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from opd.dashboards import sheets
from opd.dashboards.exports import UNIT, marked, opd_row, subtitle
from opd.dashboards.sheets import AMOUNT, MONEY, PERCENT, Column, emphasise, row
from opd.models import AchievedContribution, Activity, ExpectedContribution, Program, WorkPlan
from targets.models import Indicator


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
        marked(f"Evaluasi terhadap Hasil Renja Perangkat Daerah Tahun {year}", plans),
        subtitle(region_name, plans),
        width,
    )
    last_heading = sheets.headings(sheet, columns, numbered=False)
    number = 0
    if empty_note:
        row(sheet, ["", empty_note])
    for plan in plans:
        opd_row(sheet, plan, width, with_code=False)
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
