"""Importing an activity's beneficiary list: all or nothing, every bad row named, the list
replaced whole, only while the plan is editable, by its OPD, on the version seen, audited as
counts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from opd import models as om
from opd.beneficiaries.hashing import identity_hash
from opd.beneficiaries.services import (
    RowsRefused,
    beneficiary_list_delete,
    beneficiary_list_replace,
)
from opd.errors import StaleEdit, WorkflowError
from opd.tabular import ImportFileError
from tests.beneficiaries.world import csv_file, kk, nik, persons, xlsx_file
from tests.factories import KecamatanFactory, KelurahanFactory

pytestmark = pytest.mark.django_db


def replace(world, data: bytes, *, by=None, name: str = "daftar.csv", version=None, **kwargs):
    world.activity.refresh_from_db()
    return beneficiary_list_replace(
        activity_id=world.activity.pk,
        by=by or world.staff,
        name=name,
        data=data,
        seen_version=world.activity.version if version is None else version,
        **kwargs,
    )


def refused_rows(world, rows) -> dict[int, list[str]]:
    with pytest.raises(RowsRefused) as caught:
        replace(world, csv_file(rows))
    assert not om.Beneficiary.objects.exists()
    return {bad.row: bad.reasons for bad in caught.value.bad}


def test_a_clean_file_stores_hashes_and_counts(world):
    rows = [
        (nik(1), kk(1), "Kramat Utara", 1),
        ("3371 9900 0000 0002", kk(1), " kramat  UTARA ", 4),
        (nik(3), "", world.kelurahan.code, ""),
    ]
    listed = replace(world, csv_file(rows))
    assert (listed.persons, listed.families) == (3, 1)
    assert listed.desil_counts == [1, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert listed.persons_without_desil == 1
    assert listed.imported_by == world.staff
    stored = {bytes(row.person): row for row in listed.beneficiaries.all()}
    assert set(stored) == {identity_hash(nik(n)) for n in (1, 2, 3)}
    assert bytes(stored[identity_hash(nik(1))].family) == identity_hash(kk(1))
    assert stored[identity_hash(nik(3))].family is None
    assert {row.kelurahan_id for row in stored.values()} == {world.kelurahan.pk}


def test_an_xlsx_file_with_a_number_desil_is_read_like_text(world):
    rows = [(nik(1), kk(1), "Kramat Utara", 2), (nik(2), None, "Kramat Utara", 2.0)]
    listed = replace(world, xlsx_file(rows), name="Daftar.XLSX")
    assert listed.persons == 2
    assert listed.desil_counts[1] == 2
    assert om.Beneficiary.objects.filter(person=identity_hash(nik(1))).exists()


def test_a_nik_or_kk_stored_as_a_number_is_refused(world):
    """Excel keeps 15 significant digits: 3371991234567891 typed into a General cell is stored
    as 3371991234567890, so a number cell is never trusted as a NIK or No. KK."""
    rows = [
        (int(nik(1)), kk(1), "Kramat Utara", 2),
        (nik(2), float(kk(2)), "Kramat Utara", 2),
        (nik(3), kk(3), "Kramat Utara", 2),
    ]
    with pytest.raises(RowsRefused) as refused:
        replace(world, xlsx_file(rows), name="Daftar.xlsx")
    bad = {row.row: row.reasons for row in refused.value.bad}
    assert sorted(bad) == [2, 3]
    assert "NIK is stored as a number" in " ".join(bad[2])
    assert "No. KK is stored as a number" in " ".join(bad[3])
    assert not om.BeneficiaryList.objects.exists()


def test_every_bad_row_is_named_with_every_reason(world):
    KelurahanFactory(kecamatan=KecamatanFactory(region=world.work_plan.opd.region), name="Jurang")
    KelurahanFactory(kecamatan=KecamatanFactory(region=world.work_plan.opd.region), name="Jurang")
    bad = refused_rows(
        world,
        [
            (nik(1), kk(1), "Kramat Utara", 1),  # row 2: clean
            ("337199000000001", "", "Kramat Utara", 1),  # row 3: 15 digits
            ("3371-99-0000000003", "", "Kramat Utara", ""),  # row 4: a dash
            (nik(1), "", "Kramat Utara", ""),  # row 5: row 2's NIK
            (nik(6), "12345", "Atlantis", 0),  # row 6: KK, kelurahan, desil
            (nik(7), "", "", "11"),  # row 7: no kelurahan, desil 11
            ("", "", "Kramat Utara", "3.5"),  # row 8: no NIK, desil not whole
            (nik(9), "", "Jurang", ""),  # row 9: a name two kelurahan share
            (nik(10), "", "9999999999", ""),  # row 10: an unknown code
        ],
    )
    assert sorted(bad) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert bad[3] == ["The NIK has 15 digits, not 16."]
    assert bad[4] == ["The NIK holds something other than digits: write its 16 digits only."]
    assert bad[5] == ["The same NIK as row 2."]
    assert bad[6][0] == "The No. KK has 5 digits, not 16."
    assert bad[6][1].startswith("Unknown kelurahan “Atlantis”: not a kelurahan of")
    assert bad[6][2] == "The desil must be a whole number from 1 to 10, or empty."
    assert bad[7] == [
        "The kelurahan is missing.",
        "The desil must be a whole number from 1 to 10, or empty.",
    ]
    assert bad[8][0] == "The NIK is missing."
    assert "Jurang" in bad[9][0] and "write its code" in bad[9][0]
    assert bad[10][0].startswith("No kelurahan of")
    assert "9999999999" not in bad[10][0]  # a cell with digits is never repeated


def test_a_kelurahan_of_another_region_is_unknown(world):
    elsewhere = KelurahanFactory(name="Kramat Selatan")  # a region of its own
    bad = refused_rows(world, [(nik(1), "", elsewhere.name, 1)])
    assert bad[2][0].startswith("Unknown kelurahan “Kramat Selatan”")


def test_one_bad_row_among_a_thousand_imports_nothing(world):
    rows = persons(1000, "Kramat Utara")
    rows[637] = (nik(638), kk(1), "Kramat Utara", 12)
    with pytest.raises(RowsRefused) as caught:
        replace(world, csv_file(rows))
    assert [bad.row for bad in caught.value.bad] == [639]  # data row 638 under the header
    assert caught.value.rows == 1000
    assert not om.BeneficiaryList.objects.exists()
    assert not om.Beneficiary.objects.exists()
    assert not om.AuditEntry.objects.exists()
    assert world.refresh().activity.version == 1


def test_a_bad_file_keeps_the_old_list(world):
    replace(world, csv_file(persons(5, "Kramat Utara")))
    with pytest.raises(RowsRefused):
        replace(world, csv_file([(nik(1), "", "Atlantis", 1)]))
    assert world.activity.beneficiary_list.persons == 5
    assert om.Beneficiary.objects.count() == 5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (csv_file([], header=("NIK", "Kelurahan")), "no person under it"),
        (csv_file([(nik(1),)], header=("NIK",)), "missing: Kelurahan"),
        (b"PK\x03\x04 not a workbook", "cannot be opened as an XLSX"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(world, data, message):
    name = "daftar.xlsx" if data.startswith(b"PK") else "daftar.csv"
    with pytest.raises(ImportFileError, match=message):
        replace(world, data, name=name)
    assert not om.BeneficiaryList.objects.exists()


def test_the_no_kk_header_may_be_written_without_its_dot(world):
    listed = replace(
        world,
        csv_file(
            [(nik(1), kk(1), "Kramat Utara", 1)], header=("nik", "Nomor KK", "KELURAHAN", "desil")
        ),
    )
    assert listed.families == 1


def test_a_new_file_replaces_the_list_whole(world):
    replace(world, csv_file(persons(10, "Kramat Utara")))
    listed = replace(world, csv_file(persons(4, "Kramat Utara", start=100, desil=None)))
    assert listed.persons == 4
    assert listed.desil_counts == [0] * 10
    assert om.BeneficiaryList.objects.count() == 1
    assert {
        bytes(person) for person in om.Beneficiary.objects.values_list("person", flat=True)
    } == {identity_hash(nik(n)) for n in range(100, 104)}


def test_the_list_is_audited_as_counts_on_the_activity(world):
    replace(world, csv_file(persons(10, "Kramat Utara")))
    replace(world, csv_file(persons(4, "Kramat Utara")))
    beneficiary_list_delete(
        activity_id=world.activity.pk, by=world.head, seen_version=world.refresh().activity.version
    )
    entries = om.AuditEntry.objects.filter(object_type="activity", object_id=world.activity.pk)
    assert [entry.changes for entry in entries.order_by("pk")] == [
        {"beneficiaries": {"old": None, "new": "10"}},
        {"beneficiaries": {"old": "10", "new": "4"}},
        {"beneficiaries": {"old": "4", "new": None}},
    ]
    assert [entry.version for entry in entries.order_by("pk")] == [2, 3, 4]
    assert not om.BeneficiaryList.objects.exists()
    assert not om.Beneficiary.objects.exists()


def test_a_replacement_raises_the_versions_and_marks_the_figures_dirty(world):
    plan_version = world.work_plan.version
    replace(world, csv_file(persons(3, "Kramat Utara")))
    world.refresh()
    assert world.activity.version == 2
    assert world.work_plan.version == plan_version + 1
    state = om.ContributionState.objects.get(indicator=world.indicator, year=world.work_plan.year)
    assert state.dirty


def test_a_stale_version_is_refused_and_names_what_changed(world):
    replace(world, csv_file(persons(3, "Kramat Utara")))
    with pytest.raises(StaleEdit) as caught:
        replace(world, csv_file(persons(5, "Kramat Utara")), version=1)
    assert caught.value.current_version == 2
    assert [entry.changes for entry in caught.value.changes] == [
        {"beneficiaries": {"old": None, "new": "3"}}
    ]
    assert world.activity.beneficiary_list.persons == 3
    with pytest.raises(StaleEdit):
        beneficiary_list_delete(activity_id=world.activity.pk, by=world.head, seen_version=1)
    assert om.Beneficiary.objects.count() == 3


@pytest.mark.parametrize("who", ["outsider", "reviewer"])
def test_only_members_of_the_plans_opd_may_replace_or_delete(world, who):
    with pytest.raises(PermissionDenied):
        replace(world, csv_file(persons(3, "Kramat Utara")), by=getattr(world, who))
    replace(world, csv_file(persons(3, "Kramat Utara")))
    with pytest.raises(PermissionDenied):
        beneficiary_list_delete(
            activity_id=world.activity.pk, by=getattr(world, who), seen_version=2
        )
    assert om.Beneficiary.objects.count() == 3


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_a_plan_that_cannot_be_changed_keeps_its_lists(world, status):
    replace(world, csv_file(persons(3, "Kramat Utara")))
    om.WorkPlan.objects.filter(pk=world.work_plan.pk).update(
        status=status, submitted_at=timezone.now()
    )
    with pytest.raises(WorkflowError, match="cannot be changed"):
        replace(world, csv_file(persons(5, "Kramat Utara")))
    with pytest.raises(WorkflowError, match="cannot be changed"):
        beneficiary_list_delete(activity_id=world.activity.pk, by=world.head, seen_version=2)
    assert om.Beneficiary.objects.count() == 3


@pytest.mark.parametrize("status", ["returned", "reopened"])
def test_a_returned_or_reopened_plan_takes_a_list(world, status):
    om.WorkPlan.objects.filter(pk=world.work_plan.pk).update(
        status=status, submitted_at=timezone.now()
    )
    assert replace(world, csv_file(persons(2, "Kramat Utara"))).persons == 2


def test_deleting_nothing_is_refused(world):
    with pytest.raises(WorkflowError, match="no beneficiary list"):
        beneficiary_list_delete(activity_id=world.activity.pk, by=world.head, seen_version=1)


def test_deleting_the_activity_deletes_its_list(world):
    from opd.workplans import services

    replace(world, csv_file(persons(3, "Kramat Utara")))
    services.activity_delete(
        activity_id=world.activity.pk, by=world.head, seen_version=world.refresh().activity.version
    )
    assert not om.BeneficiaryList.objects.exists()
    assert not om.Beneficiary.objects.exists()


def test_progress_is_reported_after_each_batch(world, monkeypatch):
    from opd.beneficiaries import services

    monkeypatch.setattr(services, "BATCH_SIZE", 4)
    seen: list[tuple[int, int]] = []
    replace(world, csv_file(persons(10, "Kramat Utara")), progress=lambda *p: seen.append(p))
    assert seen == [(4, 10), (8, 10), (10, 10)]
    assert om.Beneficiary.objects.count() == 10


def test_an_activity_deleted_while_its_file_is_checked_is_refused_in_words(world, monkeypatch):
    """Checking a large file takes seconds; another member may delete the activity meanwhile.
    The upload is then refused as a deleted record (a 409 page, not a 500), nothing stored."""
    from opd.beneficiaries import services

    original = services.check_rows

    def check_then_delete(*args, **kwargs):
        checked = original(*args, **kwargs)
        om.Activity.objects.filter(pk=world.activity.pk).delete()
        return checked

    monkeypatch.setattr(services, "check_rows", check_then_delete)
    with pytest.raises(WorkflowError, match="no longer exists"):
        replace(world, csv_file(persons(3, "Kramat Utara")))
    assert not om.Beneficiary.objects.exists()
