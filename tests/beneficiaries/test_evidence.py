"""The checklist and the evidence of a claim: no claim above the activity's list, a list where
the claim says so, the basis of an estimate; read from what ``load_programs`` loaded."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opd import models as om
from opd.beneficiaries.services import beneficiary_list_replace
from opd.workplans.checklist import check_work_plan, load_programs, problems_for
from targets import models as tm
from tests.beneficiaries.world import csv_file, persons

pytestmark = pytest.mark.django_db


def attach(world, count: int) -> None:
    world.activity.refresh_from_db()
    beneficiary_list_replace(
        activity_id=world.activity.pk,
        by=world.head,
        name="daftar.csv",
        data=csv_file(persons(count, "Kramat Utara")),
        seen_version=world.activity.version,
    )


def claim(world, amount: int, evidence: str = "", basis: str = "") -> None:
    om.ExpectedContribution.objects.filter(pk=world.contribution.pk).update(
        amount=Decimal(amount), evidence=evidence, evidence_basis=basis
    )


def codes(world) -> list[str]:
    return [problem.code for problem in check_work_plan(world.work_plan)]


def test_existing_contributions_state_no_evidence_and_pass(world):
    world.contribution.refresh_from_db()
    assert (world.contribution.evidence, world.contribution.evidence_basis) == ("", "")
    assert codes(world) == []


@pytest.mark.parametrize(("amount", "expected"), [(39, []), (40, []), (41, ["claim_above_list"])])
def test_a_claim_above_the_list_is_refused(world, amount, expected):
    attach(world, 40)
    claim(world, amount, "list")
    assert codes(world) == expected


def test_the_refusal_names_the_claim_and_the_list_and_links_to_the_activity(world):
    attach(world, 40)
    claim(world, 100, "estimate", "Data DTKS 2017")  # a list caps an estimate too
    (problem,) = check_work_plan(world.work_plan)
    assert problem.activity_id == world.activity.pk
    assert "KMS (100 persons)" in problem.message
    assert "list (40 persons)" in problem.message


def test_a_claim_in_another_unit_is_not_capped_by_persons(world):
    tm.Indicator.objects.filter(pk=world.indicator.pk).update(is_population_share=False)
    attach(world, 40)
    claim(world, 1000)
    assert codes(world) == []


def test_a_claim_said_to_be_backed_by_a_list_needs_one(world):
    claim(world, 40, "list")
    assert codes(world) == ["evidence_list_missing"]
    attach(world, 40)
    assert codes(world) == []


def test_an_estimate_needs_its_basis(world):
    claim(world, 40, "estimate", "Data DTKS 2017 dikali tingkat keberhasilan 2016")
    assert codes(world) == []
    # The database refuses an empty basis; a basis of line breaks only reaches the checklist.
    claim(world, 40, "estimate", "\n\t\n")
    assert codes(world) == ["estimate_basis_missing"]


def test_the_rules_read_what_was_loaded_without_a_query(world):
    attach(world, 40)
    claim(world, 41, "list")
    programs = load_programs(world.work_plan)
    with CaptureQueriesContext(connection) as queries:
        problems = problems_for(programs)
    assert [problem.code for problem in problems] == ["claim_above_list"]
    assert len(queries) == 0
