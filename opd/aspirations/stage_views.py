"""The stage actions of an aspiration, posted from its page (``/usulan/<pk>/...``): verify,
recommend to an OPD, accept into an activity, reject with a reason.

Each carries the version the person saw and calls its service. A refusal of the stage
(``WorkflowError``, ``ValidationError``) or a form the service cannot use is a message and
the page again, nothing changed; someone else's change first (``StaleEdit``) is a message and
the fresh page; a role that may never take the step is a 403; an aspiration the user does not
see is a 404; a GET is a 405.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opd.aspirations import services
from opd.aspirations import staff_selectors as selectors
from opd.aspirations.forms import AcceptForm, RecommendForm, RejectForm, VerifyForm
from opd.aspirations.models import Aspiration
from opd.aspirations.staff_views import (
    PREFIX,
    detail_redirect,
    errors_in_words,
    stale_message,
    visible_aspiration,
)
from opd.errors import StaleEdit, WorkflowError

REFUSED = {
    "verify": gettext_lazy(
        "Only Bappeda, or the staff of its kelurahan or kecamatan, can verify it."
    ),
    "recommend": gettext_lazy("Only Bappeda can recommend an aspiration to an OPD."),
    "accept": gettext_lazy(
        "Only members of the OPD it was recommended to can accept an aspiration."
    ),
    "reject": gettext_lazy(
        "Only Bappeda, or the OPD it was recommended to, can reject an aspiration."
    ),
}


def _act(
    request: HttpRequest,
    pk: int,
    action: str,
    make_form: Callable[[Aspiration], BaseForm],
    call: Callable[[Aspiration, dict[str, Any]], object],
    done: str,
) -> HttpResponseBase:
    aspiration = visible_aspiration(request, pk)
    if not selectors.role_allows(request.user, aspiration, action):
        raise PermissionDenied(str(REFUSED[action]))
    form = make_form(aspiration)
    if not form.is_valid():
        messages.error(request, errors_in_words(form))
        return detail_redirect(aspiration)
    try:
        call(aspiration, form.cleaned_data)
    except StaleEdit:
        messages.warning(request, stale_message())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return detail_redirect(aspiration)


@login_required
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _act(
        request,
        pk,
        "verify",
        lambda a: VerifyForm(request.POST, prefix=PREFIX["verify"]),
        lambda a, data: services.aspiration_verify(
            aspiration_id=a.pk,
            by=request.user,
            seen_version=data["seen_version"],
            note=data["note"],
        ),
        _("The aspiration was verified."),
    )


@login_required
@require_POST
def recommend(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _act(
        request,
        pk,
        "recommend",
        lambda a: RecommendForm(
            request.POST, prefix=PREFIX["recommend"], opds=selectors.recommend_opds(a)
        ),
        lambda a, data: services.aspiration_recommend(
            aspiration_id=a.pk,
            by=request.user,
            seen_version=data["seen_version"],
            opd=data["opd"],
            note=data["note"],
        ),
        _("The aspiration was recommended to the OPD."),
    )


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _act(
        request,
        pk,
        "accept",
        lambda a: AcceptForm(
            request.POST, prefix=PREFIX["accept"], activities=selectors.accept_activities(a)
        ),
        lambda a, data: services.aspiration_accept(
            aspiration_id=a.pk,
            by=request.user,
            seen_version=data["seen_version"],
            activity=data["activity"],
            note=data["note"],
        ),
        _("The aspiration was accepted into the activity."),
    )


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _act(
        request,
        pk,
        "reject",
        lambda a: RejectForm(request.POST, prefix=PREFIX["reject"]),
        lambda a, data: services.aspiration_reject(
            aspiration_id=a.pk,
            by=request.user,
            seen_version=data["seen_version"],
            code=data["code"],
            text=data["text"],
        ),
        _("The aspiration was rejected."),
    )
