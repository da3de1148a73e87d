"""Which program and activity codes of a work plan (or a Renstra) the nomenclature of its year
does not hold.

A warning, never a refusal: a plan is checked against the version covering its year when one
is loaded, and the page says plainly when none is. A Renja activity is the budgeted row, a
kegiatan under Permendagri 13/2006 and a sub kegiatan under Permendagri 90/2019, so its code
is looked for among both kinds. Beside an unknown code the crosswalk's successors in the
year's version are given (an old code kept in a newer plan).

Everything comes from one query: the plan's codes, the year's version, the codes of that
version matching the plan's, and the crosswalk lines leading to it, as one UNION ALL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Cast

from opd.nomenclature.models import CodeKind, Crosswalk, NomenclatureCode, NomenclatureVersion
from opd.renstra.models import Renstra, RenstraActivity, RenstraProgram
from opd.workplans.models import Activity, Program, WorkPlan

#: The nomenclature kinds a code of the plan may be, by the row it is on.
KINDS_FOR = {
    "program": {CodeKind.PROGRAM.value},
    "activity": {CodeKind.ACTIVITY.value, CodeKind.SUB_ACTIVITY.value},
}
_COLUMNS = ("n_tag", "n_ref", "n_kind", "n_code", "n_name", "n_extra", "n_sort")


@dataclass(frozen=True)
class Successor:
    """The code an old one became, and the regulation of the version it is in."""

    code: str
    regulation: str


@dataclass(frozen=True)
class UnknownCode:
    """A program or activity of the plan whose code the year's version does not hold."""

    row: str  # "program" or "activity"
    pk: int
    code: str
    name: str
    successors: tuple[Successor, ...] = ()


@dataclass(frozen=True)
class NomenclatureCheck:
    """The plan's year, the version covering it (None when none is loaded) and the unknown
    codes, in the order of the plan (a program, then its activities)."""

    year: int
    version_name: str | None
    regulation: str | None
    unknown: list[UnknownCode] = field(default_factory=list)

    @property
    def checked(self) -> bool:
        return self.version_name is not None


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


def _columns(qs: QuerySet, **columns: object) -> QuerySet:
    # No ORDER BY inside a UNION (SQLite refuses it): the rows are ordered in Python.
    return qs.order_by().annotate(**columns).values_list(*_COLUMNS)


def codes_not_in_nomenclature(work_plan: WorkPlan) -> NomenclatureCheck:
    """The plan's codes missing from the version covering its year, with their successors;
    every code counts as unknown only when a version is loaded (one query)."""
    return _codes_check(
        work_plan.year,
        Program.objects.filter(work_plan_id=work_plan.pk),
        Activity.objects.filter(program__work_plan_id=work_plan.pk),
    )


def renstra_codes_not_in_nomenclature(renstra: Renstra) -> NomenclatureCheck:
    """A Renstra's codes missing from the version covering the first year of its period (the
    regulation its lines were drafted under), with their successors there (one query)."""
    return _codes_check(
        renstra.plan.first_year,
        RenstraProgram.objects.filter(renstra_id=renstra.pk),
        RenstraActivity.objects.filter(program__renstra_id=renstra.pk),
    )


def _codes_check(year: int, programs: QuerySet, activities: QuerySet) -> NomenclatureCheck:
    """The codes of ``programs`` and ``activities`` (the latter with a ``program`` foreign key)
    against the version covering ``year``: the one query behind both checks."""
    plan_codes = Q(code__in=programs.values("code")) | Q(code__in=activities.values("code"))
    empty = _text("")
    parts = [
        _columns(
            programs,
            n_tag=_text("program"),
            n_ref=Cast("pk", CharField()),
            n_kind=empty,
            n_code=F("code"),
            n_name=F("name"),
            n_extra=empty,
            n_sort=F("code"),
        ),
        _columns(
            activities,
            n_tag=_text("activity"),
            n_ref=Cast("pk", CharField()),
            n_kind=empty,
            n_code=F("code"),
            n_name=F("name"),
            n_extra=empty,
            n_sort=F("program__code"),
        ),
        _columns(
            NomenclatureVersion.objects.covering(year),
            n_tag=_text("version"),
            n_ref=empty,
            n_kind=empty,
            n_code=empty,
            n_name=F("name"),
            n_extra=F("regulation"),
            n_sort=Cast("first_year", CharField()),
        ),
        _columns(
            NomenclatureCode.objects.filter(
                plan_codes, version__in=NomenclatureVersion.objects.covering(year)
            ),
            n_tag=_text("found"),
            n_ref=empty,
            n_kind=F("kind"),
            n_code=F("code"),
            n_name=empty,
            n_extra=empty,
            n_sort=empty,
        ),
        _columns(
            Crosswalk.objects.filter(
                Q(old__code__in=programs.values("code"))
                | Q(old__code__in=activities.values("code")),
                new__version__in=NomenclatureVersion.objects.covering(year),
            ),
            n_tag=_text("successor"),
            n_ref=F("new__code"),
            n_kind=F("old__kind"),
            n_code=F("old__code"),
            n_name=empty,
            n_extra=F("new__version__regulation"),
            n_sort=empty,
        ),
    ]
    rows = list(parts[0].union(*parts[1:], all=True))
    return _check(year, rows)


def _check(year: int, rows: list[tuple[str, ...]]) -> NomenclatureCheck:
    """The check from the query's rows (tag, ref, kind, code, name, extra, sort): no query."""
    versions = sorted((r for r in rows if r[0] == "version"), key=lambda r: r[6], reverse=True)
    if not versions:
        return NomenclatureCheck(year=year, version_name=None, regulation=None)
    found = {(r[2], r[3]) for r in rows if r[0] == "found"}
    successors: dict[tuple[str, str], set[Successor]] = {}
    for r in rows:
        if r[0] == "successor":
            successors.setdefault((r[2], r[3]), set()).add(Successor(r[1], r[5]))
    unknown = []
    # A program's row before its activities: the program's code, then 0 for it and 1 for them.
    plan_rows = sorted(
        (r for r in rows if r[0] in KINDS_FOR),
        key=lambda r: (r[6], r[0] == "activity", r[3], int(r[1])),
    )
    for tag, ref, _kind, code, name, _extra, _sort in plan_rows:
        kinds = KINDS_FOR[tag]
        if any((kind, code) in found for kind in kinds):
            continue
        following = set().union(*(successors.get((kind, code), set()) for kind in kinds))
        unknown.append(
            UnknownCode(
                row=tag,
                pk=int(ref),
                code=code,
                name=name,
                successors=tuple(sorted(following, key=lambda s: (s.code, s.regulation))),
            )
        )
    return NomenclatureCheck(
        year=year, version_name=versions[0][4], regulation=versions[0][5], unknown=unknown
    )
