"""Admin for the OPDs and their members; the user admin is re-registered with an
OPD-membership inline, so users and their OPD roles are managed in one place.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from opd.models import (
    AreaStaff,
    BappedaRole,
    Opd,
    OpdMembership,
)
from targets.admin import (
    BaseAdmin,
)

User = get_user_model()


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


class UserBappedaRoleInline(admin.StackedInline):
    model = BappedaRole
    fields = ("region",)
    autocomplete_fields = ("region",)
    extra = 0
    max_num = 1
    can_delete = True


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


@admin.register(AreaStaff)
class AreaStaffAdmin(BaseAdmin):
    """Kelurahan and kecamatan staff: who records and verifies the aspirations of a place."""

    list_display = ("user", "user_full_name", "kelurahan", "kecamatan")
    list_filter = ("kecamatan", "kelurahan__kecamatan")
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "kelurahan__name",
        "kecamatan__name",
    )
    ordering = ("user__username", "pk")
    list_select_related = ("user", "kelurahan", "kecamatan")
    autocomplete_fields = ("user", "kelurahan", "kecamatan")
    fields = ("user", "kelurahan", "kecamatan")

    @admin.display(description=_("full name"), ordering="user__last_name")
    def user_full_name(self, obj: AreaStaff) -> str:
        return obj.user.get_full_name()


@admin.register(BappedaRole)
class BappedaRoleAdmin(BaseAdmin):
    """Which region each Bappeda user works for: a kota or kabupaten's Bappeda reviews its
    plans; a province's reads the regions under it."""

    list_display = ("user", "user_full_name", "region", "region_kind")
    list_filter = ("region__kind", "region")
    search_fields = ("user__username", "user__first_name", "user__last_name", "region__name")
    ordering = ("region__code", "user__username")
    list_select_related = ("user", "region")
    autocomplete_fields = ("user", "region")
    fields = ("user", "region")

    @admin.display(description=_("full name"), ordering="user__last_name")
    def user_full_name(self, obj: BappedaRole) -> str:
        return obj.user.get_full_name()

    @admin.display(description=_("kind"), ordering="region__kind")
    def region_kind(self, obj: BappedaRole) -> str:
        return obj.region.get_kind_display()


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Django's user admin with the user's OPD memberships inline and as a column."""

    inlines = (UserOpdMembershipInline, UserBappedaRoleInline)
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
