"""Admin for the nomenclature: versions can be corrected here (their span checked against the
others'); their codes and the crosswalk are loaded from CSV with ``manage.py
load_nomenclature`` and ``load_crosswalk`` and only viewed here."""

from __future__ import annotations

from django.contrib import admin

from opd.admin_base import ViewOnlyAdminMixin
from opd.models import Crosswalk, NomenclatureCode, NomenclatureVersion
from targets.admin import BaseAdmin


@admin.register(NomenclatureVersion)
class NomenclatureVersionAdmin(BaseAdmin):
    list_display = ("name", "regulation", "first_year", "last_year")
    search_fields = ("name", "regulation")
    ordering = ("first_year",)


@admin.register(NomenclatureCode)
class NomenclatureCodeAdmin(ViewOnlyAdminMixin, BaseAdmin):
    list_display = ("code", "kind", "name", "version")
    list_filter = ("version", "kind")
    search_fields = ("code", "name")
    list_select_related = ("version",)


@admin.register(Crosswalk)
class CrosswalkAdmin(ViewOnlyAdminMixin, BaseAdmin):
    list_display = ("old", "old_version", "new", "new_version")
    list_filter = ("old__version", "new__version")
    search_fields = ("old__code", "new__code")
    list_select_related = ("old__version", "new__version")

    @admin.display(description=NomenclatureCode._meta.get_field("version").verbose_name)
    def old_version(self, row: Crosswalk) -> str:
        return row.old.version.name

    @admin.display(description=NomenclatureCode._meta.get_field("version").verbose_name)
    def new_version(self, row: Crosswalk) -> str:
        return row.new.version.name
