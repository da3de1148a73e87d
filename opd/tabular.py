"""Reading a table from an uploaded XLSX or CSV file, without the database or the disk.

Shared by the bulk imports (aspirations, beneficiary lists), each with its own layout: one
header row of column names (:class:`Column`), then one row per record, in the first sheet of an
XLSX workbook or in a CSV file (UTF-8 with or without BOM, comma or semicolon).
:func:`read_table` returns every non-blank row with the row number a person sees in Excel (the
header is row 1), its cells as read (text, dates, numbers), keyed by column; a file that cannot
be taken at all raises :class:`ImportFileError` with one message. The file is read from the
bytes given, never written anywhere.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

#: Control characters (C0, DEL and C1): invisible, and PostgreSQL refuses NUL in text.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Column:
    """A column of a layout: its header, the key of its value, and what it takes."""

    header: str
    key: str
    required: bool
    accepts: Any  # a lazy translation: read when the instructions are written
    #: Other headers accepted for it (normalised like the header).
    aliases: tuple[str, ...] = ()


class ImportFileError(Exception):
    """The file as a whole cannot be taken: its message says why, for the person who sent it."""


@dataclass
class RawRow:
    """A data row as read: its number in the sheet (header = 1) and its cells by column key."""

    number: int
    cells: dict[str, Any]


def normalise(value: str) -> str:
    """Case and runs of spaces do not matter: ``"  Kramat   UTARA "`` is ``"kramat utara"``."""
    return " ".join(value.split()).casefold()


def without_control(text: str) -> str:
    """The text with its control characters taken out, to show it back on a page."""
    return _CONTROL.sub("", text)


def as_text(value: Any) -> str:
    """A cell as text, stripped: a whole number read as float (2019.0) loses its ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(
    name: str,
    data: bytes,
    *,
    columns: Sequence[Column],
    max_bytes: int,
    max_rows: int,
    no_rows_message: str,
    max_unpacked_bytes: int | None = None,
) -> list[RawRow]:
    """The data rows of an XLSX or CSV file in the layout ``columns`` (blank rows left out).

    Raises :class:`ImportFileError` for a file larger than ``max_bytes`` (or an XLSX unpacking
    to more than ``max_unpacked_bytes``, by default five times ``max_bytes``), of another kind,
    unreadable, with wrong headers, without data rows (``no_rows_message``), with more than
    ``max_rows`` data rows or more than five times as many rows in all (blank ones counted: a
    sheet of empty rows is work without data).
    """
    if len(data) > max_bytes:
        raise ImportFileError(
            _("The file is larger than %(size)s MB: split it into smaller files.")
            % {"size": max_bytes // (1024 * 1024)}
        )
    if not data:
        raise ImportFileError(_("The file is empty."))
    lower = name.lower()
    if not lower.endswith((".xlsx", ".csv")):
        raise ImportFileError(_("Send an XLSX or CSV file (a name ending in .xlsx or .csv)."))
    try:
        lines = (
            _xlsx_lines(data, max_unpacked_bytes or 5 * max_bytes)
            if lower.endswith(".xlsx")
            else _csv_lines(data)
        )
        header = next(lines, None)
        if header is None:
            raise ImportFileError(_("The file is empty."))
        keys = _header_keys(header, columns)
        rows: list[RawRow] = []
        for number, values in enumerate(lines, start=2):
            if number > 5 * max_rows + 1:
                raise ImportFileError(
                    _(
                        "The sheet has more than %(max)s rows, blank ones included: delete the "
                        "empty rows under the data, or split the file."
                    )
                    % {"max": 5 * max_rows}
                )
            if all(as_text(value) == "" for value in values):
                continue
            if len(rows) == max_rows:
                raise ImportFileError(
                    _("The file has more than %(max)s rows: split it into smaller files.")
                    % {"max": max_rows}
                )
            cells = {key: values[i] if i < len(values) else None for i, key in keys.items()}
            rows.append(RawRow(number=number, cells=cells))
    except (UnicodeDecodeError, csv.Error) as error:
        raise ImportFileError(_("The CSV file cannot be read as UTF-8 text.")) from error
    if not rows:
        raise ImportFileError(no_rows_message)
    return rows


def _header_keys(header: list[Any], columns: Sequence[Column]) -> dict[int, str]:
    """The column key of each position in the header row; ImportFileError when a column is
    unknown, repeated, or required and missing."""
    by_header = {
        normalise(text): column for column in columns for text in (column.header, *column.aliases)
    }
    keys: dict[int, str] = {}
    unknown: list[str] = []
    for i, cell in enumerate(header):
        text = normalise(as_text(cell).rstrip("*"))
        if not text:
            continue
        column = by_header.get(text)
        if column is None or column.key in keys.values():
            unknown.append(without_control(as_text(cell)))
            continue
        keys[i] = column.key
    missing = [c.header for c in columns if c.required and c.key not in keys.values()]
    if unknown or missing:
        problems = []
        if missing:
            problems.append(_("missing: %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            problems.append(_("unknown or repeated: %(names)s") % {"names": ", ".join(unknown)})
        raise ImportFileError(
            _(
                "The header row (row 1) is not the layout of the template (%(problems)s). "
                "Download the template and copy the rows under its header."
            )
            % {"problems": "; ".join(problems)}
        )
    return keys


def _xlsx_lines(data: bytes, max_unpacked_bytes: int) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    # The size limit is on the packed file, which may unpack to gigabytes (openpyxl reads the
    # shared strings whole); zipfile never unpacks a part beyond its declared size.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(_("The file cannot be opened as an XLSX workbook.")) from error
    if unpacked > max_unpacked_bytes:
        raise ImportFileError(
            _(
                "The workbook unpacks to more than %(size)s MB: split it into smaller files, "
                "or save it again as a new workbook with the data only."
            )
            % {"size": max_unpacked_bytes // (1024 * 1024)}
        )
    try:
        # data_only: a formula cell gives the value Excel showed, never the formula.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # any file can be sent: none may become a 500
        raise ImportFileError(_("The file cannot be opened as an XLSX workbook.")) from error
    return _sheet_lines(workbook)


def _sheet_lines(workbook: Any) -> Iterator[list[Any]]:
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    except Exception as error:  # a damaged sheet is the sender's problem
        raise ImportFileError(_("The XLSX workbook is damaged and cannot be read.")) from error
    finally:
        workbook.close()


def _csv_lines(data: bytes) -> Iterator[list[Any]]:
    text = data.decode("utf-8-sig")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return iter(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
