"""The layout of a beneficiary list file and the checking of its rows, without the database.

One row per person under the header row ``NIK; No. KK; Kelurahan; Desil`` (:data:`COLUMNS`),
read by ``opd.tabular``. :func:`check_rows` checks every row against the region's kelurahan
(given, no query) and hashes its NIK and No. KK at once (``hashing``): the clean rows hold
hashes only, and every bad row is named with its Excel row number and every reason.

A reason never repeats a NIK, a No. KK, or any cell with a digit in it (a NIK pasted into the
wrong column): what the sender sees back may be kept by a page or a log, the digits must not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.debug import sensitive_variables

from opd.beneficiaries.hashing import identity_hash, normalise_identity
from opd.beneficiaries.models import DESILS
from opd.tabular import Column, RawRow, as_text, normalise, without_control

#: Larger files are refused before they are opened; the upload handler keeps 16 MB in memory.
MAX_FILE_BYTES = 12 * 1024 * 1024
#: More persons than this on one activity's list are refused (a city has about 120,000).
MAX_ROWS = 100_000

COLUMNS: tuple[Column, ...] = (
    Column(
        "NIK",
        "nik",
        True,
        gettext_lazy(
            "The person's NIK: 16 digits, spaces allowed. Format the column as text: Excel keeps "
            "only 15 digits of a number."
        ),
    ),
    Column(
        "No. KK",
        "kk",
        False,
        gettext_lazy("The family card number (No. KK): 16 digits; may be empty."),
        aliases=("No KK", "Nomor KK"),
    ),
    Column("Kelurahan", "kelurahan", True, gettext_lazy("The kelurahan's name or code.")),
    Column(
        "Desil",
        "desil",
        False,
        gettext_lazy(
            "The welfare decile (desil) 1 to 10 of the national targeting data; may be empty."
        ),
    ),
)
HEADERS = tuple(column.header for column in COLUMNS)


@dataclass(frozen=True)
class BadRow:
    """A row refused: its number in the sheet and every reason (never a cell's digits)."""

    row: int
    reasons: list[str]


@dataclass
class CheckedRows:
    """The file's rows checked: hashed columns of the clean rows, or the bad rows."""

    persons: list[bytes] = field(default_factory=list)
    families: list[bytes | None] = field(default_factory=list)
    kelurahan: list[int] = field(default_factory=list)
    desils: list[int | None] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)


def kelurahan_names(places: list[tuple[int, str, str]]) -> dict[str, int | None]:
    """Each normalised kelurahan code and name of (id, name, code) ``places``, to its id; a name
    two kelurahan share maps to None (the row must give the code)."""
    found: dict[str, int | None] = {}
    for pk, name, _code in places:
        key = normalise(name)
        found[key] = None if key in found else pk
    for pk, _name, code in places:
        found[normalise(code)] = pk
    return found


@sensitive_variables()  # an error report must not show a row's NIK
def check_rows(
    rows: list[RawRow], kelurahan: Mapping[str, int | None], *, region: str, secret: bytes
) -> CheckedRows:
    """Every row checked and its identifiers hashed with ``secret``: the clean columns when
    ``bad`` is empty, else every bad row with every reason (the clean columns then mean nothing).
    """
    checked = CheckedRows()
    first_row: dict[bytes, int] = {}
    for raw in rows:
        reasons: list[str] = []
        person = _identity(raw.cells.get("nik"), reasons, required=True, label="NIK")
        family = _identity(raw.cells.get("kk"), reasons, required=False, label="No. KK")
        if person is not None:
            person_hash = identity_hash(person, secret)
            if person_hash in first_row:
                reasons.append(_("The same NIK as row %(row)s.") % {"row": first_row[person_hash]})
            else:
                first_row[person_hash] = raw.number
        place = _kelurahan(as_text(raw.cells.get("kelurahan")), kelurahan, region, reasons)
        desil = _desil(raw.cells.get("desil"), reasons)
        if reasons:
            checked.bad.append(BadRow(row=raw.number, reasons=reasons))
        elif not checked.bad and person is not None and place is not None:
            checked.persons.append(person_hash)
            checked.families.append(identity_hash(family, secret) if family else None)
            checked.kelurahan.append(place)
            checked.desils.append(desil)
    return checked


@sensitive_variables()
def _identity(value: Any, reasons: list[str], *, required: bool, label: str) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Excel keeps 15 significant digits: a 16-digit number typed into a cell has already
        # lost its last digit, and two persons would become one. Only text is trusted.
        reasons.append(
            _(
                "The %(number)s is stored as a number, which keeps only 15 digits in Excel:"
                " format the column as Text and type the 16 digits again."
            )
            % {"number": label}
        )
        return None
    text = as_text(value)
    if not text:
        if required:
            reasons.append(_("The %(number)s is missing.") % {"number": label})
        return None
    digits = normalise_identity(text)
    if digits is not None:
        return digits
    compact = "".join(text.split())
    if not (compact.isascii() and compact.isdigit()):
        reasons.append(
            _("The %(number)s holds something other than digits: write its 16 digits only.")
            % {"number": label}
        )
    else:
        reasons.append(
            ngettext(
                "The %(number)s has %(count)s digit, not 16.",
                "The %(number)s has %(count)s digits, not 16.",
                len(compact),
            )
            % {"number": label, "count": len(compact)}
        )
    return None


def _kelurahan(
    text: str, kelurahan: Mapping[str, int | None], region: str, reasons: list[str]
) -> int | None:
    if not text:
        reasons.append(_("The kelurahan is missing."))
        return None
    key = normalise(text)
    if key not in kelurahan:
        if any(character.isdigit() for character in text):
            reasons.append(_("No kelurahan of %(region)s has this code.") % {"region": region})
        else:
            reasons.append(
                _("Unknown kelurahan “%(value)s”: not a kelurahan of %(region)s.")
                % {"value": without_control(text), "region": region}
            )
        return None
    pk = kelurahan[key]
    if pk is None:
        reasons.append(
            _("Two kelurahan of %(region)s are named “%(value)s”: write its code.")
            % {"value": without_control(text), "region": region}
        )
    return pk


def _desil(value: Any, reasons: list[str]) -> int | None:
    text = as_text(value)
    if not text:
        return None
    if text.isascii() and text.isdigit() and int(text) in DESILS:
        return int(text)
    reasons.append(
        _("The desil must be a whole number from %(first)s to %(last)s, or empty.")
        % {"first": min(DESILS), "last": max(DESILS)}
    )
    return None
