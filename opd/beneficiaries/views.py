"""The beneficiary list pages of an activity: upload (or replace) its list, delete it, and the
blank templates to fill in.

Only a member of the plan's OPD, while the plan is editable, uploads or deletes (the rules of
an activity edit: ``opd.workplans.views._not_editable``); anyone who sees the plan may download
the templates. A file with a bad row stores nothing: the page lists every bad row with every
reason (row numbers as in Excel, never a cell's digits). A version conflict stores nothing and
says so. A clean file replaces the list whole, and the person is sent back to the plan with its
counts. The file is read in memory (``magelang.uploads``) and never shown back.

With htmx, the form posts itself and shows the upload's progress (``static/js/portal.js``);
without JavaScript it is a plain multipart form and works the same.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from opd.beneficiaries import services
from opd.beneficiaries.forms import ListDeleteForm, ListUploadForm
from opd.beneficiaries.rows import COLUMNS, MAX_FILE_BYTES, MAX_ROWS
from opd.beneficiaries.selectors import ListSummary, desil_mix
from opd.beneficiaries.template_file import template_csv, template_xlsx
from opd.errors import StaleEdit, WorkflowError
from opd.models import Activity, WorkPlan
from opd.tabular import ImportFileError
from opd.workplans import permissions
from opd.workplans.views import _not_editable, _plan, _plan_url, _refused, _require_member
from targets.models import Kelurahan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _activity(work_plan: WorkPlan, activity_pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.select_related("beneficiary_list", "program"),
        pk=activity_pk,
        program__work_plan=work_plan,
    )


def _list_of(activity: Activity) -> Any:
    return getattr(activity, "beneficiary_list", None)


def _stale_message() -> str:
    return _(
        "The activity was changed by someone else since you opened this page: nothing was "
        "imported. The page now shows the activity as it is; choose the file again to import it."
    )


def _locked(work_plan: WorkPlan) -> WorkflowError:
    """The refusal ``_not_editable`` gives, in its words."""
    return WorkflowError(
        _("The work plan is %(status)s and cannot be changed.")
        % {"status": work_plan.get_status_display().lower()}
    )


def _gone(request: HttpRequest, work_plan: WorkPlan) -> HttpResponseBase:
    """Where to go after a success or a refusal that leaves the page: back to the plan."""
    url = _plan_url(work_plan)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(url)
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def beneficiary_upload(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponseBase:
    """GET: the upload form. POST: the file checked and stored whole (back to the plan with
    its counts), or refused whole: every bad row listed (422), a conflict explained (409)."""
    work_plan = _plan(request, pk)
    if request.htmx and not permissions.can_edit(request.user, work_plan):  # type: ignore[attr-defined]
        # Sent by htmx from this page (the plan locked meanwhile): the refusal is the plan page.
        _require_member(request, work_plan)
        messages.error(request, str(_locked(work_plan)))
        return _gone(request, work_plan)
    if refusal := _not_editable(request, work_plan):
        return refusal
    activity = _activity(work_plan, activity_pk)
    # Bound on every POST, even an empty one, so it answers with its errors (not a blank 422).
    posted = request.method == "POST"
    form = ListUploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial={"seen_version": activity.version},
    )
    context: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size is not None and upload.size > MAX_FILE_BYTES:
                    raise ImportFileError(
                        _("The file is larger than %(size)s MB: split the list.")
                        % {"size": MAX_FILE_BYTES // (1024 * 1024)}
                    )
                stored = services.beneficiary_list_replace(
                    activity_id=activity.pk,
                    by=request.user,
                    name=upload.name or "",
                    data=upload.read(),
                    seen_version=form.cleaned_data["seen_version"],
                )
            except ImportFileError as error:
                form.add_error("file", str(error))
            except services.RowsRefused as refused:
                context.update(bad=refused.bad, row_count=refused.rows, file_name=upload.name)
                form.add_error("file", str(refused))
            except StaleEdit:
                activity = _activity(work_plan, activity.pk)
                form = ListUploadForm(initial={"seen_version": activity.version})
                context["stale"] = _stale_message()
                status = 409
            except WorkflowError as error:
                messages.error(request, str(error))
                return _gone(request, work_plan)
            else:
                messages.success(
                    request,
                    _(
                        "The beneficiary list of %(activity)s was saved: %(persons)s persons, "
                        "%(families)s families."
                    )
                    % {
                        "activity": activity.code,
                        "persons": stored.persons,
                        "families": stored.families,
                    },
                )
                return _gone(request, work_plan)
    return render(
        request,
        "beneficiaries/list_upload.html",
        {
            "work_plan": work_plan,
            "activity": activity,
            "current": _current(activity),
            "form": form,
            "columns": COLUMNS,
            "max_mb": MAX_FILE_BYTES // (1024 * 1024),
            "max_rows": MAX_ROWS,
            **context,
        },
        status=status,
    )


def _current(activity: Activity) -> ListSummary | None:
    beneficiary_list = _list_of(activity)
    if beneficiary_list is None:
        return None
    return ListSummary(beneficiary_list=beneficiary_list, desils=desil_mix(beneficiary_list))


@login_required
@require_http_methods(["GET", "POST"])
def beneficiary_delete(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponseBase:
    """GET: the confirmation page. POST: the list deleted, back to the plan."""
    work_plan = _plan(request, pk)
    if refusal := _not_editable(request, work_plan):
        return refusal
    activity = _activity(work_plan, activity_pk)
    if _list_of(activity) is None:
        return _refused(
            request, work_plan, WorkflowError(_("The activity has no beneficiary list."))
        )
    form = ListDeleteForm(
        request.POST if request.method == "POST" else None,
        initial={"seen_version": activity.version},
    )
    status = 200
    stale = None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.beneficiary_list_delete(
                    activity_id=activity.pk,
                    by=request.user,
                    seen_version=form.cleaned_data["seen_version"],
                )
            except StaleEdit:
                activity = _activity(work_plan, activity.pk)
                form = ListDeleteForm(initial={"seen_version": activity.version})
                stale = _(
                    "The activity was changed by someone else since you opened this page: the "
                    "list was not deleted. Check the activity and confirm again."
                )
                status = 409
            except WorkflowError as error:
                return _refused(request, work_plan, error)
            else:
                messages.success(
                    request,
                    _("The beneficiary list of %(activity)s was deleted.")
                    % {"activity": activity.code},
                )
                return redirect(_plan_url(work_plan, f"activity-{activity.pk}"))
    return render(
        request,
        "beneficiaries/list_delete.html",
        {
            "work_plan": work_plan,
            "activity": activity,
            "current": _current(activity),
            "form": form,
            "stale": stale,
        },
        status=status,
    )


@login_required
@require_GET
def beneficiary_template_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    work_plan = _plan(request, pk)
    region = work_plan.opd.region
    places = (
        Kelurahan.objects.filter(kecamatan__region=region)
        .order_by("kecamatan__name", "name")
        .values_list("kecamatan__name", "name", "code")
    )
    response = HttpResponse(template_xlsx(places, region=region.name), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="templat-penerima-manfaat.xlsx"'
    return response


@login_required
@require_GET
def beneficiary_template_csv(request: HttpRequest, pk: int) -> HttpResponse:
    _plan(request, pk)
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="templat-penerima-manfaat.csv"'
    return response
