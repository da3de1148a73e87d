"""Every dashboard page and export works on the demo data the first run loads."""

from __future__ import annotations

import re
from io import BytesIO, StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from opd.engine.compute import sweep_dirty
from opd.models import Opd

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_magelang", "--demo", stdout=StringIO())
    # What the worker does with the pairs the seed marked (with no Redis, `make run` computes
    # them during the seed): the pages never compute.
    sweep_dirty()


def test_the_demo_pages_and_exports(demo):
    users = get_user_model().objects
    bappeda, head = Client(), Client()
    bappeda.force_login(users.get(username="bappeda"))
    head.force_login(users.get(username="kepala.dinsos"))
    dinsos = Opd.objects.get(memberships__user__username="kepala.dinsos")
    for year in (2017, 2018, 2021):
        page = bappeda.get(reverse("dashboards:dashboard"), {"tahun": year})
        assert page.status_code == 200
        assert b'data-testid="year-status"' in page.content
    assert head.get(reverse("dashboards:opd")).status_code == 200
    public = Client().get(reverse("dashboards:public"), {"tahun": 2018})
    assert public.status_code == 200
    # Dinas Sosial's approved plan is public (900 planned, 250 achieved in its first quarter);
    # Dinas Tenaga Kerja's submitted 400 is not.
    html = public.content.decode()
    assert re.search(r'data-testid="planned"[^>]*>900<', html)
    assert re.search(r'data-testid="achieved"[^>]*>250<', html)
    for name, client, args in (
        ("dashboards:renja_all", bappeda, [2018]),
        ("dashboards:evaluation_all", bappeda, [2018]),
        ("dashboards:renja", head, [2018, dinsos.pk]),
        ("dashboards:evaluation", head, [2018, dinsos.pk]),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        sheet = load_workbook(BytesIO(response.content)).active
        assert sheet.max_row > 6, name
    assert bappeda.get(reverse("dashboards:contributions_csv", args=[2018])).status_code == 200
