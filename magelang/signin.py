"""Signing in, on the portal's page and the admin's: the lockout page and the demo-login rule.

django-axes counts failures (``AXES_*`` settings); when it refuses a sign-in, the answer is the
same sign-in page with the lockout message in place of the wrong-password one, status 429.
Demo logins (``load_magelang --demo``) share one published password, so with
``DJANGO_ENV=production`` they are refused even when the password is right.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from opd.seed_magelang import DEMO_EMAIL_DOMAIN

LOCKOUT_STATUS = 429


def lockout_message() -> str:
    """The lockout message in the active language, naming the cool-off in minutes."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return ngettext(
        "Too many failed sign-in attempts for this username from your address. Signing in is "
        "blocked for %(minutes)d minute; try again later or ask the portal administrator to "
        "unlock it.",
        "Too many failed sign-in attempts for this username from your address. Signing in is "
        "blocked for %(minutes)d minutes; try again later or ask the portal administrator to "
        "unlock it.",
        minutes,
    ) % {"minutes": minutes}


LOCKOUT_MESSAGE = lazy(lockout_message, str)()

DEMO_LOGIN_REFUSED = _(
    "Demo logins cannot sign in to the portal in production. Ask the portal administrator "
    "for your own account."
)


def is_demo_login(user: Any) -> bool:
    """True for the logins that ``load_magelang --demo`` creates (their e-mail domain says so)."""
    return str(user.email or "").lower().endswith(f"@{DEMO_EMAIL_DOMAIN}")


class RefuseDemoLoginsInProduction:
    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)  # type: ignore[misc]
        if settings.PRODUCTION and is_demo_login(user):
            raise ValidationError(DEMO_LOGIN_REFUSED, code="demo_login")


class PortalAuthenticationForm(RefuseDemoLoginsInProduction, AuthenticationForm):
    """The portal's sign-in form."""


class PortalAdminAuthenticationForm(RefuseDemoLoginsInProduction, AdminAuthenticationForm):
    """The admin's sign-in form."""


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the page that was answering, with the lockout message, 429.

    The refused sign-in's form (the portal's or the admin's) is shown again with the lockout
    message as its only error; without one, the portal's sign-in page.
    """
    message = ValidationError(LOCKOUT_MESSAGE, code="locked_out")
    context = getattr(original_response, "context_data", None)
    form = (context or {}).get("form")
    if isinstance(original_response, TemplateResponse) and isinstance(form, forms.Form):
        form.errors.clear()  # not "wrong password": the password was not even checked
        form.add_error(None, message)
        template = original_response.template_name
    else:
        form = PortalAuthenticationForm(request, data={"username": ""})
        form.errors.clear()
        form.add_error(None, message)
        context, template = {"form": form}, "registration/login.html"
    response = TemplateResponse(request, template, context, status=LOCKOUT_STATUS)
    return response.render()
