"""The blank beneficiary list to fill in: an XLSX workbook and a CSV file.

The workbook's first sheet, "Penerima", has the header row of the layout (``rows.COLUMNS``)
with every column formatted as text (Excel keeps only 15 digits of a number, so a NIK typed
into a number cell loses its last digit); its second, "Petunjuk", lists each column, whether
it is required and what it accepts, then the region's kecamatan with their kelurahan (name and
code). Every text cell is a ``text_cell``: never a formula. The CSV file is the header row
alone, UTF-8 with a BOM and semicolons, as Excel set to Indonesian reads and writes it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from opd.beneficiaries.rows import COLUMNS, HEADERS, MAX_ROWS
from opd.dashboards.sheets import header_csv, heading_row, row

#: The name of the sheet the persons go in.
SHEET = "Penerima"
#: The name of the instructions sheet.
GUIDE = "Petunjuk"
#: Rows formatted as text below the header, so a pasted NIK keeps its 16 digits.
TEXT_ROWS = 1000


def template_xlsx(places: Iterable[tuple[str, str, str]], *, region: str) -> bytes:
    """The workbook; ``places`` are (kecamatan, kelurahan, code), in the order to list them."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has its sheet
    sheet.title = SHEET
    heading_row(sheet, list(HEADERS))
    for i, header in enumerate(HEADERS, 1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = max(20, len(header) + 4)
        for number in range(2, TEXT_ROWS + 2):
            sheet.cell(row=number, column=i).number_format = "@"
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(GUIDE)
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 24
    guide.column_dimensions["C"].width = 80
    heading_row(guide, [_("Column"), _("Required"), _("What to write")])
    for column in COLUMNS:
        row(guide, [column.header, _("yes") if column.required else _("no"), str(column.accepts)])
    row(guide, [])
    row(
        guide,
        [_("One row per person, under the header row of the sheet %(sheet)s.") % {"sheet": SHEET}],
    )
    row(guide, [_("At most %(rows)s persons per activity.") % {"rows": MAX_ROWS}])
    row(
        guide, [_("The whole file is checked first: nothing is imported until every row is right.")]
    )
    row(guide, [_("A new file replaces the activity's list whole.")])
    row(
        guide,
        [
            _(
                "The NIK and No. KK are not stored: only a keyed code of each is kept, to count persons."
            )
        ],
    )
    row(guide, [_("A CSV file (UTF-8, comma or semicolon) with the same header is accepted.")])
    row(guide, [])
    row(guide, [_("The kelurahan of %(region)s") % {"region": region}])
    heading_row(guide, ["Kecamatan", "Kelurahan", _("Code")])
    for kecamatan, kelurahan, code in places:
        row(guide, [kecamatan, kelurahan, code])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_csv() -> bytes:
    """The header row, semicolon-separated, UTF-8 with a BOM (so Excel reads it as UTF-8)."""
    return header_csv(HEADERS)
