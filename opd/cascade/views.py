"""The cascade pages (kaskade kinerja).

One region at a time, chosen with the region picker (``opd.agencies.list_region``); the
public page offers any region with a plan (the deployment's by default). Who sees what (``opd.cascade.scope``): a Bappeda
reviewer sees the region's whole cascade; an
OPD member sees the same tree with only their own OPDs' Renstra programs and activities
(another OPD's activity page is a 404);
anyone else signed in sees the tree without activities. The public part (``/publik/kaskade/``)
is for everyone, signed in or not: the same tree with the approved Renstras and the approved
plans' activities only.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from magelang.query import query_number
from opd.agencies import picker, roles
from opd.agencies.list_region import list_region
from opd.cascade import selectors
from opd.cascade.scope import page_scope, public_scope


@require_safe
@login_required
def cascade(request: HttpRequest) -> HttpResponse:
    """Down: mission → goal → objective → indicator → Renstra program → the year's Renja
    activities (``?tahun=``)."""
    # One region at a time (the picker's; a 404 for one the user may not see).
    shown = list_region(request, keep=("tahun",))
    data = selectors.cascade(
        scope=page_scope(request.user), year=query_number(request, "tahun"), region=shown.region
    )
    return render(
        request,
        "cascade/cascade.html",
        {
            "data": data,
            "is_reviewer": roles.is_reviewer(request.user),
            "region_picker": shown.picker,
            "wilayah": shown.code if shown.picker and shown.picker.shown else "",
        },
    )


@require_safe
@login_required
def activity(request: HttpRequest, activity_id: int) -> HttpResponse:
    """Up: an activity, its Renstra activity and program, and the chain above them to the
    RPJMD's mission."""
    chain = selectors.activity_chain(scope=page_scope(request.user), activity_id=activity_id)
    if chain is None:
        raise Http404(_("No such activity."))
    return render(request, "cascade/activity.html", {"chain": chain})


@require_safe
def public_cascade(request: HttpRequest) -> HttpResponse:
    """The public part: the same tree with approved Renstras and plans only. No login. Any
    region with an RPJMD plan may be chosen (``?wilayah=``), the deployment's by default."""
    regions = picker.plan_regions()
    # No plan loaded anywhere: the page says so (a 404 only for a region named in vain).
    region = picker.choose(request, regions) if regions or request.GET.get(picker.PARAM) else None
    data = selectors.cascade(
        scope=public_scope(), year=query_number(request, "tahun"), region=region
    )
    return render(
        request,
        "cascade/cascade.html",
        {
            "data": data,
            "public": True,
            "region_picker": region and picker.offer(request, region, regions, keep=("tahun",)),
            "wilayah": region.code if region else "",
        },
    )
