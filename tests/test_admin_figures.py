"""Figures in the admin: years as ``2018`` (USE_THOUSAND_SEPARATOR made them
"2.018"), figures without trailing zeros ("7,3800" → "7,38"), dates as "31 Oktober 2017",
in change lists, read-only fields and inputs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from targets import admin_figures
from targets.admin_figures import PlainDecimalField
from tests import factories as f

pytestmark = pytest.mark.django_db


def changelist(client: Any, app: str, model: str) -> str:
    return client.get(reverse(f"admin:{app}_{model}_changelist")).content.decode()


def test_target_list_shows_the_year_plain_and_the_value_without_trailing_zeros(admin_client):
    f.TargetFactory(year=2018, value=Decimal("7.3800"))
    content = changelist(admin_client, "targets", "target")
    assert ">2018<" in content
    assert "2.018" not in content
    assert ">7,38<" in content
    assert "7,3800" not in content


def test_work_plan_list_and_view_show_the_year_plain(admin_client):
    plan = f.WorkPlanFactory()
    year = str(plan.year)
    grouped = f"{year[0]}.{year[1:]}"
    assert grouped not in changelist(admin_client, "opd", "workplan")
    view = admin_client.get(reverse("admin:opd_workplan_change", args=[plan.pk])).content.decode()
    assert grouped not in view
    activity = f.ActivityFactory(program__work_plan=plan, budget=Decimal("250000000.00"))
    content = changelist(admin_client, "opd", "activity")
    assert f">{year}<" in content and grouped not in content
    assert "250.000.000,00" not in content
    assert str(activity.code) in content


def test_a_deadline_reads_as_the_portal_writes_dates(admin_client):
    f.SubmissionDeadlineFactory(due_date=date(2017, 10, 31), year=2018)
    content = changelist(admin_client, "opd", "submissiondeadline")
    assert "31 Oktober 2017" in content
    assert ">2018<" in content


def test_an_indicator_form_shows_its_targets_without_trailing_zeros(admin_client):
    target = f.TargetFactory(year=2018, value=Decimal("7.3800"))
    page = admin_client.get(
        reverse("admin:targets_indicator_change", args=[target.indicator_id])
    ).content.decode()
    assert 'value="7.38"' in page
    assert 'value="7.3800"' not in page
    assert 'value="2018"' in page


@pytest.mark.parametrize(
    ("stored", "shown"),
    [(Decimal("7.3800"), "7.38"), (Decimal("250000000.00"), "250000000"), (Decimal("0.0000"), "0")],
)
def test_plain_decimal_field_drops_trailing_zeros_only(stored, shown):
    assert str(PlainDecimalField().prepare_value(stored)) == shown
    assert PlainDecimalField().prepare_value("7,3800") == "7,3800"  # what a person typed stays


def test_the_admin_looks_up_the_patched_rendering_in_both_places():
    from django.contrib.admin import helpers
    from django.contrib.admin.templatetags import admin_list

    assert admin_list.display_for_field is admin_figures.display_for_field
    assert helpers.display_for_field is admin_figures.display_for_field


@pytest.mark.parametrize("place", ["admin_list", "helpers"])
def test_install_refuses_when_django_no_longer_holds_its_own_function(monkeypatch, place):
    """A Django upgrade that moves or wraps ``display_for_field`` fails loudly at start-up,
    naming the place, instead of the admin silently losing (or doubling) the patch."""
    from django.contrib.admin import helpers
    from django.contrib.admin.templatetags import admin_list

    module = {"admin_list": admin_list, "helpers": helpers}[place]
    monkeypatch.setattr(module, "display_for_field", lambda *args, **kwargs: "?")
    with pytest.raises(ImproperlyConfigured, match=rf"{module.__name__}\.display_for_field"):
        admin_figures.install()
