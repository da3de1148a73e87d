"""Audit entries read as people read them, in the active language."""

import importlib

import pytest
from django.utils import translation

from opd.models import AuditEntry
from opd.workplans.history import describe_changes


def entry(object_type: str, changes: dict) -> AuditEntry:
    return AuditEntry(object_type=object_type, object_id=1, changes=changes)


@pytest.mark.parametrize(
    ("language", "budget", "persons", "label"),
    [
        ("id", ("Rp\u00a0250.000.000", "Rp\u00a01.250.000"), "1.200", "Pagu indikatif (Rp)"),
        ("en", ("Rp\u00a0250,000,000", "Rp\u00a01,250,000"), "1,200", "Budget (pagu, Rp)"),
    ],
)
def test_labels_and_figures_follow_the_language(language, budget, persons, label):
    changes = {
        "budget": {"old": "250000000", "new": "1250000.00"},
        "contribution:KEMISKINAN": {"old": None, "new": "1200"},
        "output_target": {"old": "7.5", "new": "10"},
        "target_group": {"old": "Lansia", "new": None},
    }
    with translation.override(language):
        described = {c.field: c for c in describe_changes(entry("activity", changes))}
    assert (described["budget"].label, described["budget"].old, described["budget"].new) == (
        label,
        *budget,
    )
    assert described["contribution:KEMISKINAN"].new == persons
    assert "KEMISKINAN" in described["contribution:KEMISKINAN"].label
    assert described["output_target"].old == ("7,5" if language == "id" else "7.5")
    assert (described["target_group"].old, described["target_group"].new) == ("Lansia", None)


def test_an_unknown_field_keeps_its_name():
    (change,) = describe_changes(entry("activity", {"retired_field": {"old": "a", "new": "b"}}))
    assert (change.label, change.old, change.new) == ("retired_field", "a", "b")


@pytest.mark.parametrize(
    ("language", "status", "funding"),
    [("id", ("Draf", "Diajukan"), "Lainnya"), ("en", ("Draft", "Submitted"), "Other")],
)
def test_choices_are_stored_as_values_and_read_in_the_viewers_language(language, status, funding):
    plan = entry("workplan", {"status": {"old": "draft", "new": "submitted"}})
    activity = entry("activity", {"funding_source": {"old": None, "new": "lainnya"}})
    with translation.override(language):
        (change,) = describe_changes(plan)
        (source,) = describe_changes(activity)
    assert (change.old, change.new) == status
    assert source.new == funding


def test_a_reopened_plan_reads_dibuka_kembali():
    with translation.override("id"):
        (change,) = describe_changes(
            entry("workplan", {"status": {"old": "approved", "new": "reopened"}})
        )
    assert (change.old, change.new) == ("Disetujui", "Dibuka kembali")


def test_a_value_no_longer_offered_shows_as_stored():
    (change,) = describe_changes(entry("workplan", {"status": {"old": "archived", "new": None}}))
    assert (change.old, change.new) == ("archived", None)


def test_targets_show_their_decimals_without_trailing_zeros():
    changes = {"output_target": {"old": "7.3800", "new": "340.00"}}
    with translation.override("id"):
        (change,) = describe_changes(entry("activity", changes))
    assert (change.old, change.new) == ("7,38", "340")


def test_the_migration_maps_stored_labels_of_both_languages_back_to_values():
    migration = importlib.import_module(
        "opd.migrations.0006_work_plan_reopened_status_and_audit_values"
    )
    old_rows = [
        ("submit", {"old": "Draf", "new": "Diajukan"}, {"old": "draft", "new": "submitted"}),
        (
            "return",
            {"old": "Submitted", "new": "Returned"},
            {"old": "submitted", "new": "returned"},
        ),
        (
            "reopen",
            {"old": "Disetujui", "new": "Dikembalikan"},
            {"old": "approved", "new": "reopened"},
        ),
    ]
    for action, stored, expected in old_rows:
        row = AuditEntry(
            object_type="workplan", object_id=1, action=action, changes={"status": stored}
        )
        assert migration._map_entry(row, "status", migration.STATUS_VALUES, "reopened")
        assert row.changes == {"status": expected}
    row = AuditEntry(
        object_type="activity",
        object_id=1,
        changes={"funding_source": {"old": "Lainnya", "new": "APBD Kota"}},
    )
    assert migration._map_entry(row, "funding_source", migration.FUNDING_VALUES, None)
    assert row.changes == {"funding_source": {"old": "lainnya", "new": "apbd_kota"}}
    # Values already stored are left alone.
    row = AuditEntry(
        object_type="workplan",
        object_id=1,
        action="submit",
        changes={"status": {"old": "draft", "new": "submitted"}},
    )
    assert not migration._map_entry(row, "status", migration.STATUS_VALUES, "reopened")
