"""Project-wide pages: the home page, signing out, and the error pages.

The home page lives here, not in ``targets``, because a signed-in user's next steps come from
``opd`` (which imports ``targets``, never the reverse).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LogoutView
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django_htmx.http import reswap, retarget

from opd.agencies import picker
from opd.workplans import selectors as opd_selectors
from targets.selectors import headline_indicator, indicator_overview

SIGNED_OUT_MESSAGE = gettext_lazy("You have signed out.")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The headline indicator's baseline, targets, path and actuals, for everyone (public data
    only) of the deployment's region, for a signed-in user of the user's own region (where it
    has the indicator); for a signed-in user, what to do next in the default year."""
    region = None
    if request.user.is_authenticated:
        region = picker.own_region(request.user, picker.regions_for(request.user))
    indicator = (headline_indicator(region.pk) if region else None) or headline_indicator()
    overview = indicator_overview(indicator=indicator) if indicator else None
    steps = None
    if request.user.is_authenticated:
        steps = opd_selectors.next_steps(
            user=request.user,
            year=settings.RENJA_DEFAULT_YEAR,
            region_code=region.code if region else settings.DEFAULT_REGION_CODE,
        )
    return render(request, "targets/home.html", {"overview": overview, "steps": steps})


@require_safe
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """``/favicon.ico``: the portal's icon among the static files."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


class SignOutView(LogoutView):
    """Django's sign-out, then a message saying so on the page it lands on."""

    def post(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().post(request, *args, **kwargs)
        messages.success(request, SIGNED_OUT_MESSAGE)
        return response


def too_large_message() -> str:
    """What a visitor or an API caller is told when the body is over the upload limit."""
    return " ".join(
        (
            _("The form sent more data than the portal accepts."),
            _("Shorten the longest texts and send it again."),
        )
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 page, saying what was wrong where that is safe to tell; JSON under ``/api/``;
    for an htmx request, the messages region holding the message.

    Only a ``BadRequest`` carries a message written for the visitor: other
    ``SuspiciousOperation`` messages are for the log.
    """
    if isinstance(exception, RequestDataTooBig):
        message = too_large_message()
    elif isinstance(exception, BadRequest) and str(exception):
        message = str(exception)
    else:
        message = _("The request could not be understood.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    if request.headers.get("HX-Request") == "true":
        # htmx would put a whole page into the form's target, or (a 400) nothing at all: the
        # message replaces the page's messages region instead, and the pages with htmx forms
        # list 400 in data-swap-statuses so that it is swapped.
        response = render(
            request,
            "components/messages.html",
            {"messages": [Message(constants.ERROR, message)]},
            status=400,
        )
        return reswap(retarget(response, "#messages"), "outerHTML")
    return render(request, "400.html", {"message": message}, status=400)
