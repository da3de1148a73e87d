"""factory_boy factories for every model; defaults build a consistent Magelang-like world."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from opd import models as om
from opd.aspirations.models import REFERENCE_ALPHABET
from targets import models as tm


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = tm.Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"99.{n:02d}")
    name = factory.Sequence(lambda n: f"Kota Contoh {n}")
    kind = tm.Region.Kind.CITY


class KecamatanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = tm.Kecamatan

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"K{n:04d}")
    name = factory.Sequence(lambda n: f"Kecamatan {n}")


class KelurahanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = tm.Kelurahan

    kecamatan = factory.SubFactory(KecamatanFactory)
    code = factory.Sequence(lambda n: f"L{n:05d}")
    name = factory.Sequence(lambda n: f"Kelurahan {n}")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = tm.Plan

    region = factory.SubFactory(RegionFactory)
    name = "RPJMD 2016–2021"
    first_year = 2016
    last_year = 2021
    vision = "Kota Jasa yang Modern dan Cerdas"


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = tm.Mission

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Mewujudkan masyarakat yang sejahtera"


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = tm.Goal

    mission = factory.SubFactory(MissionFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Menurunkan kemiskinan"


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = tm.Objective

    goal = factory.SubFactory(GoalFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Meningkatnya kesejahteraan keluarga miskin"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = tm.Indicator

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"IND{n}")
    name = "Persentase penduduk miskin"
    unit = "%"
    direction = tm.Indicator.Direction.DOWN
    is_population_share = True
    baseline_year = 2015
    baseline_value = Decimal("9.05")
    baseline_source = "BPS"


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = tm.Target

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2018
    value = Decimal("7.38")


class ActualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = tm.Actual

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2017
    value = Decimal("8.75")
    source = "BPS"


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = tm.Population

    region = factory.SubFactory(RegionFactory)
    year = 2015
    value = 120_952
    source = "BPS"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "rahasia-demo-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OpdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.Opd

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"OPD{n:03d}")
    name = factory.Sequence(lambda n: f"Dinas Contoh {n}")
    kind = om.Opd.Kind.DINAS


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.OpdMembership

    opd = factory.SubFactory(OpdFactory)
    user = factory.SubFactory(UserFactory)
    role = om.OpdMembership.Role.HEAD


class WorkPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.WorkPlan

    opd = factory.SubFactory(OpdFactory)
    plan = factory.SubFactory(PlanFactory, region=factory.SelfAttribute("..opd.region"))
    year = 2018
    status = om.WorkPlan.Status.DRAFT
    submitted_at = factory.LazyAttribute(
        lambda wp: None if wp.status == om.WorkPlan.Status.DRAFT else timezone.now()
    )


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.Program

    work_plan = factory.SubFactory(WorkPlanFactory)
    code = factory.Sequence(lambda n: f"1.{n:02d}")
    name = "Program Perlindungan dan Jaminan Sosial"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.Activity

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"1.01.{n:03d}")
    name = "Bantuan sosial keluarga miskin"
    output_indicator = "Keluarga miskin penerima bantuan"
    output_target = Decimal("100")
    output_unit = "KK"
    budget = Decimal("250000000.00")
    funding_source = om.Activity.FundingSource.APBD_KOTA
    target_group = "Keluarga miskin"


class ExpectedContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.ExpectedContribution

    activity = factory.SubFactory(ActivityFactory)
    indicator = factory.SubFactory(
        IndicatorFactory, plan=factory.SelfAttribute("..activity.program.work_plan.plan")
    )
    amount = Decimal("100")


class RealisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.Realisation

    activity = factory.SubFactory(ActivityFactory)
    quarter = 1
    budget_spent = Decimal("50000000.00")
    output_achieved = Decimal("20")


class AchievedContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.AchievedContribution

    realisation = factory.SubFactory(RealisationFactory)
    indicator = factory.SubFactory(
        IndicatorFactory,
        plan=factory.SelfAttribute("..realisation.activity.program.work_plan.plan"),
    )
    amount = Decimal("25")


class AspirationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.Aspiration

    region = factory.SubFactory(RegionFactory)
    reference = factory.Sequence(lambda n: f"MSR-2018-{crockford(n)}")
    forum = om.Aspiration.Forum.MUSRENBANG_KELURAHAN
    year = 2018
    first_year = factory.SelfAttribute("year")
    title = "Pelatihan keterampilan bagi warga miskin"
    proposer = "Warga RW 03"
    received_on = date(2017, 2, 1)


def crockford(n: int, width: int = 4) -> str:
    """``n`` in Crockford's base32, ``width`` characters: a valid reference suffix."""
    alphabet = REFERENCE_ALPHABET
    return "".join(alphabet[(n // 32**i) % 32] for i in reversed(range(width)))


class AspirationEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.AspirationEvent

    aspiration = factory.SubFactory(AspirationFactory)
    kind = om.AspirationEvent.Kind.STAGE
    from_status = om.Aspiration.Status.RECEIVED
    to_status = om.Aspiration.Status.VERIFIED
    year = factory.SelfAttribute("aspiration.year")


class AreaStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.AreaStaff

    user = factory.SubFactory(UserFactory)
    kelurahan = factory.SubFactory(KelurahanFactory)


class BappedaRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.BappedaRole

    user = factory.SubFactory(UserFactory)
    region = factory.SubFactory(RegionFactory)


class SnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.ContributionSnapshot

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2018
    computed_at = factory.LazyFunction(timezone.now)
    sequence = factory.Sequence(lambda n: n + 1)
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")
    status = om.ContributionSnapshot.Status.OFF_TRACK


class ContributionRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.ContributionRow

    snapshot = factory.SubFactory(SnapshotFactory)
    opd = factory.SubFactory(
        OpdFactory, region=factory.SelfAttribute("..snapshot.indicator.plan.region")
    )


class SubmissionDeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.SubmissionDeadline

    region = factory.SubFactory(RegionFactory)
    year = 2018
    due_date = date(2017, 9, 8)


class DeadlineReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.DeadlineReminder

    deadline = factory.SubFactory(SubmissionDeadlineFactory)
    opd = factory.SubFactory(OpdFactory, region=factory.SelfAttribute("..deadline.region"))
    days_before = 7
    sent_at = factory.LazyFunction(timezone.now)


class ReviewCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.ReviewComment

    work_plan = factory.SubFactory(WorkPlanFactory, status=om.WorkPlan.Status.SUBMITTED)
    kind = om.ReviewComment.Kind.RETURN
    text = "Lengkapi lokasi kegiatan."


class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.AuditEntry

    work_plan = factory.SubFactory(WorkPlanFactory)
    object_type = "workplan"
    object_id = factory.SelfAttribute("work_plan.pk")
    object_label = factory.LazyAttribute(lambda entry: str(entry.work_plan))
    version = 1
    plan_version = 1
    action = om.AuditEntry.Action.CREATE


class ContributionStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.ContributionState

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2018
    dirty = True
    dirty_since = factory.LazyFunction(timezone.now)


class ApiClientFactory(factory.django.DjangoModelFactory):
    """A read client without an OPD; its token is unknown (only a hash of a random one)."""

    class Meta:
        model = om.ApiClient

    name = factory.Sequence(lambda n: f"sistem-{n}")
    scope = om.ApiClient.Scope.READ
    user = factory.SubFactory(
        UserFactory, username=factory.LazyAttribute(lambda u: f"api-{u.factory_parent.name}")
    )
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    token_prefix = factory.LazyAttribute(lambda c: c.token_hash[:8])
