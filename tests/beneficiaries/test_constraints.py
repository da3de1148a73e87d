"""The database refuses bad beneficiary rows and unbacked estimates by itself (by name)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from opd import models as om
from opd.beneficiaries.hashing import identity_hash
from tests.constraints import refused
from tests.factories import ActivityFactory, ExpectedContributionFactory, KelurahanFactory

pytestmark = pytest.mark.django_db

NIK = "3371999900000001"


@pytest.fixture
def beneficiary_list() -> om.BeneficiaryList:
    return om.BeneficiaryList.objects.create(activity=ActivityFactory(), imported_at=timezone.now())


def _person(beneficiary_list: om.BeneficiaryList, **values: object) -> om.Beneficiary:
    values = {"person": identity_hash(NIK), "kelurahan": KelurahanFactory(), **values}
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
