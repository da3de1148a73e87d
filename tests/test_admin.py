"""The admin: every registered model's pages load for a superuser, and no changelist runs a
query per row."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import checks
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opd import models as om
from targets import models as tm
from tests import factories as f

User = get_user_model()


def make_mission() -> tm.Mission:
    plan = f.PlanFactory()
    return tm.Mission.objects.create(plan=plan, number=1, text="Mewujudkan masyarakat sejahtera")


def make_goal() -> tm.Goal:
    return tm.Goal.objects.create(mission=make_mission(), number=1, text="Menurunkan kemiskinan")


def make_objective() -> tm.Objective:
    return tm.Objective.objects.create(
        goal=make_goal(), number=1, text="Meningkatnya kesejahteraan keluarga miskin"
    )


def make_user() -> Any:
    return f.MembershipFactory(role=om.OpdMembership.Role.STAFF).user


def make_group() -> Group:
    return Group.objects.create(name=f"Bappeda {Group.objects.count() + 1}")


# One maker per registered model; each call adds one row of that model (and what it needs).
ROW_MAKERS: dict[type[models.Model], Callable[[], models.Model]] = {
    tm.Region: f.RegionFactory,
    tm.Kecamatan: f.KecamatanFactory,
    tm.Kelurahan: f.KelurahanFactory,
    tm.Plan: f.PlanFactory,
    tm.Mission: make_mission,
    tm.Goal: make_goal,
    tm.Objective: make_objective,
    tm.Indicator: f.IndicatorFactory,
    tm.Target: f.TargetFactory,
    tm.Actual: f.ActualFactory,
    tm.Population: f.PopulationFactory,
    om.Opd: f.OpdFactory,
    om.OpdMembership: f.MembershipFactory,
    om.WorkPlan: f.WorkPlanFactory,
    om.Program: f.ProgramFactory,
    om.Activity: f.ActivityFactory,
    om.ExpectedContribution: f.ExpectedContributionFactory,
    om.Realisation: f.RealisationFactory,
    om.AchievedContribution: f.AchievedContributionFactory,
    om.Aspiration: f.AspirationFactory,
    om.ContributionSnapshot: f.SnapshotFactory,
    om.ContributionRow: f.ContributionRowFactory,
    User: make_user,
    Group: make_group,
}
READ_ONLY = {om.ContributionSnapshot, om.ContributionRow}
MODELS = pytest.mark.parametrize(
    "model", list(ROW_MAKERS), ids=[m._meta.label_lower for m in ROW_MAKERS]
)


def url(model: type[models.Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


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
def test_add_page_loads_or_is_forbidden_for_snapshots(
    admin_client: Any, model: type[models.Model]
) -> None:
    response = admin_client.get(url(model, "add"))
    assert response.status_code == (403 if model in READ_ONLY else 200)


@pytest.mark.django_db
@MODELS
def test_change_page_loads(admin_client: Any, model: type[models.Model]) -> None:
    obj = ROW_MAKERS[model]()
    response = admin_client.get(url(model, "change", obj.pk))
    assert response.status_code == 200
    if model in READ_ONLY:
        assert not response.context["has_change_permission"]
        assert b'name="_save"' not in response.content


@pytest.mark.django_db
@MODELS
def test_search_finds_the_row(admin_client: Any, model: type[models.Model]) -> None:
    obj = ROW_MAKERS[model]()
    response = admin_client.get(url(model, "changelist"), {"q": search_term(model, obj)})
    assert response.status_code == 200
    assert obj.pk in {row.pk for row in response.context["cl"].result_list}


@pytest.mark.django_db
def test_snapshot_rows_cannot_be_posted(admin_client: Any) -> None:
    row = f.ContributionRowFactory()
    response = admin_client.post(url(om.ContributionRow, "change", row.pk), {"planned": "1"})
    assert response.status_code == 403
    response = admin_client.post(url(om.ContributionSnapshot, "add"), {})
    assert response.status_code == 403


@pytest.mark.django_db
def test_user_admin_edits_opd_memberships(admin_client: Any) -> None:
    membership = f.MembershipFactory()
    response = admin_client.get(url(User, "change", membership.user.pk))
    inline_models = {formset.opts.model for formset in response.context["inline_admin_formsets"]}
    assert om.OpdMembership in inline_models
    response = admin_client.get(url(User, "changelist"))
    assert str(membership.opd) in response.content.decode()


def realisation_form(realisation: om.Realisation, seen_version: int, spent: str) -> dict:
    return {
        "activity": realisation.activity_id,
        "quarter": realisation.quarter,
        "budget_spent": spent,
        "output_achieved": "20",
        "notes": "",
        "seen_version": seen_version,
        "achieved_contributions-TOTAL_FORMS": "0",
        "achieved_contributions-INITIAL_FORMS": "0",
        "achieved_contributions-MIN_NUM_FORMS": "0",
        "achieved_contributions-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.django_db
def test_saving_raises_the_version_and_a_stale_edit_is_refused(admin_client: Any) -> None:
    realisation = f.RealisationFactory()
    change = url(om.Realisation, "change", realisation.pk)
    response = admin_client.post(change, realisation_form(realisation, 1, "60000000"))
    assert response.status_code == 302
    realisation.refresh_from_db()
    assert (realisation.version, realisation.budget_spent) == (2, Decimal("60000000"))

    response = admin_client.post(change, realisation_form(realisation, 1, "70000000"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["__all__"]] == ["stale"]
    realisation.refresh_from_db()
    assert (realisation.version, realisation.budget_spent) == (2, Decimal("60000000"))


@pytest.mark.django_db
def test_a_rule_the_database_refuses_becomes_a_message(admin_client: Any) -> None:
    indicator = f.IndicatorFactory()  # plan 2016-2021
    data = {"indicator": indicator.pk, "year": 2030, "value": "5", "source": "BPS"}
    response = admin_client.post(url(tm.Target, "add"), data, follow=True)
    assert response.status_code == 200
    assert "target_year_in_plan_period" in response.content.decode()
    assert not tm.Target.objects.exists()


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
