"""Admin for the community aspirations (usulan)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from opd.models import (
    Aspiration,
)
from targets.admin import (
    BaseAdmin,
)


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
