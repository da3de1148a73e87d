"""Admin for the region, its RPJMD plan and the plan's numbers.

Every changelist selects the rows it shows in one query (``list_select_related``
covers what ``__str__`` and the columns follow), and every foreign key to a
large table is an autocomplete, so no page runs a query per row. The mixins
here are shared with the opd rooms' admins (``opd`` may import ``targets``, never
the other way round).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from targets.admin_figures import PLAIN_FIGURES
from targets.models import (
    Actual,
    Goal,
    Indicator,
    Kecamatan,
    Kelurahan,
    Mission,
    Objective,
    Plan,
    Population,
    PovertyFigure,
    Region,
    Target,
)

# --- shared helpers ------------------------------------------------------------------------------


def short(text: str, words: int = 12) -> str:
    """A long text cut to a changelist-friendly length."""
    return Truncator(text).words(words)


class RuleErrorsAsMessagesMixin:
    """Turn a refused save (a cross-row trigger rule) into an error message instead of a 500.

    The triggers of ``magelang.db_rules`` check rules that a form cannot see (a
    target's year inside its plan's period, a percentage within 0-100, ...). The
    admin saves inside a transaction, so the refused save is rolled back whole;
    the user is sent back to the form with the rule's message.
    """

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(  # type: ignore[misc]
                request, object_id, form_url, extra_context
            )
        except IntegrityError as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
            self.message_user(  # type: ignore[attr-defined]
                request,
                _("The change was not saved because it breaks a data rule: %(reason)s")
                % {"reason": reason},
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())


class BaseAdmin(RuleErrorsAsMessagesMixin, admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False
    formfield_overrides = PLAIN_FIGURES


# --- region and its places -----------------------------------------------------------------------


class KecamatanInline(admin.TabularInline):
    model = Kecamatan
    fields = ("code", "name")
    extra = 0
    show_change_link = True


class KelurahanInline(admin.TabularInline):
    model = Kelurahan
    fields = ("code", "name")
    extra = 0
    show_change_link = True


@admin.register(Region)
class RegionAdmin(BaseAdmin):
    list_display = ("code", "name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    ordering = ("code",)
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    inlines = (KecamatanInline,)


@admin.register(Kecamatan)
class KecamatanAdmin(BaseAdmin):
    list_display = ("code", "name", "region")
    list_filter = ("region",)
    search_fields = ("code", "name", "region__name")
    ordering = ("code",)
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    inlines = (KelurahanInline,)


@admin.register(Kelurahan)
class KelurahanAdmin(BaseAdmin):
    list_display = ("code", "name", "kecamatan", "region")
    list_filter = ("kecamatan__region", "kecamatan")
    search_fields = ("code", "name", "kecamatan__name")
    ordering = ("code",)
    list_select_related = ("kecamatan__region",)
    autocomplete_fields = ("kecamatan",)

    @admin.display(description=_("region"), ordering="kecamatan__region__name")
    def region(self, obj: Kelurahan) -> Region:
        return obj.kecamatan.region


@admin.register(Population)
class PopulationAdmin(BaseAdmin):
    list_display = ("region", "year", "value", "source_short")
    list_filter = ("region", "year")
    search_fields = ("region__name", "region__code", "source")
    ordering = ("region__code", "-year")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)

    @admin.display(description=_("source"), ordering="source")
    def source_short(self, obj: Population) -> str:
        return short(obj.source)


@admin.register(PovertyFigure)
class PovertyFigureAdmin(BaseAdmin):
    list_display = ("region", "year", "measure", "value", "released_on", "source_short")
    list_display_links = ("year", "measure")
    list_filter = ("region", "measure", "year")
    search_fields = ("region__name", "region__code", "source")
    ordering = ("region__code", "-year", "measure")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    fields = ("region", ("year", "measure"), "value", "source", "released_on")

    @admin.display(description=_("source"), ordering="source")
    def source_short(self, obj: PovertyFigure) -> str:
        return short(obj.source)


# --- the plan's cascade --------------------------------------------------------------------------


class MissionInline(admin.StackedInline):
    model = Mission
    fields = ("number", "text")
    extra = 0
    show_change_link = True


class GoalInline(admin.StackedInline):
    model = Goal
    fields = ("number", "text")
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Goal]:
        return super().get_queryset(request).select_related("mission")


class ObjectiveInline(admin.StackedInline):
    model = Objective
    fields = ("number", "text")
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(BaseAdmin):
    list_display = ("name", "region", "first_year", "last_year")
    list_filter = ("region",)
    search_fields = ("name", "vision", "region__name")
    ordering = ("region__code", "-first_year")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    fields = ("region", "name", ("first_year", "last_year"), "vision", "source")
    inlines = (MissionInline,)


@admin.register(Mission)
class MissionAdmin(BaseAdmin):
    list_display = ("number", "text_short", "plan")
    list_display_links = ("number", "text_short")
    list_filter = ("plan",)
    search_fields = ("text",)
    ordering = ("plan__region__code", "plan__first_year", "number")
    list_select_related = ("plan",)
    autocomplete_fields = ("plan",)
    inlines = (GoalInline,)

    @admin.display(description=_("text"), ordering="text")
    def text_short(self, obj: Mission) -> str:
        return short(obj.text)


@admin.register(Goal)
class GoalAdmin(BaseAdmin):
    list_display = ("number_label", "text_short", "mission_number", "plan")
    list_display_links = ("number_label", "text_short")
    list_filter = ("mission__plan",)
    search_fields = ("text", "mission__text")
    ordering = (
        "mission__plan__region__code",
        "mission__plan__first_year",
        "mission__number",
        "number",
    )
    list_select_related = ("mission__plan",)
    autocomplete_fields = ("mission",)
    inlines = (ObjectiveInline,)

    @admin.display(description=_("number"), ordering="number")
    def number_label(self, obj: Goal) -> str:
        return f"{obj.mission.number}.{obj.number}"

    @admin.display(description=_("text"), ordering="text")
    def text_short(self, obj: Goal) -> str:
        return short(obj.text)

    @admin.display(description=_("mission"), ordering="mission__number")
    def mission_number(self, obj: Goal) -> int:
        return obj.mission.number

    @admin.display(description=_("plan"), ordering="mission__plan")
    def plan(self, obj: Goal) -> Plan:
        return obj.mission.plan


@admin.register(Objective)
class ObjectiveAdmin(BaseAdmin):
    list_display = ("number_label", "text_short", "goal_short", "plan")
    list_display_links = ("number_label", "text_short")
    list_filter = ("goal__mission__plan",)
    search_fields = ("text", "goal__text")
    ordering = (
        "goal__mission__plan__region__code",
        "goal__mission__plan__first_year",
        "goal__mission__number",
        "goal__number",
        "number",
    )
    list_select_related = ("goal__mission__plan",)
    autocomplete_fields = ("goal",)

    @admin.display(description=_("number"), ordering="number")
    def number_label(self, obj: Objective) -> str:
        return f"{obj.goal.mission.number}.{obj.goal.number}.{obj.number}"

    @admin.display(description=_("text"), ordering="text")
    def text_short(self, obj: Objective) -> str:
        return short(obj.text)

    @admin.display(description=_("goal"), ordering="goal__text")
    def goal_short(self, obj: Objective) -> str:
        return short(obj.goal.text, 8)

    @admin.display(description=_("plan"), ordering="goal__mission__plan")
    def plan(self, obj: Objective) -> Plan:
        return obj.goal.mission.plan


# --- indicators and their figures ----------------------------------------------------------------


class TargetInline(admin.TabularInline):
    model = Target
    formfield_overrides = PLAIN_FIGURES
    fields = ("year", "value", "source")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Target]:
        return super().get_queryset(request).select_related("indicator")

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "source":
            kwargs["widget"] = forms.TextInput(attrs={"size": 40})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ActualInline(admin.TabularInline):
    model = Actual
    formfield_overrides = PLAIN_FIGURES
    fields = ("year", "value", "source", "kecamatan", "kelurahan")
    autocomplete_fields = ("kecamatan", "kelurahan")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Actual]:
        return super().get_queryset(request).select_related("indicator", "kecamatan", "kelurahan")

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "source":
            kwargs["widget"] = forms.TextInput(attrs={"size": 30})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Indicator)
class IndicatorAdmin(BaseAdmin):
    list_display = (
        "code",
        "name",
        "unit",
        "direction",
        "is_population_share",
        "baseline_year",
        "baseline_value",
        "plan",
    )
    list_display_links = ("code", "name")
    list_filter = ("plan", "direction", "is_population_share", "unit")
    search_fields = ("code", "name", "objective__text")
    ordering = ("plan__region__code", "plan__first_year", "code")
    list_select_related = ("plan",)
    autocomplete_fields = ("plan", "objective")
    fieldsets = (
        (None, {"fields": ("plan", "objective", "code", "name")}),
        (_("Measurement"), {"fields": ("unit", "direction", "is_population_share", "condition")}),
        (_("Baseline"), {"fields": (("baseline_year", "baseline_value"), "baseline_source")}),
        (_("Actuals"), {"fields": ("record_measure",)}),
    )
    inlines = (TargetInline, ActualInline)


@admin.register(Target)
class TargetAdmin(BaseAdmin):
    list_display = ("indicator_code", "indicator_name", "year", "value", "source_short")
    list_display_links = ("indicator_code", "year")
    list_filter = ("indicator__plan", "year", "indicator")
    search_fields = ("indicator__code", "indicator__name", "source")
    ordering = ("indicator__code", "year")
    list_select_related = ("indicator",)
    autocomplete_fields = ("indicator",)

    @admin.display(description=_("indicator"), ordering="indicator__code")
    def indicator_code(self, obj: Target) -> str:
        return obj.indicator.code

    @admin.display(description=_("name"), ordering="indicator__name")
    def indicator_name(self, obj: Target) -> str:
        return obj.indicator.name

    @admin.display(description=_("source"), ordering="source")
    def source_short(self, obj: Target) -> str:
        return short(obj.source)


@admin.register(Actual)
class ActualAdmin(BaseAdmin):
    list_display = (
        "indicator_code",
        "indicator_name",
        "year",
        "value",
        "kecamatan",
        "kelurahan",
        "source_short",
    )
    list_display_links = ("indicator_code", "year")
    list_filter = ("indicator__plan", "year", "indicator", "kecamatan")
    search_fields = (
        "indicator__code",
        "indicator__name",
        "source",
        "kecamatan__name",
        "kelurahan__name",
    )
    ordering = ("indicator__code", "year", "kecamatan__code", "kelurahan__code")
    list_select_related = ("indicator", "kecamatan", "kelurahan")
    autocomplete_fields = ("indicator", "kecamatan", "kelurahan")

    @admin.display(description=_("indicator"), ordering="indicator__code")
    def indicator_code(self, obj: Actual) -> str:
        return obj.indicator.code

    @admin.display(description=_("name"), ordering="indicator__name")
    def indicator_name(self, obj: Actual) -> str:
        return obj.indicator.name

    @admin.display(description=_("source"), ordering="source")
    def source_short(self, obj: Actual) -> str:
        return short(obj.source)
