"""Editing a plan in the browser: programs, activities and quarterly realisations (HTMX and plain forms)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opd.agencies import roles
from opd.aspirations import services as aspirations
from opd.errors import StaleEdit, WorkflowError
from opd.models import Activity, Program, Realisation, WorkPlan
from opd.transactions import atomic_retrying_once
from opd.workplans import permissions, selectors, services
from opd.workplans.conflict_forms import MergeOnConflictMixin
from opd.workplans.forms import (
    ActivityForm,
    ProgramForm,
    RealisationForm,
)
from opd.workplans.link_forms import AspirationLinksForm, LinkChange
from opd.workplans.models import QUARTERS
from opd.workplans.services import ActivityData
from opd.workplans.views import (
    _done,
    _not_editable,
    _plan,
    _refused,
    _stale_plan_error,
    int_or_zero,
)
from targets.formats import figure


def _rebase(form: MergeOnConflictMixin, current: Activity | Program | Realisation | None) -> bool:
    """Merge what the person posted onto ``current``, the stored record: saving again applies it.

    Fields only the other person changed take their values, fields only this person
    changed keep theirs, and a field both changed offers both values to choose from
    (see :mod:`opd.workplans.merge`). The conflict message lists what the other person changed.
    False when the record was deleted meanwhile.
    """
    if current is None:
        return False
    form.rebase(current)
    return True


def _editor(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The form alone for HTMX (into #editor), or inside a full page without JavaScript."""
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, f"workplans/partials/_{template}.html", context, status=status)
    return render(request, f"workplans/{template}.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def program_form(request: HttpRequest, pk: int, program_pk: int | None = None) -> HttpResponseBase:
    work_plan = _plan(request, pk)
    if refusal := _not_editable(request, work_plan):
        return refusal
    program = get_object_or_404(Program, pk=program_pk, work_plan=work_plan) if program_pk else None
    form = ProgramForm(request.POST or None, instance=program, work_plan=work_plan)
    context = {"work_plan": work_plan, "form": form, "program": program}
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ProgramForm.Meta.fields}
        values.update(form.link_values())  # its Renstra line, when the form offered it
        try:
            if program is None:
                program = services.program_create(
                    work_plan_id=work_plan.pk, by=request.user, values=values
                )
            else:
                services.program_update(
                    program_id=program.pk,
                    by=request.user,
                    values=values,
                    seen_version=form.cleaned_data["seen_version"] or 0,
                )
        except StaleEdit as stale:
            current = Program.objects.filter(pk=program.pk).first() if program else None
            if not _rebase(form, current):
                return _refused(request, work_plan, services.record_gone())
            return _editor(request, "program_form", {**context, "stale": stale}, status=409)
        except WorkflowError as error:
            return _refused(request, work_plan, error)
        messages.success(request, _("Program %(program)s was saved.") % {"program": program})
        return _done(request, work_plan, f"program-{program.pk}")
    status = 422 if request.method == "POST" else 200
    return _editor(request, "program_form", context, status=status)


@login_required
@require_POST
def program_delete(request: HttpRequest, pk: int, program_pk: int) -> HttpResponseBase:
    work_plan = _plan(request, pk)
    if refusal := _not_editable(request, work_plan):
        return refusal
    program = get_object_or_404(Program, pk=program_pk, work_plan=work_plan)
    try:
        services.program_delete(
            program_id=program.pk,
            by=request.user,
            seen_version=int_or_zero(request.POST.get("seen_version")),
        )
    except StaleEdit:
        return _refused(request, work_plan, _stale_plan_error())
    except WorkflowError as error:
        return _refused(request, work_plan, error)
    messages.success(request, _("The program was deleted."))
    return _done(request, work_plan)


@login_required
@require_http_methods(["GET", "POST"])
def activity_form(
    request: HttpRequest, pk: int, activity_pk: int | None = None
) -> HttpResponseBase:
    work_plan = _plan(request, pk)
    if refusal := _not_editable(request, work_plan):
        return refusal
    activity = (
        get_object_or_404(Activity, pk=activity_pk, program__work_plan=work_plan)
        if activity_pk
        else None
    )
    initial = {}
    if activity is None and request.GET.get("program"):
        initial["program"] = int_or_zero(request.GET.get("program"))
    form = ActivityForm(
        request.POST or None,
        instance=activity,
        work_plan=work_plan,
        indicators=selectors.plan_indicators(work_plan),
        initial=initial,
    )
    links = _links_form(request, work_plan, activity)
    context = {
        "work_plan": work_plan,
        "form": form,
        "links": links,
        "activity": activity,
        "comments": selectors.activity_comments(activity) if activity else [],
    }
    # Both forms validated, so every error shows at once.
    if request.method == "POST" and all([form.is_valid(), links.is_valid()]):
        data = ActivityData(
            values={
                **{name: form.cleaned_data[name] for name in ActivityForm.Meta.fields},
                **form.link_values(),  # its Renstra line, when the form offered it
            },
            contributions=form.contributions(),
            evidence=form.evidence(),
        )
        try:
            saved = _save_activity(
                work_plan=work_plan,
                activity=activity,
                by=request.user,
                data=data,
                seen_version=form.cleaned_data["seen_version"] or 0,
                links=links.changes(),
            )
        except StaleEdit as stale:
            current = Activity.objects.filter(pk=activity.pk).first() if activity else None
            if not _rebase(form, current):
                return _refused(request, work_plan, services.record_gone())
            return _editor(request, "activity_form", {**context, "stale": stale}, status=409)
        except _LinkRefused as refused:
            # Nothing was saved: the boxes again, as the aspirations are now.
            links = _links_form(request, work_plan, activity)
            if links.is_valid():  # the refusal was no stale version: say why
                links.add_error(None, str(refused.error))
            return _editor(request, "activity_form", {**context, "links": links}, status=409)
        except WorkflowError as error:
            return _refused(request, work_plan, error)
        messages.success(request, _("Activity %(activity)s was saved.") % {"activity": saved})
        _say_links(request, links.changes())
        return _done(request, work_plan, f"activity-{saved.pk}")
    status = 422 if request.method == "POST" else 200
    if links.stale:
        status = 409
    return _editor(request, "activity_form", context, status=status)


def _links_form(
    request: HttpRequest, work_plan: WorkPlan, activity: Activity | None
) -> AspirationLinksForm:
    return AspirationLinksForm(
        request.POST or None,
        aspirations=selectors.activity_aspirations(work_plan=work_plan, activity=activity),
        activity=activity,
    )


class _LinkRefused(Exception):
    """An aspiration service refused a link: the activity's save is undone with it."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


@atomic_retrying_once
def _save_activity(
    *,
    work_plan: WorkPlan,
    activity: Activity | None,
    by: Any,
    data: ActivityData,
    seen_version: int,
    links: list[LinkChange],
) -> Activity:
    """The activity saved and the aspirations taken up or given back: one transaction, so a
    refusal of either (a conflict, a stale aspiration, a locked plan) leaves both unchanged.

    The lock order holds: each service locks the plan before its own row (the activity's,
    then the aspirations' in ascending id order).
    """
    if activity is None:
        activity = services.activity_create(work_plan_id=work_plan.pk, by=by, data=data)
    else:
        activity = services.activity_update(
            activity_id=activity.pk, by=by, data=data, seen_version=seen_version
        )
    for change in sorted(links, key=lambda change: change.aspiration_id):
        try:
            if change.link:
                aspirations.aspiration_accept(
                    aspiration_id=change.aspiration_id,
                    by=by,
                    seen_version=change.seen_version,
                    activity=activity,
                )
            else:
                aspirations.aspiration_release(
                    aspiration_id=change.aspiration_id, by=by, seen_version=change.seen_version
                )
        except (StaleEdit, WorkflowError) as error:
            raise _LinkRefused(error) from error
    return activity


def _say_links(request: HttpRequest, changes: list[LinkChange]) -> None:
    taken = ", ".join(change.reference for change in changes if change.link)
    given_back = ", ".join(change.reference for change in changes if not change.link)
    if taken:
        messages.success(
            request, _("Aspirations taken up: %(references)s.") % {"references": taken}
        )
    if given_back:
        messages.success(
            request,
            _("Aspirations given back to the OPD's recommended list: %(references)s.")
            % {"references": given_back},
        )


@login_required
@require_POST
def activity_delete(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponseBase:
    work_plan = _plan(request, pk)
    if refusal := _not_editable(request, work_plan):
        return refusal
    activity = get_object_or_404(Activity, pk=activity_pk, program__work_plan=work_plan)
    try:
        services.activity_delete(
            activity_id=activity.pk,
            by=request.user,
            seen_version=int_or_zero(request.POST.get("seen_version")),
        )
    except StaleEdit:
        return _refused(
            request,
            work_plan,
            WorkflowError(_("The activity changed since you opened the page; it was not deleted.")),
        )
    except WorkflowError as error:
        return _refused(request, work_plan, error)
    messages.success(request, _("The activity was deleted."))
    return _done(request, work_plan)


@login_required
@require_http_methods(["GET", "POST"])
def realisation_form(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponseBase:
    work_plan = _plan(request, pk)
    activity = get_object_or_404(Activity, pk=activity_pk, program__work_plan=work_plan)
    realisations = selectors.realisations_of(activity)
    # Without a chosen quarter, the form offers the first one not reported yet.
    quarter = int_or_zero(
        request.POST.get("quarter") or request.GET.get("triwulan")
    ) or _next_quarter(realisations, max(QUARTERS))
    if quarter not in QUARTERS:
        quarter = min(QUARTERS)
    existing = realisations.get(quarter)
    indicators = selectors.plan_indicators(work_plan)
    form = RealisationForm(
        request.POST or None,
        instance=existing,
        indicators=indicators,
        output_unit=activity.output_unit,
        initial={"quarter": quarter},
    )
    can_report = permissions.can_report(request.user, work_plan)
    context = {
        "work_plan": work_plan,
        "activity": activity,
        "form": form,
        "realisations": [realisations.get(q) for q in QUARTERS],
        "quarter": quarter,
        "reported": sorted(realisations),
        "can_report": can_report,
        "spent": sum((r.budget_spent for r in realisations.values()), 0),
    }
    if request.method == "POST":
        if not roles.is_member(request.user, work_plan.opd_id):
            raise PermissionDenied
        if form.is_valid():
            try:
                result = services.realisation_save(
                    activity_id=activity.pk,
                    quarter=form.cleaned_data["quarter"],
                    by=request.user,
                    values={name: form.cleaned_data[name] for name in Realisation.EDITABLE_FIELDS},
                    contributions=form.contributions(),
                    seen_version=form.cleaned_data["seen_version"],
                )
            except StaleEdit as stale:
                current = Realisation.objects.filter(
                    activity=activity, quarter=form.cleaned_data["quarter"]
                ).first()
                if not _rebase(form, current):
                    messages.error(request, str(services.record_gone()))
                    return redirect(request.path)
                realisations = selectors.realisations_of(activity)
                context["realisations"] = [realisations.get(q) for q in QUARTERS]
                context["stale"] = stale
                return render(request, "workplans/realisation_form.html", context, status=409)
            except WorkflowError as error:
                messages.error(request, str(error))
                return redirect(request.path)
            messages.success(request, _("The realisation was saved."))
            if result.overspent_by is not None:
                messages.warning(
                    request,
                    _(
                        "Spending so far exceeds the activity's budget by Rp %(amount)s. "
                        "Check the figures or explain it in the notes."
                    )
                    % {"amount": figure(result.overspent_by, 0)},
                )
            # On to the next quarter not reported yet; after the last, the one just saved.
            reported = {**realisations, result.realisation.quarter: result.realisation}
            following = _next_quarter(reported, result.realisation.quarter)
            return redirect(f"{request.path}?triwulan={following}")
        return render(request, "workplans/realisation_form.html", context, status=422)
    return render(request, "workplans/realisation_form.html", context)


def _next_quarter(realisations: Mapping[int, Any], otherwise: int) -> int:
    """The first quarter without a realisation, or ``otherwise`` when all four have one."""
    return next((q for q in QUARTERS if q not in realisations), otherwise)
