"""The contribution figures as the API shows them: decimals as strings, built from the snapshot's own fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opd.models import (
    ContributionRow,
    ContributionState,
    Opd,
    WorkPlanStatus,
)


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
            *ContributionRow.FIGURES,
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
    # Design section 7: the figures deduplicated by the beneficiary lists, beside the gross.
    "planned_gross": "planned_total",
    "planned_deduplicated": "planned_deduplicated",
    "planned_approved_deduplicated": "planned_approved_deduplicated",
    "achieved_deduplicated": "achieved_deduplicated",
    "overlap": "overlap",
    "backed_share": "backed_share",
    "distinct_persons": "distinct_persons",
    "low_desil_share": "low_desil_share",
    "coverage_deduplicated": "coverage_deduplicated",
    "status_basis": "status_basis",
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
    # the approved plans' own lists alone: public whatever the submitted plans hold
    "planned_approved_deduplicated",
    "actual",
    "computed_at",
)

# Section 7's counts, shown to the public only when every plan that counts is approved: each
# is computed over every counted plan, submitted ones too, and the public sees the sums of
# approved plans only (README; tests/api/test_public_contributions.py). Otherwise they are
# null (the matrix empty): ``planned_deduplicated`` beside the public ``planned_approved_total``
# would give away a submitted plan's persons. Coverage and status are never public here.
PUBLIC_DEDUPLICATED = (
    "planned_deduplicated",
    "achieved_deduplicated",
    "overlap",
    "backed_share",
    "distinct_persons",
    "low_desil_share",
)


def _figure_fields(
    names: Any, *, nullable: Iterable[str] = ()
) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    """The read-only fields of the snapshot figures ``names``; those in ``nullable`` may be
    null whatever the model says."""
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
        if model_field.null or name in nullable:
            kwargs["allow_null"] = True
        if name in ("status", "status_basis"):
            field_class = serializers.ChoiceField
            kwargs["choices"] = model_field.choices
        out[name] = field_class(**kwargs)
    return out


class _ContributionBase(serializers.ModelSerializer[ContributionState]):
    pending = serializers.BooleanField(source="dirty", read_only=True)
    # Annotated by ContributionStateQuerySet.with_approved_achieved: the achieved persons
    # of approved plans, the achieved sum the public sees.
    achieved_approved_total = _achieved_field()


class OverlapPairSerializer(serializers.Serializer[dict[str, Any]]):
    """Two OPDs (by code, ``opd_a`` before ``opd_b``) and the persons on lists of both."""

    opd_a = serializers.CharField(read_only=True)
    opd_b = serializers.CharField(read_only=True)
    persons = serializers.IntegerField(read_only=True)


class _OverlapMatrixMixin(serializers.Serializer[Any]):
    overlap_matrix = serializers.SerializerMethodField()

    @extend_schema_field(OverlapPairSerializer(many=True))
    def get_overlap_matrix(self, state: ContributionState) -> list[dict[str, Any]]:
        """The snapshot's pairs with OPD codes for ids. The codes come from the rows already
        read with their OPDs (every OPD of the region has a row); an id without one, which
        the engine does not write, costs one query for the whole matrix."""
        snapshot: Any = state.snapshot
        pairs: list[dict[str, Any]] = snapshot.overlap_matrix or []
        codes = {row.opd_id: row.opd.code for row in snapshot.rows.all()}
        missing = {pair[side] for pair in pairs for side in ("opd_a", "opd_b")} - set(codes)
        if missing:
            codes |= dict(Opd.objects.filter(pk__in=missing).values_list("pk", "code"))
        return [
            {
                "opd_a": codes.get(pair["opd_a"], ""),
                "opd_b": codes.get(pair["opd_b"], ""),
                "persons": pair["persons"],
            }
            for pair in pairs
        ]


class _FullContributionBase(_OverlapMatrixMixin, _ContributionBase):
    pass


def only_approved_plans_count(state: ContributionState) -> bool:
    """Whether every plan the snapshot counts is approved (its rows, already read, say)."""
    snapshot: Any = state.snapshot
    return all(
        row.work_plan_status == WorkPlanStatus.APPROVED
        for row in snapshot.rows.all()
        if row.counted
    )


class _PublicContributionBase(_OverlapMatrixMixin, _ContributionBase):
    def to_representation(self, instance: ContributionState) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not only_approved_plans_count(instance):
            data |= dict.fromkeys(PUBLIC_DEDUPLICATED)
            data["overlap_matrix"] = []
        return data


def _contribution_fields(figures: Iterable[str], *extra: str) -> list[str]:
    """The fields of a contribution answer: which snapshot figures it shows is the difference."""
    return [
        "id",
        "indicator",
        "year",
        "pending",
        *figures,
        *extra,
        "achieved_approved_total",
        "rows",
    ]


class _ContributionMeta:
    model = ContributionState
    fields = _contribution_fields(SNAPSHOT_FIGURES, "overlap_matrix")


class _PublicContributionMeta:
    model = ContributionState
    fields = _contribution_fields(PUBLIC_FIGURES, *PUBLIC_DEDUPLICATED, "overlap_matrix")


# Built from the snapshot's own fields, so digits and nullability match the model.
ContributionSerializer = type(
    "ContributionSerializer",
    (_FullContributionBase,),
    {
        "__doc__": "The current figures of an indicator's year: inputs R, T, P, N, the sums, "
        "coverage, status, the figures deduplicated by the beneficiary lists with the OPD "
        "overlap matrix, and each OPD's row.",
        "__module__": __name__,
        "Meta": _ContributionMeta,
        "rows": ContributionRowSerializer(source="snapshot.rows", many=True, read_only=True),
        **_figure_fields(SNAPSHOT_FIGURES),
    },
)


PublicContributionSerializer = type(
    "PublicContributionSerializer",
    (_PublicContributionBase,),
    {
        "__doc__": "What anyone may see: the inputs, and the sums of approved plans only; the "
        "deduplicated counts and the OPD overlap matrix when every plan counted is approved "
        "(else null, the matrix empty).",
        "__module__": __name__,
        "Meta": _PublicContributionMeta,
        "rows": PublicContributionRowSerializer(source="snapshot.rows", many=True, read_only=True),
        **_figure_fields(PUBLIC_FIGURES),
        **_figure_fields(PUBLIC_DEDUPLICATED, nullable=PUBLIC_DEDUPLICATED),
    },
)
