"""Token authentication for other city systems: ``Authorization: Token <token>``.

Only the SHA-256 hash of a token is stored; a revoked client's token is refused.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from opd.clients.services import api_token_hash
from opd.models import ApiClient

KEYWORDS = ("token", "bearer")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Authenticates as the client's user; ``request.auth`` is the :class:`ApiClient`."""

    def authenticate(self, request: Request) -> tuple[Any, ApiClient] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give exactly one token after the keyword."))
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from error
        client = (
            ApiClient.objects.select_related("user")
            .filter(token_hash=api_token_hash(token), revoked_at__isnull=True)
            .first()
        )
        if client is None or not client.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token is not valid or was revoked."))
        return client.user, client

    def authenticate_header(self, request: Request) -> str:
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "magelang.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>`, from `manage.py api_client_create`.",
        }
