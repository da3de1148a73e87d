"""The work-plan pages: the list, a plan, its workflow actions, its history and the deadlines."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import retarget

from magelang.query import query_number
from opd.agencies import roles
from opd.agencies.list_region import list_region
from opd.errors import ChecklistFailed, StaleEdit, WorkflowError
from opd.models import Activity, Opd, WorkPlan
from opd.workplans import permissions, selectors, services
from opd.workplans.forms import (
    ConfirmedActionForm,
    DeadlineForm,
    ReopenForm,
    ReturnForm,
)
from opd.workplans.plan_list import PlanListFilterForm, filter_rows
from opd.workplans.renstra_lines import approved_renstras
from targets.formats import day


def _plan(request: HttpRequest, pk: int) -> WorkPlan:
    return get_object_or_404(
        WorkPlan.objects.visible_to(request.user).select_related("opd__region", "plan"), pk=pk
    )


def _plan_url(work_plan: WorkPlan, anchor: str = "") -> str:
    url = reverse("opd:work_plan", args=[work_plan.pk])
    return f"{url}#{anchor}" if anchor else url


def _plan_body(request: HttpRequest, work_plan: WorkPlan, status: int = 200) -> HttpResponse:
    """The plan's body, swapped in place of #plan-body, and the editor emptied."""
    work_plan.refresh_from_db()
    page = selectors.work_plan_page(work_plan=work_plan, user=request.user)
    response = render(
        request, "workplans/partials/_plan_body_swap.html", {"page": page}, status=status
    )
    return retarget(response, "#plan-body")


def _done(request: HttpRequest, work_plan: WorkPlan, anchor: str = "") -> HttpResponseBase:
    if request.htmx:  # type: ignore[attr-defined]
        return _plan_body(request, work_plan)
    return redirect(_plan_url(work_plan, anchor))


def _refused(request: HttpRequest, work_plan: WorkPlan, error: Exception) -> HttpResponseBase:
    messages.error(request, str(error))
    if request.htmx:  # type: ignore[attr-defined]
        return _plan_body(request, work_plan, status=409)
    return redirect(_plan_url(work_plan))


def _require_member(request: HttpRequest, work_plan: WorkPlan) -> None:
    """403 unless the user belongs to the plan's OPD (a reviewer sees the plan, cannot act)."""
    if not roles.is_member(request.user, work_plan.opd_id):
        raise PermissionDenied


def _require_reviewer(request: HttpRequest, work_plan: WorkPlan) -> None:
    """403 unless the user reviews the plan's region (a province's Bappeda reads, never acts)."""
    if not roles.reviews_region(request.user, work_plan.opd.region_id):
        raise PermissionDenied


def _not_editable(request: HttpRequest, work_plan: WorkPlan) -> HttpResponseBase | None:
    """403 for a non-member; the refusal when the plan is locked; None when it may be edited.

    Checked before any form is shown or validated, so a locked plan never offers an editor.
    """
    _require_member(request, work_plan)
    if work_plan.status in permissions.EDITABLE_STATUSES:
        return None
    return _refused(
        request,
        work_plan,
        WorkflowError(
            _("The work plan is %(status)s and cannot be changed.")
            % {"status": work_plan.get_status_display().lower()}
        ),
    )


@login_required
@require_safe
def work_plan_list(request: HttpRequest) -> HttpResponse:
    # One region at a time (the picker's; a 404 for one the user may not see).
    shown = list_region(request, keep=("tahun", "status", "terlambat"))
    years = selectors.work_plan_years(user=request.user, region=shown.region)
    year = query_number(request, "tahun")  # "abc" is a 400 that says so, not another year
    if year is None:
        year = settings.RENJA_DEFAULT_YEAR
        if years and year not in years:
            year = years[0]
    every_row, deadline = selectors.work_plan_list(
        user=request.user, year=year, region=shown.region
    )
    plan_filter = PlanListFilterForm(request.GET)
    chosen = plan_filter.cleaned_data if plan_filter.is_valid() else {}
    rows = filter_rows(
        every_row, status=chosen.get("status", ""), late_only=chosen.get("terlambat", False)
    )
    is_reviewer = roles.is_reviewer(request.user)
    # What each plan not started yet may start from: one query, asked only when a row offers
    # to start one.
    unstarted = [row.opd.pk for row in rows if row.work_plan is None]
    outside = year not in years  # no plan year: a message and nothing to start
    offered = not is_reviewer and not outside
    renstras = approved_renstras(opd_ids=unstarted, year=year) if offered else {}
    return render(
        request,
        "workplans/workplan_list.html",
        {
            "rows": rows,
            "row_count": len(every_row),
            "filtered": bool(chosen.get("status") or chosen.get("terlambat")),
            "plan_filter": plan_filter,
            "year": year,
            "years": years,
            "outside": outside,
            "deadline": deadline,
            "is_reviewer": is_reviewer,
            # The deadline page sets the deadline of the region the user reviews: offered on
            # that region's list only (never to a province's Bappeda, who reviews none).
            "sets_deadline": shown.region is not None
            and roles.reviews_region(request.user, shown.region.pk),
            "renstras": renstras,
            "region_picker": shown.picker,
            "wilayah": shown.code if shown.picker and shown.picker.shown else "",
        },
    )


@login_required
@require_POST
def work_plan_create(request: HttpRequest) -> HttpResponseBase:
    """Start an OPD's draft plan; ticked "start from the Renstra" (the list's default when
    the OPD has an approved Renstra covering the year), filled from it."""
    opd = get_object_or_404(
        Opd.objects.visible_to(request.user), pk=int_or_zero(request.POST.get("opd"))
    )
    from_renstra = request.POST.get("from_renstra") == "1"
    try:
        year = int(request.POST.get("year", ""))
        started = services.work_plan_start(
            opd=opd, year=year, by=request.user, from_renstra=from_renstra
        )
    except ValueError:
        messages.error(request, _("Choose a valid year."))
        return redirect("opd:work_plans")
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("opd:work_plans")
    if started.renstra is not None:
        messages.success(
            request,
            _(
                "The draft work plan was created from the Renstra %(first)s–%(last)s: "
                "programs %(programs)s, activities %(activities)s, with their %(year)s targets. "
                "Each program's Renstra pagu was split evenly over its activities: divide it as "
                "planned, and fill in what the checklist asks."
            )
            % {
                "first": started.renstra.plan.first_year,
                "last": started.renstra.plan.last_year,
                "programs": started.programs,
                "activities": started.activities,
                "year": year,
            },
        )
    else:
        messages.success(request, _("The draft work plan was created."))
        if from_renstra:
            messages.warning(
                request,
                _("It starts empty: %(opd)s has no approved Renstra covering %(year)s.")
                % {"opd": opd.name, "year": year},
            )
    return redirect(_plan_url(started.work_plan))


@login_required
@require_safe
def work_plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    work_plan = _plan(request, pk)
    page = selectors.work_plan_page(work_plan=work_plan, user=request.user)
    return render(request, "workplans/workplan_detail.html", {"page": page})


@login_required
@require_POST
def work_plan_submit(request: HttpRequest, pk: int) -> HttpResponseBase:
    work_plan = _plan(request, pk)
    _require_member(request, work_plan)
    form = ConfirmedActionForm(request.POST)
    if not form.is_valid():
        return _refused(request, work_plan, form.refusal(_("Tick “I am sure” to submit the plan.")))
    try:
        services.work_plan_submit(
            work_plan_id=work_plan.pk,
            by=request.user,
            seen_version=form.cleaned_data["seen_version"],
        )
    except ChecklistFailed as failed:
        return _refused(
            request,
            work_plan,
            WorkflowError(
                _("The plan was not submitted: %(count)s checklist item(s) remain.")
                % {"count": len(failed.problems)}
            ),
        )
    except StaleEdit:
        return _refused(request, work_plan, _stale_plan_error())
    except WorkflowError as error:
        return _refused(request, work_plan, error)
    messages.success(request, _("The work plan was submitted to Bappeda for review."))
    return _done(request, work_plan)


def _stale_plan_error() -> WorkflowError:
    return WorkflowError(
        _(
            "The plan changed since you opened it; the page now shows the latest version. Check it and try again."
        )
    )


@login_required
@require_POST
def work_plan_approve(request: HttpRequest, pk: int) -> HttpResponseBase:
    work_plan = _plan(request, pk)
    _require_reviewer(request, work_plan)
    form = ConfirmedActionForm(request.POST)
    if not form.is_valid():
        return _refused(
            request, work_plan, form.refusal(_("Tick “I am sure” to approve the plan."))
        )
    try:
        services.work_plan_approve(
            work_plan_id=work_plan.pk,
            by=request.user,
            seen_version=form.cleaned_data["seen_version"],
        )
    except StaleEdit:
        return _refused(request, work_plan, _stale_plan_error())
    except WorkflowError as error:
        return _refused(request, work_plan, error)
    messages.success(request, _("The work plan was approved and is now locked."))
    return _done(request, work_plan)


@login_required
@require_http_methods(["GET", "POST"])
def work_plan_return(request: HttpRequest, pk: int) -> HttpResponseBase:
    work_plan = _plan(request, pk)
    _require_reviewer(request, work_plan)
    if not permissions.can_review(request.user, work_plan):
        return _refused(
            request, work_plan, WorkflowError(_("Only a submitted work plan can be reviewed."))
        )
    activities = list(
        Activity.objects.filter(program__work_plan=work_plan).select_related("program")
    )
    form = ReturnForm(
        request.POST or None,
        activities=activities,
        initial={"seen_version": work_plan.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.work_plan_return(
                work_plan_id=work_plan.pk,
                by=request.user,
                seen_version=form.cleaned_data["seen_version"],
                comment=form.cleaned_data["comment"],
                activity_comments=form.activity_comments(),
            )
        except StaleEdit:
            return _refused(request, work_plan, _stale_plan_error())
        except WorkflowError as error:
            return _refused(request, work_plan, error)
        messages.success(request, _("The work plan was returned to the OPD with your comments."))
        return redirect(_plan_url(work_plan))
    return render(request, "workplans/workplan_return.html", {"work_plan": work_plan, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def work_plan_reopen(request: HttpRequest, pk: int) -> HttpResponseBase:
    work_plan = _plan(request, pk)
    _require_reviewer(request, work_plan)
    if not permissions.can_reopen(request.user, work_plan):
        return _refused(
            request, work_plan, WorkflowError(_("Only an approved work plan can be reopened."))
        )
    form = ReopenForm(request.POST or None, initial={"seen_version": work_plan.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.work_plan_reopen(
                work_plan_id=work_plan.pk,
                by=request.user,
                seen_version=form.cleaned_data["seen_version"],
                reason=form.cleaned_data["reason"],
            )
        except StaleEdit:
            return _refused(request, work_plan, _stale_plan_error())
        except WorkflowError as error:
            return _refused(request, work_plan, error)
        messages.success(request, _("The work plan was reopened; the OPD can change it again."))
        return redirect(_plan_url(work_plan))
    return render(request, "workplans/workplan_reopen.html", {"work_plan": work_plan, "form": form})


@login_required
@require_safe
def work_plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    work_plan = _plan(request, pk)
    return render(
        request,
        "workplans/workplan_history.html",
        {"work_plan": work_plan, "entries": selectors.history_of(work_plan)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def deadline_form(request: HttpRequest) -> HttpResponseBase:
    # The deadlines of the region the user reviews; a province's Bappeda sets none.
    region_id = roles.reviewed_region_id(request.user)
    if region_id is None:
        raise PermissionDenied
    from targets.models import Region

    region = get_object_or_404(Region, pk=region_id)
    form = DeadlineForm(request.POST or None, initial={"year": settings.RENJA_DEFAULT_YEAR})
    if request.method == "POST" and form.is_valid():
        deadline = services.deadline_set(
            region=region,
            year=form.cleaned_data["year"],
            due_date=form.cleaned_data["due_date"],
            by=request.user,
        )
        messages.success(
            request,
            _("The deadline for %(year)s work plans is now %(date)s.")
            % {"year": deadline.year, "date": day(deadline.due_date)},
        )
        return redirect(f"{reverse('opd:work_plans')}?tahun={deadline.year}")
    return render(request, "workplans/deadline_form.html", {"form": form})


def int_or_zero(raw: str | None) -> int:
    """``raw`` as a whole number; 0 when it is missing or not one (a tampered form field)."""
    try:
        return int(raw or 0)
    except ValueError:
        return 0
