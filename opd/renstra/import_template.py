"""The file to fill in for a Renstra's import: an XLSX workbook holding the Renstra's lines as
they are, and a blank CSV file.

The workbook's first sheet, "Renstra", has the header row of the Renstra's layout
(``import_rows.columns_for``), then one row per program followed by its activities, in code
order, so a person edits the file and sends it back (sent back unchanged, it changes nothing).
The code columns are formatted as text, so Excel keeps "1.10" as typed. The second sheet,
"Petunjuk", explains each column in English and in Indonesian, then lists the RPJMD plan's
indicator codes. Every text cell is a ``text_cell``: a name starting with = + - or @ stays
text, never a formula. The CSV file is the header row alone (a CSV file has no cell types: the
lines' own text could open as formulas), UTF-8 with a BOM and semicolons.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from opd.dashboards.sheets import amount_format, header_csv, heading_row, row
from opd.models import Renstra, RenstraActivity
from opd.renstra.import_rows import ACTIVITY, FIXED, MAX_ROWS, PROGRAM, columns_for
from targets.models import Indicator

SHEET = "Renstra"
GUIDE = "Petunjuk"
#: The word written in the column "Jenis" for each kind of line.
KIND_WORD = {PROGRAM: "program", ACTIVITY: "kegiatan"}
#: The code columns (Kode program, Kode kegiatan, Kode indikator RPJMD) are text.
CODE_COLUMNS = (2, 3, 7)
#: Rows under the lines formatted as text in the code columns, for lines to be added.
SPARE_ROWS = 300


def _lines(renstra: Renstra) -> list[list[Any]]:
    """The Renstra's lines as rows of the layout, each program followed by its activities, in
    code order: three queries (programs with their indicator, years, activities with theirs)."""
    period = list(renstra.plan.years())
    programs = (
        renstra.programs.select_related("indicator")
        .prefetch_related(
            "years",
            Prefetch(
                "activities",
                RenstraActivity.objects.order_by("code").prefetch_related("years"),
                to_attr="ordered_activities",
            ),
        )
        .order_by("code")
    )
    rows: list[list[Any]] = []
    for program in programs:
        years = {y.year: y for y in program.years.all()}
        rows.append(
            [
                KIND_WORD[PROGRAM], program.code, "", program.name, program.outcome_indicator,
                program.outcome_unit, program.indicator.code if program.indicator else "",
                *[_value(years[y].target if y in years else None) for y in period],
                *[_value(years[y].budget if y in years else None) for y in period],
            ]
        )  # fmt: skip
        for activity in program.ordered_activities:  # type: ignore[attr-defined]
            targets = {y.year: y.target for y in activity.years.all()}
            rows.append(
                [
                    KIND_WORD[ACTIVITY], program.code, activity.code, activity.name,
                    activity.output_indicator, activity.output_unit, "",
                    *[_value(targets.get(y)) for y in period],
                    *[None for _year in period],
                ]
            )  # fmt: skip
    return rows


def _value(number: Decimal | None) -> Decimal | int | None:
    """A figure as the cell holds it: a whole one as an integer (Excel shows no ",00")."""
    if number is None:
        return None
    return int(number) if number == number.to_integral_value() else number


def template_xlsx(renstra: Renstra) -> bytes:
    """The workbook for ``renstra``, holding its lines (see the module's docstring)."""
    period = list(renstra.plan.years())
    columns = columns_for(period)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has its sheet
    sheet.title = SHEET
    heading_row(sheet, [column.header for column in columns])
    for i, column in enumerate(columns, 1):
        wide = column.key in ("name", "indicator_text")
        sheet.column_dimensions[get_column_letter(i)].width = 40 if wide else 16
    lines = _lines(renstra)
    for values in lines:
        for cell in row(sheet, values)[len(FIXED) :]:
            if cell.value is not None:
                cell.number_format = amount_format(cell.value)
    for number in range(2, len(lines) + SPARE_ROWS + 2):
        for column_number in CODE_COLUMNS:
            sheet.cell(row=number, column=column_number).number_format = "@"
    sheet.freeze_panes = "D2"
    _guide(workbook, renstra, period)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _guide(workbook: Workbook, renstra: Renstra, period: list[int]) -> None:
    guide = workbook.create_sheet(GUIDE)
    for letter, width in (("A", 24), ("B", 12), ("C", 70), ("D", 70)):
        guide.column_dimensions[letter].width = width
    first, last = period[0], period[-1]
    with override("en"):
        english = _explanations(first, last)
    with override("id"):
        indonesian = _explanations(first, last)
    heading_row(guide, [english["column"], english["required"], "English", "Bahasa Indonesia"])
    for column in FIXED:
        with override("en"):
            en = str(column.accepts)
        with override("id"):
            id_ = str(column.accepts)
        row(guide, [column.header, _("yes"), en, id_])
    for key in ("target", "budget"):
        row(guide, [english[f"{key}_header"], _("yes"), english[key], indonesian[key]])
    row(guide, [])
    for key in ("rows", "match", "numbers", "all_or_nothing", "csv"):
        row(guide, ["", "", english[key], indonesian[key]])
    row(guide, [])
    heading_row(guide, [_("RPJMD indicator code"), "", _("Indicator"), ""])
    indicators = Indicator.objects.filter(plan_id=renstra.plan_id).order_by("code")
    for code, name in indicators.values_list("code", "name"):
        row(guide, [code, "", name])


def _explanations(first: int, last: int) -> dict[str, str]:
    """The guide's sentences in the active language."""
    years = {"first": first, "last": last}
    return {
        "column": _("Column"),
        "required": _("Required"),
        "target_header": f"Target {first} … Target {last}",
        "target": _("The line's target of each year %(first)s–%(last)s: a number, or empty.")
        % years,
        "budget_header": f"Pagu {first} … Pagu {last}",
        "budget": _(
            "A program's indicative budget (Rp) of each year %(first)s–%(last)s, or empty; "
            "empty on an activity's row."
        )
        % years,
        "rows": _(
            "One row per program, and one per activity with its program's code; at most "
            "%(rows)s rows."
        )
        % {"rows": MAX_ROWS},
        "match": _(
            "A code the Renstra has updates its line; a new code adds one. Lines the file "
            "does not name are kept as they are."
        ),
        "numbers": _(
            "Numbers: a number cell, or 1.250.000,50 or 1250000.50; at most two decimals, "
            "never negative."
        ),
        "all_or_nothing": _(
            "The whole file is checked first and shown for confirmation: nothing is imported "
            "until every row is right."
        ),
        "csv": _("A CSV file (UTF-8, comma or semicolon) with the same header is accepted."),
    }


def template_csv(renstra: Renstra) -> bytes:
    """The header row of ``renstra``'s layout, semicolon-separated, UTF-8 with a BOM."""
    return header_csv([column.header for column in columns_for(list(renstra.plan.years()))])
