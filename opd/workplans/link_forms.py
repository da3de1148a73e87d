"""The links an edit form sets beside a row's own fields.

The activity form's "community aspirations" part (which aspirations the activity takes up): a
form of its own, posted with the activity's, the view saving both in one transaction. And the
program and activity forms' Renstra line (:class:`RenstraLineMixin`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from opd.models import Activity, Aspiration

#: The names the "community aspirations" part of the activity form posts: the ticked boxes,
#: every box shown, the boxes ticked when it was shown, and each one's version.
LINKED, SHOWN, WAS_LINKED, VERSION_PREFIX = (
    "aspiration",
    "aspiration_shown",
    "aspiration_was",
    "aspiration_version_",
)


@dataclass(frozen=True)
class LinkChange:
    """Take aspiration ``aspiration_id`` up into the activity (``link``) or give it back."""

    aspiration_id: int
    reference: str
    seen_version: int
    link: bool


@dataclass(frozen=True)
class AspirationChoice:
    aspiration: Aspiration
    checked: bool


class AspirationLinksForm(forms.Form):
    """The activity form's "community aspirations": a box per aspiration the activity took up
    (ticked) or may take up (recommended to the plan's OPD for its year, taken by none).

    Ticking one takes it up, unticking one gives it back; a box left as it was shown changes
    nothing, whatever happened to the aspiration meanwhile (the form carries what it showed,
    as the activity's fields carry their originals). A box someone changed is refused when
    the aspiration moved since the page was shown (its version travels with it), or when it
    is not one the activity may take up (another OPD's, or taken by another activity
    meanwhile): nothing is saved, and the boxes show the aspirations as they are now.
    A post without the boxes (an older page, the API's fields) changes no link.
    """

    def __init__(
        self,
        data: Any = None,
        *,
        aspirations: list[Aspiration],
        activity: Activity | None,
    ) -> None:
        super().__init__(data)
        self.activity_id = activity.pk if activity is not None else None
        self.choosable = {
            a.pk: a
            for a in aspirations
            if a.status == Aspiration.Status.RECOMMENDED
            or (a.status == Aspiration.Status.ACCEPTED and self._linked(a))
        }
        #: Taken up by this activity for good (funded or realised): listed, not a box.
        self.settled = [a for a in aspirations if a.pk not in self.choosable]
        self.stale: list[str] = []

    def _linked(self, aspiration: Aspiration) -> bool:
        return self.activity_id is not None and aspiration.activity_id == self.activity_id

    def _ids(self, name: str) -> set[int] | None:
        values = self.data.getlist(name) if hasattr(self.data, "getlist") else []
        try:
            return {int(value) for value in values}
        except (TypeError, ValueError):
            return None

    def _version(self, pk: int) -> int | None:
        try:
            return int(self.data.get(f"{VERSION_PREFIX}{pk}", ""))
        except (TypeError, ValueError):
            return None

    def _intent(self, pk: int) -> tuple[bool, bool] | None:
        """(wanted, as shown) for a box the post carries, else None."""
        shown, checked, was = self._ids(SHOWN), self._ids(LINKED), self._ids(WAS_LINKED)
        if shown is None or checked is None or was is None:
            return None
        if pk not in shown | checked:
            return None
        return pk in checked, pk in was

    def rows(self) -> list[AspirationChoice]:
        """The boxes, ticked as the person left them where that still applies, else as the
        aspiration is now (always with its current version)."""
        rows = []
        for aspiration in self.choosable.values():
            checked = self._linked(aspiration)
            intent = self._intent(aspiration.pk) if self.is_bound else None
            if intent is not None:
                wanted, shown = intent
                if wanted != shown and self._version(aspiration.pk) == aspiration.version:
                    checked = wanted
            rows.append(AspirationChoice(aspiration, checked))
        return rows

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        shown, checked, was = self._ids(SHOWN), self._ids(LINKED), self._ids(WAS_LINKED)
        if shown is None or checked is None or was is None:
            raise forms.ValidationError(gettext("Reload the page and try again."), code="bad")
        changes, closed = [], []
        for pk in sorted(shown | checked):
            wanted = pk in checked
            aspiration = self.choosable.get(pk)
            now = aspiration is not None and self._linked(aspiration)
            if wanted == (pk in was and pk in shown) or wanted == now:
                continue  # left as shown, or already so
            if aspiration is None:
                closed.append(str(pk))
            elif self._version(pk) != aspiration.version:
                self.stale.append(aspiration.reference)
            else:
                changes.append(
                    LinkChange(pk, aspiration.reference, aspiration.version, link=wanted)
                )
        if closed:
            self.add_error(
                None,
                forms.ValidationError(
                    gettext(
                        "This activity cannot take up an aspiration you ticked: it belongs to "
                        "another OPD, or meanwhile another activity took it up or it was "
                        "rejected. Nothing was saved; the list shows the aspirations as they "
                        "are now."
                    ),
                    code="closed",
                ),
            )
        if self.stale:
            self.add_error(
                None,
                forms.ValidationError(
                    ngettext(
                        "Aspiration %(references)s changed since you opened the page. Nothing "
                        "was saved; the list shows it as it is now: check it and save again.",
                        "Aspirations %(references)s changed since you opened the page. Nothing "
                        "was saved; the list shows them as they are now: check them and save "
                        "again.",
                        len(self.stale),
                    )
                    % {"references": ", ".join(self.stale)},
                    code="stale",
                ),
            )
        cleaned["changes"] = changes
        return cleaned

    def changes(self) -> list[LinkChange]:
        return list(self.cleaned_data["changes"])


#: A tampered or outdated Renstra line: another OPD's, another plan's, or deleted.
OTHER_RENSTRA = _("Choose a line of this OPD's Renstra covering the plan's year.")


class RenstraLineMixin(forms.ModelForm):  # type: ignore[type-arg]
    """The Renstra line a program or activity carries out: a choice among the lines of its
    OPD's Renstra for the plan (``opd.workplans.renstra_lines``), empty allowed, each shown
    with the plan year's target (and a program's pagu) as guidance.

    Declared beside ``EDITABLE_FIELDS`` (the API does not edit it); :meth:`link_values` hands it
    to the services, which save and audit it, only when the post carries it: a post without it
    (an older page) keeps the row's link.
    """

    link_name: str

    def add_link_field(self, queryset: Any, choices: list[Any]) -> None:
        field = forms.ModelChoiceField(
            queryset=queryset,
            required=False,
            label=_("Renstra line"),
            help_text=_(
                "The line of the OPD's Renstra this row carries out, with its target (and a "
                "program's pagu) for the year."
            ),
        )
        # A ModelChoiceField validates against its queryset, not the choices shown: both are
        # the same lines, so a line of another OPD's Renstra is refused here.
        field.choices = choices
        field.error_messages["invalid_choice"] = OTHER_RENSTRA
        self.fields[self.link_name] = field
        if self.instance.pk:
            self.initial.setdefault(self.link_name, getattr(self.instance, f"{self.link_name}_id"))

    def link_values(self) -> dict[str, Any]:
        """The line chosen, to save with the editable fields; empty when the post has none."""
        if self.add_prefix(self.link_name) not in self.data:
            return {}
        return {self.link_name: self.cleaned_data.get(self.link_name)}
