"""Signing in: password guessing is stopped, an administrator can unlock, demo logins stay out of
production.

Five wrong passwords for one username from one address lock that pair out for 15 minutes (the
right password included); other addresses and other usernames are not affected. The count is in
the database (axes' AccessAttempt), so every web worker sees it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from magelang.signin import DEMO_LOGIN_REFUSED, LOCKOUT_MESSAGE
from opd.clients import services as client_services
from opd.seed_magelang import DEMO_EMAIL_DOMAIN
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-demo-123"  # the factories' password
LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")


def attempt(client: Client, username: str, password: str, *, url: str = LOGIN, **extra: Any) -> Any:
    return client.post(url, {"username": username, "password": password}, **extra)


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def lockout_text() -> str:
    with translation.override("id"):
        return str(LOCKOUT_MESSAGE)


def test_the_fifth_wrong_password_locks_the_username_out_even_for_the_right_password() -> None:
    user = f.UserFactory()
    client = Client()
    statuses = [attempt(client, user.username, "salah").status_code for _ in range(4)]
    assert statuses == [200] * 4  # the form again, with the wrong-password message
    fifth = attempt(client, user.username, "salah")
    assert fifth.status_code == 429
    right = attempt(client, user.username, PASSWORD)
    assert right.status_code == 429
    assert not signed_in(client)


def test_the_lockout_page_is_the_sign_in_page_with_a_clear_message() -> None:
    user = f.UserFactory()
    client = Client()
    for _ in range(5):
        response = attempt(client, user.username, "salah")
    html = response.content.decode()
    assert response.status_code == 429
    assert lockout_text() in html
    assert 'name="username"' in html  # still the portal's page, not a bare text
    assert "nama pengguna dan sandi yang benar" not in html  # not the wrong-password message
    with translation.override("en"):
        assert "15 minutes" in str(LOCKOUT_MESSAGE)


def test_the_lock_is_per_username_and_address() -> None:
    user = f.UserFactory()
    other = f.UserFactory()
    for _ in range(5):
        attempt(Client(), user.username, "salah", REMOTE_ADDR="10.0.0.5")
    assert attempt(Client(), user.username, PASSWORD, REMOTE_ADDR="10.0.0.5").status_code == 429
    elsewhere = Client()
    assert attempt(elsewhere, user.username, PASSWORD, REMOTE_ADDR="10.0.0.6").status_code == 302
    assert signed_in(elsewhere)
    colleague = Client()
    assert attempt(colleague, other.username, PASSWORD, REMOTE_ADDR="10.0.0.5").status_code == 302


def test_a_varied_forwarded_for_header_does_not_escape_the_lock(settings) -> None:
    settings.NUM_PROXIES = 0
    user = f.UserFactory()
    for n in range(5):
        attempt(Client(), user.username, "salah", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    blocked = attempt(Client(), user.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert blocked.status_code == 429


def test_behind_one_proxy_the_lock_follows_the_address_the_proxy_saw(settings) -> None:
    settings.NUM_PROXIES = 1
    user = f.UserFactory()
    for n in range(5):
        # The client may prepend anything; the proxy appends the address it saw.
        attempt(Client(), user.username, "salah", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.7")
    same = attempt(Client(), user.username, PASSWORD, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7")
    assert same.status_code == 429
    other = attempt(Client(), user.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other.status_code == 302


def test_the_lock_ends_after_fifteen_minutes() -> None:
    user = f.UserFactory()
    for _ in range(5):
        attempt(Client(), user.username, "salah")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    client = Client()
    assert attempt(client, user.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_success_before_the_limit_starts_the_count_again() -> None:
    user = f.UserFactory()
    for _ in range(4):
        attempt(Client(), user.username, "salah")
    assert attempt(Client(), user.username, PASSWORD).status_code == 302
    assert [attempt(Client(), user.username, "salah").status_code for _ in range(4)] == [200] * 4


def test_an_administrator_unlocks_by_deleting_the_attempt(admin_client: Client) -> None:
    user = f.UserFactory()
    for _ in range(5):
        attempt(Client(), user.username, "salah")
    locked = AccessAttempt.objects.get(username=user.username)
    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert user.username in listing.content.decode()
    response = admin_client.post(
        reverse("admin:axes_accessattempt_delete", args=[locked.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    client = Client()
    assert attempt(client, user.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_admin_sign_in_is_locked_too() -> None:
    admin = f.UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    for _ in range(5):
        response = attempt(client, admin.username, "salah", url=ADMIN_LOGIN)
    assert response.status_code == 429
    assert lockout_text() in response.content.decode()
    assert attempt(client, admin.username, PASSWORD, url=ADMIN_LOGIN).status_code == 429
    assert not signed_in(client)


def test_the_api_token_and_the_session_api_are_unaffected_by_a_lock() -> None:
    api_client, token = client_services.api_client_create(name="sipd", scope="read", opd=None)
    person = f.UserFactory()
    for username in (api_client.user.username, person.username):
        for _ in range(5):
            attempt(Client(), username, "salah")
    assert AccessAttempt.objects.filter(failures_since_start__gte=5).count() == 2
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert by_token.get("/api/v1/regions/").status_code == 200
    by_session = APIClient()
    by_session.force_login(person)  # a session made before the lock goes on working
    assert by_session.get("/api/v1/regions/").status_code == 200


def demo_user(**fields: Any) -> Any:
    return f.UserFactory(username="admin.demo", email=f"admin.demo@{DEMO_EMAIL_DOMAIN}", **fields)


def test_production_refuses_demo_logins_with_a_clear_message(settings) -> None:
    settings.PRODUCTION = True
    user = demo_user(is_staff=True, is_superuser=True)
    client = Client()
    response = attempt(client, user.username, PASSWORD)
    assert response.status_code == 200
    with translation.override("id"):
        assert str(DEMO_LOGIN_REFUSED) in response.content.decode()
    assert not signed_in(client)
    admin_page = attempt(client, user.username, PASSWORD, url=ADMIN_LOGIN)
    assert admin_page.status_code == 200
    with translation.override("id"):
        assert str(DEMO_LOGIN_REFUSED) in admin_page.content.decode()
    assert not signed_in(client)


def test_production_still_signs_in_ordinary_users(settings) -> None:
    settings.PRODUCTION = True
    client = Client()
    assert attempt(client, f.UserFactory().username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_development_signs_in_demo_logins(settings) -> None:
    settings.PRODUCTION = False
    client = Client()
    assert attempt(client, demo_user().username, PASSWORD).status_code == 302
    assert signed_in(client)
