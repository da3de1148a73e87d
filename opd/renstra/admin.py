"""Admin for the Renstra: view-only like the Renja's content (edited through the services, which
check the workflow, refuse stale edits and write the trail). A line's yearly targets and budgets
are shown inline on its page. Changelists select what they show in one query."""

from __future__ import annotations

from django.contrib import admin

from opd.admin_base import PlanContentAdmin, ViewOnlyAdminMixin
from opd.models import (
    Renstra,
    RenstraActivity,
    RenstraActivityYear,
    RenstraAuditEntry,
    RenstraProgram,
    RenstraProgramYear,
)
from targets.admin import BaseAdmin


class RenstraProgramInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = RenstraProgram
    fields = ("code", "name", "outcome_indicator", "outcome_unit", "indicator", "version")
    extra = 0
    show_change_link = True


class ProgramYearInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = RenstraProgramYear
    fields = ("year", "target", "budget")
    extra = 0


class ActivityYearInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = RenstraActivityYear
    fields = ("year", "target")
    extra = 0


@admin.register(Renstra)
class RenstraAdmin(PlanContentAdmin):
    list_display = ("__str__", "opd", "plan", "status", "submitted_at", "reviewed_at", "version")
    list_filter = ("status", "plan", "opd__region", "is_demo")
    search_fields = ("opd__code", "opd__name", "opd__short_name")
    list_select_related = ("opd", "plan")
    fieldsets = (
        (None, {"fields": ("opd", "plan", "is_demo", "version")}),
        (
            None,
            {
                "fields": (
                    "status",
                    ("submitted_at", "submitted_by"),
                    ("reviewed_at", "reviewed_by"),
                )
            },
        ),
    )
    inlines = [RenstraProgramInline]


@admin.register(RenstraProgram)
class RenstraProgramAdmin(PlanContentAdmin):
    list_display = ("code", "name", "renstra", "outcome_indicator", "outcome_unit", "indicator")
    list_filter = ("renstra__plan", "renstra__status")
    search_fields = ("code", "name", "renstra__opd__name")
    list_select_related = ("renstra__opd", "renstra__plan", "indicator")
    fields = (
        "renstra",
        "code",
        "name",
        "outcome_indicator",
        "outcome_unit",
        "indicator",
        "version",
    )
    inlines = [ProgramYearInline]


@admin.register(RenstraActivity)
class RenstraActivityAdmin(PlanContentAdmin):
    list_display = ("code", "name", "program", "output_indicator", "output_unit")
    list_filter = ("program__renstra__plan", "program__renstra__status")
    search_fields = ("code", "name", "program__code")
    list_select_related = ("program",)
    fields = ("program", "code", "name", "output_indicator", "output_unit", "version")
    inlines = [ActivityYearInline]


@admin.register(RenstraAuditEntry)
class RenstraAuditEntryAdmin(ViewOnlyAdminMixin, BaseAdmin):
    list_display = ("at", "renstra", "action", "object_label", "actor_name")
    list_filter = ("action", "object_type")
    search_fields = ("object_label", "actor_name", "renstra__opd__name")
    list_select_related = ("renstra__opd", "renstra__plan")
    date_hierarchy = "at"
