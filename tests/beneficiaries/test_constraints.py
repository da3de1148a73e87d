"""The database refuses bad beneficiary rows and unbacked estimates by itself (by name)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from opd import models as om
from opd.beneficiaries.hashing import identity_hash
from tests.constraints import refused
from tests.factories import (
    ActivityFactory,
    ExpectedContributionFactory,
    KelurahanFactory,
    OpdFactory,
    PlanFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db

NIK = "3371999900000001"


@pytest.fixture
def beneficiary_list() -> om.BeneficiaryList:
    return om.BeneficiaryList.objects.create(activity=ActivityFactory(), imported_at=timezone.now())


def _region_of(beneficiary_list: om.BeneficiaryList) -> object:
    return beneficiary_list.activity.program.work_plan.opd.region


def _person(beneficiary_list: om.BeneficiaryList, **values: object) -> om.Beneficiary:
    if "kelurahan" not in values:
        values["kelurahan"] = KelurahanFactory(kecamatan__region=_region_of(beneficiary_list))
    values = {"person": identity_hash(NIK), **values}
    return om.Beneficiary.objects.create(beneficiary_list=beneficiary_list, **values)


def test_beneficiary_unique_person(beneficiary_list):
    _person(beneficiary_list)
    other = om.BeneficiaryList.objects.create(
        activity=ActivityFactory(), imported_at=timezone.now()
    )
    assert _person(other).pk  # the same person on another list: the overlap to count
    with refused("beneficiary_unique_person"):
        _person(beneficiary_list)


@pytest.mark.parametrize("good", [None, 1, 10])
def test_beneficiary_desil_1_10_accepts(beneficiary_list, good):
    assert _person(beneficiary_list, desil=good).pk


@pytest.mark.parametrize("bad", [0, 11])
def test_beneficiary_desil_1_10(beneficiary_list, bad):
    with refused("beneficiary_desil_1_10"):
        _person(beneficiary_list, desil=bad)


def test_beneficiary_person_is_hash(beneficiary_list):
    with refused("beneficiary_person_is_hash"):
        _person(beneficiary_list, person=NIK.encode())  # 16 bytes: a NIK, never a hash


def test_beneficiary_family_is_hash(beneficiary_list):
    assert _person(beneficiary_list, family=identity_hash("3371999911110001")).pk
    with refused("beneficiary_family_is_hash"):
        _person(beneficiary_list, person=identity_hash("3371999900000002"), family=b"")


def test_expected_contribution_evidence_valid():
    for good in ("", "list", "estimate"):
        basis = "Data DTKS 2017" if good == "estimate" else ""
        assert ExpectedContributionFactory(evidence=good, evidence_basis=basis).pk
    with refused("expected_contribution_evidence_valid"):
        ExpectedContributionFactory(evidence="guess")


@pytest.mark.parametrize("bad", ["", "   "])
def test_expected_contribution_estimate_has_basis(bad):
    assert ExpectedContributionFactory(evidence="list", evidence_basis=bad).pk
    with refused("expected_contribution_estimate_has_basis"):
        ExpectedContributionFactory(evidence="estimate", evidence_basis=bad)


def _raw_insert(beneficiary_list: om.BeneficiaryList, kelurahan_id: int, nik: str) -> None:
    """One row written by SQL, past the ORM and the import: only the database can refuse it."""
    table = om.Beneficiary._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (beneficiary_list_id, person, kelurahan_id, desil)"  # noqa: S608
            " VALUES (%s, %s, %s, %s)",
            [beneficiary_list.pk, identity_hash(nik), kelurahan_id, 3],
        )


def test_beneficiary_kelurahan_in_region(beneficiary_list):
    own = KelurahanFactory(kecamatan__region=_region_of(beneficiary_list))
    elsewhere = KelurahanFactory()  # a kecamatan of another region
    _raw_insert(beneficiary_list, own.pk, "3371999900000003")
    assert beneficiary_list.beneficiaries.filter(kelurahan=own).count() == 1
    with refused("beneficiary_kelurahan_in_region"):
        _raw_insert(beneficiary_list, elsewhere.pk, "3371999900000004")
    person = beneficiary_list.beneficiaries.get()
    with refused("beneficiary_kelurahan_in_region"):
        om.Beneficiary.objects.filter(pk=person.pk).update(kelurahan=elsewhere)
    assert list(beneficiary_list.beneficiaries.values_list("kelurahan", flat=True)) == [own.pk]


def test_beneficiary_list_stays_with_activity(beneficiary_list):
    _person(beneficiary_list)
    other = ActivityFactory()
    same = om.BeneficiaryList.objects.filter(pk=beneficiary_list.pk)
    assert same.update(persons=1) == 1  # any other change is allowed
    with refused("beneficiary_list_stays_with_activity"):
        same.update(activity=other)


def test_work_plan_region_keeps_beneficiaries(beneficiary_list):
    work_plan = beneficiary_list.activity.program.work_plan
    plans = om.WorkPlan.objects.filter(pk=work_plan.pk)
    assert plans.update(opd=OpdFactory(region=work_plan.opd.region)) == 1  # same region: holds
    listless = om.WorkPlan.objects.filter(pk=ProgramFactory().work_plan_id)

    def elsewhere() -> dict[str, object]:
        """Another region's OPD and its RPJMD plan: a move every other rule allows."""
        opd = OpdFactory()
        return {"opd": opd, "plan": PlanFactory(region=opd.region)}

    assert listless.update(**elsewhere()) == 1  # without a list the move is allowed
    _person(beneficiary_list)
    with refused("work_plan_region_keeps_beneficiaries"):
        plans.update(**elsewhere())
