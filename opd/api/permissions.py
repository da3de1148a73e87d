"""Who may call what: reading is open (the querysets hide what a caller may not see);
writing needs a signed-in person or a write token. Which plan a caller may change is
decided by the services, as in the browser.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from opd.models import Activity, ApiClient, Program, WorkPlan


def client_of(request: Request) -> ApiClient | None:
    return request.auth if isinstance(request.auth, ApiClient) else None


def visible_work_plans(request: Any) -> QuerySet[WorkPlan]:
    """The plans the caller may see (none without a request, as when the schema is built).

    The serializers' choices and the filters' values come from here, so another OPD's plan
    is an unknown one (a 400, as for an id that names nothing): no answer tells which ids
    exist.
    """
    user = getattr(request, "user", None)
    return WorkPlan.objects.visible_to(user) if user is not None else WorkPlan.objects.none()


def visible_programs(request: Any) -> QuerySet[Program]:
    return Program.objects.filter(work_plan__in=visible_work_plans(request))


def visible_activities(request: Any) -> QuerySet[Activity]:
    return Activity.objects.filter(program__work_plan__in=visible_work_plans(request))


class ReadOrWriteScope(permissions.BasePermission):
    message = _("This token may only read.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if not (request.user and request.user.is_authenticated):
            return False
        client = client_of(request)
        return client is None or client.scope == ApiClient.Scope.WRITE


class PublicOrSignedIn(permissions.BasePermission):
    """A view with ``public = True`` answers anyone; the others need a person or a token."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(view, "public", False):
            return True
        return bool(request.user and request.user.is_authenticated)
