"""Row makers for the nomenclature tests and the admin's: each call adds rows that never
clash with the previous call's (a fresh name and its own year)."""

from __future__ import annotations

from itertools import count

from opd.models import CodeKind, Crosswalk, NomenclatureCode, NomenclatureVersion

_numbers = count(1)


def make_version(**values: object) -> NomenclatureVersion:
    number = next(_numbers)
    defaults: dict[str, object] = {
        "name": f"Versi {number}",
        "regulation": f"Permendagri {number}/2019",
        "first_year": 1950 + number % 140,
        "last_year": 1950 + number % 140,
    }
    return NomenclatureVersion.objects.create(**{**defaults, **values})


def make_code(**values: object) -> NomenclatureCode:
    number = next(_numbers)
    defaults: dict[str, object] = {"kind": CodeKind.PROGRAM, "code": f"1.06.{number:02d}"}
    if "version" not in values:
        defaults["version"] = make_version()
    return NomenclatureCode.objects.create(**{**defaults, "name": f"Program {number}", **values})


def make_crosswalk() -> Crosswalk:
    old = make_code()
    return Crosswalk.objects.create(old=old, new=make_code(code=f"{old.code}.1"))
