"""Admin for the work plans (Renja) and their programs, activities, contributions and
realisations: view-only, edited in the portal. Changelists select what they show in one query.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet, Sum
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from opd.admin_base import PlanContentAdmin, ViewOnlyAdminMixin
from opd.models import (
    AchievedContribution,
    Activity,
    ExpectedContribution,
    Opd,
    Program,
    Realisation,
    WorkPlan,
)


class ProgramInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = Program
    fields = ("code", "name", "outcome_indicator", "outcome_target", "outcome_unit", "version")
    extra = 0
    show_change_link = True


@admin.register(WorkPlan)
class WorkPlanAdmin(PlanContentAdmin):
    list_display = (
        "__str__",
        "opd",
        "year",
        "plan",
        "status",
        "total_budget",
        "submitted_at",
        "reviewed_at",
        "version",
        "is_demo",
    )
    list_filter = ("status", "year", "opd__region", "opd__kind", "plan", "is_demo")
    search_fields = ("opd__code", "opd__name", "opd__short_name")
    ordering = ("-year", "opd__code")
    list_select_related = ("opd", "plan")
    date_hierarchy = "submitted_at"
    fieldsets = (
        (None, {"fields": ("opd", "plan", "year", "is_demo", "version")}),
        (
            _("Workflow"),
            {
                "fields": (
                    "status",
                    ("submitted_at", "submitted_by"),
                    ("reviewed_at", "reviewed_by"),
                )
            },
        ),
    )
    inlines = (ProgramInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkPlan]:
        return super().get_queryset(request).annotate(total=Sum("programs__activities__budget"))

    @admin.display(description=_("total budget (Rp)"), ordering="total")
    def total_budget(self, obj: WorkPlan) -> Any:
        return obj.total  # type: ignore[attr-defined]


class ActivitySummaryInline(ViewOnlyAdminMixin, admin.TabularInline):
    """The program's activities at a glance; each opens on its own page."""

    model = Activity
    fields = ("code", "name", "budget", "funding_source", "kelurahan", "version")
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Activity]:
        return super().get_queryset(request).select_related("program", "kelurahan")


@admin.register(Program)
class ProgramAdmin(PlanContentAdmin):
    list_display = ("code", "name", "work_plan", "activity_count", "total_budget", "version")
    list_display_links = ("code", "name")
    list_filter = ("work_plan__year", "work_plan__status", "work_plan__opd__region")
    search_fields = (
        "code",
        "name",
        "outcome_indicator",
        "work_plan__opd__code",
        "work_plan__opd__name",
        "work_plan__opd__short_name",
    )
    ordering = ("-work_plan__year", "work_plan__opd__code", "code")
    list_select_related = ("work_plan__opd",)
    fields = (
        "work_plan",
        "code",
        "name",
        "outcome_indicator",
        "outcome_target",
        "outcome_unit",
        "version",
    )
    inlines = (ActivitySummaryInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Program]:
        return (
            super()
            .get_queryset(request)
            .annotate(activity_count=Count("activities"), total=Sum("activities__budget"))
        )

    @admin.display(description=_("activities"), ordering="activity_count")
    def activity_count(self, obj: Program) -> int:
        return obj.activity_count  # type: ignore[attr-defined]

    @admin.display(description=_("total budget (Rp)"), ordering="total")
    def total_budget(self, obj: Program) -> Any:
        return obj.total  # type: ignore[attr-defined]


class ExpectedContributionInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = ExpectedContribution
    fields = ("indicator", "amount")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[ExpectedContribution]:
        return super().get_queryset(request).select_related("activity", "indicator")


class RealisationSummaryInline(ViewOnlyAdminMixin, admin.TabularInline):
    """The activity's quarters at a glance; each opens on its own page."""

    model = Realisation
    fields = ("quarter", "budget_spent", "output_achieved", "version")
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Realisation]:
        return super().get_queryset(request).select_related("activity")


class WorkPlanColumnsMixin:
    """OPD and year columns for rows that hang below a work plan; ``work_plan_path`` leads to it."""

    work_plan_path = ""

    def _work_plan(self, obj: Any) -> WorkPlan:
        for step in self.work_plan_path.split("__"):
            obj = getattr(obj, step)
        return obj

    @admin.display(description=_("OPD"))
    def opd(self, obj: Any) -> Opd:
        return self._work_plan(obj).opd

    @admin.display(description=_("year"))
    def year(self, obj: Any) -> str:
        # A display callable's value goes through display_for_value, not display_for_field,
        # so targets.admin_figures' patch never sees it: an int would read "2.018" under
        # USE_THOUSAND_SEPARATOR.
        return str(self._work_plan(obj).year)


@admin.register(Activity)
class ActivityAdmin(WorkPlanColumnsMixin, PlanContentAdmin):
    work_plan_path = "program__work_plan"
    list_display = (
        "code",
        "name",
        "opd",
        "year",
        "budget",
        "funding_source",
        "kelurahan",
        "version",
    )
    list_display_links = ("code", "name")
    list_filter = (
        "program__work_plan__year",
        "program__work_plan__status",
        "funding_source",
        "program__work_plan__opd__region",
        "kelurahan__kecamatan",
    )
    search_fields = (
        "code",
        "name",
        "output_indicator",
        "target_group",
        "program__code",
        "program__name",
        "program__work_plan__opd__name",
        "program__work_plan__opd__short_name",
    )
    ordering = ("-program__work_plan__year", "program__work_plan__opd__code", "code")
    list_select_related = ("program__work_plan__opd", "kelurahan")
    fieldsets = (
        (None, {"fields": ("program", "code", "name", "version")}),
        (_("Output"), {"fields": ("output_indicator", ("output_target", "output_unit"))}),
        (
            _("Budget and place"),
            {"fields": ("budget", "funding_source", "kelurahan", "target_group")},
        ),
        (_("Forward estimate"), {"fields": (("next_year_target", "next_year_budget"),)}),
        (_("Notes"), {"fields": ("notes",)}),
    )
    inlines = (ExpectedContributionInline, RealisationSummaryInline)


@admin.register(ExpectedContribution)
class ExpectedContributionAdmin(WorkPlanColumnsMixin, PlanContentAdmin):
    work_plan_path = "activity__program__work_plan"
    list_display = ("activity", "indicator_code", "amount", "opd", "year")
    list_filter = (
        "indicator__plan",
        "activity__program__work_plan__year",
        "activity__program__work_plan__opd__region",
    )
    search_fields = (
        "activity__code",
        "activity__name",
        "indicator__code",
        "indicator__name",
        "activity__program__work_plan__opd__name",
        "activity__program__work_plan__opd__short_name",
    )
    ordering = ("-activity__program__work_plan__year", "activity__code", "indicator__code")
    list_select_related = ("activity__program__work_plan__opd", "indicator")
    fields = ("activity", "indicator", "amount")

    @admin.display(description=_("indicator"), ordering="indicator__code")
    def indicator_code(self, obj: ExpectedContribution) -> str:
        return obj.indicator.code


class AchievedContributionInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = AchievedContribution
    fields = ("indicator", "amount")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[AchievedContribution]:
        return super().get_queryset(request).select_related("realisation__activity", "indicator")


@admin.register(Realisation)
class RealisationAdmin(WorkPlanColumnsMixin, PlanContentAdmin):
    work_plan_path = "activity__program__work_plan"
    list_display = (
        "__str__",
        "activity",
        "opd",
        "year",
        "quarter",
        "budget_spent",
        "output_achieved",
        "version",
    )
    list_filter = (
        "quarter",
        "activity__program__work_plan__year",
        "activity__program__work_plan__opd__region",
    )
    search_fields = (
        "activity__code",
        "activity__name",
        "activity__program__work_plan__opd__name",
        "activity__program__work_plan__opd__short_name",
    )
    ordering = ("-activity__program__work_plan__year", "activity__code", "quarter")
    list_select_related = ("activity__program__work_plan__opd",)
    fields = ("activity", "quarter", ("budget_spent", "output_achieved"), "notes", "version")
    inlines = (AchievedContributionInline,)


@admin.register(AchievedContribution)
class AchievedContributionAdmin(WorkPlanColumnsMixin, PlanContentAdmin):
    work_plan_path = "realisation__activity__program__work_plan"
    list_display = ("realisation", "indicator_code", "amount", "opd", "year")
    list_filter = (
        "realisation__quarter",
        "indicator__plan",
        "realisation__activity__program__work_plan__year",
    )
    search_fields = (
        "realisation__activity__code",
        "realisation__activity__name",
        "indicator__code",
        "indicator__name",
    )
    ordering = (
        "-realisation__activity__program__work_plan__year",
        "realisation__activity__code",
        "realisation__quarter",
        "indicator__code",
    )
    list_select_related = ("realisation__activity__program__work_plan__opd", "indicator")
    fields = ("realisation", "indicator", "amount")

    @admin.display(description=_("indicator"), ordering="indicator__code")
    def indicator_code(self, obj: AchievedContribution) -> str:
        return obj.indicator.code
