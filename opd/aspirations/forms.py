"""Forms of the staff pages under ``/usulan/``: they validate input; the views call the services.

The intake and edit forms take their fields from the services' lists (``INTAKE_FIELDS``,
``UPDATE_FIELDS``) and their rules from the model, so a value the model refuses is a message
beside its field, never a 500.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from opd.aspirations.models import Aspiration, RejectionCode
from opd.aspirations.services import UPDATE_FIELDS
from opd.aspirations.staff_selectors import grouped_kelurahan
from opd.models import Activity, Opd
from targets.models import MAX_YEAR, MIN_YEAR, Indicator, Kelurahan

#: The intake form's fields (``services.INTAKE_FIELDS`` but the region, which follows the
#: kelurahan), in the order a clerk copies them from the forum's minutes.
INTAKE_ORDER = (
    "forum",
    "received_on",
    "year",
    "kelurahan",
    "proposer_kind",
    "proposer",
    "proposer_contact",
    "category",
    "title",
    "description",
    "indicator",
    "priority",
)
EDIT_ORDER = tuple(name for name in INTAKE_ORDER if name in UPDATE_FIELDS)

PRIVATE_HELP = _(
    "Private: never shown to the public or to the OPDs; only Bappeda and the staff of the "
    "kelurahan and kecamatan see it."
)
OUTSIDE_AREA = _("Choose one of the kelurahan whose aspirations you record.")


class IndicatorChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Indicator) -> str:
        return f"{obj.code}: {obj.name} (RPJMD {obj.plan.first_year}–{obj.plan.last_year})"


class _AspirationFields(forms.ModelForm):  # type: ignore[type-arg]
    """The fields shared by the intake and the edit: the kelurahan limited to those ``places``
    the user acts for (grouped by kecamatan), the indicator to ``indicators``."""

    class Meta:
        model = Aspiration
        fields: tuple[str, ...] = INTAKE_ORDER
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"indicator": IndicatorChoiceField}

    def __init__(
        self,
        *args: Any,
        places: list[Kelurahan],
        indicators: Any,
        city_wide: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        place = self.fields["kelurahan"]
        place.queryset = Kelurahan.objects.filter(pk__in=[k.pk for k in places])  # type: ignore[attr-defined]
        place.choices = [("", "—"), *grouped_kelurahan(places)]  # type: ignore[attr-defined]
        place.error_messages["invalid_choice"] = OUTSIDE_AREA
        # Only Bappeda records an aspiration of the whole city (a Musrenbang kota, say).
        place.required = not city_wide
        if city_wide:
            place.help_text = _("Leave empty for an aspiration of the whole city.")
        self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]
        self.fields["indicator"].help_text = _("Optional: the RPJMD indicator it should move.")
        for name in ("proposer", "proposer_contact"):
            self.fields[name].help_text = PRIVATE_HELP
        self.fields["proposer"].label = _("Proposer's name")
        self.fields["proposer_contact"].label = _("Proposer's contact")
        priority = self.fields["priority"]
        priority.widget.attrs["min"] = "1"
        priority.validators.append(MinValueValidator(1))
        priority.help_text = _("The rank the forum gave it (1 is the first); optional.")
        self.fields["received_on"].input_formats = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        indicator, year = cleaned.get("indicator"), self.plan_year_of(cleaned)
        if indicator is not None and year is not None and year not in indicator.plan.years():
            self.add_error(
                "indicator",
                _("The indicator belongs to the RPJMD %(first)s–%(last)s, not to %(year)s.")
                % {
                    "first": indicator.plan.first_year,
                    "last": indicator.plan.last_year,
                    "year": year,
                },
            )
        return cleaned

    def plan_year_of(self, cleaned: dict[str, Any]) -> int | None:
        """The plan year the aspiration is (or will be) for."""
        return self.instance.year if self.instance.pk else cleaned.get("year")

    def values(self) -> dict[str, Any]:
        """The cleaned values of the form's fields, for the service."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class IntakeForm(_AspirationFields):
    class Meta(_AspirationFields.Meta):
        fields = INTAKE_ORDER

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        year.required = False
        year.min_value = MIN_YEAR  # type: ignore[attr-defined]
        year.max_value = MAX_YEAR  # type: ignore[attr-defined]
        # The widget took its attributes when the field was built: give the browser the range.
        year.widget.attrs.update(min=MIN_YEAR, max=MAX_YEAR)
        year.help_text = _("The plan year it is proposed for; empty: the year after the forum.")

    def clean_year(self) -> int | None:
        year: int | None = self.cleaned_data.get("year")
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            raise forms.ValidationError(
                _("Give a year between %(first)s and %(last)s.")
                % {"first": MIN_YEAR, "last": MAX_YEAR}
            )
        return year

    def plan_year_of(self, cleaned: dict[str, Any]) -> int | None:
        received_on = cleaned.get("received_on")
        if cleaned.get("year") is None and received_on is not None and "year" not in self.errors:
            cleaned["year"] = received_on.year + 1  # the default: the year after the forum
        return cleaned.get("year")


class EditForm(_AspirationFields):
    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta(_AspirationFields.Meta):
        fields = EDIT_ORDER

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("seen_version", self.instance.version)


# --- the stage actions on the detail page ---------------------------------------------------


class StageForm(forms.Form):
    """A stage action: the version of the aspiration the person saw, and a note."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VerifyForm(StageForm):
    pass


def _choose_from(form: forms.Form, name: str, rows: Any) -> bool:
    """Limit the field ``name`` to the queryset ``rows``; unbound (a page showing the form), the
    rows are read once here and listed, so the page knows whether there are any without a
    second query. Returns whether there is a choice."""
    field: forms.ModelChoiceField = form.fields[name]  # type: ignore[type-arg,assignment]
    field.queryset = rows
    if form.is_bound:
        return True
    listed = list(rows)
    field.choices = [("", "—"), *((row.pk, field.label_from_instance(row)) for row in listed)]
    return bool(listed)


class RecommendForm(StageForm):
    opd = forms.ModelChoiceField(label=_("OPD"), queryset=Opd.objects.none())

    def __init__(self, *args: Any, opds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opd"].error_messages["invalid_choice"] = _(
            "Choose an OPD of the aspiration's region."
        )
        self.has_choices = _choose_from(self, "opd", opds)


class ActivityChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Activity) -> str:
        return f"{obj.program.code} {obj.program.name} › {obj.code} {obj.name}"


class AcceptForm(StageForm):
    activity = ActivityChoiceField(label=_("Activity"), queryset=Activity.objects.none())

    def __init__(self, *args: Any, activities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].error_messages["invalid_choice"] = _(
            "Choose an activity of the OPD's own work plan for the aspiration's year, while that "
            "plan can still be changed."
        )
        self.has_choices = _choose_from(self, "activity", activities)


class RejectForm(forms.Form):
    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    code = forms.ChoiceField(label=_("Reason"), choices=RejectionCode.choices)
    text = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for the reason “other”; shown on the public page."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("code") == RejectionCode.OTHER and not cleaned.get("text", "").strip():
            self.add_error(
                "text", _("Say why the aspiration is rejected: the reason “other” needs text.")
            )
        return cleaned
