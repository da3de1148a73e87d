"""Checking a Renstra file against the Renstra: every reason of every bad row, and for a clean
file what importing it would change.

1. :func:`load_existing` reads what rows are checked against in five queries, however many
   rows and lines: the Renstra's programs, their years, its activities, their years, and the
   indicators of its RPJMD plan.
2. :func:`check_rows` checks every row (no query): every reason of every bad row, with its row
   number; and for each clean row, its :class:`Line`: created (a new code), updated (a code the
   Renstra has, with what changes) or the same (nothing to write).

A program is matched by its code, an activity by its program's code and its own. Lines of the
Renstra that the file does not name are kept as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db import models
from django.utils.translation import gettext as _

from opd.digits import MONEY
from opd.models import (
    Renstra,
    RenstraActivity,
    RenstraActivityYear,
    RenstraProgram,
    RenstraProgramYear,
)
from opd.renstra.import_rows import (
    ACTIVITY,
    FIXED,
    KIND_WORDS,
    PROGRAM,
    Unreadable,
    budget_header,
    budget_key,
    code_text,
    normalise,
    number_problem,
    parse_number,
    target_header,
    target_key,
)
from opd.renstra.models import TARGET
from opd.tabular import RawRow, as_text, without_control
from targets.models import Indicator

CREATE, UPDATE, SAME = "create", "update", "same"
HEADER_OF = {column.key: column.header for column in FIXED}


def _limit(model: type[models.Model], name: str) -> int:
    return cast(models.CharField, model._meta.get_field(name)).max_length or 0


@dataclass(frozen=True)
class LineNow:
    """A line as the Renstra holds it: its id, version, texts and figures by year."""

    pk: int
    version: int
    name: str
    indicator_text: str
    unit: str
    indicator: int | None
    indicator_code: str
    targets: dict[int, Decimal | None]
    budgets: dict[int, Decimal | None]


@dataclass(frozen=True)
class Existing:
    """What the rows are checked against (:func:`load_existing`)."""

    period: tuple[int, ...]
    programs: dict[str, LineNow]
    #: (program code, activity code) → the activity
    activities: dict[tuple[str, str], LineNow]
    #: normalised indicator code → (id, code as the plan writes it)
    indicators: dict[str, tuple[int, str]]


def load_existing(renstra: Renstra) -> Existing:
    """The Renstra's lines and its plan's indicators, in five queries."""
    period = tuple(renstra.plan.years())
    program_years: dict[int, tuple[dict[int, Decimal | None], dict[int, Decimal | None]]] = {}
    for program_id, year, target, budget in RenstraProgramYear.objects.filter(
        program__renstra=renstra
    ).values_list("program_id", "year", "target", "budget"):
        targets, budgets = program_years.setdefault(program_id, ({}, {}))
        targets[year], budgets[year] = target, budget
    programs: dict[str, LineNow] = {}
    for p in RenstraProgram.objects.filter(renstra=renstra).values(
        "pk", "version", "code", "name", "outcome_indicator", "outcome_unit", "indicator_id",
        "indicator__code",
    ):  # fmt: skip
        targets, budgets = program_years.get(p["pk"], ({}, {}))
        programs[p["code"]] = LineNow(
            p["pk"], p["version"], p["name"], p["outcome_indicator"], p["outcome_unit"],
            p["indicator_id"], p["indicator__code"] or "", targets, budgets,
        )  # fmt: skip
    activity_years: dict[int, dict[int, Decimal | None]] = {}
    for activity_id, year, target in RenstraActivityYear.objects.filter(
        activity__program__renstra=renstra
    ).values_list("activity_id", "year", "target"):
        activity_years.setdefault(activity_id, {})[year] = target
    activities: dict[tuple[str, str], LineNow] = {}
    for a in RenstraActivity.objects.filter(program__renstra=renstra).values(
        "pk", "version", "program__code", "code", "name", "output_indicator", "output_unit"
    ):
        activities[(a["program__code"], a["code"])] = LineNow(
            a["pk"], a["version"], a["name"], a["output_indicator"], a["output_unit"],
            None, "", activity_years.get(a["pk"], {}), {},
        )  # fmt: skip
    indicators = {
        normalise(code): (pk, code)
        for pk, code in Indicator.objects.filter(plan_id=renstra.plan_id).values_list("pk", "code")
    }
    return Existing(period, programs, activities, indicators)


@dataclass
class Line:
    """A checked row, as staged (JSON: figures as text, years as text keys) and imported."""

    row: int
    kind: str
    program_code: str
    code: str
    name: str
    indicator_text: str
    unit: str
    indicator: int | None
    indicator_code: str
    targets: dict[str, str | None]
    budgets: dict[str, str | None]
    action: str = CREATE
    pk: int | None = None
    version: int | None = None
    #: what an update changes: [column, old, new]
    changes: list[list[str]] = field(default_factory=list)


@dataclass
class BadRow:
    """A row refused, with every reason and what it says (for the person to find it)."""

    row: int
    code: str
    name: str
    reasons: list[str]


def _figure(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def check_rows(rows: list[RawRow], existing: Existing) -> tuple[list[Line], list[BadRow]]:
    """Each row checked against ``existing`` (no query): the clean rows as lines, and every bad
    row with every reason. A file is clean when the second list is empty."""
    programs_in_file = {
        code_text(raw.cells.get("program_code"))[0]
        for raw in rows
        if KIND_WORDS.get(normalise(as_text(raw.cells.get("kind")))) == PROGRAM
    }
    seen: dict[tuple[str, str], int] = {}
    lines: list[Line] = []
    bad: list[BadRow] = []
    for raw in rows:
        reasons: list[str] = []
        line = _check_row(raw, existing, programs_in_file, reasons)
        if line is not None:
            key = (line.program_code, line.code if line.kind == ACTIVITY else "")
            if key in seen:
                reasons.append(
                    _("Same program code as row %(row)s.") % {"row": seen[key]}
                    if line.kind == PROGRAM
                    else _("Same activity code in program %(program)s as row %(row)s.")
                    % {"program": line.program_code, "row": seen[key]}
                )
            else:
                seen[key] = raw.number
        if reasons or line is None:
            code = as_text(raw.cells.get("activity_code")) or as_text(raw.cells.get("program_code"))
            bad.append(
                BadRow(
                    raw.number,
                    without_control(code),
                    without_control(as_text(raw.cells.get("name"))),
                    reasons,
                )
            )
        else:
            _compare(line, existing)
            lines.append(line)
    return lines, bad


def _texts(raw: RawRow, reasons: list[str]) -> dict[str, str]:
    """The fixed cells as text; a control character (invisible, refused by the database) is a
    reason naming its column, and is taken out of what the other reasons quote."""
    cells: dict[str, str] = {}
    for key in HEADER_OF:
        text = as_text(raw.cells.get(key))
        if without_control(text) != text:
            reasons.append(
                _(
                    "The column “%(column)s” holds an invisible control character: "
                    "type the cell again."
                )
                % {"column": HEADER_OF[key]}
            )
            text = without_control(text)
        cells[key] = text
    return cells


def _code(raw: RawRow, key: str, reasons: list[str], missing: str) -> str:
    code, fractional = code_text(raw.cells.get(key))
    code = without_control(code)
    if not code:
        reasons.append(missing)
    elif fractional:
        reasons.append(
            _(
                "The code in “%(column)s” was read as the number %(code)s: format the column "
                "as text and type the code again."
            )
            % {"column": HEADER_OF[key], "code": code}
        )
    return code


def _check_row(
    raw: RawRow, existing: Existing, programs_in_file: set[str], reasons: list[str]
) -> Line | None:
    """The row checked, or None with its reasons appended to ``reasons``."""
    cells = _texts(raw, reasons)
    kind = KIND_WORDS.get(normalise(cells["kind"]))
    if kind is None:
        reasons.append(
            _("Unknown kind “%(value)s”: write program or kegiatan.") % {"value": cells["kind"]}
            if cells["kind"]
            else _("The kind (Jenis) is missing: write program or kegiatan.")
        )
    program_code = _code(raw, "program_code", reasons, _("The program code is missing."))
    code = program_code
    if kind == ACTIVITY:
        code = _code(raw, "activity_code", reasons, _("The activity code is missing."))
        if program_code and program_code not in programs_in_file | set(existing.programs):
            reasons.append(
                _(
                    "Program %(program)s is neither in the file nor in the Renstra: add its "
                    "row to the file."
                )
                % {"program": program_code}
            )
    elif kind == PROGRAM and cells["activity_code"]:
        reasons.append(
            _(
                "A program's row has no activity code: empty “Kode kegiatan”, or write "
                "kegiatan in “Jenis”."
            )
        )
    line_model = RenstraActivity if kind == ACTIVITY else RenstraProgram
    if not cells["name"]:
        reasons.append(_("The name is missing."))
    _length(reasons, "program_code", program_code, _limit(RenstraProgram, "code"))
    _length(reasons, "activity_code", cells["activity_code"], _limit(RenstraActivity, "code"))
    _length(reasons, "name", cells["name"], _limit(line_model, "name"))
    text_field = "output_indicator" if kind == ACTIVITY else "outcome_indicator"
    _length(reasons, "indicator_text", cells["indicator_text"], _limit(line_model, text_field))
    unit_field = "output_unit" if kind == ACTIVITY else "outcome_unit"
    _length(reasons, "unit", cells["unit"], _limit(line_model, unit_field))
    indicator = _indicator(cells["indicator_code"], kind, existing, reasons)
    targets = {
        str(year): _figure_cell(raw, target_key(year), target_header(year), TARGET, reasons)
        for year in existing.period
    }
    budgets: dict[str, str | None] = {}
    for year in existing.period:
        if kind == ACTIVITY:
            if as_text(raw.cells.get(budget_key(year))):
                reasons.append(
                    _("%(column)s: an activity has no pagu of its own: leave it empty.")
                    % {"column": budget_header(year)}
                )
        else:
            budgets[str(year)] = _figure_cell(
                raw, budget_key(year), budget_header(year), MONEY, reasons
            )
    if reasons or kind is None:
        return None
    return Line(
        row=raw.number,
        kind=kind,
        program_code=program_code,
        code=code,
        name=cells["name"],
        indicator_text=cells["indicator_text"],
        unit=cells["unit"],
        indicator=indicator[0] if indicator else None,
        indicator_code=indicator[1] if indicator else "",
        targets=targets,
        budgets=budgets,
    )


def _length(reasons: list[str], key: str, value: str, limit: int) -> None:
    if len(value) > limit:
        reasons.append(
            _("“%(column)s” is longer than %(limit)s characters.")
            % {"column": HEADER_OF[key], "limit": limit}
        )


def _indicator(
    code: str, kind: str | None, existing: Existing, reasons: list[str]
) -> tuple[int, str] | None:
    if not code:
        return None
    if kind == ACTIVITY:
        reasons.append(
            _("An activity serves its program's indicator: leave “Kode indikator RPJMD” empty.")
        )
        return None
    found = existing.indicators.get(normalise(code))
    if found is None:
        reasons.append(
            _("Unknown RPJMD indicator code “%(code)s”: it is not an indicator of this plan.")
            % {"code": code}
        )
    return found


def _figure_cell(raw: RawRow, key: str, header: str, digits: Any, reasons: list[str]) -> str | None:
    value = raw.cells.get(key)
    try:
        number = parse_number(value)
    except Unreadable:
        reasons.append(
            _("%(column)s: “%(value)s” is not a number.")
            % {"column": header, "value": without_control(as_text(value))}
        )
        return None
    if number is None:
        return None
    problem = number_problem(number, digits)
    if problem:
        reasons.append(
            _("%(column)s (%(value)s) %(problem)s.")
            % {"column": header, "value": _figure(number), "problem": problem}
        )
        return None
    return _figure(number)


def _compare(line: Line, existing: Existing) -> None:
    """Set what importing ``line`` does: create it, update it (with its changes), or nothing."""
    now = (
        existing.programs.get(line.program_code)
        if line.kind == PROGRAM
        else existing.activities.get((line.program_code, line.code))
    )
    if now is None:
        line.action = CREATE
        return
    line.pk, line.version = now.pk, now.version
    changes: list[list[str]] = []

    def differs(column: str, old: Any, new: Any) -> None:
        if old != new:
            changes.append([column, "" if old is None else str(old), "" if new is None else new])

    differs(HEADER_OF["name"], now.name, line.name)
    differs(HEADER_OF["indicator_text"], now.indicator_text, line.indicator_text)
    differs(HEADER_OF["unit"], now.unit, line.unit)
    if line.kind == PROGRAM and now.indicator != line.indicator:
        changes.append([HEADER_OF["indicator_code"], now.indicator_code, line.indicator_code])
    _compare_years(changes, target_header, now.targets, line.targets)
    if line.kind == PROGRAM:
        _compare_years(changes, budget_header, now.budgets, line.budgets)
    line.changes = changes
    line.action = UPDATE if changes else SAME


def _compare_years(
    changes: list[list[str]],
    header: Any,
    old: Mapping[int, Decimal | None],
    new: Mapping[str, str | None],
) -> None:
    for year, value in new.items():
        before = old.get(int(year))
        after = None if value is None else Decimal(value)
        if before != after:
            changes.append([header(int(year)), _figure(before) or "", value or ""])
