"""Forms of the Renstra pages: a program or an activity with its year grid (one target, and for a
program one indicative budget, per year of the plan's period), and Bappeda's return. They
validate input; the views call the services.

The line's own fields are the model's ``EDITABLE_FIELDS`` (one definition, as the services'); the
year fields are made from the period, ``target_<year>`` and ``budget_<year>``. After a stale
save the form merges what was posted onto the stored line as the Renja's forms do
(``MergeOnConflictMixin``), the years included.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from opd.digits import AMOUNT
from opd.models import Renstra, RenstraActivity, RenstraProgram
from opd.workplans.conflict_forms import MergeOnConflictMixin
from opd.workplans.fields import MoneyField
from opd.workplans.forms import PlanActionForm, VersionField
from targets.models import Indicator

TARGET, BUDGET = "target_", "budget_"


def _figure(field: forms.DecimalField) -> forms.DecimalField:
    """A figure is never negative; the browser is told so too."""
    field.validators.append(MinValueValidator(Decimal(0)))
    field.widget.attrs["min"] = "0"
    field.widget.attrs["inputmode"] = "decimal"  # a phone offers digits and separators
    return field


def _whole(value: Decimal | None) -> Decimal | None:
    """A whole figure shown whole: "250", not "250,00"."""
    if value is not None and value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value


class YearGridMixin(MergeOnConflictMixin):
    """The year fields of a line's form, one row per year of the Renstra's period."""

    years: list[int]
    with_budget = False

    def add_year_fields(self, renstra: Renstra) -> None:
        self.years = list(renstra.plan.years())
        for year in self.years:
            self.fields[f"{TARGET}{year}"] = _figure(
                forms.DecimalField(
                    label=_("Target %(year)s") % {"year": year},
                    required=False,  # the checklist, not the form, insists: a draft may be partial
                    localize=True,
                    **AMOUNT,
                )
            )
            if self.with_budget:
                self.fields[f"{BUDGET}{year}"] = _figure(
                    MoneyField(
                        label=_("Indicative budget %(year)s (Rp)") % {"year": year},
                        required=False,
                        max_digits=16,
                        decimal_places=2,
                    )
                )
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            self.initial.update(self.year_values(instance))

    def year_names(self) -> list[str]:
        names = []
        for year in self.years:
            names.append(f"{TARGET}{year}")
            if self.with_budget:
                names.append(f"{BUDGET}{year}")
        return names

    def year_values(self, instance: RenstraProgram | RenstraActivity) -> dict[str, Any]:
        """The year fields' values for a stored line; None where a year has none."""
        stored = {row.year: row for row in instance.years.all()}
        values: dict[str, Any] = {}
        for year in self.years:
            row = stored.get(year)
            values[f"{TARGET}{year}"] = _whole(row.target) if row else None
            if self.with_budget:
                values[f"{BUDGET}{year}"] = _whole(row.budget) if row else None  # type: ignore[union-attr]
        return values

    def grid(self) -> list[tuple[int, forms.BoundField, forms.BoundField | None]]:
        """Per year: the year, its target's field and (a program's) its budget's field."""
        return [
            (
                year,
                self[f"{TARGET}{year}"],
                self[f"{BUDGET}{year}"] if self.with_budget else None,
            )
            for year in self.years
        ]

    def year_resolutions(self) -> list[forms.BoundField]:
        """The choices between both values of the year fields both people changed."""
        return [choice for name in self.year_names() if (choice := self.resolution(name))]

    def stored_values(self, instance: Any) -> dict[str, Any]:
        own = [name for name in self.merge_names() if name not in self.year_names()]
        return {**model_to_dict(instance, fields=own), **self.year_values(instance)}


class RenstraProgramForm(YearGridMixin, forms.ModelForm):  # type: ignore[type-arg]
    seen_version = VersionField()
    with_budget = True

    class Meta:
        model = RenstraProgram
        fields = RenstraProgram.EDITABLE_FIELDS

    def __init__(
        self, *args: Any, renstra: Renstra, indicators: list[Indicator], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.renstra = renstra
        indicator = self.fields["indicator"]
        # Validated against the plan's indicators, not the whole table: another plan's is refused.
        indicator.queryset = Indicator.objects.filter(plan_id=renstra.plan_id)  # type: ignore[attr-defined]
        indicator.choices = [("", "—"), *((i.pk, f"{i.code} {i.name}") for i in indicators)]  # type: ignore[attr-defined]
        indicator.error_messages["invalid_choice"] = _(
            "Choose an indicator of the Renstra's RPJMD plan."
        )
        if self.instance.pk:
            self.initial["seen_version"] = self.instance.version
        self.add_year_fields(renstra)
        self.add_merge_fields()

    def merge_names(self) -> list[str]:
        return [*RenstraProgram.EDITABLE_FIELDS, *self.year_names()]

    def line_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.Meta.fields]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in RenstraProgram.EDITABLE_FIELDS}

    def year_grid(self) -> dict[int, tuple[Decimal | None, Decimal | None]]:
        """What the service takes: per year, the target and the budget (None: empty)."""
        data = self.cleaned_data
        return {y: (data.get(f"{TARGET}{y}"), data.get(f"{BUDGET}{y}")) for y in self.years}

    def validate_unique(self) -> None:
        """The service refuses a repeated code with its own message; nothing to check here."""


class RenstraActivityForm(YearGridMixin, forms.ModelForm):  # type: ignore[type-arg]
    seen_version = VersionField()
    FIELDS = ("program", *RenstraActivity.EDITABLE_FIELDS)

    class Meta:
        model = RenstraActivity
        fields = ("program", *RenstraActivity.EDITABLE_FIELDS)

    def __init__(self, *args: Any, renstra: Renstra, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        program = self.fields["program"]
        program.queryset = RenstraProgram.objects.filter(renstra=renstra).order_by("code")  # type: ignore[attr-defined]
        program.empty_label = None  # type: ignore[attr-defined]
        program.error_messages["invalid_choice"] = _("Choose a program of this Renstra.")
        if self.instance.pk:
            self.initial["seen_version"] = self.instance.version
        self.add_year_fields(renstra)
        self.add_merge_fields()

    def merge_names(self) -> list[str]:
        return [*self.FIELDS, *self.year_names()]

    def line_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.FIELDS]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    def year_grid(self) -> dict[int, Decimal | None]:
        return {y: self.cleaned_data.get(f"{TARGET}{y}") for y in self.years}

    def validate_unique(self) -> None:
        """The service refuses a repeated code with its own message; nothing to check here."""


class RenstraReturnForm(PlanActionForm):
    comment = forms.CharField(
        label=_("Comment on the Renstra"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Say what the OPD must fix before submitting again."),
        error_messages={"required": _("Say what the OPD must fix: a comment is required.")},
    )

    def clean_comment(self) -> str:
        comment = str(self.cleaned_data["comment"]).strip()
        if not comment:  # blanks only: nothing said
            raise forms.ValidationError(self.fields["comment"].error_messages["required"])
        return comment
