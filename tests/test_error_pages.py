"""The portal's own 404, 403 and 500 pages, in the visitor's language, with DEBUG off
(``make run`` once showed Django's English debug 404); and the favicon."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.utils import translation
from django.views.defaults import server_error

from magelang import urls as portal_urls
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def boom(request):
    raise RuntimeError("a bug")


def forbidden(request):
    raise PermissionDenied


# The portal's URLs and handlers, with two views that fail on purpose.
urlpatterns = [path("uji/boom/", boom), path("uji/terlarang/", forbidden), *portal_urls.urlpatterns]
handler400 = portal_urls.handler400


@pytest.fixture(autouse=True)
def _debug_off(settings) -> None:
    settings.DEBUG = False


def indonesian(text: str) -> str:
    with translation.override("id"):
        return translation.gettext(text)


def test_a_missing_page_is_the_portals_own_404() -> None:
    response = Client().get("/tidak-ada/")
    assert response.status_code == 404
    assert response.templates[0].name == "404.html"
    page = response.content.decode()
    assert '<html lang="id">' in page
    assert indonesian("Page not found") in page
    assert f'href="{reverse("home")}"' in page
    assert "Not Found</h1>" not in page


def test_a_refusal_is_the_portals_own_403() -> None:
    member = f.MembershipFactory()
    client = Client()
    client.force_login(member.user)
    response = client.get(reverse("opd:deadline"))
    assert response.status_code == 403
    assert response.templates[0].name == "403.html"
    page = response.content.decode()
    assert indonesian("Access refused") in page
    assert member.user.username in page  # signed in: the layout knows who it is


def test_a_refusal_without_a_reason_still_explains() -> None:
    response = Client().get("/uji/terlarang/")
    assert response.status_code == 403
    assert indonesian("You do not have access to this page.") in response.content.decode()


def test_a_server_error_is_the_portals_own_500() -> None:
    response = Client(raise_request_exception=False).get("/uji/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="id">' in page
    assert indonesian("Something went wrong") in page
    assert "RuntimeError" not in page and "a bug" not in page


def test_the_500_page_needs_no_database_nor_request_context(django_assert_num_queries) -> None:
    # Django renders 500.html with an empty context: no user, no request, no context processor.
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Server Error (500)" not in response.content.decode()


def test_the_favicon_is_served_from_the_static_files() -> None:
    assert finders.find("favicon.svg")
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/static/favicon.svg")
    page = Client().get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
