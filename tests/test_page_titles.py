"""Every page has its own <title>: the page's own heading, then the plan it belongs to, then the
portal's name (the program, activity, return, reopen, deadline, history and realisation
pages once all read "Portal Perencanaan Kota Magelang")."""

from __future__ import annotations

import html
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from opd import models as om

pytestmark = pytest.mark.django_db


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment))).strip()


def title_and_heading(client: Client, url: str) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    heading = re.search(r"<main[^>]*>.*?<h[12][^>]*>(.*?)</h[12]>", page, re.S)
    assert title and heading, url
    return text(title.group(1)), text(heading.group(1))


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_each_page_names_itself_and_its_plan() -> None:
    call_command("load_magelang", "--demo", stdout=StringIO())
    plans = {wp.opd.code: wp for wp in om.WorkPlan.objects.select_related("opd")}
    draft, submitted, approved = plans["1.02"], plans["2.07"], plans["1.06"]
    program = draft.programs.first()
    activity = om.Activity.objects.filter(program__work_plan=draft).first()
    reported = om.Activity.objects.filter(program__work_plan=approved).first()
    assert program and activity and reported
    pages = [
        ("kepala.dinkes", draft, reverse("opd:work_plan_history", args=[draft.pk])),
        ("kepala.dinkes", draft, reverse("opd:program_add", args=[draft.pk])),
        ("kepala.dinkes", draft, reverse("opd:program_edit", args=[draft.pk, program.pk])),
        ("kepala.dinkes", draft, reverse("opd:activity_add", args=[draft.pk])),
        ("kepala.dinkes", draft, reverse("opd:activity_edit", args=[draft.pk, activity.pk])),
        ("kepala.dinsos", approved, reverse("opd:realisation", args=[approved.pk, reported.pk])),
        ("bappeda", submitted, reverse("opd:work_plan_return", args=[submitted.pk])),
        ("bappeda", approved, reverse("opd:work_plan_reopen", args=[approved.pk])),
        ("bappeda", None, reverse("opd:deadline")),
    ]
    with translation.override("id"):
        portal = str(translation.gettext("Magelang Planning Portal"))
    titles = []
    for username, work_plan, url in pages:
        title, heading = title_and_heading(signed_in(username), url)
        parts = title.split(" – ")
        assert parts[0] == heading, (url, title)
        assert parts[-1] == portal, (url, title)
        if work_plan is not None:
            assert str(work_plan) in parts, (url, title)
        titles.append(title)
    assert len(set(titles)) == len(titles), titles
