"""One row maker per model registered in the admin, and the sets of models the admin
tests treat alike (view-only, plan content, sign-in records); shared by ``tests/test_admin.py``
and each room's ``test_admin.py``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import factory
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.urls import reverse
from django.utils import timezone

from opd import models as om
from targets import models as tm
from tests import factories as f
from tests.nomenclature.makers import make_code, make_crosswalk, make_version
from tests.renstra.makers import make_activity, make_audit_entry, make_program, make_renstra

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


# Fuller rows than tests/factories.py's of the same names, for the admin's columns: a reminder
# with its recipients, a comment on an activity, an audit entry with changes and a note.


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


def make_poverty_figure() -> tm.PovertyFigure:
    return tm.PovertyFigure.objects.create(
        region=f.RegionFactory(), year=2022, measure="p0", value="7.10", source="Bappeda"
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
    tm.PovertyFigure: make_poverty_figure,
    om.Opd: f.OpdFactory,
    om.OpdMembership: f.MembershipFactory,
    om.WorkPlan: f.WorkPlanFactory,
    om.Program: f.ProgramFactory,
    om.Activity: f.ActivityFactory,
    om.ExpectedContribution: f.ExpectedContributionFactory,
    om.Realisation: f.RealisationFactory,
    om.AchievedContribution: f.AchievedContributionFactory,
    om.Aspiration: f.AspirationFactory,
    om.AspirationEvent: f.AspirationEventFactory,
    om.AreaStaff: f.AreaStaffFactory,
    om.BappedaRole: f.BappedaRoleFactory,
    om.ContributionSnapshot: f.SnapshotFactory,
    om.ContributionRow: f.ContributionRowFactory,
    om.SubmissionDeadline: SubmissionDeadlineFactory,
    om.DeadlineReminder: DeadlineReminderFactory,
    om.ReviewComment: ReviewCommentFactory,
    om.AuditEntry: AuditEntryFactory,
    User: make_user,
    Group: make_group,
    om.ApiClient: f.ApiClientFactory,
    om.NomenclatureVersion: make_version,
    om.NomenclatureCode: make_code,
    om.Crosswalk: make_crosswalk,
    om.Renstra: make_renstra,
    om.RenstraProgram: make_program,
    om.RenstraActivity: make_activity,
    om.RenstraAuditEntry: make_audit_entry,
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
    om.Renstra,
    om.RenstraProgram,
    om.RenstraActivity,
}
VIEW_ONLY = PLAN_CONTENT | {
    om.ContributionSnapshot,
    om.ContributionRow,
    om.DeadlineReminder,
    om.ReviewComment,
    om.AuditEntry,
    om.AspirationEvent,
    om.ApiClient,
    om.NomenclatureCode,
    om.Crosswalk,
    om.RenstraAuditEntry,
}


def url(model: type[models.Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
