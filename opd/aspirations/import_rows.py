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

import re
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The shared reader and its pieces, used here under the names this layout's callers know.
from opd.tabular import Column as Column
from opd.tabular import ImportFileError as ImportFileError
from opd.tabular import RawRow as RawRow
from opd.tabular import as_text as as_text
from opd.tabular import normalise as normalise
from opd.tabular import read_table
from opd.tabular import without_control as without_control

#: Larger files are refused before they are opened (an XLSX is a zip: its rows are smaller).
MAX_FILE_BYTES = 10 * 1024 * 1024
#: More data rows than this are refused: a forum round is a few thousand at most.
MAX_ROWS = 10_000
#: More rows than this in all, blank ones included, are refused: a sheet of empty rows (or one
#: cell far down, which makes every row above it a blank one) is work without data (the shared
#: reader's rule: five times the data rows).
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


def has_control(key: str, text: str) -> bool:
    """Whether the text of column ``key`` holds a control character it may not hold: none at
    all, but tabs and line breaks in a :data:`MULTILINE` column."""
    return bool((_CONTROL_IN_TEXT if key in MULTILINE else _CONTROL).search(text))


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
    """The data rows of an XLSX or CSV file in the layout (blank rows left out): the shared
    reader (:func:`opd.tabular.read_table`) with this layout's limits.

    Raises :class:`ImportFileError` for a file too large (packed, or unpacked for an XLSX), of
    another kind, unreadable, with wrong headers, without data rows, with more than
    :data:`MAX_ROWS` or more than :data:`MAX_LINES` rows in all (blank ones counted).
    """
    return read_table(
        name,
        data,
        columns=COLUMNS,
        max_bytes=MAX_FILE_BYTES,
        max_rows=MAX_ROWS,
        max_unpacked_bytes=MAX_UNPACKED_BYTES,
        no_rows_message=_("The file has its header row but no aspiration under it."),
    )
