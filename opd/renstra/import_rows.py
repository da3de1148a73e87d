"""The import layout of a Renstra and the reading of a file in it, without the database.

One row per line of the Renstra (a program or one of its activities) under one header row of
Indonesian column names: the fixed columns (:data:`FIXED`), then a ``Target <year>`` and a
``Pagu <year>`` column for every year of the Renstra's period (:func:`columns_for`). The layout
depends on the period, so it is built per Renstra. :func:`read_file` returns every non-blank row
with the row number a person sees in Excel (the header is row 1); a file that cannot be taken
at all raises :class:`ImportFileError` with one message, also when it has a year column outside
the period. :func:`parse_number` and :func:`number_problem` read and bound the figures, so the
check names every reason of a row at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opd.digits import _Digits
from opd.tabular import Column, ImportFileError, RawRow, as_text, read_table
from opd.tabular import normalise as normalise
from opd.workplans.fields import parse_amount
from targets.years import MAX_YEAR, MIN_YEAR

#: A Renstra has hundreds of lines; a file beyond these is not a Renstra.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2_000
#: The accepted words of the column "Jenis", normalised, to the kind of line.
PROGRAM, ACTIVITY = "program", "activity"
KIND_WORDS = {"program": PROGRAM, "kegiatan": ACTIVITY, "activity": ACTIVITY}

FIXED: tuple[Column, ...] = (
    Column("Jenis", "kind", True, gettext_lazy("program, or kegiatan for an activity.")),
    Column(
        "Kode program",
        "program_code",
        True,
        gettext_lazy("The program's code; on an activity's row, the code of its program."),
    ),
    Column(
        "Kode kegiatan",
        "activity_code",
        True,
        gettext_lazy("The activity's code; empty on a program's row."),
    ),
    Column("Nama", "name", True, gettext_lazy("The program's or the activity's name.")),
    Column(
        "Indikator",
        "indicator_text",
        True,
        gettext_lazy("A program's outcome indicator, or an activity's output indicator."),
    ),
    Column("Satuan", "unit", True, gettext_lazy("The indicator's unit, such as KK or %.")),
    Column(
        "Kode indikator RPJMD",
        "indicator_code",
        True,
        gettext_lazy(
            "A program's row: the code of the RPJMD indicator it serves, or empty. "
            "An activity's row: empty."
        ),
    ),
)


def target_header(year: int) -> str:
    return f"Target {year}"


def budget_header(year: int) -> str:
    return f"Pagu {year}"


def target_key(year: int) -> str:
    return f"target:{year}"


def budget_key(year: int) -> str:
    return f"budget:{year}"


def columns_for(period: Sequence[int]) -> tuple[Column, ...]:
    """The layout of a Renstra of ``period``: the fixed columns, the targets, the budgets."""
    targets = [
        Column(
            target_header(year),
            target_key(year),
            True,
            gettext_lazy("The target of the year: a number, or empty."),
        )
        for year in period
    ]
    budgets = [
        Column(
            budget_header(year),
            budget_key(year),
            True,
            gettext_lazy(
                "A program's indicative budget (Rp) of the year, or empty; "
                "empty on an activity's row."
            ),
        )
        for year in period
    ]
    return (*FIXED, *targets, *budgets)


def _every_year_column() -> tuple[Column, ...]:
    """A year column of every plausible year, read so that one outside the period is named."""
    return tuple(
        Column(header(year), key(year), False, "")
        for year in range(MIN_YEAR, MAX_YEAR + 1)
        for header, key in ((target_header, target_key), (budget_header, budget_key))
    )


def read_file(name: str, data: bytes, period: Sequence[int]) -> list[RawRow]:
    """The data rows of an XLSX or CSV file in the layout of ``period`` (blank rows left out).

    Raises :class:`ImportFileError` for what the shared reader refuses (too large, another
    kind, unreadable, wrong headers, no rows, more than :data:`MAX_ROWS`) and for a ``Target``
    or ``Pagu`` column of a year outside ``period``."""
    inside = set(period)
    layout = columns_for(period)
    outside = tuple(c for c in _every_year_column() if int(c.key.split(":")[1]) not in inside)
    rows = read_table(
        name,
        data,
        columns=(*layout, *outside),
        max_bytes=MAX_FILE_BYTES,
        max_rows=MAX_ROWS,
        no_rows_message=_("The file has its header row but no program or activity under it."),
    )
    # Every row holds a key for each column of the header (None past a short row's end).
    strays = [c.header for c in outside if c.key in rows[0].cells]
    if strays:
        raise ImportFileError(
            _(
                "The columns %(columns)s are outside the Renstra's period %(first)s–%(last)s: "
                "delete them, or download the template again."
            )
            % {"columns": ", ".join(strays), "first": period[0], "last": period[-1]}
        )
    return rows


_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_CURRENCY = re.compile(r"^(?:rp\.?|idr)", re.IGNORECASE)
_MACHINE = re.compile(r"-?\d+(?:\.\d+)?")
_ZERO_GROUP = re.compile(r"0+\.")


class Unreadable(ValueError):
    """A cell that holds no number as the layout writes numbers."""


def parse_number(value: Any) -> Decimal | None:
    """A figure: a number cell, or text written the Indonesian way (``1.250.000,50``, "Rp"
    allowed) or as a machine writes it (``1250000.50``, ``-5``); None for an empty cell.

    Raises :class:`Unreadable` for anything else (a date, a boolean, "lima", "1.25.000").
    Indonesian first, as Excel set to Indonesian writes figures: ``1.250`` is 1250, but
    ``0.001`` is a thousandth."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise Unreadable
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        if not number.is_finite():
            raise Unreadable
        return number
    if not isinstance(value, str):
        raise Unreadable  # a date or a time cell
    text = _CURRENCY.sub("", _SPACES.sub("", value))
    if not text:
        return None
    # "0.001" groups no thousands (nobody writes a thousand as 0.001): read it as a machine does.
    if not _ZERO_GROUP.match(text):
        indonesian = parse_amount(text, decimal=",", thousands=".")
        if indonesian is not None:
            return indonesian
    if _MACHINE.fullmatch(text):
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            raise Unreadable from None
    raise Unreadable


def number_problem(number: Decimal, digits: _Digits) -> str | None:
    """Why ``number`` cannot be stored in a field of ``digits``, or None when it can: negative,
    more decimal places than the field's, or more digits before the point."""
    places = digits["decimal_places"]
    whole = digits["max_digits"] - places
    if number < 0:
        return _("must not be negative")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        return _("has more than %(places)s decimal places") % {"places": places}
    if abs(number) >= Decimal(10) ** whole:
        return _("has more than %(digits)s digits before the decimal point") % {"digits": whole}
    return None


def code_text(value: Any) -> tuple[str, bool]:
    """A code cell as text, and whether it arrived as a fractional number: Excel turns a code
    typed into a number cell (``1.10``) into a number (1.1), losing what the code said."""
    return as_text(value), isinstance(value, float) and not value.is_integer()
