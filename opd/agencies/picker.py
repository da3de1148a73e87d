"""The region picker: which regions a page offers a user, and which one it shows.

Every dashboard, list and export that shows one region at a time asks :func:`chosen_region`:
the region named by ``?wilayah=<code>`` when the user may see it, else the user's own region.
The regions offered (:func:`regions_for`) are exactly those the user may see (decided in
``opd.agencies.roles``): a Bappeda user's region and the regions under it, an OPD member's
OPDs' regions. The public pages (:func:`public_regions`) offer any region with a plan.

:func:`offer` shapes what the picker partial (``components/_region_picker.html``) shows: the
regions, the chosen one, and the other query parameters it carries over as hidden inputs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from opd.agencies import roles
from opd.agencies.models import OpdMembership
from targets.models import Indicator, Plan, Region

PARAM = "wilayah"
#: The query parameters a change of region keeps (the indicator, the year, the sort).
KEEP = ("indikator", "tahun", "urut", "arah")


def regions_for(user: Any) -> list[Region]:
    """The regions ``user`` may see, by code: one query (cached for the request). A Bappeda
    user's region and those under it, and the regions of the user's OPDs; none for a signed-in
    user of no role; every region for someone signed out (the public pages)."""
    cached = getattr(user, "__dict__", {}).get("_picker_regions")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    regions = Region.objects.order_by("code")
    if user.is_authenticated:
        # The memberships as a subquery, not ``roles.member_opd_ids``: one query, not two.
        member_of = OpdMembership.objects.filter(user=user, opd__region=OuterRef("pk"))
        regions = regions.filter(Q(pk__in=roles.readable_region_ids(user)) | Q(Exists(member_of)))
    found = list(regions)
    if user.is_authenticated:
        user.__dict__["_picker_regions"] = found
    return found


def public_regions() -> list[Region]:
    """Every region whose plan has the headline indicator, by code: one query. What the public
    page offers anyone, signed in or not."""
    headline = Indicator.objects.filter(
        plan__region=OuterRef("pk"), code=settings.HEADLINE_INDICATOR_CODE
    )
    return list(Region.objects.filter(Exists(headline)).order_by("code"))


def plan_regions() -> list[Region]:
    """Every region with an RPJMD plan, by code: one query. What the public cascade offers."""
    return list(
        Region.objects.filter(Exists(Plan.objects.filter(region=OuterRef("pk")))).order_by("code")
    )


def own_region(user: Any, regions: list[Region]) -> Region | None:
    """Of ``regions`` (the user's), the one a page shows first: a Bappeda user's own region,
    else the deployment's region, else the first."""
    scope = roles.bappeda_scope(user)
    wanted = scope.region_id if scope is not None else None
    for region in regions:
        if region.pk == wanted:
            return region
    for region in regions:
        if region.code == settings.DEFAULT_REGION_CODE:
            return region
    return regions[0] if regions else None


def choose(request: HttpRequest, regions: list[Region]) -> Region:
    """Of ``regions`` (those the page offers ``request.user``), the one named by ``?wilayah=``,
    else the user's own (:func:`own_region`). A 404 for a code not offered (another region's,
    or none that exists), and when there is no region at all."""
    code = request.GET.get(PARAM, "").strip()
    if code:
        for region in regions:
            if region.code == code:
                return region
        raise Http404(_("No such region."))
    own = own_region(request.user, regions)
    if own is None:
        raise Http404(_("No plan data has been loaded yet."))
    return own


def chosen_region(request: HttpRequest) -> Region:
    """The region the page shows ``request.user``: ``?wilayah=<code>`` when the user may see
    it, else the user's own (:func:`own_region`). A 404 for a code the user may not see (or
    that does not exist), and when no region is loaded."""
    return choose(request, regions_for(request.user))


@dataclass(frozen=True)
class RegionPicker:
    """What ``components/_region_picker.html`` shows: the regions offered, the chosen one, and
    the query parameters kept as hidden inputs (name, value)."""

    region: Region
    regions: list[Region]
    hidden: list[tuple[str, str]]

    @property
    def shown(self) -> bool:
        """Whether there is a choice to make: more than one region offered."""
        return len(self.regions) > 1


def offer(
    request: HttpRequest,
    region: Region,
    regions: list[Region] | None = None,
    keep: Iterable[str] = KEEP,
) -> RegionPicker:
    """The picker for a page showing ``region`` of ``regions`` (default: the user's,
    :func:`regions_for`, already read by :func:`chosen_region`), keeping the parameters
    ``keep`` of the request."""
    hidden = [(name, value) for name in keep if (value := request.GET.get(name, "").strip())]
    offered = regions_for(request.user) if regions is None else regions
    return RegionPicker(region=region, regions=offered, hidden=hidden)
