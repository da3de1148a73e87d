"""Admin for the OPDs, their work plans (Renja), realisations, aspirations and snapshots.

Changelists select what they show in one query (``list_select_related`` and
annotations), foreign keys are autocompletes, and the user admin is
re-registered with an OPD-membership inline, so users and their OPD roles are
managed in one place.

Work plans and everything in them (programs, activities, contributions,
realisations) are only *shown* here: every change to a plan goes through
``opd.services`` from the portal (/renja/), which checks the workflow, refuses
stale edits and writes the audit trail. The audit trail, review comments and
reminders are records of what happened, and contribution snapshots are written
by the computation only: all of them are view-only and cannot be deleted.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from opd import services, snapshots
from opd.history import describe
from opd.models import (
    AchievedContribution,
    Activity,
    ApiClient,
    Aspiration,
    AuditEntry,
    ContributionRow,
    ContributionSnapshot,
    DeadlineReminder,
    ExpectedContribution,
    Opd,
    OpdMembership,
    Program,
    Realisation,
    ReviewComment,
    SubmissionDeadline,
    WorkPlan,
)
from targets.admin import (
    ActualAdmin,
    BaseAdmin,
    IndicatorAdmin,
    PopulationAdmin,
    TargetAdmin,
    short,
)
from targets.models import Actual, Indicator, Population, Target

User = get_user_model()


class ViewOnlyAdminMixin:
    """Rows are shown, never added, changed or deleted here (for model admins and inlines)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


PORTAL_NOTE = _(
    "Plan content is edited in the portal (/renja/), where every change is versioned "
    "and audited. Here it can only be viewed."
)


class PlanContentAdmin(ViewOnlyAdminMixin, BaseAdmin):
    """A work plan or a row inside one: view-only, with a note pointing to the portal.

    The note stands under the changelist's heading (not as Django's subtitle, which would
    also fill the page's <title>) and describes the change page's first fieldset.
    """

    change_list_template = "admin/opd/plan_content_change_list.html"

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> Any:
        return super().changelist_view(
            request, {"portal_note": PORTAL_NOTE, **(extra_context or {})}
        )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if fieldsets:
            name, options = fieldsets[0]
            fieldsets[0] = (name, {**options, "description": PORTAL_NOTE})
        return fieldsets


# --- OPDs and their members ----------------------------------------------------------------------


class OpdMembershipInline(admin.TabularInline):
    model = OpdMembership
    fields = ("user", "role")
    autocomplete_fields = ("user",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[OpdMembership]:
        return super().get_queryset(request).select_related("user", "opd")


class UserOpdMembershipInline(admin.TabularInline):
    model = OpdMembership
    fk_name = "user"
    fields = ("opd", "role")
    autocomplete_fields = ("opd",)
    extra = 0
    verbose_name = _("OPD membership")
    verbose_name_plural = _("OPD memberships")

    def get_queryset(self, request: HttpRequest) -> QuerySet[OpdMembership]:
        return super().get_queryset(request).select_related("user", "opd")


@admin.register(Opd)
class OpdAdmin(BaseAdmin):
    list_display = (
        "code",
        "name",
        "short_name",
        "kind",
        "region",
        "member_count",
        "is_illustrative",
    )
    list_display_links = ("code", "name")
    list_filter = ("region", "kind", "is_illustrative")
    search_fields = ("code", "name", "short_name")
    ordering = ("region__code", "code")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    fields = ("region", "code", "name", "short_name", "kind", "is_illustrative")
    inlines = (OpdMembershipInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Opd]:
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj: Opd) -> int:
        return obj.member_count  # type: ignore[attr-defined]


@admin.register(OpdMembership)
class OpdMembershipAdmin(BaseAdmin):
    list_display = ("user", "user_full_name", "opd", "role")
    list_filter = ("role", "opd__region", "opd__kind")
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "opd__code",
        "opd__name",
        "opd__short_name",
    )
    ordering = ("opd__region__code", "opd__code", "role", "user__username")
    list_select_related = ("user", "opd")
    autocomplete_fields = ("opd", "user")

    @admin.display(description=_("full name"), ordering="user__last_name")
    def user_full_name(self, obj: OpdMembership) -> str:
        return obj.user.get_full_name()


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Django's user admin with the user's OPD memberships inline and as a column."""

    inlines = (UserOpdMembershipInline,)
    list_display = (*UserAdmin.list_display, "opd_list")  # type: ignore[misc]
    list_filter = (*UserAdmin.list_filter, "opd_memberships__role", "opds")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).prefetch_related("opd_memberships__opd")

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        # The add page is Django's two-step form (username and password first).
        return self.inlines if obj is not None else ()

    @admin.display(description=_("OPDs"))
    def opd_list(self, obj: Any) -> str:
        return ", ".join(
            f"{membership.opd} ({membership.get_role_display()})"
            for membership in obj.opd_memberships.all()
        )


# --- work plans (Renja): view-only, edited in the portal -----------------------------------------


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


# --- activities and their contributions (view-only) ----------------------------------------------


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


# --- aspirations (usulan) ------------------------------------------------------------------------


class AspirationForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("status")
        if status == Aspiration.Status.REJECTED and not cleaned.get("rejection_reason"):
            self.add_error("rejection_reason", _("Give the reason for the rejection."))
        if status == Aspiration.Status.ACCEPTED and not cleaned.get("activity"):
            self.add_error("activity", _("Choose the activity that took the proposal up."))
        return cleaned


@admin.register(Aspiration)
class AspirationAdmin(BaseAdmin):
    form = AspirationForm
    list_display = (
        "reference",
        "title",
        "forum",
        "year",
        "kelurahan",
        "proposer",
        "received_on",
        "status",
        "activity",
        "is_demo",
    )
    list_display_links = ("reference", "title")
    list_filter = ("status", "forum", "year", "region", "kelurahan__kecamatan", "is_demo")
    search_fields = ("reference", "title", "description", "proposer", "kelurahan__name")
    ordering = ("-received_on", "reference")
    list_select_related = ("kelurahan", "activity")
    autocomplete_fields = ("region", "kelurahan", "activity")
    date_hierarchy = "received_on"
    fieldsets = (
        (None, {"fields": ("region", "reference", "forum", "year", "kelurahan", "received_on")}),
        (_("Proposal"), {"fields": ("title", "description", "proposer")}),
        (_("Outcome"), {"fields": ("status", "rejection_reason", "activity")}),
        (None, {"fields": ("is_demo",)}),
    )


# --- contribution snapshots (written by the computation only) ------------------------------------


SNAPSHOT_ROW_FIELDS = (
    "opd",
    "work_plan_status",
    "planned_submitted",
    "planned_approved",
    "planned",
    "achieved",
    "share",
    "aligned_budget",
    "total_budget",
    "alignment",
    "cost_per_person",
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


# --- submission deadlines and the reminders sent about them -------------------------------------


class DeadlineReminderInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = DeadlineReminder
    fields = ("opd", "days_before", "sent_at", "recipients")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[DeadlineReminder]:
        return super().get_queryset(request).select_related("deadline__region", "opd")


@admin.register(SubmissionDeadline)
class SubmissionDeadlineAdmin(BaseAdmin):
    list_display = ("region", "year", "due_date", "set_by", "set_at")
    list_display_links = ("region", "year")
    list_filter = ("region", "year")
    search_fields = ("region__name", "region__code")
    ordering = ("region__code", "-year")
    list_select_related = ("region", "set_by")
    autocomplete_fields = ("region",)
    fields = ("region", "year", "due_date", "set_by", "set_at")
    readonly_fields = ("set_by", "set_at")
    inlines = (DeadlineReminderInline,)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.set_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(DeadlineReminder)
class DeadlineReminderAdmin(ViewOnlyAdminMixin, BaseAdmin):
    list_display = ("sent_at", "deadline", "opd", "days_before", "recipients_short")
    list_display_links = ("sent_at", "deadline")
    list_filter = ("days_before", "deadline__year", "deadline__region")
    search_fields = ("opd__name", "opd__short_name", "opd__code", "recipients")
    ordering = ("-sent_at", "-pk")
    list_select_related = ("deadline__region", "opd")
    date_hierarchy = "sent_at"
    fields = ("deadline", "opd", "days_before", "sent_at", "recipients")

    @admin.display(description=_("recipients"), ordering="recipients")
    def recipients_short(self, obj: DeadlineReminder) -> str:
        return short(obj.recipients, 6)


# --- the review and the audit trail (records of what happened: view-only) -----------------------


@admin.register(ReviewComment)
class ReviewCommentAdmin(ViewOnlyAdminMixin, BaseAdmin):
    list_display = ("created_at", "work_plan", "activity", "kind", "text_short", "author")
    list_display_links = ("created_at", "text_short")
    list_filter = ("kind", "work_plan__year", "work_plan__opd__region")
    search_fields = (
        "text",
        "work_plan__opd__code",
        "work_plan__opd__name",
        "work_plan__opd__short_name",
        "author__username",
    )
    ordering = ("-created_at", "-pk")
    list_select_related = ("work_plan__opd", "activity", "author")
    date_hierarchy = "created_at"
    fields = ("work_plan", "activity", "kind", "text", "author", "created_at")

    @admin.display(description=_("comment"), ordering="text")
    def text_short(self, obj: ReviewComment) -> str:
        return short(obj.text)


def audit_change_lines(object_type: str, changes: Any) -> list[str]:
    """``changes`` of an audit entry as "field: old → new" lines, rendered like the plan's
    history page (``opd.history``): labels and figures in the admin's language."""
    if not isinstance(changes, dict):
        return [] if changes in (None, "", []) else [_raw_value(changes)]
    lines = [
        f"{change.label}: {change.old or '—'} → {change.new or '—'}"
        for change in sorted(describe(object_type, changes), key=lambda change: change.field)
    ]
    # A value the services never write (hand-edited data): shown, not dropped.
    lines += [
        f"{name}: {_raw_value(value)}"
        for name, value in sorted(changes.items())
        if not isinstance(value, dict)
    ]
    return lines


def _raw_value(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


@admin.register(AuditEntry)
class AuditEntryAdmin(ViewOnlyAdminMixin, BaseAdmin):
    list_display = ("at", "actor_name", "action", "object_label", "work_plan")
    list_display_links = ("at", "object_label")
    list_filter = ("action", "object_type")
    search_fields = ("object_label", "actor_name", "note")
    ordering = ("-at", "-pk")
    list_select_related = ("work_plan__opd",)
    date_hierarchy = "at"
    fields = (
        "at",
        ("actor", "actor_name"),
        "action",
        "work_plan",
        "plan_version",
        ("object_type", "object_id", "object_label"),
        "version",
        "changes_display",
        "note",
    )
    readonly_fields = ("changes_display",)

    @admin.display(description=_("changes"))
    def changes_display(self, obj: AuditEntry) -> str:
        lines = audit_change_lines(obj.object_type, obj.changes)
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) or "–"


@admin.register(ApiClient)
class ApiClientAdmin(ViewOnlyAdminMixin, BaseAdmin):
    """API clients are created with ``manage.py api_client_create`` (the token is shown once
    there); here they are listed and revoked."""

    list_display = ("name", "scope", "opd", "token_prefix", "created_at", "revoked_at")
    list_filter = ("scope", "opd", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "token_prefix", "opd__name")
    ordering = ("name",)
    list_select_related = ("opd",)
    fields = ("name", "scope", "opd", "user", "token_prefix", "created_at", "revoked_at")
    actions = ("revoke",)

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    @admin.action(description=_("Revoke the selected clients' tokens"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        names = list(queryset.values_list("name", flat=True))
        with transaction.atomic():
            for name in names:
                services.api_client_revoke(name=name)
        self.message_user(
            request, _("Revoked: %(names)s.") % {"names": ", ".join(names)}, messages.SUCCESS
        )


# --- the plan's figures feed the contribution engine ---------------------------------------------


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
        snapshots.mark_pairs_dirty(before | self.pairs(obj))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        snapshots.mark_pairs_dirty(self.pairs(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # The delete action runs outside a transaction: the flags and the delete commit
        # together, or a recomputation could clear the flags before the rows are gone.
        with transaction.atomic():
            pairs: set[tuple[int, int]] = set()
            for obj in queryset:
                pairs |= self.pairs(obj)
            snapshots.mark_pairs_dirty(pairs)
            super().delete_queryset(request, queryset)


class ContributionIndicatorAdmin(MarksContributionsDirty, IndicatorAdmin):
    def pairs(self, obj: Indicator) -> set[tuple[int, int]]:
        return snapshots.pairs_for_indicator(obj)


class ContributionTargetAdmin(MarksContributionsDirty, TargetAdmin):
    def pairs(self, obj: Target) -> set[tuple[int, int]]:
        return snapshots.pairs_for_indicator(obj.indicator)


class ContributionActualAdmin(MarksContributionsDirty, ActualAdmin):
    def pairs(self, obj: Actual) -> set[tuple[int, int]]:
        return snapshots.pairs_for_indicator(obj.indicator)


class ContributionPopulationAdmin(MarksContributionsDirty, PopulationAdmin):
    def pairs(self, obj: Population) -> set[tuple[int, int]]:
        return snapshots.pairs_for_region(obj.region_id, obj.year)


for _model, _model_admin in (
    (Indicator, ContributionIndicatorAdmin),
    (Target, ContributionTargetAdmin),
    (Actual, ContributionActualAdmin),
    (Population, ContributionPopulationAdmin),
):
    admin.site.unregister(_model)
    admin.site.register(_model, _model_admin)
