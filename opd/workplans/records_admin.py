"""Admin for the deadlines, the reminders sent, the review comments and the audit trail (view-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from opd.admin_base import ViewOnlyAdminMixin
from opd.models import (
    AuditEntry,
    DeadlineReminder,
    ReviewComment,
    SubmissionDeadline,
)
from opd.workplans.history import change_lines
from targets.admin import (
    BaseAdmin,
    short,
)


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
        lines = change_lines(obj.object_type, obj.changes)
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) or "–"
