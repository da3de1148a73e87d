"""Admin for the contribution snapshots (written by the computation only), and the targets
app's figures re-registered so that saving one marks the years it feeds dirty.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from opd.admin_base import ViewOnlyAdminMixin
from opd.engine import marking
from opd.models import (
    ContributionRow,
    ContributionSnapshot,
)
from targets.admin import (
    ActualAdmin,
    BaseAdmin,
    IndicatorAdmin,
    PopulationAdmin,
    TargetAdmin,
)
from targets.models import Actual, Indicator, Population, Target

SNAPSHOT_ROW_FIELDS = ("opd", "work_plan_status", *ContributionRow.FIGURES)
# Design section 7's figures, a line each in the snapshot's page.
DEDUPLICATED_FIELDS = (
    ("status_basis", "coverage_deduplicated"),
    ("planned_deduplicated", "achieved_deduplicated", "overlap"),
    ("backed_share", "distinct_persons", "low_desil_share"),
    ("overlap_matrix", "capped_activities"),
)


class ContributionRowInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = ContributionRow
    fields = SNAPSHOT_ROW_FIELDS
    readonly_fields = SNAPSHOT_ROW_FIELDS
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[ContributionRow]:
        return super().get_queryset(request).select_related("opd", "snapshot__indicator")


@admin.register(ContributionSnapshot)
class ContributionSnapshotAdmin(ViewOnlyAdminMixin, BaseAdmin):
    list_display = (
        "indicator_code",
        "year",
        "sequence",
        "computed_at",
        "status",
        "reference_value",
        "target_value",
        "required",
        "planned_total",
        "achieved_total",
        "coverage",
        "fingerprint_short",
    )
    list_display_links = ("indicator_code", "year", "computed_at")
    list_filter = ("status", "year", "indicator__plan", "indicator")
    search_fields = ("indicator__code", "indicator__name", "fingerprint")
    ordering = ("indicator__code", "-year", "-computed_at")
    list_select_related = ("indicator",)
    date_hierarchy = "computed_at"
    fields = (
        ("indicator", "year", "sequence"),
        ("computed_at", "status", "missing"),
        ("target_value", "target_kind"),
        ("reference_value", "reference_year", "required_change"),
        ("population", "population_year", "required"),
        ("planned_total", "planned_submitted_total", "planned_approved_total"),
        ("achieved_total", "coverage", "actual_value"),
        ("projected_planned", "projected_achieved"),
        *DEDUPLICATED_FIELDS,
        "fingerprint",
        "inputs_pretty",
    )
    readonly_fields = (
        "indicator",
        "year",
        "sequence",
        "computed_at",
        "status",
        "missing",
        "target_value",
        "target_kind",
        "reference_value",
        "reference_year",
        "required_change",
        "population",
        "population_year",
        "required",
        "planned_total",
        "planned_submitted_total",
        "planned_approved_total",
        "achieved_total",
        "coverage",
        "actual_value",
        "projected_planned",
        "projected_achieved",
        *(name for line in DEDUPLICATED_FIELDS for name in line),
        "fingerprint",
        "inputs_pretty",
    )
    inlines = (ContributionRowInline,)

    class Media:
        css = {"all": ["css/admin.css"]}  # a class, not a style attribute: the CSP allows none

    @admin.display(description=_("indicator"), ordering="indicator__code")
    def indicator_code(self, obj: ContributionSnapshot) -> str:
        return obj.indicator.code

    @admin.display(description=_("inputs fingerprint"), ordering="fingerprint")
    def fingerprint_short(self, obj: ContributionSnapshot) -> str:
        return obj.fingerprint[:12]

    @admin.display(description=_("inputs"))
    def inputs_pretty(self, obj: ContributionSnapshot) -> str:
        text = json.dumps(obj.inputs, indent=2, ensure_ascii=False, sort_keys=True, default=str)
        return format_html('<pre class="snapshot-inputs">{}</pre>', text)


@admin.register(ContributionRow)
class ContributionRowAdmin(ViewOnlyAdminMixin, BaseAdmin):
    list_display = (
        "snapshot_indicator",
        "snapshot_year",
        "snapshot_computed_at",
        *SNAPSHOT_ROW_FIELDS,
    )
    list_display_links = ("snapshot_indicator", "opd")
    list_filter = (
        "snapshot__year",
        "snapshot__status",
        "snapshot__indicator__plan",
        "opd__region",
        "opd__kind",
    )
    search_fields = (
        "opd__code",
        "opd__name",
        "opd__short_name",
        "snapshot__indicator__code",
        "snapshot__indicator__name",
    )
    ordering = (
        "snapshot__indicator__code",
        "-snapshot__year",
        "-snapshot__computed_at",
        "-planned",
    )
    list_select_related = ("snapshot__indicator", "opd")
    fields = ("snapshot", *SNAPSHOT_ROW_FIELDS)
    readonly_fields = ("snapshot", *SNAPSHOT_ROW_FIELDS)

    @admin.display(description=_("indicator"), ordering="snapshot__indicator__code")
    def snapshot_indicator(self, obj: ContributionRow) -> str:
        return obj.snapshot.indicator.code

    @admin.display(description=_("year"), ordering="snapshot__year")
    def snapshot_year(self, obj: ContributionRow) -> int:
        return obj.snapshot.year

    @admin.display(description=_("computed at"), ordering="snapshot__computed_at")
    def snapshot_computed_at(self, obj: ContributionRow) -> Any:
        return obj.snapshot.computed_at


class MarksContributionsDirty(admin.ModelAdmin):  # type: ignore[type-arg]
    """Saving or deleting a figure flags the contribution years it feeds for recomputation.

    The targets app knows nothing of OPDs; its admin classes are re-registered here
    with this hook, so the flag is set in the same transaction as the change. Every pair
    a change touches (the row as it was and as it is, every row of a bulk delete) is
    collected first and marked in one call, in ascending order: the lock order of
    ``opd.transactions``.
    """

    def pairs(self, obj: Any) -> set[tuple[int, int]]:
        """The (indicator, year) pairs whose results ``obj`` feeds."""
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The row as it was: moving a figure to another year or indicator changes both.
        before = self.pairs(type(obj)._default_manager.get(pk=obj.pk)) if change else set()
        super().save_model(request, obj, form, change)
        # The inlines saved next (an indicator's targets and actuals) feed these pairs too.
        marking.mark_pairs_dirty(before | self.pairs(obj))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        marking.mark_pairs_dirty(self.pairs(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # The delete action runs outside a transaction: the flags and the delete commit
        # together, or a recomputation could clear the flags before the rows are gone.
        with transaction.atomic():
            pairs: set[tuple[int, int]] = set()
            for obj in queryset:
                pairs |= self.pairs(obj)
            marking.mark_pairs_dirty(pairs)
            super().delete_queryset(request, queryset)


class ContributionIndicatorAdmin(MarksContributionsDirty, IndicatorAdmin):
    def pairs(self, obj: Indicator) -> set[tuple[int, int]]:
        return marking.pairs_for_indicator(obj)


class ContributionTargetAdmin(MarksContributionsDirty, TargetAdmin):
    def pairs(self, obj: Target) -> set[tuple[int, int]]:
        return marking.pairs_for_indicator(obj.indicator)


class ContributionActualAdmin(MarksContributionsDirty, ActualAdmin):
    def pairs(self, obj: Actual) -> set[tuple[int, int]]:
        return marking.pairs_for_indicator(obj.indicator)


class ContributionPopulationAdmin(MarksContributionsDirty, PopulationAdmin):
    def pairs(self, obj: Population) -> set[tuple[int, int]]:
        return marking.pairs_for_region(obj.region_id, obj.year)


for _model, _model_admin in (
    (Indicator, ContributionIndicatorAdmin),
    (Target, ContributionTargetAdmin),
    (Actual, ContributionActualAdmin),
    (Population, ContributionPopulationAdmin),
):
    admin.site.unregister(_model)
    admin.site.register(_model, _model_admin)
