"""Forms of the work-plan pages: they validate input; the views call the services."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import partial
from itertools import groupby
from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from opd.digits import AMOUNT
from opd.errors import WorkflowError
from opd.models import (
    AchievedContribution,
    Activity,
    ExpectedContribution,
    Program,
    Realisation,
    WorkPlan,
)
from opd.workplans.conflict_forms import MergeOnConflictMixin
from opd.workplans.fields import MoneyField
from opd.workplans.link_forms import RenstraLineMixin
from opd.workplans.models import QUARTERS
from opd.workplans.renstra_lines import (
    ACTIVITY_LINK,
    PROGRAM_LINK,
    activity_choices,
    activity_lines,
    program_choices,
    program_lines,
)
from opd.workplans.validators import (
    FOREIGN_INDICATOR,
    OTHER_PLAN,
    OTHER_REGION,
    validate_contribution,
)
from targets.models import Indicator, Kelurahan

CONTRIBUTION_PREFIX = "contribution_"
EVIDENCE_PREFIX = "evidence_"
BASIS_PREFIX = "evidence_basis_"


def _contribution_field(indicator: Indicator, *, label: str | None = None) -> forms.DecimalField:
    """An amount field; its rules are the API's (``opd.workplans.validators``), digits as the database's.

    Labelled by what it counts ("Penduduk keluar dari kemiskinan (jiwa)"), the indicator
    named in the help text. Persons come whole: their field leaves the decimal places to
    the whole-persons rule, so "2,555" is told that, not how many decimals are allowed.
    """
    digits = {**AMOUNT, "decimal_places": None} if indicator.is_population_share else AMOUNT
    return forms.DecimalField(
        label=label or indicator.contribution_label(),
        required=False,
        **digits,
        validators=[partial(validate_contribution, indicator)],
        help_text=_("Indicator: %(name)s. Leave empty when the activity does not contribute to it.")
        % {"name": indicator.name},
        localize=True,
    )


class ContributionFieldsMixin(forms.Form):
    """One amount field per indicator of the plan, named ``contribution_<indicator id>``."""

    indicators: list[Indicator]

    def add_contribution_fields(
        self,
        indicators: list[Indicator],
        rows: Iterable[ExpectedContribution | AchievedContribution],
    ) -> None:
        self.indicators = indicators
        for indicator in indicators:
            self.fields[f"{CONTRIBUTION_PREFIX}{indicator.pk}"] = _contribution_field(indicator)
        for name, amount in self.contribution_values(rows).items():
            if amount is not None:
                self.initial[name] = amount

    def contribution_values(
        self, rows: Iterable[ExpectedContribution | AchievedContribution]
    ) -> dict[str, Decimal | None]:
        """The contribution fields' values for stored rows; None where there is no row."""
        amounts = {row.indicator_id: row.amount for row in rows}
        values: dict[str, Decimal | None] = {}
        for indicator in self.indicators:
            amount = amounts.get(indicator.pk)
            if (
                amount is not None
                and indicator.is_population_share
                and amount == amount.to_integral_value()
            ):
                amount = amount.quantize(Decimal(1))  # whole persons: "40", not "40,00"
            values[f"{CONTRIBUTION_PREFIX}{indicator.pk}"] = amount
        return values

    def contribution_names(self) -> list[str]:
        return [f"{CONTRIBUTION_PREFIX}{i.pk}" for i in self.indicators]

    def contribution_bound_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.contribution_names()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # A form ignores fields it does not know: without this a tampered
        # ``contribution_<id>`` of another plan's indicator would be dropped silently
        # while the rest of the form was saved.
        known = set(self.contribution_names())
        if any(key.startswith(CONTRIBUTION_PREFIX) and key not in known for key in self.data):
            raise forms.ValidationError(FOREIGN_INDICATOR, code="foreign_indicator")
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


# Each form's figures: typed and shown in the reader's locale, and never negative.
ACTIVITY_FIGURES = ("output_target", "budget", "next_year_target", "next_year_budget")
REALISATION_FIGURES = ("budget_spent", "output_achieved")


class ActivityForm(ContributionFieldsMixin, MergeOnConflictMixin, RenstraLineMixin):
    seen_version = VersionField()
    link_name = ACTIVITY_LINK

    class Meta:
        model = Activity
        fields = Activity.EDITABLE_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        localized_fields = ACTIVITY_FIGURES
        field_classes = {"budget": MoneyField, "next_year_budget": MoneyField}

    def __init__(self, *args: Any, work_plan: WorkPlan, indicators: list[Indicator], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.work_plan = work_plan
        program = self.fields["program"]
        program.queryset = Program.objects.filter(work_plan=work_plan)  # type: ignore[attr-defined]
        program.empty_label = None  # type: ignore[attr-defined]
        program.error_messages["invalid_choice"] = OTHER_PLAN
        # A ModelChoiceField validates against its queryset, not the choices shown:
        # restrict both, or another region's kelurahan would pass the form.
        place = self.fields["kelurahan"]
        place.queryset = Kelurahan.objects.filter(kecamatan__region_id=work_plan.opd.region_id)  # type: ignore[attr-defined]
        place.choices = kelurahan_choices(work_plan.opd.region_id)  # type: ignore[attr-defined]
        place.error_messages["invalid_choice"] = OTHER_REGION
        for name in ACTIVITY_FIGURES:
            _not_negative(self.fields[name])
        self.add_link_field(activity_lines(work_plan), activity_choices(work_plan))
        # The checklist, not the form, insists on these: a draft may be saved incomplete.
        for name in (
            "output_indicator",
            "target_group",
            "funding_source",
            "kelurahan",
            "output_target",
        ):
            self.fields[name].required = False
        rows: Iterable[ExpectedContribution] = ()
        if self.instance.pk:
            self.initial["seen_version"] = self.instance.version
            rows = list(self.instance.expected_contributions.all())
        self.add_contribution_fields(indicators, rows)
        self.add_evidence_fields(indicators, rows)
        self.add_merge_fields()

    def add_evidence_fields(
        self, indicators: list[Indicator], rows: Iterable[ExpectedContribution]
    ) -> None:
        """Per indicator, what backs the claim (a list, an estimate, nothing) and an estimate's
        basis in words (design section 7)."""
        stored = {row.indicator_id: row for row in rows}
        for indicator in indicators:
            self.fields[f"{EVIDENCE_PREFIX}{indicator.pk}"] = forms.ChoiceField(
                # Short labels: the indicator is the legend of the fieldset around its fields.
                label=_("Evidence"),
                choices=[("", _("None")), *ExpectedContribution.Evidence.choices],
                required=False,
                help_text=_(
                    "A beneficiary list of the activity, or an estimate with its basis in words."
                ),
            )
            self.fields[f"{BASIS_PREFIX}{indicator.pk}"] = forms.CharField(
                label=_("Basis of the estimate"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Required for an estimate: how it was made."),
            )
            row = stored.get(indicator.pk)
            if row is not None:
                self.initial[f"{EVIDENCE_PREFIX}{indicator.pk}"] = row.evidence
                self.initial[f"{BASIS_PREFIX}{indicator.pk}"] = row.evidence_basis

    def contribution_groups(self) -> list[tuple[Any, ...]]:
        """Per indicator: the indicator, its amount, its evidence and an estimate's basis."""
        return [
            (
                i,
                self[f"{CONTRIBUTION_PREFIX}{i.pk}"],
                self[f"{EVIDENCE_PREFIX}{i.pk}"],
                self[f"{BASIS_PREFIX}{i.pk}"],
            )
            for i in self.indicators
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for indicator in self.indicators:
            kind = cleaned.get(f"{EVIDENCE_PREFIX}{indicator.pk}", "")
            basis = cleaned.get(f"{BASIS_PREFIX}{indicator.pk}", "") or ""
            amount = cleaned.get(f"{CONTRIBUTION_PREFIX}{indicator.pk}")
            if kind == ExpectedContribution.Evidence.ESTIMATE and not basis.strip():
                self.add_error(
                    f"{BASIS_PREFIX}{indicator.pk}",
                    _("Say how the estimate was made: an estimate needs its basis in words."),
                )
            if (
                kind
                and amount is None
                and f"{CONTRIBUTION_PREFIX}{indicator.pk}" not in self.errors
            ):
                self.add_error(
                    f"{EVIDENCE_PREFIX}{indicator.pk}",
                    _("Enter the contribution first: the evidence backs a claimed contribution."),
                )
        return cleaned

    def evidence(self) -> dict[int, tuple[str, str]]:
        """Per indicator with a contribution, its evidence and basis (a basis only for an
        estimate)."""
        found = {}
        for indicator in self.indicators:
            if self.cleaned_data.get(f"{CONTRIBUTION_PREFIX}{indicator.pk}") is None:
                continue
            kind = self.cleaned_data.get(f"{EVIDENCE_PREFIX}{indicator.pk}", "")
            basis = self.cleaned_data.get(f"{BASIS_PREFIX}{indicator.pk}", "") or ""
            found[indicator.pk] = (
                kind,
                basis.strip() if kind == ExpectedContribution.Evidence.ESTIMATE else "",
            )
        return found

    def activity_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in (*self.Meta.fields, ACTIVITY_LINK)]

    def merge_names(self) -> list[str]:
        return [*Activity.EDITABLE_FIELDS, ACTIVITY_LINK, *self.contribution_names()]

    def stored_values(self, instance: Activity) -> dict[str, Any]:
        rows = instance.expected_contributions.all()
        return {**super().stored_values(instance), **self.contribution_values(rows)}


def kelurahan_choices(region_id: int) -> list[Any]:
    """The region's kelurahan grouped by kecamatan, for a <select> with <optgroup>s."""
    places = Kelurahan.objects.filter(kecamatan__region_id=region_id).select_related("kecamatan")
    places = places.order_by("kecamatan__name", "name")
    return [("", "—")] + [
        (kecamatan, [(k.pk, k.name) for k in group])
        for kecamatan, group in groupby(places, key=lambda k: k.kecamatan.name)
    ]


class ProgramForm(MergeOnConflictMixin, RenstraLineMixin):
    seen_version = VersionField()
    link_name = PROGRAM_LINK

    class Meta:
        model = Program
        fields = Program.EDITABLE_FIELDS
        localized_fields = ("outcome_target",)

    def __init__(self, *args: Any, work_plan: WorkPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.work_plan = work_plan
        _not_negative(self.fields["outcome_target"])
        self.add_link_field(program_lines(work_plan), program_choices(work_plan))
        if self.instance.pk:
            self.initial["seen_version"] = self.instance.version
        self.add_merge_fields()

    def merge_names(self) -> list[str]:
        return [*Program.EDITABLE_FIELDS, PROGRAM_LINK]

    def program_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in (*self.Meta.fields, PROGRAM_LINK)]


class PlanActionForm(forms.Form):
    """Submit, approve: only the version the person saw."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ConfirmedActionForm(PlanActionForm):
    """Submit, approve: the version seen and the person's "I am sure", asked in the page
    itself (a checkbox beside the button), so the step works without JavaScript."""

    confirm = forms.BooleanField()

    def only_unconfirmed(self) -> bool:
        """True when the one thing wrong is the missing "I am sure"."""
        return set(self.errors) == {"confirm"}

    def refusal(self, message: str) -> WorkflowError:
        """``message`` when only the "I am sure" tick is missing, else the reload advice."""
        if self.only_unconfirmed():
            return WorkflowError(message)
        return WorkflowError(gettext("Reload the page and try again."))


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


class RealisationForm(ContributionFieldsMixin, MergeOnConflictMixin, forms.ModelForm):  # type: ignore[type-arg]
    seen_version = VersionField()

    class Meta:
        model = Realisation
        fields = ("quarter", *Realisation.EDITABLE_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        localized_fields = REALISATION_FIGURES
        field_classes = {"budget_spent": MoneyField}

    def __init__(
        self, *args: Any, indicators: list[Indicator], output_unit: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if output_unit:  # "Output achieved (jiwa)": the figure is read in the activity's unit
            label = capfirst(self.fields["output_achieved"].label)
            self.fields["output_achieved"].label = f"{label} ({output_unit})"
        for name in REALISATION_FIGURES:  # "340", not "340,00"
            stored = self.initial.get(name)
            if isinstance(stored, Decimal) and stored == stored.to_integral_value():
                self.initial[name] = stored.to_integral_value()
        self.fields["quarter"] = forms.TypedChoiceField(
            label=_("Quarter"),
            choices=[(q, _("Quarter %(n)s") % {"n": q}) for q in QUARTERS],
            coerce=int,
        )
        for name in REALISATION_FIGURES:
            _not_negative(self.fields[name])
        rows: Iterable[AchievedContribution] = ()
        if self.instance.pk:
            self.initial["seen_version"] = self.instance.version
            rows = self.instance.achieved_contributions.all()
        self.add_contribution_fields(indicators, rows)
        self.add_merge_fields()

    def merge_names(self) -> list[str]:
        return [*Realisation.EDITABLE_FIELDS, *self.contribution_names()]

    def stored_values(self, instance: Realisation) -> dict[str, Any]:
        rows = instance.achieved_contributions.all()
        return {**super().stored_values(instance), **self.contribution_values(rows)}

    def realisation_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in (*self.Meta.fields, *self.contribution_names())]

    def validate_unique(self) -> None:
        """The service decides between a new quarter and a correction; no unique check here."""


class DeadlineForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    due_date = forms.DateField(
        label=_("Submission deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )
