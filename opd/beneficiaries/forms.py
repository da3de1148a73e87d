"""Forms of the beneficiary list pages: they validate input; the views call the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

#: What the file input offers to choose (the reader decides by the content, not this).
ACCEPT = ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"


class ListUploadForm(forms.Form):
    """The file of an activity's new list, and the activity's version the person saw."""

    file = forms.FileField(
        label=_("File (XLSX or CSV)"),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": _("Choose the XLSX or CSV file of the list."),
            "empty": _("The file is empty."),
        },
    )
    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ListDeleteForm(forms.Form):
    """Deleting a list asks first: the version seen and the person's "I am sure"."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    confirm = forms.BooleanField(
        label=_(
            "I am sure: the list is deleted, and the claims it backed no longer have a list behind them."
        ),
        error_messages={"required": _("Tick “I am sure” to delete the list.")},
    )
