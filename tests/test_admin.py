"""The admin: every registered model's pages load for a superuser, no changelist runs a query
per row, and work plans, their content and the records of what happened (audit trail, review
comments, reminders, snapshots) can only be viewed: plan content is edited in the portal, through
the services that version and audit every change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import factory
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import checks
from django.db import connection, models
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

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


# Factories of the models added with the work-plan pages (kept here: tests/factories.py is
# shared and edited elsewhere).


class SubmissionDeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.SubmissionDeadline

    region = factory.SubFactory(f.RegionFactory)
    year = 2018
    due_date = date(2017, 6, 30)


class DeadlineReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.DeadlineReminder

    deadline = factory.SubFactory(SubmissionDeadlineFactory)
    opd = factory.SubFactory(f.OpdFactory, region=factory.SelfAttribute("..deadline.region"))
    days_before = 7
    sent_at = factory.LazyFunction(timezone.now)
    recipients = factory.LazyAttribute(lambda r: f"kepala@{r.opd.code.lower()}.example.org")


class ReviewCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.ReviewComment

    work_plan = factory.SubFactory(f.WorkPlanFactory, status=om.WorkPlan.Status.RETURNED)
    activity = factory.SubFactory(
        f.ActivityFactory,
        program=factory.SubFactory(
            f.ProgramFactory, work_plan=factory.SelfAttribute("...work_plan")
        ),
    )
    kind = om.ReviewComment.Kind.RETURN
    text = factory.Sequence(lambda n: f"Lengkapi indikator keluaran kegiatan {n}")
    author = factory.SubFactory(f.UserFactory)


class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.AuditEntry

    work_plan = factory.SubFactory(f.WorkPlanFactory)
    object_type = "activity"
    object_id = factory.Sequence(lambda n: n + 1)
    object_label = factory.Sequence(lambda n: f"1.01.{n:03d} Bantuan sosial keluarga miskin")
    version = 2
    plan_version = 2
    action = om.AuditEntry.Action.UPDATE
    changes = factory.LazyFunction(
        lambda: {
            "budget": {"old": "250000000", "new": "300000000"},
            "notes": {"old": None, "new": "Naik karena harga"},
        }
    )
    note = "Anggaran disesuaikan"
    actor = factory.SubFactory(f.UserFactory)
    actor_name = factory.LazyAttribute(lambda entry: entry.actor.username)


def sign_in_record(model: type[models.Model], **fields: Any) -> Any:
    """A row of django-axes' records of sign-ins (attempts, successes, failures)."""
    number = model._default_manager.count() + 1
    return model._default_manager.create(
        username=f"pegawai{number}",
        ip_address=f"192.0.2.{number}",
        user_agent="Mozilla/5.0",
        http_accept="text/html",
        path_info="/akun/masuk/",
        **fields,
    )


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
    om.SubmissionDeadline: SubmissionDeadlineFactory,
    om.DeadlineReminder: DeadlineReminderFactory,
    om.ReviewComment: ReviewCommentFactory,
    om.AuditEntry: AuditEntryFactory,
    User: make_user,
    Group: make_group,
    om.ApiClient: f.ApiClientFactory,
    AccessAttempt: lambda: sign_in_record(
        AccessAttempt, get_data="", post_data="username=pegawai", failures_since_start=5
    ),
    AccessLog: lambda: sign_in_record(AccessLog),
    AccessFailureLog: lambda: sign_in_record(AccessFailureLog, locked_out=True),
}
# django-axes' records are written by sign-ins only; an administrator deletes an attempt to
# unlock (tests/test_signin.py), so they have no add page but can be deleted.
SIGN_IN_RECORDS = {AccessAttempt, AccessLog, AccessFailureLog}
# Work plans and their content: edited in the portal only, shown here with a note saying so.
PLAN_CONTENT = {
    om.WorkPlan,
    om.Program,
    om.Activity,
    om.ExpectedContribution,
    om.Realisation,
    om.AchievedContribution,
}
VIEW_ONLY = PLAN_CONTENT | {
    om.ContributionSnapshot,
    om.ContributionRow,
    om.DeadlineReminder,
    om.ReviewComment,
    om.AuditEntry,
    om.ApiClient,
}
VIEW_ONLY_MODELS = pytest.mark.parametrize(
    "model",
    sorted(VIEW_ONLY, key=lambda m: m._meta.label_lower),
    ids=lambda m: m._meta.label_lower,
)
PORTAL_NOTE = "Plan content is edited in the portal (/renja/)"
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


@pytest.mark.django_db
def test_user_admin_edits_opd_memberships(admin_client: Any) -> None:
    membership = f.MembershipFactory()
    response = admin_client.get(url(User, "change", membership.user.pk))
    inline_models = {formset.opts.model for formset in response.context["inline_admin_formsets"]}
    assert om.OpdMembership in inline_models
    response = admin_client.get(url(User, "changelist"))
    assert str(membership.opd) in response.content.decode()


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


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", sorted(PLAN_CONTENT, key=lambda m: m._meta.label_lower), ids=lambda m: m.__name__
)
def test_plan_content_pages_point_to_the_portal(
    admin_client: Any, model: type[models.Model]
) -> None:
    obj = ROW_MAKERS[model]()
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for page in (url(model, "changelist"), url(model, "change", obj.pk)):
        response = admin_client.get(page)
        html = response.content.decode()
        assert PORTAL_NOTE in html, page
        # The note is on the page, not in its <title> (a paragraph there reads badly in a tab
        # and to a screen reader announcing the page).
        title = html[html.index("<title>") : html.index("</title>")]
        assert PORTAL_NOTE not in title, page


@pytest.mark.django_db
def test_audit_entry_shows_its_changes_as_old_and_new_values(admin_client: Any) -> None:
    entry = AuditEntryFactory()
    response = admin_client.get(url(om.AuditEntry, "change", entry.pk))
    content = response.content.decode()
    # The same renderer as the plan's history page: labels and figures in the admin's language.
    assert "Pagu indikatif (Rp): Rp\xa0250.000.000 → Rp\xa0300.000.000" in content
    assert "Catatan: — → Naik karena harga" in content
    assert '"old"' not in content  # no raw JSON


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"), [("id", "Draf → Diajukan"), ("en", "Draft → Submitted")]
)
def test_audit_entry_shows_a_status_in_the_admins_language(
    admin_client: Any, language: str, expected: str
) -> None:
    entry = AuditEntryFactory(
        object_type="workplan",
        action=om.AuditEntry.Action.SUBMIT,
        changes={"status": {"old": "draft", "new": "submitted"}},
    )
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    content = admin_client.get(url(om.AuditEntry, "change", entry.pk)).content.decode()
    assert expected in content


@pytest.mark.django_db
def test_a_deadline_is_added_in_the_admin_and_records_who_set_it(
    admin_client: Any, admin_user: Any
) -> None:
    region = f.RegionFactory()
    data = {
        "region": region.pk,
        "year": 2019,
        "due_date": "2018-06-30",
        "reminders-TOTAL_FORMS": "0",
        "reminders-INITIAL_FORMS": "0",
        "reminders-MIN_NUM_FORMS": "0",
        "reminders-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(url(om.SubmissionDeadline, "add"), data)
    assert response.status_code == 302
    deadline = om.SubmissionDeadline.objects.get()
    assert (deadline.region, deadline.year, deadline.due_date) == (region, 2019, date(2018, 6, 30))
    assert deadline.set_by == admin_user


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


@pytest.mark.django_db
def test_the_admin_revokes_api_clients_with_an_action(admin_client: Any) -> None:
    client = f.ApiClientFactory()
    response = admin_client.post(
        url(om.ApiClient, "changelist"),
        {"action": "revoke", "_selected_action": [client.pk]},
        follow=True,
    )
    assert response.status_code == 200
    client.refresh_from_db()
    client.user.refresh_from_db()
    assert client.revoked_at is not None
    assert not client.user.is_active
