"""The database refuses bad OPD and membership rows by itself.

Same approach as ``tests/targets/test_constraints.py``, with the helpers of
``tests/constraints.py``: a bad row written through the ORM is refused by name, the
nearest good row is accepted.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from opd import models as om
from tests.constraints import assert_unique, refused
from tests.factories import (
    DeadlineReminderFactory,
    MembershipFactory,
    OpdFactory,
    RegionFactory,
    WorkPlanFactory,
)

CENT = Decimal("0.01")

CHECKS = [
    # constraint, factory, nearest good row, bad row
    ("opd_kind_valid", OpdFactory, {"kind": "kecamatan"}, {"kind": "desa"}),
    ("opd_code_not_empty", OpdFactory, {"code": "1"}, {"code": ""}),
    ("opd_membership_role_valid", MembershipFactory, {"role": "staff"}, {"role": "owner"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "factory", "good", "bad"), CHECKS, ids=[check[0] for check in CHECKS]
)
def test_check_constraint_refuses_bad_row(name, factory, good, bad):
    assert factory(**good).pk
    with refused(name):
        factory(**bad)


# --- uniqueness ---------------------------------------------------------------------

UNIQUES = [
    # constraint, factory, scope, key (values, or fields copied from the first row), another key
    ("opd_unique_code", OpdFactory, ["region"], {"code": "1.01"}, {"code": "1.02"}),
    ("opd_unique_name", OpdFactory, ["region"], {"name": "Dinas Sosial"}, {}),
    ("opd_membership_unique_user", MembershipFactory, ["opd"], ["user"], {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "factory", "scope", "key", "other_key"), UNIQUES, ids=[u[0] for u in UNIQUES]
)
def test_unique_constraint_refuses_duplicate(name, factory, scope, key, other_key):
    assert_unique(name, factory, scope=scope, key=key, other_key=other_key)


# --- cross-row rules -------------------------------------------------------------------


@pytest.mark.django_db
def test_opd_region_keeps_work_plans():
    other_region = RegionFactory()
    free = OpdFactory()
    assert om.Opd.objects.filter(pk=free.pk).update(region=other_region) == 1
    planning = WorkPlanFactory().opd
    assert om.Opd.objects.filter(pk=planning.pk).update(name="Dinas Sosial") == 1
    with refused("opd_region_keeps_work_plans"):
        om.Opd.objects.filter(pk=planning.pk).update(region=other_region)


@pytest.mark.django_db
def test_opd_region_keeps_reminders():
    other_region = RegionFactory()
    free = OpdFactory()
    assert om.Opd.objects.filter(pk=free.pk).update(region=other_region) == 1
    reminded = DeadlineReminderFactory().opd
    assert om.Opd.objects.filter(pk=reminded.pk).update(name="Dinas Sosial") == 1
    with refused("opd_region_keeps_reminders"):
        om.Opd.objects.filter(pk=reminded.pk).update(region=other_region)
    reminded.region = other_region
    with refused("opd_region_keeps_reminders"):
        reminded.save()
