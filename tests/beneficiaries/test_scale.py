"""A city-sized list, 50,000 persons, imports (in seconds: the time is printed, not asserted)."""

from __future__ import annotations

import time

import pytest

from opd import models as om
from opd.beneficiaries.services import beneficiary_list_replace
from tests.beneficiaries.world import csv_file, persons

pytestmark = pytest.mark.django_db


def test_fifty_thousand_rows_import(world, capsys):
    rows = persons(50_000, "Kramat Utara", desil=None)
    for i in range(0, 50_000, 7):
        rows[i] = (*rows[i][:3], i % 10 + 1)
    data = csv_file(rows)
    started = time.perf_counter()
    listed = beneficiary_list_replace(
        activity_id=world.activity.pk,
        by=world.head,
        name="daftar.csv",
        data=data,
        seen_version=1,
    )
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n50,000-row beneficiary import: {elapsed:.2f} s")
    assert listed.persons == 50_000
    assert listed.families == 25_001
    assert sum(listed.desil_counts) == len(range(0, 50_000, 7))
    assert om.Beneficiary.objects.filter(beneficiary_list=listed).count() == 50_000
