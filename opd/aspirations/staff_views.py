"""The staff pages of the aspirations under ``/usulan/``: the list, the intake, one aspiration's
page (its facts, history and the actions the user may take now) and the correction of its
details. The stage actions are ``stage_views``.

Who sees which aspiration is ``staff_selectors.visible_to``; a signed-in user with no
aspiration role at all is refused (403), an aspiration the user does not see is a 404. The list
shows one region (``?wilayah=``, one of ``staff_selectors.aspiration_regions``; by default the
user's own, for a province's Bappeda the deployment's region if under it, else the first under
it: ``opd.agencies.picker.own_region``); a region the user does not see is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import EmptyPage
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from magelang.query import query_number, query_param
from opd.agencies import picker, roles
from opd.aspirations import services
from opd.aspirations import staff_selectors as selectors
from opd.aspirations.forms import (
    AcceptForm,
    EditForm,
    IntakeForm,
    RecommendForm,
    RejectForm,
    VerifyForm,
)
from opd.aspirations.models import Aspiration, AspirationForum, AspirationStatus
from opd.errors import StaleEdit, WorkflowError
from targets.models import MAX_YEAR, MIN_YEAR, Region

#: The prefix of each stage form on the detail page (its fields are ``<prefix>-<name>``).
PREFIX = {"verify": "verify", "recommend": "recommend", "accept": "accept", "reject": "reject"}


def require_role(request: HttpRequest) -> None:
    """403 unless the user has aspiration pages at all (Bappeda, area staff, an OPD member)."""
    if not selectors.has_role(request.user):
        raise PermissionDenied(
            _("The aspiration pages are for Bappeda, kelurahan and kecamatan staff and the OPDs.")
        )


def visible_aspiration(request: HttpRequest, pk: int) -> Aspiration:
    """The aspiration ``pk`` as its page shows it; 403 without a role, 404 if not seen."""
    require_role(request)
    aspiration = selectors.aspiration_for(request.user, pk)
    if aspiration is None:
        raise Http404(_("No aspiration with this number is visible to you."))
    return aspiration


def detail_redirect(aspiration: Aspiration) -> HttpResponseBase:
    return redirect("aspirations:staff_detail", pk=aspiration.pk)


def stale_message() -> str:
    return _(
        "Someone else changed this aspiration first; the page now shows the latest version. "
        "Check it and try again."
    )


def errors_in_words(form: BaseForm) -> str:
    """A form's errors as one sentence per field, for a message after a redirect."""
    parts = []
    for name, errors in form.errors.items():
        text = " ".join(str(e) for e in errors)
        label = form.fields[name].label if name in form.fields else None
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)


def add_service_error(form: BaseForm, error: ValidationError | WorkflowError) -> None:
    """A service's refusal beside the field it names, else above the form."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return
    form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))


# --- the list ------------------------------------------------------------------------------


def _list_filter(request: HttpRequest, places: list[Any]) -> selectors.ListFilter:
    """The filter from the address; a value the list cannot use is a 400 naming it."""
    year = query_number(request, "tahun")
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise BadRequest(
            _("The address parameter “%(name)s” must be a year between %(first)s and %(last)s.")
            % {"name": "tahun", "first": MIN_YEAR, "last": MAX_YEAR}
        )
    status = query_param(request, "tahap")
    if status and status not in AspirationStatus.values:
        raise BadRequest(
            _("The address parameter “%(name)s” must be one of: %(values)s.")
            % {"name": "tahap", "values": ", ".join(AspirationStatus.values)}
        )
    forum = query_param(request, "forum")
    if forum and forum not in AspirationForum.values:
        raise BadRequest(
            _("The address parameter “%(name)s” must be one of: %(values)s.")
            % {"name": "forum", "values": ", ".join(AspirationForum.values)}
        )
    code = query_param(request, "kelurahan")
    kelurahan = next((k for k in places if k.code == code), None) if code else None
    if code and kelurahan is None:
        raise BadRequest(
            _("The address parameter “%(name)s” names a kelurahan that is not in your list.")
            % {"name": "kelurahan"}
        )
    return selectors.ListFilter(year=year, status=status, forum=forum, kelurahan=kelurahan)


@login_required
@require_safe
def staff_list(request: HttpRequest) -> HttpResponse:
    """The aspirations the user sees (``?tahun=``, ``?tahap=``, ``?forum=``,
    ``?kelurahan=<code>``, ``?halaman=``) of one region (``?wilayah=``),
    :data:`staff_selectors.PER_PAGE` a page."""
    require_role(request)
    regions = selectors.aspiration_regions(request.user)
    region = picker.choose(request, regions)
    places = selectors.list_kelurahan(request.user, region)
    chosen = _list_filter(request, places)
    try:
        page, paginator = selectors.staff_list(
            user=request.user,
            region=region,
            chosen=chosen,
            page_number=query_number(request, "halaman") or 1,
        )
    except EmptyPage:
        raise Http404(_("The list has no such page.")) from None
    return render(
        request,
        "aspirations/staff/list.html",
        {
            "page": page,
            "paginator": paginator,
            "chosen": chosen,
            "filtered": bool(chosen.year or chosen.status or chosen.forum or chosen.kelurahan),
            "places": places,
            "statuses": AspirationStatus.choices,
            "forums": AspirationForum.choices,
            "may_record": selectors.may_record(request.user),
            # The summary is Bappeda's, of a region it reads.
            "reads_region": roles.reads_region(request.user, region.pk),
            "region": region,
            "region_picker": picker.offer(
                request, region, regions, keep=("tahun", "tahap", "forum")
            ),
        },
    )


# --- the intake and the correction ---------------------------------------------------------


def _form_kwargs(request: HttpRequest) -> dict[str, Any]:
    places = list(selectors.intake_kelurahan(request.user))
    return {
        "places": places,
        "indicators": selectors.intake_indicators(request.user, places),
        "city_wide": roles.reviewed_region_id(request.user) is not None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse | HttpResponseBase:
    """Record an aspiration from a forum; on success its page, with the reference number."""
    require_role(request)
    if not selectors.may_record(request.user):
        raise PermissionDenied(
            _("Only Bappeda, or the staff of a kelurahan or kecamatan, can record an aspiration.")
        )
    form = IntakeForm(request.POST or None, **_form_kwargs(request))
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if values["kelurahan"] is None:  # a city-wide aspiration: the region Bappeda reviews
            reviewed = roles.reviewed_region_id(request.user)
            values["region"] = Region.objects.filter(pk=reviewed).first() if reviewed else None
        try:
            aspiration = services.aspiration_create(by=request.user, values=values)
        except (WorkflowError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                format_html(
                    _(
                        "The aspiration was recorded. Its reference number is {reference}. Give "
                        "it to the proposer: with it they can follow the aspiration."
                    ),
                    reference=format_html(
                        "<strong class='reference' data-testid='new-reference'>{}</strong>",
                        aspiration.reference,
                    ),
                ),
            )
            return detail_redirect(aspiration)
    return render(
        request,
        "aspirations/staff/form.html",
        {"form": form, "aspiration": None},
        status=422 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse | HttpResponseBase:
    """Correct a received or verified aspiration's details, with the version seen."""
    aspiration = visible_aspiration(request, pk)
    if not selectors.role_allows(request.user, aspiration, "edit"):
        raise PermissionDenied(
            _("Only Bappeda, or the staff of its kelurahan or kecamatan, can change an aspiration.")
        )
    if aspiration.status not in services.EDITABLE:
        messages.error(
            request,
            _("The aspiration is %(status)s: its details can no longer be changed.")
            % {"status": aspiration.get_status_display().lower()},
        )
        return detail_redirect(aspiration)
    form = EditForm(request.POST or None, instance=aspiration, **_form_kwargs(request))
    if request.method == "POST" and form.is_valid():
        seen = form.cleaned_data["seen_version"]
        try:
            saved = services.aspiration_update(
                aspiration_id=aspiration.pk,
                by=request.user,
                seen_version=seen,
                values=form.values(),
            )
        except StaleEdit:
            messages.warning(request, stale_message())
            return detail_redirect(aspiration)
        except (WorkflowError, ValidationError) as error:
            add_service_error(form, error)
        else:
            if saved.version == seen:  # the service writes nothing when nothing changed
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(request, _("The aspiration's details were saved."))
            return detail_redirect(aspiration)
    return render(
        request,
        "aspirations/staff/form.html",
        {"form": form, "aspiration": aspiration},
        status=422 if form.is_bound else 200,
    )


# --- one aspiration ------------------------------------------------------------------------


@login_required
@require_safe
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """All the facts of one aspiration, its history, and the actions the user may take now."""
    aspiration = visible_aspiration(request, pk)
    user = request.user
    actions = selectors.actions_for(user, aspiration)
    version = {"seen_version": aspiration.version}
    forms: dict[str, Any] = {}
    if actions.verify:
        forms["verify"] = VerifyForm(initial=version, prefix=PREFIX["verify"])
    if actions.recommend:
        forms["recommend"] = RecommendForm(
            initial=version,
            prefix=PREFIX["recommend"],
            opds=selectors.recommend_opds(aspiration),
        )
    if actions.accept:
        forms["accept"] = AcceptForm(
            initial=version,
            prefix=PREFIX["accept"],
            activities=selectors.accept_activities(aspiration),
        )
    if actions.reject:
        forms["reject"] = RejectForm(initial=version, prefix=PREFIX["reject"])
    return render(
        request,
        "aspirations/staff/detail.html",
        {
            "aspiration": aspiration,
            "sees_proposer": selectors.sees_proposer(user, aspiration),
            "history": selectors.history(aspiration),
            "actions": actions,
            "forms": forms,
        },
    )
