"""Serializers for the work plans, programs, activities and realisations.

They validate input only; the views hand what they validated to the services. Decimals are
strings; field names are part of the API and stay stable.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _
from rest_framework import serializers

from opd.digits import AMOUNT, MONEY
from opd.models import (
    Activity,
    Opd,
    Program,
    Realisation,
    WorkPlan,
)
from opd.workplans import validators
from opd.workplans.api.visibility import visible_activities, visible_programs, visible_work_plans
from opd.workplans.models import QUARTERS
from targets.models import MAX_YEAR, MIN_YEAR, Indicator, Kelurahan


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
        fields = ["id", "work_plan", *Program.EDITABLE_FIELDS, "version"]
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
    """The browser form's refusal (an ``opd.workplans.validators`` rule) as this field's error."""
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
        fields = ["id", "work_plan", *Activity.EDITABLE_FIELDS, "version", "expected_contributions"]
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
    quarter = serializers.IntegerField(min_value=min(QUARTERS), max_value=max(QUARTERS))
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
            *Realisation.EDITABLE_FIELDS,
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
