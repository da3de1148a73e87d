"""Admin for the API clients (view-only: created and revoked with the management commands)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from opd.admin_base import ViewOnlyAdminMixin
from opd.clients import services as client_services
from opd.models import (
    ApiClient,
)
from targets.admin import (
    BaseAdmin,
)


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
                client_services.api_client_revoke(name=name)
        self.message_user(
            request, _("Revoked: %(names)s.") % {"names": ", ".join(names)}, messages.SUCCESS
        )
