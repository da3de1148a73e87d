"""Bappeda's summary of a year's aspirations as an xlsx workbook (``/usulan/ringkasan.xlsx``).

Sheet 1 lists the year's aspirations: reference, forum and its date, plan year and first year,
place, category, title, priority, stage, the OPD recommended to, the activity that took it up
(program › activity), the rejection's reason and text, and the first day it reached each stage
("received": the day it was recorded, beside the forum date).
The next sheets are the tables per forum, per kelurahan and per OPD, and the median days of
each step, as on the page (``opd.aspirations.report``).

The proposer's name and contact are never in it: the report does not even read them
(``report.FIELDS``), so a file passed around the office carries no personal data. Every text
cell, a title typed at a forum included, goes through ``opd.dashboards.sheets.row``, which
writes it with ``text_cell``: "=1+1" stays text, never a formula. The headings are interface
text (this is not a regulated form), in the language of the request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from opd.aspirations import report
from opd.aspirations.models import (
    AspirationCategory,
    AspirationForum,
    AspirationStatus,
    RejectionCode,
)
from opd.dashboards import sheets
from opd.dashboards.sheets import AMOUNT, Column, emphasise, row

#: A column of dates, and their format.
DATE, DATE_FORMAT = "date", "dd/mm/yyyy"
#: The stages whose first day the list shows, in order ("received": the day it was recorded,
#: beside the forum date).
DATED = (
    AspirationStatus.RECEIVED,
    AspirationStatus.VERIFIED,
    AspirationStatus.RECOMMENDED,
    AspirationStatus.ACCEPTED,
    AspirationStatus.REJECTED,
    AspirationStatus.FUNDED,
    AspirationStatus.REALISED,
)


def _list_columns() -> list[Column]:
    stages = dict(AspirationStatus.choices)
    return [
        Column(_("Reference"), 16),
        Column(_("Forum"), 20),
        Column(_("Forum date"), 12, DATE),
        Column(_("Plan year"), 8, AMOUNT),
        Column(_("First year"), 8, AMOUNT),
        Column(_("Kecamatan"), 16),
        Column(_("Kelurahan"), 16),
        Column(_("Category"), 14),
        Column(_("Title"), 36),
        Column(_("Priority"), 8, AMOUNT),
        Column(_("Stage"), 16),
        Column(_("Recommended OPD"), 24),
        Column(_("Activity (program › activity)"), 36),
        Column(_("Reason for rejection"), 20),
        Column(_("Rejection text"), 28),
        *(
            Column(str(stages[stage]), 12, DATE, group=_("First day at the stage"))
            for stage in DATED
        ),
    ]


def _list_sheet(sheet: Worksheet, data: report.Report) -> None:
    columns = _list_columns()
    sheets.title(
        sheet,
        _("Aspirations of plan year %(year)s") % {"year": data.year},
        data.region.name,
        len(columns),
    )
    last_heading = sheets.headings(sheet, columns, numbered=False)
    forums = dict(AspirationForum.choices)
    categories = dict(AspirationCategory.choices)
    stages = dict(AspirationStatus.choices)
    reasons = dict(RejectionCode.choices)
    for item in data.items:
        row(
            sheet,
            [
                item.reference,
                str(forums.get(item.forum, item.forum)),
                item.received_on,
                item.year,
                item.first_year,
                item.kecamatan,
                item.kelurahan,
                str(categories.get(item.category, item.category)),
                item.title,
                item.priority,
                str(stages.get(item.status, item.status)),
                item.opd_name,
                item.activity_path,
                str(reasons.get(item.rejection_code, item.rejection_code)),
                item.rejection_reason,
                *(item.reached_on.get(stage) for stage in DATED),
            ],
        )
    sheets.table_body(sheet, columns, last_heading + 1, sheet.max_row)
    dated = [i for i, column in enumerate(columns) if column.kind == DATE]
    for line in sheet.iter_rows(min_row=last_heading + 1, max_row=sheet.max_row):
        for i in dated:
            line[i].number_format = DATE_FORMAT
    sheets.print_setup(sheet, repeat_rows=(4, last_heading))


def _table_sheet(
    sheet: Worksheet,
    data: report.Report,
    *,
    heading: str,
    label: str,
    group: str,
    table: report.Table,
) -> None:
    columns = [Column(label, 28), *([Column(group, 16)] if group else [])]
    columns += [Column(text, 10, AMOUNT) for text in report.column_headings()]
    sheets.title(sheet, f"{heading} – {data.year}", data.region.name, len(columns))
    last_heading = sheets.headings(sheet, columns, numbered=False)
    for line in table.rows:
        row(sheet, [line.label, *([line.group] if group else []), *line.counts.values()])
    total = [_("Total"), *([""] if group else []), *table.total.values()]
    emphasise(row(sheet, total), fill=True)
    sheets.table_body(sheet, columns, last_heading + 1, sheet.max_row)
    sheets.print_setup(sheet, repeat_rows=(4, last_heading))


def _times_sheet(sheet: Worksheet, data: report.Report) -> None:
    columns = [
        Column(_("Step"), 36),
        Column(_("Median days"), 12, AMOUNT),
        Column(_("Aspirations"), 12, AMOUNT),
    ]
    sheets.title(
        sheet,
        _("Median days per step, plan year %(year)s") % {"year": data.year},
        data.region.name,
        len(columns),
    )
    last_heading = sheets.headings(sheet, columns, numbered=False)
    for time in data.times:
        row(sheet, [time.label, time.median if time.median is not None else "–", time.count])
    sheets.table_body(sheet, columns, last_heading + 1, sheet.max_row)
    sheets.print_setup(sheet, repeat_rows=(4, last_heading))


def workbook(data: report.Report) -> Workbook:
    """The list, the three tables and the medians of ``data``; no query."""
    book = Workbook()
    first = cast(Worksheet, book.active)
    first.title = _("Aspirations %(year)s") % {"year": data.year}
    _list_sheet(first, data)
    tables: Sequence[tuple[str, str, str, str, report.Table]] = (
        (_("Per forum"), _("Aspirations per forum"), _("Forum"), "", data.by_forum),
        (
            _("Per kelurahan"),
            _("Aspirations per kelurahan"),
            _("Kelurahan"),
            _("Kecamatan"),
            data.by_kelurahan,
        ),
        (_("Per OPD"), _("Aspirations per OPD recommended to"), _("OPD"), _("Code"), data.by_opd),
    )
    for name, heading, label, group, table in tables:
        _table_sheet(
            book.create_sheet(name), data, heading=heading, label=label, group=group, table=table
        )
    _times_sheet(book.create_sheet(_("Days per step")), data)
    return book
