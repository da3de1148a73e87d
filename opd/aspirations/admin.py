"""Admin for the community aspirations (usulan) and their stage history.

An aspiration's intake data can be corrected here; its stage (status, recommended OPD,
rejection, activity) moves only through ``opd.aspirations.services``, which record each move as
an event, so those fields are read-only. Adding one here records it through the intake service
(reference number and intake event included). The events are view-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from opd.admin_base import ViewOnlyAdminMixin
from opd.aspirations import services
from opd.models import (
    Aspiration,
    AspirationEvent,
)
from targets.admin import (
    BaseAdmin,
)

STAGE_FIELDS = (
    "status",
    "recommended_opd",
    "rejection_code",
    "rejection_reason",
    "activity",
)


class AspirationEventInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = AspirationEvent
    fields = (
        "at",
        "kind",
        "from_status",
        "to_status",
        "year",
        "rejection_code",
        "note",
        "actor_name",
    )
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[AspirationEvent]:
        return super().get_queryset(request).select_related("aspiration")


@admin.register(Aspiration)
class AspirationAdmin(BaseAdmin):
    list_display = (
        "reference",
        "title",
        "forum",
        "year",
        "first_year",
        "kelurahan",
        "category",
        "priority",
        "received_on",
        "status",
        "recommended_opd",
        "activity",
        "is_demo",
    )
    list_display_links = ("reference", "title")
    list_filter = (
        "status",
        "forum",
        "category",
        "rejection_code",
        "year",
        "region",
        "kelurahan__kecamatan",
        "is_demo",
    )
    search_fields = ("reference", "title", "description", "proposer", "kelurahan__name")
    ordering = ("-received_on", "reference")
    list_select_related = ("kelurahan", "activity", "recommended_opd")
    autocomplete_fields = ("region", "kelurahan", "indicator")
    readonly_fields = ("reference", "first_year", *STAGE_FIELDS, "version")
    date_hierarchy = "received_on"
    inlines = (AspirationEventInline,)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "region",
                    "reference",
                    "forum",
                    ("year", "first_year"),
                    "kelurahan",
                    "received_on",
                )
            },
        ),
        (
            _("Proposal"),
            {"fields": ("title", "description", "category", "indicator", "priority")},
        ),
        (
            _("Proposer (private)"),
            {"fields": ("proposer", "proposer_kind", "proposer_contact")},
        ),
        (_("Stage"), {"fields": (*STAGE_FIELDS, "version")}),
        (None, {"fields": ("is_demo",)}),
    )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A recorded aspiration is read here and corrected on its portal page, through the
        service that checks the version the person saw and writes the history; the admin
        records new ones (through the intake service) and shows the rest."""
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:  # not offered (has_change_permission); refused rather than saved around
            raise PermissionDenied
        values = {
            name: form.cleaned_data[name]
            for name in services.INTAKE_FIELDS
            if name in form.cleaned_data
        }
        created = services.aspiration_create(by=request.user, values=values)
        if form.cleaned_data.get("is_demo"):
            Aspiration.objects.filter(pk=created.pk).update(is_demo=True)
        obj.pk = created.pk
        obj.refresh_from_db()


@admin.register(AspirationEvent)
class AspirationEventAdmin(ViewOnlyAdminMixin, BaseAdmin):
    list_display = ("at", "aspiration", "kind", "from_status", "to_status", "year", "actor_name")
    list_display_links = ("at", "aspiration")
    list_filter = ("kind", "to_status", "rejection_code", "year")
    search_fields = ("aspiration__reference", "actor_name", "note")
    ordering = ("-at", "-pk")
    list_select_related = ("aspiration",)
    date_hierarchy = "at"
    fields = (
        "aspiration",
        "at",
        "kind",
        ("from_status", "to_status"),
        "year",
        "rejection_code",
        "note",
        ("actor", "actor_name"),
    )
