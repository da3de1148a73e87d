"""The quarterly evaluation of the Renja (E.81, the layout in the glossary): the official 15
columns, each value column a pair, K (kinerja, the output or outcome) and Rp, under the headings
the official row of column numbers 1–15 (a number spans its pair); then, unnumbered, what the
portal adds: the Renja's own achievement rate and the persons planned and achieved for each
population-share indicator.

The unit is a sub-column of column 4 (both under number 4, as T-C.33 puts the unit beside its
target under one number): the K cells stay numbers a spreadsheet can add, and one unit reads
for every K of its row (the Renstra line carries the Renja line's indicator).

The Renstra columns 5, 6, 13 and 14 follow the numbered rules of
:mod:`opd.dashboards.renstra_progress`; the rows' figures come from
:mod:`opd.dashboards.evaluation_rows`. The file runs a fixed number of queries: the plans'
(``exports.plans_for_export``) and three for the Renstra, however many rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import cast

from django.utils import translation
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from opd.dashboards import sheets
from opd.dashboards.evaluation_rows import (
    RenstraInputs,
    Results,
    activity_figures,
    population_indicators,
    program_figures,
    renstra_inputs,
    results_of,
)
from opd.dashboards.exports import UNIT, marked, opd_row, subtitle
from opd.dashboards.sheets import AMOUNT, MONEY, PERCENT, Column, emphasise, row
from opd.models import Program, WorkPlan
from targets.models import Indicator


def _pair(group: str, number: str, kinds: tuple[str, str] = (AMOUNT, MONEY)) -> list[Column]:
    """A value column of the evaluation: K (kinerja, the output) and Rp, under one number."""
    return [Column("K", 9, kinds[0], group, number), Column("Rp", 14, kinds[1], group, number)]


RATES = (PERCENT, PERCENT)
INDICATOR = "Indikator Kinerja Program (outcome)/Kegiatan (output)"
EVALUATION_COLUMNS = (
    Column("No", 5, number="1"),
    Column("Sasaran", 18, number="2"),
    Column("Program/Kegiatan", 28, number="3"),
    Column("Indikator", 24, group=INDICATOR, number="4"),
    Column(UNIT, 8, group=INDICATOR, number="4"),
    *_pair("Target Renstra PD pada Akhir Periode", "5"),
    *_pair("Realisasi Capaian Kinerja dan Anggaran Renstra PD s/d Renja Tahun Lalu", "6"),
    *_pair("Target Kinerja dan Anggaran Renja Tahun Berjalan", "7"),
    *_pair("Realisasi Triwulan I", "8"),
    *_pair("Realisasi Triwulan II", "9"),
    *_pair("Realisasi Triwulan III", "10"),
    *_pair("Realisasi Triwulan IV", "11"),
    *_pair("Realisasi Capaian Kinerja dan Anggaran Renja yang Dievaluasi", "12"),
    *_pair("Realisasi Kinerja dan Anggaran Renstra PD s/d Tahun Berjalan", "13"),
    *_pair("Tingkat Capaian Kinerja dan Realisasi Anggaran Renstra PD (%)", "14", RATES),
    Column("Unit Perangkat Daerah Penanggung Jawab", 18, number="15"),
    # Beyond the layout, unnumbered: the Renja's own achievement (column 12 of column 7).
    *_pair("Tingkat Capaian Kinerja dan Realisasi Anggaran Renja (%)", "", RATES),
)
EVALUATION_HEADERS = list(dict.fromkeys(c.group or c.heading for c in EVALUATION_COLUMNS))
#: The layout's own columns, 1 to 15 (the headings of the numbered columns).
OFFICIAL_HEADERS = list(dict.fromkeys(c.group or c.heading for c in EVALUATION_COLUMNS if c.number))
EVALUATION_FOOTER = [
    "Faktor pendorong",
    "Faktor penghambat",
    "Tindak lanjut yang diperlukan dalam triwulan berikutnya",
    "Tindak lanjut yang diperlukan dalam Renja Perangkat Daerah berikutnya",
]


def persons_heading(indicator: Indicator) -> str:
    """The heading over an indicator's persons: its name and what its persons are, in the
    forms' language ("Persentase penduduk miskin: Penduduk keluar dari kemiskinan (jiwa)")."""
    with translation.override("id"):
        return f"{indicator.name}: {indicator.contribution_label()}"


def evaluation_workbook(
    plans: Sequence[WorkPlan], *, year: int, region_name: str, empty_note: str = ""
) -> Workbook:
    """The quarterly evaluation (E.81) of ``year``: the official columns 1–15 numbered under
    their headings, then the Renja's achievement rate and the persons planned and achieved
    for each population-share indicator. ``empty_note`` stands in for no plans."""
    book = Workbook()
    sheet = cast(Worksheet, book.active)
    sheet.title = f"Evaluasi {year}"
    indicators = population_indicators(plans)
    inputs = renstra_inputs(plans, year=year)
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
    last_heading = sheets.headings(sheet, columns, numbered=True)
    number = 0
    if empty_note:
        row(sheet, ["", empty_note])
    for plan in plans:
        opd_row(sheet, plan, width, with_code=False)
        for program in plan.programs.all():
            number = _program_rows(sheet, plan, program, inputs, indicators, number)
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


def _program_rows(
    sheet: Worksheet,
    plan: WorkPlan,
    program: Program,
    inputs: RenstraInputs,
    indicators: Sequence[Indicator],
    number: int,
) -> int:
    """A program's row (its activities' money and persons together), then one per activity,
    numbered on from ``number``; returns the last number given."""
    activities = [(a, results_of(a)) for a in program.activities.all()]
    together = Results()
    for _activity, results in activities:
        together.add(results)
    budget = sum((a.budget for a, _results in activities), Decimal(0))
    figures = program_figures(program, together, budget, inputs)
    program_row = [
        "",
        "",
        f"{program.code} {program.name}",
        program.outcome_indicator,
        program.outcome_unit,
        *figures.official(),
        "",
        figures.renja_rate.output,
        figures.renja_rate.money,
        *together.persons(indicators),
    ]
    emphasise(row(sheet, program_row))
    for activity, results in activities:
        number += 1
        figures = activity_figures(activity, results, inputs)
        row(
            sheet,
            [
                number,
                ", ".join(e.indicator.name for e in activity.expected_contributions.all()),
                f"{activity.code} {activity.name}",
                activity.output_indicator,
                activity.output_unit,
                *figures.official(),
                plan.opd.name,
                figures.renja_rate.output,
                figures.renja_rate.money,
                *results.persons(indicators),
            ],
        )
    return number
