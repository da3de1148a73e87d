"""Each list of fields, each rule is defined once and imported where needed (house style 12).

These fail when a form, a serializer or a service types a list of its own again: a field
added to the model's list would then be edited in one place and silently dropped in another.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from opd.models import Activity, AuditEntry, BappedaRole, Program, Realisation
from opd.workplans import forms, services
from opd.workplans.api import filters, serializers
from opd.workplans.history import change_lines
from opd.workplans.models import QUARTERS
from tests.factories import AuditEntryFactory


def test_the_form_the_serializer_and_the_service_edit_the_same_activity_fields():
    assert forms.ActivityForm.Meta.fields is Activity.EDITABLE_FIELDS
    assert services.ACTIVITY_FIELDS is Activity.EDITABLE_FIELDS
    fields = serializers.ActivitySerializer.Meta.fields
    assert fields == [
        "id",
        "work_plan",
        *Activity.EDITABLE_FIELDS,
        "version",
        "expected_contributions",
    ]


def test_the_form_the_serializer_and_the_service_edit_the_same_program_fields():
    assert forms.ProgramForm.Meta.fields is Program.EDITABLE_FIELDS
    assert services.PROGRAM_FIELDS is Program.EDITABLE_FIELDS
    assert serializers.ProgramSerializer.Meta.fields == [
        "id",
        "work_plan",
        *Program.EDITABLE_FIELDS,
        "version",
    ]


def test_the_form_the_serializer_and_the_service_report_the_same_realisation_fields():
    assert forms.RealisationForm.Meta.fields == ("quarter", *Realisation.EDITABLE_FIELDS)
    assert services.REALISATION_FIELDS is Realisation.EDITABLE_FIELDS
    assert serializers.RealisationSerializer.Meta.fields == [
        "id",
        "activity",
        "quarter",
        *Realisation.EDITABLE_FIELDS,
        "version",
        "achieved_contributions",
    ]


def test_every_editable_field_is_a_field_of_its_model():
    for model in (Program, Activity, Realisation):
        names = {field.name for field in model._meta.get_fields()}
        assert set(model.EDITABLE_FIELDS) <= names, model


def test_the_quarters_are_one_range_everywhere():
    assert services.QUARTERS is QUARTERS
    form = forms.RealisationForm(indicators=[])
    assert [value for value, _label in form.fields["quarter"].choices] == list(QUARTERS)  # type: ignore[attr-defined]
    quarter = serializers.RealisationSerializer().fields["quarter"]
    assert (quarter.min_value, quarter.max_value) == (min(QUARTERS), max(QUARTERS))  # type: ignore[attr-defined]
    bounds = filters.RealisationFilter.base_filters["quarter"].extra
    assert (bounds["min_value"], bounds["max_value"]) == (min(QUARTERS), max(QUARTERS))
    (constraint,) = [
        c for c in Realisation._meta.constraints if c.name == "realisation_quarter_1_4"
    ]
    assert dict(constraint.condition.children) == {  # type: ignore[attr-defined]
        "quarter__gte": min(QUARTERS),
        "quarter__lte": max(QUARTERS),
    }


@pytest.mark.django_db
def test_the_history_page_and_the_admin_render_an_entry_alike(
    admin_client: Any, admin_user: Any
) -> None:
    """One renderer: each line the admin shows for an entry is a line of the history page."""
    entry = AuditEntryFactory(
        object_type="activity",
        action=AuditEntry.Action.UPDATE,
        changes={
            "budget": {"old": "250000000", "new": "300000000.00"},
            "notes": {"old": "", "new": "Naik <karena> harga"},
            "status": {"old": "draft", "new": None},
        },
    )
    lines = change_lines("activity", entry.changes)
    assert lines == [
        "Pagu indikatif (Rp): Rp\xa0250.000.000 → Rp\xa0300.000.000",
        "Catatan: — → Naik <karena> harga",
        "status: draft → —",
    ]
    # The superuser reads the plan as Bappeda of its region.
    BappedaRole.objects.create(user=admin_user, region=entry.work_plan.opd.region)
    page = admin_client.get(reverse("opd:work_plan_history", args=[entry.work_plan_id]))
    html = page.content.decode()
    for line in lines:
        assert f"<li>{escape(line)}</li>" in html
