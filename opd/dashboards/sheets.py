"""The workbook side of the official tables: safe cells, headings, borders, print setup.

Text that a user typed is written as text, never as a formula: every row goes
through ``row``, which puts each string in a ``text_cell``. The tables print as
the official forms do: every cell bordered, text wrapped, landscape A4 fitted to
the page width, the heading rows repeated on every printed page.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE7F0")
GROUP_FILL = PatternFill("solid", fgColor="EEF3F8")
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADING = Alignment(wrap_text=True, horizontal="center", vertical="center")
WRAPPED = Alignment(wrap_text=True, vertical="top")

# What a column holds, for its number format.
TEXT = "text"
MONEY = "money"  # Rupiah, whole
AMOUNT = "amount"  # a target, an output, persons: as many decimals as it has (0 or 2)
PERCENT = "percent"
FORMATS = {MONEY: "#,##0", PERCENT: "0.00"}
WHOLE, DECIMALS = "#,##0", "#,##0.00"

# What a spreadsheet reads as the start of a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """A column of an official table.

    ``group`` is the heading spanning this column and its neighbours of the same group
    (such as "Rencana Tahun 2018"), with ``heading`` under it; a column without a group
    has its heading over both heading rows. ``number`` is the official column number;
    neighbours with the same number share it.
    """

    heading: str
    width: int
    kind: str = TEXT
    group: str = ""
    number: str = ""


def text_cell(sheet: Worksheet, value: str) -> Cell:
    """A cell of ``sheet`` holding ``value`` as text (data type "s"), for ``Worksheet.append``.

    openpyxl stores any string starting with "=" as a formula, so an activity named
    ``=HYPERLINK(...)`` would open as a live link: the type is forced back to text, and
    the quote prefix keeps Excel from reading it as a formula once the cell is edited.
    Control characters the format cannot hold (all but tab and line breaks) are dropped
    where openpyxl would raise.
    """
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = Cell(sheet, value=text)
    cell.data_type = "s"
    # What the cell holds decides: "\x01=HYPERLINK(...)" loses its "\x01" and starts with "=".
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def row(sheet: Worksheet, values: Sequence[object]) -> tuple[Cell, ...]:
    """Append a row, every string in it as text; numbers and empty cells as they are."""
    sheet.append([text_cell(sheet, v) if isinstance(v, str) else v for v in values])
    return cast(tuple[Cell, ...], sheet[sheet.max_row])


def runs(keys: Sequence[str]) -> list[tuple[int, int]]:
    """The runs of equal, non-empty neighbours in ``keys``, as (first, last) column numbers."""
    found: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if keys[start]:
                found.append((start + 1, i))
            start = i
    return found


def title(sheet: Worksheet, text: str, subtitle: str, width: int) -> None:
    """Rows 1-3: the form's title and scope, each centred over the table, then a blank row."""
    row(sheet, [text])[0].font = Font(bold=True, size=13)
    row(sheet, [subtitle])
    sheet.append([])
    for number in (1, 2):
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)
        sheet.cell(number, 1).alignment = Alignment(horizontal="center")


def headings(sheet: Worksheet, columns: Sequence[Column], *, numbered: bool) -> int:
    """The heading rows from row 4: a group's heading over its columns and theirs under it,
    a heading without a group over both rows, then (``numbered``) the column numbers.

    Returns the last heading row, the one to repeat on every printed page down to.
    """
    top = row(sheet, [c.group or c.heading for c in columns])[0].row
    row(sheet, [c.heading if c.group else "" for c in columns])
    for first, last in runs([c.group for c in columns]):
        sheet.merge_cells(start_row=top, start_column=first, end_row=top, end_column=last)
    for i, column in enumerate(columns, 1):
        if not column.group:
            sheet.merge_cells(start_row=top, start_column=i, end_row=top + 1, end_column=i)
    bottom = top + 1
    if numbered:
        bottom += 1
        row(sheet, [c.number for c in columns])
        for first, last in runs([c.number for c in columns]):
            if last > first:
                sheet.merge_cells(
                    start_row=bottom, start_column=first, end_row=bottom, end_column=last
                )
    for line in sheet.iter_rows(min_row=top, max_row=bottom, max_col=len(columns)):
        for cell in line:
            cell.font = BOLD
            cell.fill = HEAD_FILL
            cell.alignment = HEADING
            cell.border = BOX
    # By its name: sheet.cell() would create the cell, and the rows appended next would start
    # one lower, leaving a blank row under the headings.
    sheet.freeze_panes = f"A{bottom + 1}"
    for i, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    return bottom


def amount_format(value: object) -> str:
    """A whole number without decimals ("100", not "100,00"); any other with two."""
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return DECIMALS
    if isinstance(value, float) and not value.is_integer():
        return DECIMALS
    return WHOLE


def table_body(sheet: Worksheet, columns: Sequence[Column], first: int, last: int) -> None:
    """Rows ``first`` to ``last``: every cell bordered, text wrapped at the top of its cell,
    each number in its column's format."""
    for line in sheet.iter_rows(min_row=first, max_row=last, max_col=len(columns)):
        for cell, column in zip(line, columns, strict=True):
            cell.border = BOX
            cell.alignment = WRAPPED
            if column.kind == AMOUNT:
                cell.number_format = amount_format(cell.value)
            elif column.kind in FORMATS:
                cell.number_format = FORMATS[column.kind]


def heading_row(sheet: Worksheet, values: Sequence[object]) -> None:
    """A row of column headings: bold on the heading fill (the import templates' sheets)."""
    for cell in row(sheet, values):
        cell.font = BOLD
        cell.fill = HEAD_FILL


def header_csv(headers: Sequence[str]) -> bytes:
    """A CSV template: the header row, semicolon-separated, UTF-8 with a BOM (so Excel reads
    it as UTF-8)."""
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerow(headers)
    return out.getvalue().encode("utf-8-sig")


def emphasise(cells: Sequence[Cell], *, fill: bool = False) -> None:
    for cell in cells:
        cell.font = BOLD
        if fill:
            cell.fill = GROUP_FILL


def print_setup(sheet: Worksheet, *, repeat_rows: tuple[int, int]) -> None:
    """Landscape A4, one page wide and as many long as it takes, the headings on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"{repeat_rows[0]}:{repeat_rows[1]}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.oddFooter.right.text = "Halaman &P dari &N"
