"""Who may call what: public resources for anyone, the rest for a signed-in caller; writes need a write token."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from opd.models import ApiClient


def client_of(request: Request) -> ApiClient | None:
    return request.auth if isinstance(request.auth, ApiClient) else None


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
