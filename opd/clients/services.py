"""Creating and revoking API clients; a token is stored as its SHA-256 hash only."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from opd.errors import WorkflowError
from opd.models import (
    ApiClient,
    Opd,
    OpdMembership,
)
from opd.transactions import atomic_retrying_once


def api_token_hash(token: str) -> str:
    """The SHA-256 hex digest under which a client's token is stored and looked up."""
    return hashlib.sha256(token.encode()).hexdigest()


@atomic_retrying_once
def api_client_create(*, name: str, scope: str, opd: Opd | None) -> tuple[ApiClient, str]:
    """Create an API client and its user; return the client and its token (shown once only).

    A write client needs an OPD: it writes as a staff member of that OPD and nowhere else.
    """
    name = name.strip()
    if not name:
        raise WorkflowError(_("Give the client a name."))
    if scope not in ApiClient.Scope.values:
        raise WorkflowError(_("The scope is read or write."))
    if scope == ApiClient.Scope.WRITE and opd is None:
        raise WorkflowError(_("A write client must be bound to an OPD."))
    if ApiClient.objects.filter(name=name).exists():
        raise WorkflowError(_("An API client named %(name)s exists already.") % {"name": name})
    user_model = get_user_model()
    user = user_model.objects.create_user(username=f"api:{name}"[:150], password=None)
    if opd is not None:
        OpdMembership.objects.create(opd=opd, user=user, role=OpdMembership.Role.STAFF)
    token = secrets.token_urlsafe(32)
    client = ApiClient.objects.create(
        name=name,
        scope=scope,
        opd=opd,
        user=user,
        token_hash=api_token_hash(token),
        token_prefix=token[:8],
    )
    return client, token


@atomic_retrying_once
def api_client_revoke(*, name: str) -> ApiClient:
    """Revoke a client's token for good; its user is deactivated. Revoking twice is harmless."""
    client = ApiClient.objects.select_for_update(of=("self",)).select_related("user").get(name=name)
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
    client.user.is_active = False
    client.user.save(update_fields=["is_active"])
    return client
