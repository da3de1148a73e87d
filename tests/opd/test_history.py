"""Audit entries read as people read them, in the active language."""

import pytest
from django.utils import translation

from opd.history import describe_changes
from opd.models import AuditEntry


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
