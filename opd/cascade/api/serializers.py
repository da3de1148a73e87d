"""Serializers of the cascade read: the RPJMD plan's missions → goals → objectives →
indicators (the year's target, actual and achievement rate) → the Renstra programs serving
each (the year's target and indicative budget, the Renja's spending against it) → the year's
Renja activities (target, realisation, rates). Read only; decimals are strings; field names
are part of the API and stay stable. ``cascade_data`` shapes an ``opd.cascade.nodes.Cascade``
for them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rest_framework import serializers

from opd.cascade.nodes import ActivityLine, Cascade, IndicatorNode, RenstraGroup
from opd.models import RenstraStatus, WorkPlanStatus
from targets.achievement import NoRate, rounded
from targets.models import MAX_YEAR, MIN_YEAR
from targets.trajectory import PointKind

PATH_PLACES = Decimal("0.0001")


def _places(value: Decimal | None, places: Decimal) -> Decimal | None:
    return None if value is None else value.quantize(places, rounding=ROUND_HALF_UP)


def _money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=None, decimal_places=2, **kwargs)


def _amount(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=None, decimal_places=2, **kwargs)


def _rate(what: str) -> serializers.DecimalField:
    # No digit limit: a tiny target with a large realisation makes a huge rate, which must be
    # answered, never fail the whole read for every caller.
    return serializers.DecimalField(
        max_digits=None,
        decimal_places=2,
        allow_null=True,
        help_text=f"{what} × 100, in percent, rounded half up to two decimals; not capped. "
        "Null when nothing is reported or there is nothing to divide by (no target or budget, "
        "or zero).",
    )


class CascadeQuerySerializer(serializers.Serializer[Any]):
    """The query parameters: each at most once and not empty."""

    year = serializers.IntegerField(
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        help_text="The Renja year, one of an RPJMD plan's years (default: the portal's "
        "default Renja year). A year no plan covers is a 400.",
    )
    indicator = serializers.CharField(
        required=False,
        max_length=40,
        help_text="An indicator's code (e.g. KEMISKINAN): only that indicator and the levels "
        "above it. A code the plan does not have is a 400.",
    )
    wilayah = serializers.CharField(
        required=False,
        max_length=20,
        help_text="A region's code (e.g. 33.71): that region's RPJMD plan, its approved part "
        "for anyone. Default: your own region (a Bappeda user's, else your first OPD's, else "
        "the deployment's). An unknown code is a 400; a region without a plan gives "
        "`plan: null` (a 400 naming `year` when a year is asked).",
    )


class CascadeActivitySerializer(serializers.Serializer[Any]):
    """A Renja activity of the year, with its realisation so far (the sum of its quarters)."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    opd_code = serializers.CharField()
    program_code = serializers.CharField(help_text="Its Renja program's code.")
    plan_status = serializers.ChoiceField(
        choices=WorkPlanStatus.choices, help_text="The status of its work plan (Renja)."
    )
    output_indicator = serializers.CharField()
    output_unit = serializers.CharField()
    target = _amount(allow_null=True, help_text="The Renja's output target for the year.")
    renstra_target = _amount(
        allow_null=True, help_text="Its Renstra activity's output target for the year."
    )
    realisation = _amount(
        allow_null=True, help_text="Output achieved in the quarters reported; null: none."
    )
    achievement_rate = _rate("Output achieved ÷ the Renja's output target")
    budget = _money(help_text="Its budget (pagu), Rupiah.")
    budget_spent = _money(allow_null=True, help_text="Spent in the quarters reported; null: none.")
    budget_realisation_rate = _rate("Budget spent ÷ budget")
    claimed = _amount(
        allow_null=True,
        help_text="The contribution it claims to the indicator above it, in the indicator's "
        "contribution unit (persons for a population share); null when it claims none and "
        "is here through its Renstra program.",
    )
    claimed_achieved = _amount(help_text="What its realisations report for that claim so far.")


class CascadeRenstraProgramSerializer(serializers.Serializer[Any]):
    """A Renstra program serving the indicator above it, for the year, and the year's Renja
    activities carrying it out. Its realisation is the budget those activities spent against
    the Renstra's indicative budget for the year (an outcome is not reported by quarter)."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    opd_code = serializers.CharField()
    renstra = serializers.IntegerField(help_text="The Renstra's id (GET /api/v1/renstra/{id}/).")
    # A string, not an enum: the Renstra read's ``status`` already names this choice set, and a
    # second name for it warns in the schema (ENUM_NAME_OVERRIDES would settle it).
    renstra_status = serializers.CharField(
        help_text="The Renstra's status: " + ", ".join(RenstraStatus.values) + "."
    )
    outcome_indicator = serializers.CharField()
    outcome_unit = serializers.CharField()
    target = _amount(allow_null=True, help_text="The outcome target for the year.")
    budget = _money(allow_null=True, help_text="The indicative budget for the year, Rupiah.")
    budget_spent = _money(
        allow_null=True, help_text="Spent by the activities below in the quarters reported."
    )
    budget_realisation_rate = _rate("Budget spent ÷ the indicative budget for the year")
    activities = CascadeActivitySerializer(many=True)


class CascadeIndicatorSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.ChoiceField(choices=["down", "up"])
    baseline_year = serializers.IntegerField()
    baseline_value = serializers.DecimalField(max_digits=18, decimal_places=4)
    target = serializers.DecimalField(
        max_digits=18,
        decimal_places=4,
        allow_null=True,
        help_text="The year's point of the target path (null when the path does not reach it).",
    )
    target_interpolated = serializers.BooleanField(
        help_text="True when the year's target lies between stated ones (interpolated)."
    )
    actual = serializers.DecimalField(
        max_digits=18,
        decimal_places=4,
        allow_null=True,
        help_text="The year's city-wide actual (null when none is recorded).",
    )
    achievement_rate = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        allow_null=True,
        help_text="The share of the gap between the baseline and the year's target that the "
        "actual closed, in percent (as GET /api/v1/indicators/ gives it).",
    )
    achievement_rate_missing = serializers.ChoiceField(
        choices=[reason.value for reason in NoRate],
        allow_null=True,
        help_text="Why `achievement_rate` is null (null when it is not).",
    )
    renstra_programs = CascadeRenstraProgramSerializer(many=True)
    unlinked_activities = CascadeActivitySerializer(
        many=True,
        help_text="The year's activities claiming a contribution to the indicator whose program "
        "is not linked to a Renstra program serving it (that the caller may see).",
    )


class CascadeObjectiveSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    text = serializers.CharField()
    indicators = CascadeIndicatorSerializer(many=True)


class CascadeGoalSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    text = serializers.CharField()
    objectives = CascadeObjectiveSerializer(many=True)


class CascadeMissionSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    text = serializers.CharField()
    goals = CascadeGoalSerializer(many=True)


class CascadePlanSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    first_year = serializers.IntegerField()
    last_year = serializers.IntegerField()


class CascadeSerializer(serializers.Serializer[Any]):
    """The cascade of one region's RPJMD plan for one Renja year."""

    plan = CascadePlanSerializer(
        allow_null=True, help_text="Null when the region has no plan (or none is loaded)."
    )
    year = serializers.IntegerField()
    missions = CascadeMissionSerializer(many=True)
    unplaced_indicators = CascadeIndicatorSerializer(
        many=True, help_text="Indicators placed under no objective."
    )


# --- shaping -------------------------------------------------------------------------------------


def _activity(line: ActivityLine) -> dict[str, Any]:
    activity = line.activity
    program = activity.program
    return {
        "id": activity.pk,
        "code": activity.code,
        "name": activity.name,
        "opd_code": program.work_plan.opd.code,
        "program_code": program.code,
        "plan_status": program.work_plan.status,
        "output_indicator": activity.output_indicator,
        "output_unit": activity.output_unit,
        "target": activity.output_target,
        "renstra_target": line.renstra_target,
        "realisation": line.output_achieved,
        "achievement_rate": rounded(line.output_rate),
        "budget": activity.budget,
        "budget_spent": line.spent,
        "budget_realisation_rate": rounded(line.budget_rate),
        "claimed": line.claimed,
        "claimed_achieved": line.achieved,
    }


def _renstra_program(group: RenstraGroup) -> dict[str, Any]:
    line = group.renstra_program
    if line is None:  # the serving groups only
        raise ValueError("not a Renstra program's group")
    return {
        "id": line.pk,
        "code": line.code,
        "name": line.name,
        "opd_code": line.renstra.opd.code,
        "renstra": line.renstra_id,
        "renstra_status": line.renstra.status,
        "outcome_indicator": line.outcome_indicator,
        "outcome_unit": line.outcome_unit,
        "target": group.target,
        "budget": group.planned_budget,
        "budget_spent": group.spent,
        "budget_realisation_rate": rounded(group.budget_rate),
        "activities": [_activity(a) for a in group.activities],
    }


def _indicator(node: IndicatorNode) -> dict[str, Any]:
    figures = node.figures
    indicator = node.indicator
    point = figures.point
    unlinked = node.unlinked
    return {
        "id": indicator.pk,
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "baseline_year": indicator.baseline_year,
        "baseline_value": indicator.baseline_value,
        "target": _places(point.value if point else None, PATH_PLACES),
        "target_interpolated": point is not None and point.kind == PointKind.INTERPOLATED,
        "actual": _places(figures.actual, PATH_PLACES),
        "achievement_rate": figures.achievement.shown,
        "achievement_rate_missing": figures.achievement.missing
        and figures.achievement.missing.value,
        "renstra_programs": [_renstra_program(g) for g in node.renstra_groups],
        "unlinked_activities": [_activity(a) for a in unlinked.activities] if unlinked else [],
    }


def cascade_data(cascade: Cascade, *, only: str | None = None) -> dict[str, Any]:
    """``cascade`` as the serializers read it; with ``only`` (an indicator code), the missions,
    goals and objectives above that indicator alone."""

    def indicators(nodes: list[IndicatorNode]) -> list[dict[str, Any]]:
        return [_indicator(n) for n in nodes if only is None or n.indicator.code == only]

    missions = []
    for mission in cascade.missions:
        goals = []
        for goal in mission.goals:
            objectives = [
                {"number": o.objective.number, "text": o.objective.text, "indicators": shown}
                for o in goal.objectives
                if (shown := indicators(o.indicators)) or only is None
            ]
            if objectives or only is None:
                goals.append(
                    {"number": goal.goal.number, "text": goal.goal.text, "objectives": objectives}
                )
        if goals or only is None:
            missions.append(
                {"number": mission.mission.number, "text": mission.mission.text, "goals": goals}
            )
    plan = cascade.plan
    return {
        "plan": None
        if plan is None
        else {
            "id": plan.pk,
            "name": plan.name,
            "first_year": plan.first_year,
            "last_year": plan.last_year,
        },
        "year": cascade.year,
        "missions": missions,
        "unplaced_indicators": indicators(cascade.unplaced),
    }
