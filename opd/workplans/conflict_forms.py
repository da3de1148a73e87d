"""The edit forms' side of a conflict: carry what was loaded, merge after a stale save.

The pure merge is :mod:`opd.workplans.merge`; this is the form mixin that feeds it and shows
its result, field by field, with a choice where both people changed a field.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import QueryDict
from django.utils.translation import gettext

from opd.models import Activity, Program, Realisation
from opd.workplans.merge import merge

ORIGINAL_PREFIX = "original_"
RESOLVE_PREFIX = "resolve_"
CONFLICTS = "conflict"
MINE, THEIRS = "mine", "theirs"


class MergeOnConflictMixin(forms.Form):
    """An edit form that survives a conflict without losing anyone's changes.

    The form carries, in hidden ``original_<field>`` inputs, the values it was
    rendered with. When a save is refused as stale, :meth:`rebase` merges what the
    person posted onto the stored record (:mod:`opd.workplans.merge`): the form then holds
    both people's changes on the current version and, for each field both changed,
    a required choice ``resolve_<field>`` between the two values. Saving it again
    applies it. Plain radio buttons: no JavaScript needed.
    """

    def merge_names(self) -> list[str]:
        """The fields that merge; the others (the version, a quarter) are not edits."""
        raise NotImplementedError

    def stored_values(self, instance: Any) -> dict[str, Any]:
        """The values ``instance`` gives the fields of :meth:`merge_names`."""
        return model_to_dict(instance, fields=self.merge_names())

    def add_merge_fields(self) -> None:
        """Call last in ``__init__``: the originals' values, a choice per field in conflict."""
        for name in self.merge_names():
            self.initial.setdefault(
                ORIGINAL_PREFIX + name, self.get_initial_for_field(self.fields[name], name)
            )
        for name in self.conflict_names():
            self.fields[RESOLVE_PREFIX + name] = self._choice(name)

    def conflict_names(self) -> list[str]:
        if not self.is_bound:
            return []
        key = self.add_prefix(CONFLICTS)
        raw = self.data.getlist(key) if isinstance(self.data, QueryDict) else self.data.get(key)
        listed = {raw} if isinstance(raw, str) else set(raw or ())
        return [name for name in self.merge_names() if name in listed]

    def original_fields(self) -> list[forms.BoundField]:
        """The hidden inputs of the values the form was rendered with."""
        fields = []
        for name in self.merge_names():
            key = ORIGINAL_PREFIX + name
            if self.is_bound and self.add_prefix(key) not in self.data:
                continue  # posted without it: the base stays unknown, never made up
            fields.append(self._original_field(name).get_bound_field(self, key))
        return fields

    def resolution(self, name: str) -> forms.BoundField | None:
        """The choice between both values of field ``name``, when it is in conflict."""
        key = RESOLVE_PREFIX + name
        return self[key] if key in self.fields else None

    def base_values(self) -> dict[str, Any]:
        """The values the form was rendered with, cleaned; a field without one is left out."""
        values = {}
        for name in self.merge_names():
            key = self.add_prefix(ORIGINAL_PREFIX + name)
            if key not in self.data:
                continue
            field = self._original_field(name)
            try:
                values[name] = field.clean(
                    field.widget.value_from_datadict(self.data, self.files, key)
                )
            except ValidationError:
                continue
        return values

    def rebase(self, current: Activity | Program | Realisation) -> None:
        """After a stale save: merge what was posted onto ``current``, the stored record.

        Fields only the other person changed take their values, fields only this
        person changed keep theirs; the originals and the version become
        ``current``'s, so the next save applies. The form must have been valid.
        """
        names = self.merge_names()
        theirs = self.stored_values(current)
        merged = merge(
            names,
            base=self.base_values(),
            mine={name: self.cleaned_data.get(name) for name in names},
            theirs=theirs,
        )
        data = _mutable(self.data)
        for key in [key for key in data if key.startswith(self.add_prefix(RESOLVE_PREFIX))]:
            del data[key]
        # Python values, not text: the widgets render them as the locale writes them.
        for name in names:
            data.setlist(self.add_prefix(name), [merged.values[name]])
            data.setlist(self.add_prefix(ORIGINAL_PREFIX + name), [theirs[name]])
        data.setlist(self.add_prefix(CONFLICTS), merged.conflicts)
        data[self.add_prefix("seen_version")] = str(current.version)
        self.data = data
        for key in [key for key in self.fields if key.startswith(RESOLVE_PREFIX)]:
            del self.fields[key]
        for name in merged.conflicts:
            self.fields[RESOLVE_PREFIX + name] = self._choice(name)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = [
            name for name in self.conflict_names() if cleaned.get(RESOLVE_PREFIX + name) == THEIRS
        ]
        base = self.base_values() if chosen else {}
        for name in chosen:
            if name in base:  # after a conflict the originals hold their values
                cleaned[name] = base[name]
            else:
                self.add_error(
                    RESOLVE_PREFIX + name,
                    gettext("Their value is not known any more: enter the value to keep."),
                )
        return cleaned

    def _original_field(self, name: str) -> forms.Field:
        field = copy.deepcopy(self.fields[name])
        field.required = False
        field.widget = forms.HiddenInput()
        field.widget.is_localized = bool(field.localize)
        return field

    def _choice(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        mine = self._shown(field, self.data.get(self.add_prefix(name)))
        theirs = self._shown(field, self.data.get(self.add_prefix(ORIGINAL_PREFIX + name)))
        return forms.ChoiceField(
            label=gettext("%(field)s was changed by someone else too. Which value to keep?")
            % {"field": field.label},
            choices=[
                (MINE, gettext("Mine: %(value)s") % {"value": mine}),
                (THEIRS, gettext("Theirs, as saved: %(value)s") % {"value": theirs}),
            ],
            widget=forms.RadioSelect,
            error_messages={"required": gettext("Choose which of the two values to keep.")},
        )

    @staticmethod
    def _shown(field: forms.Field, raw: Any) -> str:
        """A value as the form shows it: a choice by its label, a number in the locale."""
        value = field.prepare_value(raw)
        if value is None or value == "":
            return "—"
        if isinstance(field, forms.ChoiceField):
            for key, label in _flat(field.choices):
                if str(key) == str(value):
                    return str(label)
            return str(value)
        return str(field.widget.format_value(value) or "—")


def _flat(choices: Any) -> Iterable[tuple[Any, Any]]:
    for key, label in choices:
        if isinstance(label, (list, tuple)):
            yield from label
        else:
            yield key, label


def _mutable(data: Mapping[str, Any]) -> QueryDict:
    if isinstance(data, QueryDict):
        return data.copy()
    copied = QueryDict(mutable=True)
    for key, value in data.items():
        copied.setlist(key, list(value) if isinstance(value, (list, tuple)) else [value])
    return copied
