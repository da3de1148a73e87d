"""The signed-in home page shows the poverty indicator in Indonesian by default."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    call_command("load_magelang", "--demo", stdout=StringIO())


@pytest.fixture
def reviewer_client(seeded) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="bappeda"))
    return client


def row(html: str, year: int) -> str:
    match = re.search(rf'<tr data-year="{year}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {year}"
    return re.sub(r"\s+", " ", match.group(1))


def test_anonymous_visitors_see_the_figures_and_a_sign_in_link(seeded):
    response = Client().get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="baseline">9,05%' in html
    assert 'data-testid="target-2021">6,12%' in html
    assert 'data-testid="target">7,94<' in row(html, 2017)
    assert f'href="{reverse("login")}"' in html
    # What only signed-in users see: no next steps, no OPD's plan or its status.
    assert 'data-testid="next-steps"' not in html
    assert "Dinas Sosial" not in html
    assert "/renja/" not in html


def test_login_page_is_in_indonesian_and_signs_in_a_demo_user(seeded):
    client = Client()
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "Masuk" in page.content.decode()
    response = client.post(
        reverse("login"), {"username": "kepala.dinsos", "password": "magelang2018"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"].username == "kepala.dinsos"


def test_wrong_password_gets_a_clear_indonesian_message(seeded):
    response = Client().post(reverse("login"), {"username": "bappeda", "password": "salah"})
    assert response.status_code == 200
    assert "nama pengguna dan sandi yang benar" in response.content.decode()


def test_home_shows_baseline_targets_path_and_actuals_in_indonesian_format(reviewer_client):
    html = reviewer_client.get(reverse("home")).content.decode()
    assert "Persentase penduduk miskin" in html
    assert 'data-testid="baseline">9,05%' in html
    assert 'data-testid="target-2018">7,38%' in html
    assert 'data-testid="target-2021">6,12%' in html
    expected = {
        2015: ("9,05", "kondisi awal", "9,05"),
        2016: ("8,49", "interpolasi", "8,78"),
        2017: ("7,94", "interpolasi", "8,75"),
        2018: ("7,38", "target ditetapkan", None),
        2019: ("6,96", "interpolasi", "7,46"),
        2020: ("6,54", "interpolasi", "7,58"),
        2021: ("6,12", "target ditetapkan", "7,75"),
    }
    for year, (target, kind, actual) in expected.items():
        cells = row(html, year)
        assert f'data-testid="target">{target}<' in cells, (year, cells)
        assert kind in cells, (year, cells)
        if actual is None:
            assert "belum ada data" in cells
        else:
            assert f'data-testid="actual">{actual}<' in cells, (year, cells)
    assert "120.952" in row(html, 2015)
    assert "121.526" in row(html, 2020)


def test_home_switches_to_english(reviewer_client):
    response = reviewer_client.post(
        reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True
    )
    html = response.content.decode()
    assert "stated target" in html
    assert "no data" in row(html, 2018)
    assert 'data-testid="target">8.49<' in row(html, 2016)


def test_an_english_browser_still_gets_indonesian_until_the_user_switches(reviewer_client):
    response = reviewer_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert "belum ada data" in row(response.content.decode(), 2018)


def test_home_runs_a_fixed_number_of_queries(reviewer_client, django_assert_num_queries):
    # session, user, indicator, targets, actuals, population; the next steps: the user's OPDs,
    # the deadline, the user's and their groups' permissions (is a reviewer?), the region the
    # user reviews (roles.bappeda_scope), the regions the user sees (whose headline the page
    # shows), the plans awaiting review in it
    with django_assert_num_queries(13):
        reviewer_client.get(reverse("home"))


def test_home_runs_four_queries_for_an_anonymous_visitor(seeded, django_assert_num_queries):
    # indicator, targets, actuals, population
    with django_assert_num_queries(4):
        Client().get(reverse("home"))


def test_home_without_seed_tells_how_to_load_it(db):
    client = Client()
    client.force_login(get_user_model().objects.create_user("operator", password="x-12345678"))
    html = client.get(reverse("home")).content.decode()
    assert "load_magelang" in html


def test_admin_opens_for_the_demo_admin(seeded):
    client = Client()
    # django-axes checks every sign-in against its address, so authenticate() needs a request.
    assert client.login(request=HttpRequest(), username="admin", password="magelang2018")
    response = client.get("/admin/")
    assert response.status_code == 200
    assert (
        "Administrasi" in response.content.decode() or "administrasi" in response.content.decode()
    )


def test_a_signed_in_user_sees_the_headline_of_their_own_region(seeded, settings):
    from opd.models import BappedaRole
    from tests.factories import IndicatorFactory, PlanFactory, RegionFactory, UserFactory
    from tests.workplans.plan_world import reviewer

    other = RegionFactory(code="33.08", name="Kabupaten Contoh", kind="kabupaten")
    IndicatorFactory(
        plan=PlanFactory(region=other),
        code=settings.HEADLINE_INDICATOR_CODE,
        baseline_value="12.34",
    )
    bappeda_b = reviewer("bappeda.contoh", region=other)
    client = Client()
    client.force_login(bappeda_b)
    html = client.get(reverse("home")).content.decode()
    assert "Kabupaten Contoh" in html
    assert 'data-testid="baseline">12,34' in html
    # Whoever sees no region of their own (here: no role at all) gets the deployment's.
    client.force_login(UserFactory(username="nobody"))
    assert 'data-testid="baseline">9,05%' in client.get(reverse("home")).content.decode()
    assert BappedaRole.objects.filter(user=bappeda_b, region=other).exists()
