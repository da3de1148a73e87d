"""The admin: every registered model's pages load for a superuser, no changelist runs a query
per row, and work plans, their content and the records of what happened (audit trail, review
comments, reminders, snapshots) can only be viewed: plan content is edited in the portal, through
the services that version and audit every change. What a room's admin adds is tested in that
room's ``test_admin.py``; the row makers are in ``tests/admin_rows.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.core import checks
from django.db import connection, models
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from targets import models as tm
from tests import factories as f
from tests.admin_rows import (
    ROW_MAKERS,
    SIGN_IN_RECORDS,
    VIEW_ONLY,
    DeadlineReminderFactory,
    SubmissionDeadlineFactory,
    make_mission,
    url,
)

VIEW_ONLY_MODELS = pytest.mark.parametrize(
    "model",
    sorted(VIEW_ONLY, key=lambda m: m._meta.label_lower),
    ids=lambda m: m._meta.label_lower,
)
MODELS = pytest.mark.parametrize(
    "model", list(ROW_MAKERS), ids=[m._meta.label_lower for m in ROW_MAKERS]
)


def search_term(model: type[models.Model], obj: models.Model) -> str:
    """The value of the model admin's first search field on ``obj``: a query that must find it."""
    value: Any = obj
    for step in admin.site._registry[model].search_fields[0].lstrip("^=@").split("__"):
        value = getattr(value, step)
    return str(value)


def changelist_queries(client: Any, model: type[models.Model]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(model, "changelist"))
    assert response.status_code == 200
    return len(queries)


def test_admin_system_checks_pass() -> None:
    assert checks.run_checks(tags=[checks.Tags.admin]) == []


def test_every_registered_model_is_tested() -> None:
    assert set(admin.site._registry) == set(ROW_MAKERS)


@pytest.mark.django_db
@MODELS
def test_changelist_loads_with_a_constant_number_of_queries(
    admin_client: Any, model: type[models.Model]
) -> None:
    make = ROW_MAKERS[model]
    for _ in range(2):
        make()
    changelist_queries(admin_client, model)  # warm caches (content types, sessions)
    with_two = changelist_queries(admin_client, model)
    for _ in range(8):
        make()
    with_ten = changelist_queries(admin_client, model)
    response = admin_client.get(url(model, "changelist"))
    assert response.context["cl"].result_count >= 10
    assert with_ten == with_two, (
        f"{model.__name__}: {with_two} queries for 2 rows, {with_ten} for 10"
    )


@pytest.mark.django_db
@MODELS
def test_add_page_loads_or_is_forbidden_for_view_only_models(
    admin_client: Any, model: type[models.Model]
) -> None:
    response = admin_client.get(url(model, "add"))
    assert response.status_code == (403 if model in VIEW_ONLY | SIGN_IN_RECORDS else 200)


@pytest.mark.django_db
@MODELS
def test_change_page_loads(admin_client: Any, model: type[models.Model]) -> None:
    obj = ROW_MAKERS[model]()
    response = admin_client.get(url(model, "change", obj.pk))
    assert response.status_code == 200
    if model in VIEW_ONLY:
        assert not response.context["has_change_permission"]
        assert not response.context["has_delete_permission"]
        assert b'name="_save"' not in response.content
        for formset in response.context["inline_admin_formsets"]:
            assert not formset.has_add_permission
            assert not formset.has_change_permission
            assert not formset.has_delete_permission


@pytest.mark.django_db
@MODELS
def test_search_finds_the_row(admin_client: Any, model: type[models.Model]) -> None:
    obj = ROW_MAKERS[model]()
    response = admin_client.get(url(model, "changelist"), {"q": search_term(model, obj)})
    assert response.status_code == 200
    assert obj.pk in {row.pk for row in response.context["cl"].result_list}


def stored(obj: models.Model) -> dict[str, Any]:
    """The row as the database holds it now."""
    return model_to_dict(type(obj)._default_manager.get(pk=obj.pk))


@pytest.mark.django_db
@VIEW_ONLY_MODELS
def test_view_only_rows_cannot_be_changed_or_deleted_by_post(
    admin_client: Any, model: type[models.Model]
) -> None:
    obj = ROW_MAKERS[model]()
    before = stored(obj)
    form = {key: "" if value is None else value for key, value in before.items()}
    form.update({"_save": "Save", "version": 99, "notes": "changed in the admin"})

    assert admin_client.post(url(model, "change", obj.pk), form).status_code == 403
    assert admin_client.get(url(model, "delete", obj.pk)).status_code == 403
    assert admin_client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    bulk_delete = {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    admin_client.post(url(model, "changelist"), bulk_delete)
    assert admin_client.post(url(model, "add"), form).status_code == 403

    assert stored(obj) == before


def add_target_and_actual(indicator: tm.Indicator) -> None:
    year = 2016 + tm.Target.objects.filter(indicator=indicator).count()
    f.TargetFactory(indicator=indicator, year=year)
    f.ActualFactory(indicator=indicator, year=year)


# Change pages whose inlines show no autocomplete widget (Django's autocomplete widget looks
# up its selected value once per inline row, so those inlines are left out here).
INLINE_CASES: dict[str, tuple[Callable[[], Any], Callable[[Any], Any]]] = {
    "region-kecamatan": (f.RegionFactory, lambda region: f.KecamatanFactory(region=region)),
    "mission-goals": (
        make_mission,
        lambda mission: tm.Goal.objects.create(
            mission=mission, number=tm.Goal.objects.filter(mission=mission).count() + 1, text="T"
        ),
    ),
    "indicator-figures": (f.IndicatorFactory, add_target_and_actual),
    "workplan-programs": (f.WorkPlanFactory, lambda plan: f.ProgramFactory(work_plan=plan)),
    "program-activities": (f.ProgramFactory, lambda program: f.ActivityFactory(program=program)),
    "activity-contributions": (
        f.ActivityFactory,
        lambda activity: f.ExpectedContributionFactory(activity=activity),
    ),
    "realisation-contributions": (
        f.RealisationFactory,
        lambda realisation: f.AchievedContributionFactory(realisation=realisation),
    ),
    "deadline-reminders": (
        SubmissionDeadlineFactory,
        lambda deadline: DeadlineReminderFactory(deadline=deadline),
    ),
    "snapshot-rows": (f.SnapshotFactory, lambda snap: f.ContributionRowFactory(snapshot=snap)),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(INLINE_CASES))
def test_change_page_inlines_do_not_query_per_row(admin_client: Any, case: str) -> None:
    make_parent, add_child = INLINE_CASES[case]
    parent = make_parent()
    change = url(type(parent), "change", parent.pk)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(change).status_code == 200
        return len(captured)

    for _ in range(2):
        add_child(parent)
    queries()
    with_two = queries()
    for _ in range(4):
        add_child(parent)
    assert queries() == with_two
