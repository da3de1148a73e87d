"""The admin writes figures as the portal does: a year as ``2018``, a decimal without
trailing zeros (``7,38``, ``250.000.000``), in lists, read-only fields and inputs.

Django's admin renders a model field's value in change lists and read-only fields
through ``django.contrib.admin.utils.display_for_field``: under USE_THOUSAND_SEPARATOR a
year reads "2.018" and a target stored with four places "7,3800". The admin has no hook
for that rendering, so :func:`install` (called once, from ``TargetsConfig.ready``) puts
:func:`display_for_field` where the change list and the read-only fields look it up.
Inputs are a form field's concern: :class:`PlainDecimalField`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.admin import utils
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from targets.formats import exact

_django_display_for_field = utils.display_for_field


def is_year(field: models.Field[Any, Any]) -> bool:
    """A field holding a year: ``year``, ``first_year``, ``baseline_year``..."""
    return isinstance(field, models.IntegerField) and (
        field.name == "year" or field.name.endswith("_year")
    )


def display_for_field(value: Any, field: models.Field[Any, Any], *args: Any, **kwargs: Any) -> Any:
    """Django's rendering, except years (not grouped) and decimals (no trailing zeros)."""
    if value is not None and not getattr(field, "flatchoices", None):
        if is_year(field):
            return str(value)
        if isinstance(field, models.DecimalField):
            return exact(value)
    return _django_display_for_field(value, field, *args, **kwargs)


def install() -> None:
    """Put :func:`display_for_field` where the change list and the read-only fields look it
    up; refuse, naming the place, when one of them no longer holds Django's own function
    (a Django upgrade moved or wrapped it: this patch must be looked at again)."""
    from django.contrib.admin import helpers
    from django.contrib.admin.templatetags import admin_list

    places = (admin_list, helpers)
    for module in places:
        found = getattr(module, "display_for_field", None)
        # Ours already: install() ran before (it is idempotent).
        if found is not _django_display_for_field and found is not display_for_field:
            raise ImproperlyConfigured(
                f"{module.__name__}.display_for_field is not "
                "django.contrib.admin.utils.display_for_field: targets.admin_figures.install() "
                "would replace something else; check the admin's rendering after the upgrade."
            )
    for module in places:
        module.display_for_field = display_for_field  # type: ignore[attr-defined]


class PlainDecimalField(forms.DecimalField):
    """A decimal input that shows a stored 7.3800 as ``7.38`` and 250000000.00 as
    ``250000000``: the value, not the column's places."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal) and value.is_finite():
            places = max(0, -int(value.normalize().as_tuple().exponent))
            return value.quantize(Decimal(1).scaleb(-places))
        return super().prepare_value(value)


PLAIN_FIGURES: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.DecimalField: {"form_class": PlainDecimalField},
}
"""``formfield_overrides`` of every admin class and inline that edits figures."""
