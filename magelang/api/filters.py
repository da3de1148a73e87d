"""What every API list's filters share: a filter given twice or empty is a 400, a year is
bounded, a record is named by its id or by its code (``?indicator=KEMISKINAN``), every ordering
ends in the primary key. (A list's scope of regions, ``?wilayah=``, is
``magelang.api.scope.RegionScopeFilter``, a default backend: ``targets`` imports this module
and must not reach ``opd``.)
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.drainage import set_override
from rest_framework.filters import OrderingFilter

from targets.models import MAX_YEAR, MIN_YEAR, Indicator, Kelurahan


class StrictFilterSet(filters.FilterSet):
    """A filter given empty or more than once is a 400, never silently ignored.

    A request with no query parameters keeps every row without building the form (every
    filter's field, the choices among them): a large list read page by page without parameters
    (the first page, a client walking it) would build it for nothing. With any parameter, filter
    or not, the form checks them all.
    """

    def is_valid(self) -> bool:
        if not self.data:
            return True
        return super().is_valid() and not self._refuse_ambiguous()

    @property
    def qs(self) -> Any:
        if not self.data:
            return self.queryset.all()
        return super().qs

    def _refuse_ambiguous(self) -> bool:
        refused = False
        for name in self.filters:
            values: list[Any] = self.data.getlist(name) if hasattr(self.data, "getlist") else []
            if len(values) > 1 or values == [""]:
                self.form.add_error(
                    name, forms.ValidationError(_("Give this filter one non-empty value."))
                )
                refused = True
        return refused


def year_filter(field_name: str = "year") -> filters.NumberFilter:
    return filters.NumberFilter(
        field_name=field_name, min_value=MIN_YEAR, max_value=MAX_YEAR, decimal_places=0
    )


MAX_ID = 2**31 - 1


class IdOrCodeField(forms.CharField):
    """The ids of the records a value names: the record with that id, or those with that code
    (a code may recur across regions or RPJMD plans; the filter then keeps all of them)."""

    default_error_messages = {
        "invalid_choice": _(
            "Select a valid choice. That choice is not one of the available choices."
        )
    }

    def __init__(self, *, queryset: QuerySet[Any], **kwargs: Any) -> None:
        self.queryset = queryset
        super().__init__(max_length=40, **kwargs)

    def clean(self, value: Any) -> list[int] | None:
        value = super().clean(value)
        if value in self.empty_values:
            return None
        ids: list[int] = []
        if value.isascii() and value.isdigit() and int(value) <= MAX_ID:
            ids = list(self.queryset.filter(pk=int(value)).values_list("pk", flat=True))
        if not ids:
            ids = list(self.queryset.filter(Q(code=value)).values_list("pk", flat=True))
        if not ids:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return ids


class IdOrCodeFilter(filters.Filter):
    field_class = IdOrCodeField

    def __init__(self, *, queryset: QuerySet[Any], noun: str, **kwargs: Any) -> None:
        super().__init__(queryset=queryset, **kwargs)
        # The schema: a string, as a code is one; an unknown id or code is a 400.
        set_override(
            self,
            "field",
            {
                "type": "string",
                "maxLength": 40,
                "description": f"The {noun}'s id, or its code (e.g. {EXAMPLES[noun]}); "
                "an id or code that names nothing is a 400.",
            },
        )

    def filter(self, qs: QuerySet[Any], value: list[int] | None) -> QuerySet[Any]:
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


EXAMPLES = {"OPD": "`1.06`", "indicator": "`KEMISKINAN`", "kelurahan": "`33.71.01.1001`"}


def indicator_filter(field_name: str = "indicator") -> IdOrCodeFilter:
    return IdOrCodeFilter(field_name=field_name, queryset=Indicator.objects.all(), noun="indicator")


def kelurahan_filter(field_name: str = "kelurahan") -> IdOrCodeFilter:
    return IdOrCodeFilter(field_name=field_name, queryset=Kelurahan.objects.all(), noun="kelurahan")


class UniqueOrderingFilter(OrderingFilter):
    """``OrderingFilter`` whose ordering always ends in the primary key.

    A list ordered by fields that can tie (year and code repeat across OPDs and regions) has no
    defined order among the tied rows, so PostgreSQL may return one of them on two pages and
    another on none; the primary key at the end makes every page's rows follow from the
    previous page's, whatever ``?ordering=`` the caller chose.
    """

    def get_ordering(self, request: Any, queryset: QuerySet[Any], view: Any) -> list[Any]:
        ordering: list[Any] = list(
            super().get_ordering(request, queryset, view)
            or queryset.query.order_by
            or queryset.model._meta.ordering
        )
        last = ordering[-1] if ordering else None
        key = queryset.model._meta.pk.name
        if not (isinstance(last, str) and last.lstrip("-") in ("pk", key)):
            ordering.append("pk")
        return ordering
