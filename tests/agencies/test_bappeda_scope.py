"""Where a Bappeda user works (``opd.agencies.roles``): the one place scoping is decided.

A kota's Bappeda reviews and reads its region; a province's reads every region under it and
reviews none; the country's reads the provinces and their regions; a Bappeda user without a
role works for the deployment's region; a role without the Bappeda permission is nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opd import models as om
from opd.agencies import roles
from opd.workplans import permissions, services
from targets import models as tm
from tests.factories import OpdFactory, RegionFactory, UserFactory, WorkPlanFactory

pytestmark = pytest.mark.django_db


def bappeda(region: tm.Region | None, username: str) -> Any:
    """A Bappeda user (the permission, no superuser shortcut), working for ``region``."""
    user = UserFactory(username=username)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="opd", codename="review_workplan")
    )
    if region is not None:
        om.BappedaRole.objects.create(user=user, region=region)
    return type(user).objects.get(pk=user.pk)  # a fresh object: no cached permissions


@pytest.fixture
def tree() -> dict[str, tm.Region]:
    country = RegionFactory(code="00", kind=tm.Region.Kind.COUNTRY, name="Indonesia")
    jateng = RegionFactory(code="33", kind=tm.Region.Kind.PROVINCE, parent=country)
    jatim = RegionFactory(code="35", kind=tm.Region.Kind.PROVINCE, parent=country)
    return {
        "country": country,
        "jateng": jateng,
        "jatim": jatim,
        "magelang": RegionFactory(code=settings.DEFAULT_REGION_CODE, parent=jateng),
        "semarang": RegionFactory(code="33.74", parent=jateng),
        "kab_magelang": RegionFactory(code="33.08", kind=tm.Region.Kind.REGENCY, parent=jateng),
        "surabaya": RegionFactory(code="35.78", parent=jatim),
        "lone": RegionFactory(code="99.99"),  # a city under no province
    }


def ids(tree: dict[str, tm.Region], *names: str) -> frozenset[int]:
    return frozenset(tree[name].pk for name in names)


def test_a_city_bappeda_reviews_and_reads_its_city_only(tree):
    user = bappeda(tree["semarang"], "bappeda.semarang")
    assert roles.reviewed_region_id(user) == tree["semarang"].pk
    assert roles.readable_region_ids(user) == ids(tree, "semarang")
    assert roles.reviews_region(user, tree["semarang"].pk)
    assert not roles.reviews_region(user, tree["magelang"].pk)
    assert not roles.reads_region(user, tree["magelang"].pk)
    assert not roles.reviews_region(user, None)


def test_a_regency_bappeda_reviews_its_regency(tree):
    user = bappeda(tree["kab_magelang"], "bappeda.kabmgl")
    assert roles.reviewed_region_id(user) == tree["kab_magelang"].pk


def test_a_province_bappeda_reads_its_regions_and_reviews_none(tree):
    user = bappeda(tree["jateng"], "bappeda.jateng")
    assert roles.readable_region_ids(user) == ids(
        tree, "jateng", "magelang", "semarang", "kab_magelang"
    )
    assert roles.reviewed_region_id(user) is None
    assert not roles.reviews_region(user, tree["magelang"].pk)
    assert not roles.reads_region(user, tree["surabaya"].pk)
    assert roles.is_reviewer(user)  # still Bappeda: it reads the Bappeda pages


def test_the_country_bappeda_reads_provinces_and_their_regions(tree):
    user = bappeda(tree["country"], "bappeda.ri")
    everything_but_lone = frozenset(tree[name].pk for name in tree if name != "lone")
    assert roles.readable_region_ids(user) == everything_but_lone
    assert roles.reviewed_region_id(user) is None


def test_without_a_role_bappeda_works_for_the_deployment_region(tree):
    user = bappeda(None, "bappeda")
    assert roles.reviewed_region_id(user) == tree["magelang"].pk
    assert roles.readable_region_ids(user) == ids(tree, "magelang")


def test_with_a_role_the_deployment_region_is_not_theirs(tree):
    user = bappeda(tree["lone"], "bappeda.lone")
    assert roles.readable_region_ids(user) == ids(tree, "lone")
    assert roles.reviewed_region_id(user) == tree["lone"].pk


def test_a_role_without_the_permission_is_nothing(tree):
    user = UserFactory(username="not.bappeda")
    om.BappedaRole.objects.create(user=user, region=tree["jateng"])
    assert roles.bappeda_scope(user) is None
    assert roles.readable_region_ids(user) == frozenset()
    assert roles.reviewed_region_id(user) is None


def test_no_scope_when_the_deployment_region_is_missing():
    user = bappeda(None, "bappeda")
    assert roles.bappeda_scope(user) is None
    assert roles.readable_region_ids(user) == frozenset()


def test_the_scope_costs_one_query_per_request(tree):
    user = bappeda(tree["jateng"], "bappeda.jateng")
    assert roles.is_reviewer(user)  # the permissions, read once and cached by Django
    with CaptureQueriesContext(connection) as queries:
        roles.readable_region_ids(user)
        roles.reviewed_region_id(user)
        roles.reads_region(user, tree["magelang"].pk)
    assert len(queries) == 1


def test_plans_opds_and_review_follow_the_region(tree):
    opd_magelang = OpdFactory(region=tree["magelang"])
    opd_semarang = OpdFactory(region=tree["semarang"])
    plan_magelang = WorkPlanFactory(opd=opd_magelang, status=om.WorkPlan.Status.SUBMITTED)
    plan_semarang = WorkPlanFactory(opd=opd_semarang, status=om.WorkPlan.Status.SUBMITTED)
    city = bappeda(tree["semarang"], "bappeda.semarang")
    province = bappeda(tree["jateng"], "bappeda.jateng")
    other_province = bappeda(tree["jatim"], "bappeda.jatim")

    assert set(om.WorkPlan.objects.visible_to(city)) == {plan_semarang}
    assert set(om.Opd.objects.visible_to(city)) == {opd_semarang}
    assert set(om.WorkPlan.objects.visible_to(province)) == {plan_magelang, plan_semarang}
    assert set(om.WorkPlan.objects.visible_to(other_province)) == set()

    assert permissions.can_review(city, plan_semarang)
    assert not permissions.can_review(city, plan_magelang)
    assert not permissions.can_review(province, plan_semarang)


@pytest.mark.parametrize("who", ["other_city", "province"])
def test_a_review_outside_the_region_is_refused_and_changes_nothing(tree, who):
    plan = WorkPlanFactory(
        opd=OpdFactory(region=tree["magelang"]), status=om.WorkPlan.Status.SUBMITTED
    )
    region = tree["semarang"] if who == "other_city" else tree["jateng"]
    user = bappeda(region, f"bappeda.{who}")
    with pytest.raises(PermissionDenied):
        services.work_plan_approve(work_plan_id=plan.pk, by=user, seen_version=plan.version)
    plan.refresh_from_db()
    assert plan.status == om.WorkPlan.Status.SUBMITTED
    assert not om.AuditEntry.objects.filter(work_plan=plan).exists()
    # Their own region's deadline only: a province's Bappeda sets none.
    if who == "province":
        from datetime import date

        with pytest.raises(PermissionDenied):
            services.deadline_set(region=region, year=2018, due_date=date(2017, 9, 1), by=user)
        assert not om.SubmissionDeadline.objects.exists()
