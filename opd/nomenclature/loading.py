"""Loading a nomenclature version's codes, and a crosswalk between two versions, from CSV.

The operator supplies the files (``manage.py load_nomenclature`` and ``load_crosswalk``), read
by ``opd.tabular`` (UTF-8 with or without BOM, comma or semicolon). A load is all or nothing:
every bad row is named with its row number (the header is row 1) and every reason, and nothing
is stored. Loading the same version again replaces its codes in one transaction: names are
updated, new codes added, codes absent from the file removed (with their crosswalk lines), so
loading a file twice changes nothing the second time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opd.nomenclature.models import (
    CODE_PATTERN,
    CodeKind,
    Crosswalk,
    NomenclatureCode,
    NomenclatureVersion,
    overlap_message,
)
from opd.tabular import Column, ImportFileError, RawRow, as_text, normalise, read_table
from targets.years import MAX_YEAR, MIN_YEAR

MAX_FILE_BYTES = 8 * 1024 * 1024
#: Permendagri 90/2019's lists hold about 10,000 codes; room for a few times more.
MAX_ROWS = 50_000

_KIND = Column(
    "kind",
    "kind",
    True,
    gettext_lazy("program, activity or sub-activity (or kegiatan, sub kegiatan)"),
    aliases=("jenis",),
)
NOMENCLATURE_COLUMNS: tuple[Column, ...] = (
    _KIND,
    Column("code", "code", True, gettext_lazy("the code, e.g. 1.06.01"), aliases=("kode",)),
    Column("name", "name", True, gettext_lazy("the official name"), aliases=("nama",)),
)
CROSSWALK_COLUMNS: tuple[Column, ...] = (
    _KIND,
    Column("old_code", "old_code", True, gettext_lazy("the code in the older version")),
    Column("new_code", "new_code", True, gettext_lazy("its successor in the newer version")),
)

#: The kinds as written in a file, normalised: English values and the Indonesian terms.
KIND_WORDS = {
    "program": CodeKind.PROGRAM,
    "activity": CodeKind.ACTIVITY,
    "kegiatan": CodeKind.ACTIVITY,
    "sub-activity": CodeKind.SUB_ACTIVITY,
    "sub activity": CodeKind.SUB_ACTIVITY,
    "sub kegiatan": CodeKind.SUB_ACTIVITY,
    "sub-kegiatan": CodeKind.SUB_ACTIVITY,
    "subkegiatan": CodeKind.SUB_ACTIVITY,
}
_CODE = re.compile(CODE_PATTERN)
_MAX_CODE = NomenclatureCode._meta.get_field("code").max_length or 40
_MAX_NAME = NomenclatureCode._meta.get_field("name").max_length or 500


class LoadRefused(Exception):
    """Nothing was stored: ``problems`` says why, one line per bad row or argument."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class NomenclatureLoad:
    """What a load did: the version, and its codes added, renamed, removed and unchanged."""

    version: NomenclatureVersion
    created: bool
    added: int
    renamed: int
    removed: int
    unchanged: int
    crosswalk_removed: int


@dataclass(frozen=True)
class CrosswalkLoad:
    """What a crosswalk load did: the lines stored, and those it replaced."""

    stored: int
    replaced: int


def _rows(file_name: str, data: bytes, columns: tuple[Column, ...]) -> list[RawRow]:
    try:
        return read_table(
            file_name,
            data,
            columns=columns,
            max_bytes=MAX_FILE_BYTES,
            max_rows=MAX_ROWS,
            no_rows_message=_("The file has no rows under its header."),
        )
    except ImportFileError as error:
        raise LoadRefused([str(error)]) from error


def _kind(value: Any, reasons: list[str]) -> str:
    kind = KIND_WORDS.get(normalise(as_text(value)))
    if kind is None:
        reasons.append(
            _("kind “%(value)s” is not program, activity or sub-activity")
            % {"value": as_text(value)}
        )
        return ""
    return str(kind)


def _code(value: Any, label: str, reasons: list[str]) -> str:
    code = as_text(value)
    if not code:
        reasons.append(_("%(column)s is empty") % {"column": label})
    elif len(code) > _MAX_CODE or not _CODE.match(code):
        reasons.append(
            _("%(column)s “%(value)s” is not a code of digits and dots (such as 1.06.01)")
            % {"column": label, "value": code[:_MAX_CODE]}
        )
    return code


def _problem(row: RawRow, reasons: list[str]) -> str:
    return _("Row %(number)s: %(reasons)s.") % {"number": row.number, "reasons": "; ".join(reasons)}


def _version_problems(
    name: str, regulation: str, first_year: int, last_year: int | None
) -> list[str]:
    problems = []
    if not name.strip() or not regulation.strip():
        problems.append(_("The version needs a name and a regulation."))
    for year in (first_year, last_year):
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            problems.append(
                _("The year %(year)s is not between %(min)s and %(max)s.")
                % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR}
            )
    if last_year is not None and last_year < first_year:
        problems.append(_("The last year comes before the first year."))
    return problems


def load_nomenclature(
    *,
    file_name: str,
    data: bytes,
    name: str,
    regulation: str,
    first_year: int,
    last_year: int | None,
) -> NomenclatureLoad:
    """Store version ``name`` with the codes of the file, replacing what it held.

    Raises :class:`LoadRefused` (nothing stored) for a bad argument, an unreadable file, a bad
    row (kind, code format, empty or long name, a kind and code given twice), or years that
    overlap another version's.
    """
    problems = _version_problems(name, regulation, first_year, last_year)
    rows = _rows(file_name, data, NOMENCLATURE_COLUMNS)
    wanted: dict[tuple[str, str], str] = {}
    first_row: dict[tuple[str, str], int] = {}
    for row in rows:
        reasons: list[str] = []
        kind = _kind(row.cells.get("kind"), reasons)
        code = _code(row.cells.get("code"), "code", reasons)
        code_name = as_text(row.cells.get("name"))
        if not code_name:
            reasons.append(_("name is empty"))
        elif len(code_name) > _MAX_NAME:
            reasons.append(_("name is longer than %(max)s characters") % {"max": _MAX_NAME})
        key = (kind, code)
        if not reasons and key in first_row:
            reasons.append(
                _("%(kind)s %(code)s is also on row %(other)s")
                % {"kind": kind, "code": code, "other": first_row[key]}
            )
        if reasons:
            problems.append(_problem(row, reasons))
            continue
        first_row[key] = row.number
        wanted[key] = code_name
    if problems:
        raise LoadRefused(problems)
    with transaction.atomic():
        # Every version locked, in one order: two loads cannot both pass the overlap check.
        versions = list(NomenclatureVersion.objects.select_for_update().order_by("pk"))
        version = next((v for v in versions if v.name == name.strip()), None)
        created = version is None
        if version is None:
            version = NomenclatureVersion(name=name.strip())
        clash = next(
            (
                other
                for other in NomenclatureVersion.objects.overlapping(first_year, last_year)
                if other.pk != version.pk
            ),
            None,
        )
        if clash is not None:
            raise LoadRefused([overlap_message(clash)])
        version.regulation = regulation.strip()
        version.first_year = first_year
        version.last_year = last_year
        version.save()
        return _replace_codes(version, wanted, created)


def _replace_codes(
    version: NomenclatureVersion, wanted: dict[tuple[str, str], str], created: bool
) -> NomenclatureLoad:
    held = {(c.kind, c.code): c for c in NomenclatureCode.objects.filter(version=version)}
    gone = [c.pk for key, c in held.items() if key not in wanted]
    renamed = [c for key, c in held.items() if key in wanted and c.name != wanted[key]]
    for code in renamed:
        code.name = wanted[(code.kind, code.code)]
    crosswalk_removed = Crosswalk.objects.filter(old__in=gone).count()
    crosswalk_removed += Crosswalk.objects.filter(new__in=gone).exclude(old__in=gone).count()
    NomenclatureCode.objects.filter(pk__in=gone).delete()
    NomenclatureCode.objects.bulk_update(renamed, ["name"], batch_size=1000)
    added = [
        NomenclatureCode(version=version, kind=kind, code=code, name=code_name)
        for (kind, code), code_name in wanted.items()
        if (kind, code) not in held
    ]
    NomenclatureCode.objects.bulk_create(added, batch_size=1000)
    return NomenclatureLoad(
        version=version,
        created=created,
        added=len(added),
        renamed=len(renamed),
        removed=len(gone),
        unchanged=len(held) - len(gone) - len(renamed),
        crosswalk_removed=crosswalk_removed,
    )


def _version(name: str) -> NomenclatureVersion:
    version = NomenclatureVersion.objects.filter(name=name).first()
    if version is None:
        raise LoadRefused(
            [_("No nomenclature version is named %(name)s: load it first.") % {"name": name}]
        )
    return version


def load_crosswalk(
    *, file_name: str, data: bytes, old_version: str, new_version: str
) -> CrosswalkLoad:
    """Store the crosswalk from ``old_version``'s codes to ``new_version``'s, replacing the
    lines held between those two versions.

    Raises :class:`LoadRefused` (nothing stored) when a version is unknown, the new version
    does not start after the old one, or a row is bad: a kind or code malformed, an old code
    not in the old version, a new code not in the new version, a line given twice.
    """
    old, new = _version(old_version), _version(new_version)
    if new.first_year <= old.first_year:
        raise LoadRefused(
            [
                _("%(new)s must start after %(old)s: a crosswalk leads to a later version.")
                % {"new": new.name, "old": old.name}
            ]
        )
    rows = _rows(file_name, data, CROSSWALK_COLUMNS)
    parsed = []
    problems: list[str] = []
    for row in rows:
        reasons: list[str] = []
        kind = _kind(row.cells.get("kind"), reasons)
        old_code = _code(row.cells.get("old_code"), "old_code", reasons)
        new_code = _code(row.cells.get("new_code"), "new_code", reasons)
        parsed.append((row, reasons, kind, old_code, new_code))
    codes = {
        (c.version_id, c.kind, c.code): c
        for c in NomenclatureCode.objects.filter(
            version__in=(old, new),
            code__in={p[3] for p in parsed} | {p[4] for p in parsed},
        )
    }
    lines: dict[tuple[int, int], int] = {}
    for row, reasons, kind, old_code, new_code in parsed:
        if not reasons:
            found_old = codes.get((old.pk, kind, old_code))
            found_new = codes.get((new.pk, kind, new_code))
            for found, code, version in ((found_old, old_code, old), (found_new, new_code, new)):
                if found is None:
                    reasons.append(
                        _("%(kind)s %(code)s is not in %(version)s")
                        % {"kind": kind, "code": code, "version": version.name}
                    )
            if found_old and found_new:
                key = (found_old.pk, found_new.pk)
                if key in lines:
                    reasons.append(
                        _("the same line is also on row %(other)s") % {"other": lines[key]}
                    )
                else:
                    lines[key] = row.number
        if reasons:
            problems.append(_problem(row, reasons))
    if problems:
        raise LoadRefused(problems)
    with transaction.atomic():
        between = Crosswalk.objects.filter(old__version=old, new__version=new)
        replaced, _deleted = between.delete()
        Crosswalk.objects.bulk_create(
            [Crosswalk(old_id=o, new_id=n) for o, n in lines], batch_size=1000
        )
    return CrosswalkLoad(stored=len(lines), replaced=replaced)
