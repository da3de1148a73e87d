"""Serializers for the OPDs, their plans and the contribution figures.

They validate input only; the views hand what they validated to ``opd.services``.
Decimals are strings; field names are part of the API and stay stable.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _
from rest_framework import serializers

from opd import validators
from opd.api.permissions import visible_activities, visible_programs, visible_work_plans
from opd.models import (
    AMOUNT,
    MONEY,
    Activity,
    Aspiration,
    ContributionRow,
    ContributionState,
    Opd,
    Program,
    Realisation,
    WorkPlan,
)
from opd.services import ACTIVITY_FIELDS, PROGRAM_FIELDS
from targets.models import MAX_YEAR, MIN_YEAR, Indicator, Kelurahan


class OpdSerializer(serializers.ModelSerializer[Opd]):
    class Meta:
        model = Opd
        fields = ["id", "code", "name", "short_name", "kind", "region"]


class WorkPlanSerializer(serializers.ModelSerializer[WorkPlan]):
    opd_code = serializers.CharField(source="opd.code", read_only=True)

    class Meta:
        model = WorkPlan
        fields = [
            "id",
            "opd",
            "opd_code",
            "plan",
            "year",
            "status",
            "version",
            "submitted_at",
            "reviewed_at",
        ]
        read_only_fields = fields


class ClearUniqueMessage:
    """A duplicate names the record and its fields in the caller's language (Django's own
    message), not DRF's untranslated "The fields ... must make a unique set"."""

    def get_unique_together_validators(self) -> list[Any]:
        validators: list[Any] = super().get_unique_together_validators()  # type: ignore[misc]
        model = self.Meta.model  # type: ignore[attr-defined]
        for validator in validators:
            labels = [
                capfirst(model._meta.get_field(name).verbose_name) for name in validator.fields
            ]
            message = _("%(model_name)s with this %(field_labels)s already exists.") % {
                "model_name": capfirst(model._meta.verbose_name),
                "field_labels": get_text_list(labels, _("and")),
            }
            validator.message = message.replace("{", "{{").replace("}", "}}")
        return validators


class ProgramSerializer(ClearUniqueMessage, serializers.ModelSerializer[Program]):
    """A program of a work plan; its activities name it. Changes need ``If-Match``."""

    work_plan = serializers.PrimaryKeyRelatedField(queryset=WorkPlan.objects.none())

    class Meta:
        model = Program
        fields = ["id", "work_plan", *PROGRAM_FIELDS, "version"]
        read_only_fields = ["id", "version"]
        # The database refuses a negative target too; here it is the field's 400.
        extra_kwargs = {"outcome_target": {"min_value": Decimal(0)}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        plans = visible_work_plans(self.context.get("request"))
        fields["work_plan"].queryset = plans  # type: ignore[attr-defined]
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        current = self.instance
        if current is not None and "work_plan" in attrs and attrs["work_plan"] != current.work_plan:
            raise serializers.ValidationError(
                {"work_plan": [_("A program stays in its work plan.")]}
            )
        return attrs


class WorkPlanCreateSerializer(serializers.Serializer[Any]):
    opd = serializers.PrimaryKeyRelatedField(queryset=Opd.objects.all())
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)


class WorkPlanReopenSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=5000)


class ActivityCommentSerializer(serializers.Serializer[Any]):
    activity = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    comment = serializers.CharField(max_length=5000)


class WorkPlanReturnSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(max_length=5000)
    activity_comments = ActivityCommentSerializer(many=True, required=False)


def _refuse(field: str, error: DjangoValidationError) -> serializers.ValidationError:
    """The browser form's refusal (an ``opd.validators`` rule) as this field's error."""
    return serializers.ValidationError({field: error.messages})


class ContributionAmountSerializer(serializers.Serializer[Any]):
    indicator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all())
    amount = serializers.DecimalField(**AMOUNT)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            validators.validate_contribution(attrs["indicator"], attrs["amount"])
        except DjangoValidationError as error:
            raise _refuse("amount", error) from error
        return attrs


def _unique_indicators(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    indicators = [row["indicator"].pk for row in rows]
    if len(indicators) != len(set(indicators)):
        raise serializers.ValidationError(_("Name each indicator once."))
    return rows


class ExpectedContributionSerializer(ContributionAmountSerializer):
    pass


class ActivitySerializer(ClearUniqueMessage, serializers.ModelSerializer[Activity]):
    """An activity (kegiatan) with its expected contributions to the plan's indicators."""

    program = serializers.PrimaryKeyRelatedField(queryset=Program.objects.none())
    work_plan = serializers.IntegerField(source="program.work_plan_id", read_only=True)
    kelurahan = serializers.PrimaryKeyRelatedField(
        queryset=Kelurahan.objects.all(), allow_null=True, required=False
    )
    budget = serializers.DecimalField(min_value=Decimal(0), required=False, **MONEY)
    output_target = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal(0), allow_null=True, required=False
    )
    next_year_target = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal(0), allow_null=True, required=False
    )
    next_year_budget = serializers.DecimalField(
        min_value=Decimal(0), allow_null=True, required=False, **MONEY
    )
    expected_contributions = ExpectedContributionSerializer(many=True, required=False)

    class Meta:
        model = Activity
        fields = ["id", "work_plan", *ACTIVITY_FIELDS, "version", "expected_contributions"]
        read_only_fields = ["id", "work_plan", "version"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["program"].queryset = visible_programs(self.context.get("request"))  # type: ignore[attr-defined]
        return fields

    def validate_expected_contributions(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return _unique_indicators(rows)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """What the browser form checks against the plan: its program, region and indicators."""
        current = self.instance
        program = attrs.get("program") or (current.program if current else None)
        if program is None:
            return attrs  # the field itself reports the missing program
        work_plan = program.work_plan
        if current is not None and work_plan.pk != current.program.work_plan_id:
            raise serializers.ValidationError({"program": [str(validators.OTHER_PLAN)]})
        try:
            validators.validate_kelurahan(attrs.get("kelurahan"), region_id=work_plan.opd.region_id)
        except DjangoValidationError as error:
            raise _refuse("kelurahan", error) from error
        rows = attrs.get("expected_contributions") or []
        try:
            validators.validate_indicators(
                (row["indicator"] for row in rows), plan_id=work_plan.plan_id
            )
        except DjangoValidationError as error:
            raise _refuse("expected_contributions", error) from error
        return attrs


class RealisationSerializer(serializers.ModelSerializer[Realisation]):
    """A quarter's realisation of an activity, with the achieved contributions."""

    activity = serializers.PrimaryKeyRelatedField(queryset=Activity.objects.none())
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    budget_spent = serializers.DecimalField(min_value=Decimal(0), required=False, **MONEY)
    output_achieved = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal(0), required=False
    )
    achieved_contributions = ContributionAmountSerializer(many=True, required=False)

    class Meta:
        model = Realisation
        fields = [
            "id",
            "activity",
            "quarter",
            "budget_spent",
            "output_achieved",
            "notes",
            "version",
            "achieved_contributions",
        ]
        read_only_fields = ["id", "version"]
        # A quarter reported already is a 409 from the view, with the record to correct.
        validators: list[Any] = []

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["activity"].queryset = visible_activities(self.context.get("request"))  # type: ignore[attr-defined]
        return fields

    def validate_achieved_contributions(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return _unique_indicators(rows)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        activity = attrs.get("activity") or (self.instance.activity if self.instance else None)
        rows = attrs.get("achieved_contributions") or []
        if activity is not None and rows:
            try:
                validators.validate_indicators(
                    (row["indicator"] for row in rows), plan_id=activity.program.work_plan.plan_id
                )
            except DjangoValidationError as error:
                raise _refuse("achieved_contributions", error) from error
        return attrs


class RealisationUpdateSerializer(RealisationSerializer):
    """A correction: the activity and the quarter stay as they are."""

    class Meta(RealisationSerializer.Meta):
        read_only_fields = ["id", "version", "activity", "quarter"]

    activity = serializers.PrimaryKeyRelatedField(read_only=True)  # type: ignore[assignment]
    quarter = serializers.IntegerField(read_only=True)  # type: ignore[assignment]

    def get_fields(self) -> dict[str, Any]:
        return serializers.ModelSerializer.get_fields(self)


class AspirationSerializer(serializers.ModelSerializer[Aspiration]):
    class Meta:
        model = Aspiration
        fields = [
            "id",
            "reference",
            "region",
            "forum",
            "year",
            "kelurahan",
            "title",
            "description",
            "proposer",
            "received_on",
            "status",
            "rejection_reason",
            "activity",
        ]


def _money_field(name: str, *, allow_null: bool = False) -> serializers.DecimalField:
    """A read-only rupiah figure of the row, with the model field's digits."""
    model_field: Any = ContributionRow._meta.get_field(name)
    return serializers.DecimalField(
        source=name,
        max_digits=model_field.max_digits,
        decimal_places=model_field.decimal_places,
        read_only=True,
        allow_null=allow_null,
    )


def _achieved_field() -> serializers.DecimalField:
    """A read-only persons figure with the digits of ``ContributionRow.achieved``."""
    model_field: Any = ContributionRow._meta.get_field("achieved")
    return serializers.DecimalField(
        max_digits=model_field.max_digits,
        decimal_places=model_field.decimal_places,
        read_only=True,
    )


class ContributionRowSerializer(serializers.ModelSerializer[ContributionRow]):
    """An OPD's row. The budgets are its plan's own; ``counted`` says whether the plan counts
    (submitted or approved) in the sums, coverage and alignment: a draft's budgets show,
    and its persons are 0. An uncounted plan's budgets are null for a caller who may not
    open that plan (an OPD member looking at another OPD's draft): the view's context
    ``draft_budgets_of`` names the OPDs whose drafts the caller may see, absent for Bappeda.
    """

    opd_code = serializers.CharField(source="opd.code", read_only=True)
    counted = serializers.BooleanField(read_only=True)
    aligned_budget = _money_field("plan_aligned_budget", allow_null=True)
    total_budget = _money_field("plan_total_budget", allow_null=True)

    def to_representation(self, instance: ContributionRow) -> dict[str, Any]:
        data = super().to_representation(instance)
        allowed = self.context.get("draft_budgets_of")
        if allowed is not None and not instance.counted and instance.opd_id not in allowed:
            data["aligned_budget"] = data["total_budget"] = None
        return data

    class Meta:
        model = ContributionRow
        fields = [
            "opd",
            "opd_code",
            "work_plan_status",
            "counted",
            "planned",
            "planned_submitted",
            "planned_approved",
            "achieved",
            "share",
            "aligned_budget",
            "total_budget",
            "alignment",
            "cost_per_person",
        ]


class PublicContributionRowSerializer(serializers.ModelSerializer[ContributionRow]):
    opd_code = serializers.CharField(source="opd.code", read_only=True)

    class Meta:
        model = ContributionRow
        fields = ["opd", "opd_code", "planned_approved", "achieved_approved"]

    # An approved plan's achieved persons; 0 for any other plan (the README: anyone sees
    # the sums of approved plans only).
    achieved_approved = _achieved_field()


SNAPSHOT_FIGURES = {
    # API name: snapshot field (design section 5)
    "target": "target_value",
    "target_kind": "target_kind",
    "reference": "reference_value",
    "reference_year": "reference_year",
    "required_change": "required_change",
    "population": "population",
    "population_year": "population_year",
    "required": "required",
    "planned_total": "planned_total",
    "planned_submitted_total": "planned_submitted_total",
    "planned_approved_total": "planned_approved_total",
    "achieved_total": "achieved_total",
    "coverage": "coverage",
    "actual": "actual_value",
    "projected_planned": "projected_planned",
    "projected_achieved": "projected_achieved",
    "missing": "missing",
    "status": "status",
    "computed_at": "computed_at",
    "sequence": "sequence",
}
PUBLIC_FIGURES = (
    "target",
    "target_kind",
    "reference",
    "reference_year",
    "required_change",
    "population",
    "population_year",
    "required",
    "planned_approved_total",
    "actual",
    "computed_at",
)


def _figure_fields(names: Any) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    from opd.models import ContributionSnapshot

    fields = serializers.ModelSerializer.serializer_field_mapping
    out: dict[str, Any] = {}
    for name in names:
        model_field: Any = ContributionSnapshot._meta.get_field(SNAPSHOT_FIGURES[name])
        field_class = fields[type(model_field)]
        kwargs: dict[str, Any] = {"source": f"snapshot.{model_field.name}", "read_only": True}
        if hasattr(model_field, "max_digits"):
            kwargs |= {
                "max_digits": model_field.max_digits,
                "decimal_places": model_field.decimal_places,
            }
        if model_field.null:
            kwargs["allow_null"] = True
        if name == "status":
            field_class = serializers.ChoiceField
            kwargs["choices"] = model_field.choices
        out[name] = field_class(**kwargs)
    return out


class _ContributionBase(serializers.ModelSerializer[ContributionState]):
    pending = serializers.BooleanField(source="dirty", read_only=True)
    # Annotated by ContributionStateQuerySet.with_approved_achieved: the achieved persons
    # of approved plans, the achieved sum the public sees.
    achieved_approved_total = _achieved_field()


def _contribution_fields(figures: Iterable[str]) -> list[str]:
    """The fields of a contribution answer: which snapshot figures it shows is the difference."""
    return ["id", "indicator", "year", "pending", *figures, "achieved_approved_total", "rows"]


class _ContributionMeta:
    model = ContributionState
    fields = _contribution_fields(SNAPSHOT_FIGURES)


class _PublicContributionMeta:
    model = ContributionState
    fields = _contribution_fields(PUBLIC_FIGURES)


# Built from the snapshot's own fields, so digits and nullability match the model.
ContributionSerializer = type(
    "ContributionSerializer",
    (_ContributionBase,),
    {
        "__doc__": "The current figures of an indicator's year: inputs R, T, P, N, the sums, "
        "coverage, status and each OPD's row.",
        "__module__": __name__,
        "Meta": _ContributionMeta,
        "rows": ContributionRowSerializer(source="snapshot.rows", many=True, read_only=True),
        **_figure_fields(SNAPSHOT_FIGURES),
    },
)
PublicContributionSerializer = type(
    "PublicContributionSerializer",
    (_ContributionBase,),
    {
        "__doc__": "What anyone may see: the inputs, and the sums of approved plans only.",
        "__module__": __name__,
        "Meta": _PublicContributionMeta,
        "rows": PublicContributionRowSerializer(source="snapshot.rows", many=True, read_only=True),
        **_figure_fields(PUBLIC_FIGURES),
    },
)
