"""A signed-in session ends SESSION_IDLE_MINUTES after its last request, without a database write
on every request: the expiry is pushed on only when it has fallen a minute behind.

Time is moved by rewriting the stored expiry, not by waiting.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from magelang.sessions import REFRESH_AFTER
from tests import factories as f

pytestmark = pytest.mark.django_db

PAGE = reverse("opd:work_plans")  # signed-in users only


def signed_in_client() -> tuple[Client, Session]:
    client = Client()
    client.force_login(f.UserFactory())
    return client, Session.objects.get(session_key=client.session.session_key)


def set_expiry(session: Session, expire_date) -> None:
    Session.objects.filter(pk=session.pk).update(expire_date=expire_date)


def stored_expiry(session: Session):
    return Session.objects.get(pk=session.pk).expire_date


def full_idle_time() -> timedelta:
    return timedelta(minutes=settings.SESSION_IDLE_MINUTES)


def test_the_idle_time_is_the_session_age():
    assert settings.SESSION_IDLE_MINUTES == 60  # the default
    assert settings.SESSION_COOKIE_AGE == 3600
    assert not getattr(settings, "SESSION_SAVE_EVERY_REQUEST", False)


def test_a_session_idle_for_longer_than_the_idle_time_is_signed_out():
    client, session = signed_in_client()
    set_expiry(session, timezone.now() - timedelta(seconds=1))  # last request an hour ago
    response = client.get(PAGE)
    assert not response.wsgi_request.user.is_authenticated
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_activity_keeps_a_session_alive_for_the_whole_idle_time_again():
    client, session = signed_in_client()
    set_expiry(session, timezone.now() + timedelta(seconds=30))  # idle for 59½ minutes
    before = timezone.now()
    response = client.get(PAGE)
    assert response.wsgi_request.user.is_authenticated
    assert stored_expiry(session) >= before + full_idle_time()
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == settings.SESSION_COOKIE_AGE


def test_a_request_within_a_minute_of_the_last_refresh_writes_nothing():
    client, session = signed_in_client()
    almost_stale = timezone.now() + full_idle_time() - REFRESH_AFTER + timedelta(seconds=5)
    set_expiry(session, almost_stale)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAGE)
    assert response.wsgi_request.user.is_authenticated
    assert stored_expiry(session) == almost_stale
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not [q for q in queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]


def test_a_request_a_minute_after_the_last_refresh_pushes_the_expiry_on():
    client, session = signed_in_client()
    stale = timezone.now() + full_idle_time() - REFRESH_AFTER - timedelta(seconds=5)
    set_expiry(session, stale)
    before = timezone.now()
    client.get(PAGE)
    assert stored_expiry(session) >= before + full_idle_time()


def test_a_session_saved_under_a_longer_age_is_brought_back_to_the_idle_time():
    client, session = signed_in_client()
    set_expiry(session, timezone.now() + timedelta(weeks=2))  # Django's default age
    client.get(PAGE)
    assert stored_expiry(session) <= timezone.now() + full_idle_time()
