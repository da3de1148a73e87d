"""The Renstra pages: the list, one Renstra, its workflow (submit, return, approve) and its
history, shaped as the Renja's (``opd.workplans.views``).

Scoping: a Renstra the user may not see is a 404 (``selectors.renstras_visible_to``); an action
the user's role never takes is a 403; an action the Renstra's state forbids is a message and
the Renstra's page again. A GET never writes.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from opd.agencies import roles
from opd.agencies.list_region import list_region
from opd.errors import ChecklistFailed, StaleEdit, WorkflowError
from opd.models import Opd, Renstra
from opd.renstra import selectors, services
from opd.renstra.forms import RenstraReturnForm
from opd.renstra.history import entries_with_changes
from opd.workplans.forms import ConfirmedActionForm
from opd.workplans.views import int_or_zero as int_or_zero  # one rule for both rooms
from targets.models import Plan


def renstra_of(request: HttpRequest, pk: int) -> Renstra:
    """The Renstra ``pk`` with its OPD and plan, or a 404 when the user may not see it."""
    return get_object_or_404(
        selectors.renstras_visible_to(request.user).select_related("opd__region", "plan"), pk=pk
    )


def renstra_url(renstra: Renstra, anchor: str = "") -> str:
    url = reverse("renstra:detail", args=[renstra.pk])
    return f"{url}#{anchor}" if anchor else url


def refused(request: HttpRequest, renstra: Renstra, error: Exception) -> HttpResponseBase:
    """The refusal's message on the Renstra's page; nothing was written."""
    messages.error(request, str(error))
    return redirect(renstra_url(renstra))


def require_member(request: HttpRequest, renstra: Renstra) -> None:
    """403 unless the user belongs to the Renstra's OPD (a reviewer sees it, cannot edit it)."""
    if not roles.is_member(request.user, renstra.opd_id):
        raise PermissionDenied


def not_editable(request: HttpRequest, renstra: Renstra) -> HttpResponseBase | None:
    """403 for a non-member; the refusal when the Renstra is locked; None when it may be
    edited. Checked before any form is shown or validated, so a locked Renstra offers no
    editor."""
    require_member(request, renstra)
    if renstra.status in services.EDITABLE_STATUSES:
        return None
    return refused(
        request,
        renstra,
        WorkflowError(
            _("The Renstra is %(status)s and cannot be changed.")
            % {"status": renstra.get_status_display().lower()}
        ),
    )


def stale_error() -> WorkflowError:
    return WorkflowError(
        _(
            "The Renstra changed since you opened it; the page now shows the latest version. Check it and try again."
        )
    )


@login_required
@require_safe
def renstra_list(request: HttpRequest) -> HttpResponse:
    # One region at a time (the picker's; a 404 for one the user may not see).
    shown = list_region(request, keep=("periode",))
    plans = selectors.region_plans(shown.region)
    plan = selectors.current_plan(plans)
    wanted = request.GET.get("periode", "")
    if wanted:  # another period, chosen by its plan; an unknown one falls back to the current
        plan = next((p for p in plans if str(p.pk) == wanted), plan)
    rows = selectors.renstra_list(user=request.user, plan=plan) if plan else []
    return render(
        request,
        "renstra/renstra_list.html",
        {
            "plans": plans,
            "plan": plan,
            "rows": rows,
            "is_reviewer": roles.is_reviewer(request.user),
            "region_picker": shown.picker,
            "wilayah": shown.code if shown.picker and shown.picker.shown else "",
        },
    )


@login_required
@require_POST
def renstra_create(request: HttpRequest) -> HttpResponseBase:
    opd = get_object_or_404(
        Opd.objects.visible_to(request.user), pk=int_or_zero(request.POST.get("opd"))
    )
    plan = get_object_or_404(
        Plan, pk=int_or_zero(request.POST.get("plan")), region_id=opd.region_id
    )
    try:
        renstra = services.renstra_create(opd=opd, plan=plan, by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('renstra:list')}?periode={plan.pk}")
    messages.success(request, _("The draft Renstra was created."))
    return redirect(renstra_url(renstra))


@login_required
@require_safe
def renstra_detail(request: HttpRequest, pk: int) -> HttpResponse:
    renstra = renstra_of(request, pk)
    page = selectors.renstra_page(renstra=renstra, user=request.user)
    return render(request, "renstra/renstra_detail.html", {"page": page})


@login_required
@require_POST
def renstra_submit(request: HttpRequest, pk: int) -> HttpResponseBase:
    renstra = renstra_of(request, pk)
    require_member(request, renstra)
    form = ConfirmedActionForm(request.POST)
    if not form.is_valid():
        return refused(request, renstra, form.refusal(_("Tick “I am sure” to submit the Renstra.")))
    try:
        services.renstra_submit(
            renstra_id=renstra.pk, by=request.user, seen_version=form.cleaned_data["seen_version"]
        )
    except ChecklistFailed as failed:
        return refused(
            request,
            renstra,
            WorkflowError(
                _("The Renstra was not submitted: %(count)s checklist item(s) remain.")
                % {"count": len(failed.problems)}
            ),
        )
    except StaleEdit:
        return refused(request, renstra, stale_error())
    except WorkflowError as error:
        return refused(request, renstra, error)
    messages.success(request, _("The Renstra was submitted to Bappeda for review."))
    return redirect(renstra_url(renstra))


@login_required
@require_POST
def renstra_approve(request: HttpRequest, pk: int) -> HttpResponseBase:
    renstra = renstra_of(request, pk)
    if not roles.reviews_region(request.user, renstra.opd.region_id):
        raise PermissionDenied
    form = ConfirmedActionForm(request.POST)
    if not form.is_valid():
        return refused(
            request, renstra, form.refusal(_("Tick “I am sure” to approve the Renstra."))
        )
    try:
        services.renstra_approve(
            renstra_id=renstra.pk, by=request.user, seen_version=form.cleaned_data["seen_version"]
        )
    except StaleEdit:
        return refused(request, renstra, stale_error())
    except WorkflowError as error:
        return refused(request, renstra, error)
    messages.success(request, _("The Renstra was approved and is now locked."))
    return redirect(renstra_url(renstra))


@login_required
@require_http_methods(["GET", "POST"])
def renstra_return(request: HttpRequest, pk: int) -> HttpResponseBase:
    renstra = renstra_of(request, pk)
    if not roles.reviews_region(request.user, renstra.opd.region_id):
        raise PermissionDenied
    if not services.can_review(request.user, renstra):
        return refused(
            request, renstra, WorkflowError(_("Only a submitted Renstra can be reviewed."))
        )
    form = RenstraReturnForm(request.POST or None, initial={"seen_version": renstra.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.renstra_return(
                renstra_id=renstra.pk,
                by=request.user,
                seen_version=form.cleaned_data["seen_version"],
                comment=form.cleaned_data["comment"],
            )
        except StaleEdit:
            return refused(request, renstra, stale_error())
        except WorkflowError as error:
            return refused(request, renstra, error)
        messages.success(request, _("The Renstra was returned to the OPD with your comment."))
        return redirect(renstra_url(renstra))
    status = 422 if request.method == "POST" else 200
    return render(
        request, "renstra/renstra_return.html", {"renstra": renstra, "form": form}, status=status
    )


@login_required
@require_safe
def renstra_history(request: HttpRequest, pk: int) -> HttpResponse:
    renstra = renstra_of(request, pk)
    entries = entries_with_changes(selectors.history_of(renstra))
    return render(request, "renstra/renstra_history.html", {"renstra": renstra, "entries": entries})
