"""The public status of an aspiration, without login: the lookup by reference number with the
list per kelurahan (``/publik/usulan/``), and one aspiration's page
(``/publik/usulan/<reference>/``). Neither shows the proposer's name or contact.

The lookup answers as users and HTTP both expect: a reference found is a redirect to its page
(302, so the address bar holds the page to bookmark or share); one in the shape of a reference
that no aspiration has is the form again with the message and status 404 (nothing is found at
what was asked for); one not in that shape, or nothing typed, is the form with what is wrong
and status 400 (the request itself cannot be answered). The list below the form is there in
every case, so the visitor can go on from where they are.

A reference number is found whatever its region. The list is of one region (``?wilayah=``, any
kota or kabupaten with a plan, the deployment's by default, with the region picker as on the
public dashboard); a region not offered is a 404.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from magelang.query import query_number, query_param
from opd.agencies import picker
from opd.aspirations import selectors

#: How a reference number looks, for the messages and the help under the field.
EXAMPLE = "MSR-2018-7QK4"


@require_safe
def public_lookup(request: HttpRequest) -> HttpResponse:
    """The lookup form (``?nomor=``) and, below it, the aspirations of a year per kelurahan
    (``?tahun=``, ``?kelurahan=<code>``, ``?halaman=``): titles and stages only."""
    typed = query_param(request, "nomor").strip()
    message = ""
    status = 200
    if "nomor" in request.GET:
        reference = selectors.normalise_reference(typed)
        if not typed:
            message = _("Type the reference number of the aspiration, for example %(example)s.")
            status = 400
        elif not selectors.is_reference(reference):
            message = _(
                "“%(typed)s” is not a reference number. A reference number has the forum, the "
                "year and four letters or digits, for example %(example)s."
            )
            status = 400
        elif selectors.reference_exists(reference):
            return redirect("aspirations:public_detail", reference=reference)
        else:
            message = _(
                "No aspiration has the reference number %(reference)s. Check it against the "
                "receipt from the forum, or ask your kelurahan."
            )
            status = 404
        message = message % {"typed": typed[:60], "example": EXAMPLE, "reference": reference}
    plans = selectors.public_plans()
    regions = selectors.plan_regions(plans)
    region = picker.choose(request, regions) if regions else None
    years, default_year = selectors.plan_years(
        [plan for plan in plans if region is not None and plan.region_id == region.pk]
    )
    year = query_number(request, "tahun") or default_year
    if year not in years:
        raise BadRequest(
            _("The address parameter “%(name)s” must be a year of the plan: %(years)s.")
            % {"name": "tahun", "years": ", ".join(str(y) for y in years)}
        )
    choices = selectors.kelurahan_choices(region)
    code = query_param(request, "kelurahan")
    kelurahan = next((k for k in choices if k.code == code), None) if code else None
    if code and kelurahan is None:
        raise BadRequest(_("The address names a kelurahan that the portal does not know."))
    try:
        page, paginator = selectors.public_list(
            region=region,
            year=year,
            kelurahan=kelurahan,
            page_number=query_number(request, "halaman") or 1,
        )
    except EmptyPage:
        raise Http404(_("The list has no such page.")) from None
    return render(
        request,
        "aspirations/public_lookup.html",
        {
            "typed": typed,
            "message": message,
            "example": EXAMPLE,
            "year": year,
            "years": years,
            "kelurahan": kelurahan,
            "kelurahan_choices": choices,
            "region": region,
            # A change of region keeps no year or kelurahan: the other region may not have them.
            "region_picker": picker.offer(request, region, regions, keep=())
            if region is not None
            else None,
            "page": page,
            "paginator": paginator,
        },
        status=status,
    )


@require_safe
def public_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """One aspiration's stages with their dates, the reason or the activity, the plan's status
    and the realisation so far. A reference typed into the address in another case or with
    misread characters is sent to its own address; an unknown one is a 404 page saying so."""
    canonical = selectors.normalise_reference(reference)
    if canonical != reference and selectors.is_reference(canonical):
        return redirect("aspirations:public_detail", reference=canonical, permanent=True)
    found = selectors.public_status(reference) if selectors.is_reference(reference) else None
    if found is None:
        return render(
            request,
            "aspirations/public_not_found.html",
            {"reference": reference, "example": EXAMPLE},
            status=404,
        )
    return render(request, "aspirations/public_detail.html", {"found": found})
