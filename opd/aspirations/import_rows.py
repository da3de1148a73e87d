"""The bulk-import layout of aspirations and the reading of a file in it, without the database.

One row per aspiration under one header row of Indonesian column names (:data:`COLUMNS`), in
the first sheet of an XLSX workbook or in a CSV file (UTF-8 with or without BOM, comma or
semicolon). :func:`read_file` returns every non-blank row with the row number a person sees in
Excel (the header is row 1), its cells as text, dates or numbers, keyed by column; a file that
cannot be read at all raises :class:`ImportFileError` with one message. The value parsers
(:func:`parse_date`, :func:`parse_whole`, :func:`normalise`) each return ``None`` for a value
they refuse, so the validation names every reason of a row at once.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: Larger files are refused before they are opened (an XLSX is a zip: its rows are smaller).
MAX_FILE_BYTES = 10 * 1024 * 1024
#: More data rows than this are refused: a forum round is a few thousand at most.
MAX_ROWS = 10_000
#: More rows than this in all, blank ones included, are refused: a sheet of empty rows (or one
#: cell far down, which makes every row above it a blank one) is work without data.
MAX_LINES = 5 * MAX_ROWS
#: An XLSX whose parts unpack to more than this is refused before it is opened: the 10 MB limit
#: is on the compressed file, which may unpack to gigabytes (and openpyxl reads its shared
#: strings whole). Python's zipfile never unpacks a part beyond its declared size.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
#: Control characters (C0, DEL and C1): invisible, and PostgreSQL refuses NUL in text and JSON.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: ...except tab and line breaks, which a description may hold (a line break within a cell).
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: The columns whose text may hold tabs and line breaks.
MULTILINE = frozenset({"description"})


@dataclass(frozen=True)
class Column:
    """A column of the layout: its header, the key of its value, and what it takes."""

    header: str
    key: str
    required: bool
    accepts: Any  # a lazy translation: read when the instructions are written


COLUMNS: tuple[Column, ...] = (
    Column("Forum", "forum", True, gettext_lazy("The forum: its code or its name (see below).")),
    Column(
        "Tanggal forum",
        "received_on",
        True,
        gettext_lazy("The forum's date: dd/mm/yyyy, yyyy-mm-dd or a date cell."),
    ),
    Column("Tahun rencana", "year", True, gettext_lazy("The plan year, such as 2019.")),
    Column(
        "Kecamatan",
        "kecamatan",
        False,
        gettext_lazy("The kecamatan's name; needed when two kecamatan have a kelurahan so named."),
    ),
    Column("Kelurahan", "kelurahan", True, gettext_lazy("The kelurahan's name.")),
    Column(
        "Jenis pengusul",
        "proposer_kind",
        True,
        gettext_lazy("perorangan (a person) or kelompok (a group)."),
    ),
    Column(
        "Nama pengusul",
        "proposer",
        True,
        gettext_lazy("The proposer's name: kept private, never published."),
    ),
    Column(
        "Kontak pengusul",
        "proposer_contact",
        False,
        gettext_lazy("A telephone number or address: kept private, never published."),
    ),
    Column(
        "Kategori",
        "category",
        False,
        gettext_lazy("The category (see below); empty: Lainnya."),
    ),
    Column("Judul", "title", True, gettext_lazy("The title, at most 300 characters.")),
    Column("Uraian", "description", False, gettext_lazy("The description.")),
    Column(
        "Prioritas",
        "priority",
        False,
        gettext_lazy("The priority the forum gave it: a whole number from 1."),
    ),
    Column(
        "Kode indikator",
        "indicator",
        False,
        gettext_lazy("The code of the plan's indicator it should move, such as KMS."),
    ),
)
HEADERS = tuple(column.header for column in COLUMNS)
_BY_HEADER = {" ".join(c.header.split()).casefold(): c for c in COLUMNS}


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


def has_control(key: str, text: str) -> bool:
    """Whether the text of column ``key`` holds a control character it may not hold: none at
    all, but tabs and line breaks in a :data:`MULTILINE` column."""
    return bool((_CONTROL_IN_TEXT if key in MULTILINE else _CONTROL).search(text))


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


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(value: Any) -> date | None:
    """A date cell, or text as dd/mm/yyyy or yyyy-mm-dd; ``None`` for anything else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = as_text(value)
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DMY.match(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_whole(value: Any) -> int | None:
    """A whole number (a number cell without fraction, or digits); ``None`` for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = as_text(value)
    return int(text) if re.fullmatch(r"[0-9]+", text) else None


def read_file(name: str, data: bytes) -> list[RawRow]:
    """The data rows of an XLSX or CSV file in the layout (blank rows left out).

    Raises :class:`ImportFileError` for a file too large (packed, or unpacked for an XLSX), of
    another kind, unreadable, with wrong headers, without data rows, with more than
    :data:`MAX_ROWS` or more than :data:`MAX_LINES` rows in all (blank ones counted).
    """
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB: split it into smaller files.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if not data:
        raise ImportFileError(_("The file is empty."))
    lower = name.lower()
    if not lower.endswith((".xlsx", ".csv")):
        raise ImportFileError(_("Send an XLSX or CSV file (a name ending in .xlsx or .csv)."))
    try:
        lines = _xlsx_lines(data) if lower.endswith(".xlsx") else _csv_lines(data)
        header = next(lines, None)
        if header is None:
            raise ImportFileError(_("The file is empty."))
        keys = _header_keys(header)
        rows: list[RawRow] = []
        for number, values in enumerate(lines, start=2):
            if number > MAX_LINES + 1:
                raise ImportFileError(
                    _(
                        "The sheet has more than %(max)s rows, blank ones included: delete the "
                        "empty rows under the data, or split the file."
                    )
                    % {"max": MAX_LINES}
                )
            if all(as_text(value) == "" for value in values):
                continue
            if len(rows) == MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(max)s rows: split it into smaller files.")
                    % {"max": MAX_ROWS}
                )
            cells = {key: values[i] if i < len(values) else None for i, key in keys.items()}
            rows.append(RawRow(number=number, cells=cells))
    except (UnicodeDecodeError, csv.Error) as error:
        raise ImportFileError(_("The CSV file cannot be read as UTF-8 text.")) from error
    if not rows:
        raise ImportFileError(_("The file has its header row but no aspiration under it."))
    return rows


def _header_keys(header: list[Any]) -> dict[int, str]:
    """The column key of each position in the header row; ImportFileError when a column is
    unknown, repeated, or required and missing."""
    keys: dict[int, str] = {}
    unknown: list[str] = []
    for i, cell in enumerate(header):
        text = normalise(as_text(cell).rstrip("*"))
        if not text:
            continue
        column = _BY_HEADER.get(text)
        if column is None or column.key in keys.values():
            unknown.append(without_control(as_text(cell)))
            continue
        keys[i] = column.key
    missing = [c.header for c in COLUMNS if c.required and c.key not in keys.values()]
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


def _xlsx_lines(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(_("The file cannot be opened as an XLSX workbook.")) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _(
                "The workbook unpacks to more than %(size)s MB: split it into smaller files, "
                "or save it again as a new workbook with the data only."
            )
            % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
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
