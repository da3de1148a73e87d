"""The regions an API list shows: ``?wilayah=<code>`` when the caller may see that region,
else the caller's own.

The parameter is the pages' (``opd.agencies.picker.PARAM``), so a link copied from a page and
an API call name a region alike. Without it a list shows the caller's own regions:

- a Bappeda user's region and every region under it (``roles.readable_region_ids``);
- an OPD member's (or an OPD's token's) OPDs' regions;
- anyone else (signed out, a read token of no OPD, a signed-in user of no role): the
  deployment's region, ``DEFAULT_REGION_CODE``, and the regions under it.

A named region brings the regions under it too (a province its kota and kabupaten). On a public
list any region may be named (its public rows are anyone's); on the others only one of the
caller's own. An unknown code and one the caller may not name get the same 400, so no answer
tells which codes exist. Which rows of those regions the caller reads is still each list's
visibility rule (``visible_to``); the region scope only narrows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.filters import BaseFilterBackend

from opd.agencies import roles
from opd.agencies.models import Opd
from opd.agencies.picker import PARAM
from targets.models import Region

__all__ = ["PARAM", "ListRegions", "RegionScopeFilter", "full_region_ids", "list_regions"]


def _with_regions_under(region_filter: Q) -> Any:
    """The regions ``region_filter`` names and every region under them, as a subquery."""
    named = Region.objects.filter(region_filter).values("pk")
    return Region.objects.filter(Region.at_or_under(named)).values("pk")


def full_region_ids(user: Any) -> frozenset[int]:
    """The regions whose non-public rows ``user`` may read in some list: a Bappeda user's
    region and those under it, and the regions of the user's OPDs (none signed out). Cached
    for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = user.__dict__.get("_api_full_region_ids")
    if cached is None:
        opd_ids = roles.member_opd_ids(user)
        member_regions: frozenset[int] = frozenset()
        if opd_ids:
            member_regions = frozenset(
                Region.objects.filter(opds__pk__in=opd_ids).values_list("pk", flat=True)
            )
        cached = roles.readable_region_ids(user) | member_regions
        user.__dict__["_api_full_region_ids"] = cached
    return cached  # type: ignore[no-any-return]


@dataclass(frozen=True)
class ListRegions:
    """The regions a list shows: ``named`` by ``?wilayah=`` (already narrowed to the caller's
    on a list that is not public), else the caller's own, known by the caller's roles (the
    Bappeda regions it reads, its OPDs) without a query of its own: the rows' filter takes
    the OPDs' regions and the deployment's region as subqueries."""

    user: Any
    named: frozenset[int] | None

    @property
    def readable(self) -> frozenset[int]:
        return roles.readable_region_ids(self.user) if self.user.is_authenticated else frozenset()

    @property
    def opd_ids(self) -> frozenset[int]:
        return roles.member_opd_ids(self.user)

    def rows(self, field: str) -> Q:
        """The filter on a row's region (``field``, the path to it) keeping the regions shown."""
        if self.named is not None:
            return Q(**{f"{field}__in": self.named})
        if not (self.readable or self.opd_ids):
            return Q(**{f"{field}__in": _with_regions_under(Q(code=settings.DEFAULT_REGION_CODE))})
        shown = Q(**{f"{field}__in": self.readable})
        if self.opd_ids:
            of_opds = Opd.objects.filter(pk__in=self.opd_ids).values("region_id")
            shown |= Q(**{f"{field}__in": of_opds})
        return shown

    def all_full(self) -> bool:
        """Whether the caller reads the non-public rows of every region shown."""
        if not self.user.is_authenticated:
            return False
        if self.named is None:
            return bool(self.readable or self.opd_ids)  # the caller's own regions
        return self.named <= full_region_ids(self.user)

    def all_readable(self) -> bool:
        """Whether every region shown is one the caller reads as Bappeda."""
        if not self.readable:
            return False
        if self.named is None:
            return not self.opd_ids or full_region_ids(self.user) <= self.readable
        return self.named <= self.readable


def list_regions(request: Any, *, public: bool) -> ListRegions:
    """The regions a list shows ``request``'s caller (see the module's docstring); a 400 naming
    ``wilayah`` for a code given twice or empty, unknown, or not the caller's on a list that
    is not public. Cached on the request."""
    cached = getattr(request, "_api_list_regions", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    values = request.query_params.getlist(PARAM)
    named: frozenset[int] | None = None
    if values:
        code = values[-1].strip()
        if len(values) > 1 or not code:
            raise serializers.ValidationError({PARAM: [_("Give one region code.")]})
        max_length: Any = Region._meta.get_field("code").max_length
        # A code no region can have (too long, or with a NUL PostgreSQL refuses) names none.
        named = frozenset()
        if len(code) <= max_length and "\x00" not in code:
            named = frozenset(_with_regions_under(Q(code=code)).values_list("pk", flat=True))
        if not public:
            named &= full_region_ids(request.user)
        if not named:
            raise serializers.ValidationError(
                {PARAM: [_("No region you may see has the code %(code)s.") % {"code": code}]}
            )
    found = ListRegions(request.user, named)
    request._api_list_regions = found
    return found


class RegionScopeFilter(BaseFilterBackend):
    """A list's rows of the regions ``?wilayah=`` names, else of the caller's own
    (``list_regions``). The view names the path to a row's region in ``region_field``;
    a view without one, and every read of one record (its id names it), is not narrowed."""

    def filter_queryset(self, request: Any, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        field = getattr(view, "region_field", None)
        if field is None or getattr(view, "action", None) != "list":
            return queryset
        regions = list_regions(request, public=getattr(view, "public", False))
        return queryset.filter(regions.rows(field))

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        if getattr(view, "region_field", None) is None:
            return []
        anyone = (
            "any region"
            if getattr(view, "public", False)
            else "one of your regions (a 400 otherwise)"
        )
        return [
            {
                "name": PARAM,
                "required": False,
                "in": "query",
                "description": (
                    f"The region code (e.g. `33.71`) whose rows to list, with the regions "
                    f"under it: {anyone}; an unknown code is a 400. Without it, your own "
                    "regions: a Bappeda user's region and those under it, an OPD member's or "
                    "OPD token's OPDs' regions, else the deployment's region."
                ),
                "schema": {"type": "string", "maxLength": 20},
            }
        ]
