"""The demo nomenclature: a version marked as a demo list built from the demo plans, holding
exactly their codes, so the demo plans' and Renstras' check finds every code; an operator's
version is never overridden."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from opd import models as om
from opd.nomenclature.checks import codes_not_in_nomenclature, renstra_codes_not_in_nomenclature
from opd.nomenclature.demo import DEMO_NAME, demo_codes
from opd.seed_magelang import DEMO_WORK_PLANS
from opd.seeding import load_magelang
from opd.workplans import services

pytestmark = pytest.mark.django_db


def _demo_version() -> om.NomenclatureVersion:
    return om.NomenclatureVersion.objects.get(name=DEMO_NAME)


def test_the_demo_version_says_it_is_a_demo_list_built_from_the_demo_plans():
    load_magelang(demo=True)
    version = _demo_version()
    assert version.name.startswith("DEMO ")
    assert version.regulation.startswith("Permendagri 13/2006")
    assert "DEMO" in version.regulation and "bukan daftar resmi" in version.regulation
    assert "demo" in version.regulation
    assert (version.first_year, version.last_year) == (2016, 2019)


def test_it_holds_exactly_the_demo_plans_codes_with_their_names():
    load_magelang(demo=True)
    held = {(c.kind, c.code): c.name for c in _demo_version().codes.all()}
    demo = om.WorkPlan.objects.filter(is_demo=True)
    programs = om.Program.objects.filter(work_plan__in=demo)
    activities = om.Activity.objects.filter(program__work_plan__in=demo)
    assert held == {
        **{("program", p.code): p.name for p in programs},
        **{("activity", a.code): a.name for a in activities},
    }
    assert held == demo_codes(DEMO_WORK_PLANS)
    assert len(held) == programs.count() + activities.count()  # no code of its own invented


def test_every_demo_plan_and_renstra_finds_all_its_codes():
    load_magelang(demo=True)
    plans = list(om.WorkPlan.objects.filter(is_demo=True))
    assert len(plans) == 4
    for work_plan in plans:
        check = codes_not_in_nomenclature(work_plan)
        assert (check.checked, check.version_name, check.unknown) == (True, DEMO_NAME, [])
    renstras = list(om.Renstra.objects.filter(is_demo=True).select_related("plan"))
    assert len(renstras) == 4
    for renstra in renstras:
        check = renstra_codes_not_in_nomenclature(renstra)
        assert (check.checked, check.unknown) == (True, [])


def test_the_plan_page_is_quiet_until_a_code_outside_the_list_appears():
    load_magelang(demo=True)
    head = get_user_model().objects.get(username="kepala.dinsos")
    work_plan = om.WorkPlan.objects.get(opd__memberships__user=head, year=2018)
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(head)
    html = client.get(f"/renja/{work_plan.pk}/").content.decode()
    assert "nomenclature-none" not in html and "nomenclature-unknown" not in html
    assert 'data-testid="nomenclature-ok"' in html  # the demo shows its codes checked
    if work_plan.status not in ("draft", "returned", "reopened"):
        om.WorkPlan.objects.filter(pk=work_plan.pk).update(status="draft")
    services.program_create(
        work_plan_id=work_plan.pk, by=head, values={"code": "9.99.01", "name": "Program Baru"}
    )
    html = client.get(f"/renja/{work_plan.pk}/").content.decode()
    assert 'data-testid="nomenclature-unknown"' in html
    assert '<li data-code="9.99.01">' in html
    assert "1 code is not in the nomenclature of Permendagri 13/2006 — DEMO" in html


def test_loading_again_changes_nothing():
    load_magelang(demo=True)
    before = list(om.NomenclatureCode.objects.order_by("pk").values())
    report = load_magelang(demo=True)
    assert not report.changed_anything and not report.conflicts
    assert list(om.NomenclatureCode.objects.order_by("pk").values()) == before


def test_an_operators_version_for_those_years_is_left_alone():
    official = om.NomenclatureVersion.objects.create(
        name="Permendagri 13/2006",
        regulation="Permendagri 13/2006",
        first_year=2018,
        last_year=2019,
    )
    report = load_magelang(demo=True)
    assert not report.conflicts
    assert not om.NomenclatureVersion.objects.filter(name=DEMO_NAME).exists()
    assert list(om.NomenclatureVersion.objects.all()) == [official]
    assert not om.NomenclatureCode.objects.exists()
