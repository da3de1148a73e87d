"""API clients: the commands print a token once, store only its hash, and revoke it."""

from __future__ import annotations

import hashlib
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import gettext, gettext_noop
from rest_framework.test import APIClient

from opd import models as om
from opd.clients import services as client_services
from tests.factories import ApiClientFactory, OpdFactory

pytestmark = pytest.mark.django_db


def create(*args: str) -> str:
    out = StringIO()
    call_command("api_client_create", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_create_prints_the_token_once_and_stores_only_its_hash() -> None:
    opd = OpdFactory(code="1.06")
    token = create("sipd-bridge", "--scope", "write", "--opd", "1.06")
    client = om.ApiClient.objects.get(name="sipd-bridge")
    assert len(token) >= 40
    assert client.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {client.token_hash, client.token_prefix, client.user.username}
    assert client.opd == opd and client.scope == "write"
    assert not client.user.has_usable_password()
    assert om.OpdMembership.objects.filter(user=client.user, opd=opd, role="staff").exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/work-plans/").status_code == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--scope", "write"], "OPD"),
        (["x", "--scope", "read", "--opd", "NOPE"], "NOPE"),
        (["  ", "--scope", "read"], gettext_noop("Give the client a name.")),
    ],
)
def test_create_refuses(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=re.escape(gettext(message))):
        create(*args)
    assert not om.ApiClient.objects.exists()


def test_names_are_unique() -> None:
    ApiClientFactory(name="dup")
    with pytest.raises(CommandError, match="dup"):
        create("dup", "--scope", "read")


def test_revoke_refuses_the_token_from_then_on() -> None:
    token = create("dashboard", "--scope", "read")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/regions/").status_code == 200
    call_command("api_client_revoke", "dashboard", stdout=StringIO())
    assert api.get("/api/v1/regions/").status_code == 401
    client = om.ApiClient.objects.get(name="dashboard")
    assert client.revoked_at is not None and not client.user.is_active
    client_services.api_client_revoke(name="dashboard")  # twice is harmless
    with pytest.raises(CommandError, match="nobody"):
        call_command("api_client_revoke", "nobody", stdout=StringIO())


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token wrong", "Bearer wrong"])
def test_bad_tokens_get_401_with_a_json_body(header: str) -> None:
    response = APIClient().get("/api/v1/regions/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "detail" in response.json()
