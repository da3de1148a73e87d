"""Forms of the work-plan pages: they validate input; the views call the services."""

from __future__ import annotations

from decimal import Decimal
from itertools import groupby
from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from targets.models import Indicator, Kelurahan

from .models import Activity, Program, Realisation, WorkPlan

CONTRIBUTION_PREFIX = "contribution_"
MAX_PERSONS = Decimal("999999999999")


def _contribution_field(indicator: Indicator, *, label: str | None = None) -> forms.DecimalField:
    unit = _("persons") if indicator.is_population_share else indicator.unit
    return forms.DecimalField(
        label=label or f"{indicator.name} ({unit})",
        required=False,
        min_value=Decimal(0),
        max_value=MAX_PERSONS,
        max_digits=14,
        decimal_places=0 if indicator.is_population_share else 2,
        help_text=_("Leave empty when the activity does not contribute to this indicator."),
        localize=True,
    )


class ContributionFieldsMixin(forms.Form):
    """One amount field per indicator of the plan, named ``contribution_<indicator id>``."""

    indicators: list[Indicator]

    def add_contribution_fields(
        self, indicators: list[Indicator], initial: dict[int, Decimal]
    ) -> None:
        self.indicators = indicators
        for indicator in indicators:
            name = f"{CONTRIBUTION_PREFIX}{indicator.pk}"
            self.fields[name] = _contribution_field(indicator)
            if indicator.pk in initial:
                amount = initial[indicator.pk]
                if indicator.is_population_share and amount == amount.to_integral_value():
                    amount = amount.quantize(Decimal(1))  # whole persons: "40", not "40,00"
                self.initial[name] = amount

    def contribution_bound_fields(self) -> list[forms.BoundField]:
        return [self[f"{CONTRIBUTION_PREFIX}{i.pk}"] for i in self.indicators]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # A form ignores fields it does not know: without this a tampered
        # ``contribution_<id>`` of another plan's indicator would be dropped silently
        # while the rest of the form was saved.
        known = {f"{CONTRIBUTION_PREFIX}{indicator.pk}" for indicator in self.indicators}
        if any(key.startswith(CONTRIBUTION_PREFIX) and key not in known for key in self.data):
            raise forms.ValidationError(
                _("A contribution names an indicator of another plan."), code="foreign_indicator"
            )
        return cleaned

    def contributions(self) -> dict[int, Decimal | None]:
        return {
            i.pk: self.cleaned_data.get(f"{CONTRIBUTION_PREFIX}{i.pk}") for i in self.indicators
        }


def _not_negative(field: forms.Field) -> None:
    field.validators.append(MinValueValidator(Decimal(0)))
    field.widget.attrs["min"] = "0"


class VersionField(forms.IntegerField):
    def __init__(self) -> None:
        super().__init__(widget=forms.HiddenInput, required=False, min_value=1)


class ActivityForm(ContributionFieldsMixin, forms.ModelForm):  # type: ignore[type-arg]
    seen_version = VersionField()

    class Meta:
        model = Activity
        fields = (
            "program",
            "code",
            "name",
            "output_indicator",
            "output_target",
            "output_unit",
            "budget",
            "funding_source",
            "kelurahan",
            "target_group",
            "next_year_target",
            "next_year_budget",
            "notes",
        )
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        localized_fields = ("output_target", "budget", "next_year_target", "next_year_budget")

    def __init__(self, *args: Any, work_plan: WorkPlan, indicators: list[Indicator], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.work_plan = work_plan
        program = self.fields["program"]
        program.queryset = Program.objects.filter(work_plan=work_plan)  # type: ignore[attr-defined]
        program.empty_label = None  # type: ignore[attr-defined]
        # A ModelChoiceField validates against its queryset, not the choices shown:
        # restrict both, or another region's kelurahan would pass the form.
        place = self.fields["kelurahan"]
        place.queryset = Kelurahan.objects.filter(kecamatan__region_id=work_plan.opd.region_id)  # type: ignore[attr-defined]
        place.choices = kelurahan_choices(work_plan.opd.region_id)  # type: ignore[attr-defined]
        for name in ("budget", "next_year_budget", "output_target", "next_year_target"):
            _not_negative(self.fields[name])
        # The checklist, not the form, insists on these: a draft may be saved incomplete.
        for name in (
            "output_indicator",
            "target_group",
            "funding_source",
            "kelurahan",
            "output_target",
        ):
            self.fields[name].required = False
        initial = {}
        if self.instance.pk:
            self.initial["seen_version"] = self.instance.version
            initial = {c.indicator_id: c.amount for c in self.instance.expected_contributions.all()}
        self.add_contribution_fields(indicators, initial)

    def activity_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.Meta.fields]


def kelurahan_choices(region_id: int) -> list[Any]:
    """The region's kelurahan grouped by kecamatan, for a <select> with <optgroup>s."""
    places = Kelurahan.objects.filter(kecamatan__region_id=region_id).select_related("kecamatan")
    places = places.order_by("kecamatan__name", "name")
    return [("", "—")] + [
        (kecamatan, [(k.pk, k.name) for k in group])
        for kecamatan, group in groupby(places, key=lambda k: k.kecamatan.name)
    ]


class ProgramForm(forms.ModelForm):  # type: ignore[type-arg]
    seen_version = VersionField()

    class Meta:
        model = Program
        fields = ("code", "name", "outcome_indicator")

    def __init__(self, *args: Any, work_plan: WorkPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.work_plan = work_plan
        if self.instance.pk:
            self.initial["seen_version"] = self.instance.version


class PlanActionForm(forms.Form):
    """Submit, approve: only the version the person saw."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReturnForm(PlanActionForm):
    comment = forms.CharField(
        label=_("Comment on the plan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Say what the OPD must fix before submitting again."),
    )

    def __init__(self, *args: Any, activities: list[Activity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.activities = activities
        for activity in activities:
            self.fields[f"activity_{activity.pk}"] = forms.CharField(
                label=f"{activity.code} {activity.name}",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 1}),
            )

    def activity_fields(self) -> list[forms.BoundField]:
        return [self[f"activity_{a.pk}"] for a in self.activities]

    def activity_comments(self) -> dict[int, str]:
        return {a.pk: self.cleaned_data.get(f"activity_{a.pk}", "") for a in self.activities}


class ReopenForm(PlanActionForm):
    reason = forms.CharField(
        label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class RealisationForm(ContributionFieldsMixin, forms.ModelForm):  # type: ignore[type-arg]
    seen_version = VersionField()

    class Meta:
        model = Realisation
        fields = ("quarter", "budget_spent", "output_achieved", "notes")
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        localized_fields = ("budget_spent", "output_achieved")

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"] = forms.TypedChoiceField(
            label=_("Quarter"),
            choices=[(q, _("Quarter %(n)s") % {"n": q}) for q in range(1, 5)],
            coerce=int,
        )
        for name in ("budget_spent", "output_achieved"):
            _not_negative(self.fields[name])
        initial = {}
        if self.instance.pk:
            self.initial["seen_version"] = self.instance.version
            initial = {c.indicator_id: c.amount for c in self.instance.achieved_contributions.all()}
        self.add_contribution_fields(indicators, initial)

    def validate_unique(self) -> None:
        """The service decides between a new quarter and a correction; no unique check here."""


class DeadlineForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    due_date = forms.DateField(
        label=_("Submission deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )
