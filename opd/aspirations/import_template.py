"""The blank files to fill in for a bulk import: an XLSX workbook and a CSV file.

The workbook's first sheet, "Usulan", has the header row of the layout
(``import_rows.COLUMNS``); its second, "Petunjuk", lists each column, whether it is required
and what it accepts, then the accepted forums, categories and proposer kinds (code and
name), the date formats, and the region's kecamatan with their kelurahan. Every text cell is
a ``text_cell``: never a formula. The CSV file is the header row alone, UTF-8 with a BOM
and semicolons, as Excel set to Indonesian reads and writes it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from opd.aspirations.import_rows import COLUMNS, HEADERS
from opd.aspirations.models import AspirationCategory, AspirationForum, ProposerKind
from opd.dashboards.sheets import header_csv, heading_row, row

#: The Indonesian word accepted for each proposer kind, besides its code and label.
KIND_WORDS = {ProposerKind.PERSON: "perorangan", ProposerKind.GROUP: "kelompok"}


def template_xlsx(places: Iterable[tuple[str, str]]) -> bytes:
    """The workbook; ``places`` are (kecamatan, kelurahan) names, in the order to list them."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has its sheet
    sheet.title = "Usulan"
    heading_row(sheet, list(HEADERS))
    for i, header in enumerate(HEADERS, 1):
        sheet.column_dimensions[get_column_letter(i)].width = max(14, len(header) + 4)
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet("Petunjuk")
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 80
    heading_row(guide, [_("Column"), _("Required"), _("What to write")])
    for column in COLUMNS:
        row(guide, [column.header, _("yes") if column.required else _("no"), str(column.accepts)])
    row(guide, [])
    row(guide, [_("One row per aspiration, under the header row of the sheet Usulan.")])
    row(guide, [_("Dates: dd/mm/yyyy (23/01/2018), yyyy-mm-dd (2018-01-23) or a date cell.")])
    row(guide, [_("Capitals and extra spaces do not matter; a code or a name is accepted.")])
    row(guide, [_("A CSV file (UTF-8, comma or semicolon) with the same header is accepted.")])
    _choices(guide, "Forum", AspirationForum.choices)
    _choices(guide, "Kategori", AspirationCategory.choices)
    _choices(
        guide,
        "Jenis pengusul",
        [(KIND_WORDS[ProposerKind(value)], label) for value, label in ProposerKind.choices],
    )
    row(guide, [])
    heading_row(guide, ["Kecamatan", "Kelurahan", ""])
    for kecamatan, kelurahan in places:
        row(guide, [kecamatan, kelurahan])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_csv() -> bytes:
    """The header row, semicolon-separated, UTF-8 with a BOM (so Excel reads it as UTF-8)."""
    return header_csv(HEADERS)


def _choices(sheet: Worksheet, header: str, choices: Iterable[tuple[str, object]]) -> None:
    row(sheet, [])
    heading_row(sheet, [header, _("Code"), _("Name")])
    for value, label in choices:
        row(sheet, ["", value, str(label)])
