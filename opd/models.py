"""The city's agencies (OPD), their yearly work plans (Renja) and what came of them.

Money is Rupiah in exact decimals; contributions to a population-share
indicator are persons (jiwa). Single-row rules are named constraints here;
the cross-row rule "a work plan's year lies inside its plan's period" is a
trigger in migration ``0002``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opd.contributions import COUNTED_STATUSES
from opd.querysets import ContributionStateQuerySet, OpdQuerySet, WorkPlanQuerySet
from targets.models import Indicator, Kelurahan, Plan, Region, year_in_range

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class _Digits(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: _Digits = {"max_digits": 18, "decimal_places": 2}  # Rupiah, exact to the sen
AMOUNT: _Digits = {"max_digits": 14, "decimal_places": 2}  # persons or other indicator units
FIGURE: _Digits = {"max_digits": 18, "decimal_places": 6}  # computed indicator figures


class MembershipRole(models.TextChoices):
    HEAD = "head", _("Head (kepala OPD)")
    STAFF = "staff", _("Staff")


class OpdKind(models.TextChoices):
    DINAS = "dinas", _("Dinas")
    BADAN = "badan", _("Badan")
    KANTOR = "kantor", _("Kantor")
    SEKRETARIAT = "sekretariat", _("Secretariat")
    KECAMATAN = "kecamatan", _("Kecamatan office")
    OTHER = "lainnya", _("Other")


class Opd(models.Model):
    """An agency of a region: a dinas, badan, kantor, secretariat or kecamatan office."""

    Kind = OpdKind

    region = models.ForeignKey(
        Region, models.PROTECT, related_name="opds", verbose_name=_("region")
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Seeded as a plausible example, not from an authoritative list."),
    )
    objects = OpdQuerySet.as_manager()

    members: models.ManyToManyField[User, OpdMembership] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="OpdMembership",
        related_name="opds",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("OPD")
        verbose_name_plural = _("OPDs")
        ordering = ["region", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="opd_unique_code"),
            models.UniqueConstraint(fields=["region", "name"], name="opd_unique_name"),
            models.CheckConstraint(condition=Q(kind__in=OpdKind.values), name="opd_kind_valid"),
            models.CheckConstraint(condition=~Q(code=""), name="opd_code_not_empty"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class OpdMembership(models.Model):
    """A user's role in an OPD: its head (kepala) or staff."""

    Role = MembershipRole

    opd = models.ForeignKey(Opd, models.CASCADE, related_name="memberships", verbose_name=_("OPD"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="opd_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = _("OPD membership")
        verbose_name_plural = _("OPD memberships")
        ordering = ["opd", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["opd", "user"], name="opd_membership_unique_user"),
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values), name="opd_membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.opd} ({self.get_role_display()})"


class ActivityFundingSource(models.TextChoices):
    APBD_KOTA = "apbd_kota", _("APBD Kota")
    APBD_PROVINSI = "apbd_provinsi", _("APBD Provinsi")
    APBN = "apbn", _("APBN")
    DAK = "dak", _("DAK")
    OTHER = "lainnya", _("Other")


class WorkPlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    # An approved plan Bappeda opened again for changes: editable and submittable like a
    # returned one, but named apart, since nothing was wrong with what was submitted.
    REOPENED = "reopened", _("Reopened")


class WorkPlan(models.Model):
    """An OPD's yearly work plan (Renja) under its region's RPJMD. One per OPD and year."""

    Status = WorkPlanStatus

    opd = models.ForeignKey(Opd, models.PROTECT, related_name="work_plans", verbose_name=_("OPD"))
    plan = models.ForeignKey(
        Plan, models.PROTECT, related_name="work_plans", verbose_name=_("RPJMD plan")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised on every save; refuses stale edits.")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = WorkPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("work plan (Renja)")
        verbose_name_plural = _("work plans (Renja)")
        ordering = ["year", "opd"]
        permissions = [("review_workplan", _("Can review, return and approve work plans"))]
        constraints = [
            models.UniqueConstraint(fields=["opd", "year"], name="work_plan_unique_opd_year"),
            models.CheckConstraint(
                condition=Q(status__in=WorkPlanStatus.values), name="work_plan_status_valid"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="work_plan_version_positive"),
            models.CheckConstraint(
                condition=year_in_range("year"), name="work_plan_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="work_plan_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Renja {self.opd} {self.year}"


class Program(models.Model):
    """A program of a work plan; activities sit under it."""

    work_plan = models.ForeignKey(
        WorkPlan, models.CASCADE, related_name="programs", verbose_name=_("work plan")
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    outcome_indicator = models.CharField(_("outcome indicator"), max_length=300, blank=True)
    # The program's own target for the year, printed on its row of the Renja table T-C.33.
    outcome_target = models.DecimalField(
        _("outcome target"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    outcome_unit = models.CharField(_("outcome unit"), max_length=50, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["work_plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["work_plan", "code"], name="program_unique_code"),
            models.CheckConstraint(condition=~Q(code=""), name="program_code_not_empty"),
            models.CheckConstraint(
                condition=Q(outcome_target__isnull=True) | Q(outcome_target__gte=0),
                name="program_outcome_target_not_negative",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="program_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Activity(models.Model):
    """An activity (kegiatan) of a program, with its output, budget and place."""

    FundingSource = ActivityFundingSource

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="activities", verbose_name=_("program")
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("activity name"), max_length=300)
    output_indicator = models.CharField(_("output indicator"), max_length=300, blank=True)
    output_target = models.DecimalField(
        _("output target"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    output_unit = models.CharField(_("output unit"), max_length=50, blank=True)
    budget = models.DecimalField(_("budget (pagu, Rp)"), default=0, **MONEY)
    funding_source = models.CharField(
        _("funding source"), max_length=20, choices=FundingSource.choices, blank=True
    )
    kelurahan = models.ForeignKey(
        Kelurahan,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("location (kelurahan)"),
    )
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    next_year_target = models.DecimalField(
        _("next-year target"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    next_year_budget = models.DecimalField(
        _("next-year budget (Rp)"), null=True, blank=True, **MONEY
    )
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    indicators: models.ManyToManyField[Indicator, ExpectedContribution] = models.ManyToManyField(
        Indicator,
        through="ExpectedContribution",
        related_name="activities",
        verbose_name=_("indicators"),
    )

    class Meta:
        verbose_name = _("activity (kegiatan)")
        verbose_name_plural = _("activities (kegiatan)")
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="activity_unique_code"),
            models.CheckConstraint(condition=~Q(code=""), name="activity_code_not_empty"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="activity_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(next_year_budget__isnull=True) | Q(next_year_budget__gte=0),
                name="activity_next_year_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(output_target__isnull=True) | Q(output_target__gte=0),
                name="activity_output_target_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(next_year_target__isnull=True) | Q(next_year_target__gte=0),
                name="activity_next_year_target_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(funding_source="") | Q(funding_source__in=ActivityFundingSource.values),
                name="activity_funding_source_valid",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="activity_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AspirationForum(models.TextChoices):
    MUSRENBANG_KELURAHAN = "musrenbang_kelurahan", _("Musrenbang kelurahan")
    MUSRENBANG_KECAMATAN = "musrenbang_kecamatan", _("Musrenbang kecamatan")
    MUSRENBANG_KOTA = "musrenbang_kota", _("Musrenbang kota")
    PUBLIC_CONSULTATION = "konsultasi_publik", _("Public consultation")
    FGD = "fgd", _("Focus group discussion (FGD)")


class AspirationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted into a plan")
    REJECTED = "rejected", _("Rejected")


class ExpectedContribution(models.Model):
    """What an activity expects to contribute to an indicator (persons for a population share)."""

    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="expected_contributions", verbose_name=_("activity")
    )
    indicator = models.ForeignKey(
        Indicator,
        models.PROTECT,
        related_name="expected_contributions",
        verbose_name=_("indicator"),
    )
    amount = models.DecimalField(_("amount"), **AMOUNT)

    class Meta:
        verbose_name = _("expected contribution")
        verbose_name_plural = _("expected contributions")
        ordering = ["activity", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "indicator"], name="expected_contribution_unique_indicator"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="expected_contribution_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity.code} → {self.indicator.code}: {self.amount}"


class Realisation(models.Model):
    """What an activity achieved in one quarter (triwulan 1-4)."""

    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="realisations", verbose_name=_("activity")
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    budget_spent = models.DecimalField(_("budget spent (Rp)"), default=0, **MONEY)
    output_achieved = models.DecimalField(
        _("output achieved"), default=0, max_digits=14, decimal_places=2
    )
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("quarterly realisation")
        verbose_name_plural = _("quarterly realisations")
        ordering = ["activity", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "quarter"], name="realisation_unique_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="realisation_quarter_1_4"
            ),
            models.CheckConstraint(
                condition=Q(budget_spent__gte=0), name="realisation_budget_spent_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(output_achieved__gte=0), name="realisation_output_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="realisation_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity.code} TW{self.quarter}"


class AchievedContribution(models.Model):
    """What a quarter's realisation achieved for an indicator (persons for a population share)."""

    realisation = models.ForeignKey(
        Realisation,
        models.CASCADE,
        related_name="achieved_contributions",
        verbose_name=_("realisation"),
    )
    indicator = models.ForeignKey(
        Indicator,
        models.PROTECT,
        related_name="achieved_contributions",
        verbose_name=_("indicator"),
    )
    amount = models.DecimalField(_("amount"), **AMOUNT)

    class Meta:
        verbose_name = _("achieved contribution")
        verbose_name_plural = _("achieved contributions")
        ordering = ["realisation", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["realisation", "indicator"], name="achieved_contribution_unique_indicator"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="achieved_contribution_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.realisation} → {self.indicator.code}: {self.amount}"


class Aspiration(models.Model):
    """A community proposal (usulan) from a forum, and what became of it."""

    Forum = AspirationForum
    Status = AspirationStatus

    region = models.ForeignKey(
        Region, models.PROTECT, related_name="aspirations", verbose_name=_("region")
    )
    reference = models.CharField(_("public reference number"), max_length=40, unique=True)
    forum = models.CharField(_("forum"), max_length=30, choices=Forum.choices)
    year = models.PositiveSmallIntegerField(_("plan year"))
    kelurahan = models.ForeignKey(
        Kelurahan,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="aspirations",
        verbose_name=_("kelurahan"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    proposer = models.CharField(_("proposer"), max_length=200)
    received_on = models.DateField(_("received on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    activity = models.ForeignKey(
        Activity,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="aspirations",
        verbose_name=_("activity that took it up"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("aspiration (usulan)")
        verbose_name_plural = _("aspirations (usulan)")
        ordering = ["-received_on", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(forum__in=AspirationForum.values), name="aspiration_forum_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AspirationStatus.values), name="aspiration_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="aspiration_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(activity__isnull=False),
                name="aspiration_accepted_has_activity",
            ),
            models.CheckConstraint(
                condition=year_in_range("year"), name="aspiration_year_plausible"
            ),
            models.CheckConstraint(
                condition=~Q(reference=""), name="aspiration_reference_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class SnapshotStatus(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    MISSED = "missed", _("Missed")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NO_DATA = "no_data", _("Not enough data")


class ContributionSnapshot(models.Model):
    """A stored result of the contribution computation for one indicator and year.

    Kept as history: a recomputation with changed inputs adds a snapshot; the
    newest one per (indicator, year) is the current one.
    """

    Status = SnapshotStatus

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="snapshots", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(
        _("sequence"), help_text=_("1 for the first snapshot of the indicator and year, then 2, …")
    )
    computed_at = models.DateTimeField(_("computed at"))
    fingerprint = models.CharField(_("inputs fingerprint"), max_length=64)
    inputs = models.JSONField(_("inputs"), default=dict)
    target_value = models.DecimalField(_("target T"), null=True, blank=True, **FIGURE)
    target_kind = models.CharField(_("kind of target"), max_length=12, blank=True)
    reference_value = models.DecimalField(_("reference R"), null=True, blank=True, **FIGURE)
    reference_year = models.PositiveSmallIntegerField(_("year of R"), null=True, blank=True)
    required_change = models.DecimalField(_("required change D"), null=True, blank=True, **FIGURE)
    population = models.PositiveIntegerField(_("population P"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("year of P"), null=True, blank=True)
    required = models.DecimalField(
        _("required N"),
        null=True,
        blank=True,
        help_text=_("Persons for a population-share indicator, else the indicator's unit."),
        **FIGURE,
    )
    planned_total = models.DecimalField(_("planned total"), default=0, **AMOUNT)
    planned_submitted_total = models.DecimalField(_("planned (submitted)"), default=0, **AMOUNT)
    planned_approved_total = models.DecimalField(_("planned (approved)"), default=0, **AMOUNT)
    achieved_total = models.DecimalField(_("achieved total"), default=0, **AMOUNT)
    coverage = models.DecimalField(
        _("coverage"), null=True, blank=True, max_digits=12, decimal_places=6
    )
    actual_value = models.DecimalField(_("actual of the year"), null=True, blank=True, **FIGURE)
    projected_planned = models.DecimalField(
        _("projection with the planned contributions"), null=True, blank=True, **FIGURE
    )
    projected_achieved = models.DecimalField(
        _("projection with the achieved contributions"), null=True, blank=True, **FIGURE
    )
    missing = models.CharField(_("missing inputs"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)

    class Meta:
        verbose_name = _("contribution snapshot")
        verbose_name_plural = _("contribution snapshots")
        ordering = ["indicator", "year", "-computed_at"]
        get_latest_by = "computed_at"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "sequence"], name="snapshot_unique_sequence"
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="snapshot_sequence_positive"),
            models.CheckConstraint(
                condition=Q(status__in=SnapshotStatus.values), name="snapshot_status_valid"
            ),
            models.CheckConstraint(condition=year_in_range("year"), name="snapshot_year_plausible"),
            models.CheckConstraint(
                condition=Q(planned_total__gte=0) & Q(achieved_total__gte=0),
                name="snapshot_totals_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "year", "-computed_at"], name="snapshot_latest")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year} #{self.sequence} @ {self.computed_at:%Y-%m-%d %H:%M}"


class ContributionRow(models.Model):
    """One OPD's figures in a contribution snapshot."""

    snapshot = models.ForeignKey(
        ContributionSnapshot, models.CASCADE, related_name="rows", verbose_name=_("snapshot")
    )
    opd = models.ForeignKey(Opd, models.CASCADE, related_name="+", verbose_name=_("OPD"))
    work_plan_status = models.CharField(_("work plan status"), max_length=10, blank=True)
    planned_submitted = models.DecimalField(_("planned (submitted)"), default=0, **AMOUNT)
    planned_approved = models.DecimalField(_("planned (approved)"), default=0, **AMOUNT)
    planned = models.DecimalField(_("planned"), default=0, **AMOUNT)
    achieved = models.DecimalField(_("achieved"), default=0, **AMOUNT)
    share = models.DecimalField(_("share"), null=True, blank=True, max_digits=12, decimal_places=6)
    aligned_budget = models.DecimalField(_("aligned budget (Rp)"), default=0, **MONEY)
    total_budget = models.DecimalField(_("total budget (Rp)"), default=0, **MONEY)
    alignment = models.DecimalField(
        _("alignment"), null=True, blank=True, max_digits=12, decimal_places=6
    )
    cost_per_person = models.DecimalField(_("cost per person (Rp)"), null=True, blank=True, **MONEY)
    # The plan's own budgets whether it counts or not (a draft's too); the two above are 0
    # for a plan that does not count, as the method sums them.
    plan_aligned_budget = models.DecimalField(
        _("aligned budget of the plan (Rp)"), default=0, **MONEY
    )
    plan_total_budget = models.DecimalField(_("total budget of the plan (Rp)"), default=0, **MONEY)

    class Meta:
        verbose_name = _("contribution row")
        verbose_name_plural = _("contribution rows")
        ordering = ["snapshot", "-planned", "opd"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "opd"], name="contribution_row_unique_opd"),
            models.CheckConstraint(
                condition=Q(planned__gte=0)
                & Q(achieved__gte=0)
                & Q(aligned_budget__gte=0)
                & Q(total_budget__gte=0)
                & Q(plan_aligned_budget__gte=0)
                & Q(plan_total_budget__gte=0),
                name="contribution_row_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot} – {self.opd}"

    @property
    def counted(self) -> bool:
        """Whether the OPD's plan counts (submitted or approved): step 4 of the method."""
        return self.work_plan_status in COUNTED_STATUSES

    @property
    def achieved_approved(self) -> Decimal:
        """The OPD's achieved persons as the public sees them: an approved plan's only."""
        return self.achieved if self.work_plan_status == WorkPlanStatus.APPROVED else Decimal(0)


class SubmissionDeadline(models.Model):
    """Bappeda's deadline for submitting a region's work plans of one year."""

    region = models.ForeignKey(
        Region, models.CASCADE, related_name="submission_deadlines", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    due_date = models.DateField(_("due date"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("submission deadline")
        verbose_name_plural = _("submission deadlines")
        ordering = ["region", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="deadline_unique_year"),
            models.CheckConstraint(condition=year_in_range("year"), name="deadline_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}: {self.due_date:%Y-%m-%d}"


class DeadlineReminder(models.Model):
    """A reminder e-mail sent to an OPD about a deadline; keeps reminders from repeating."""

    deadline = models.ForeignKey(
        SubmissionDeadline, models.CASCADE, related_name="reminders", verbose_name=_("deadline")
    )
    opd = models.ForeignKey(Opd, models.CASCADE, related_name="+", verbose_name=_("OPD"))
    days_before = models.PositiveSmallIntegerField(_("days before the deadline"))
    sent_at = models.DateTimeField(_("sent at"))
    recipients = models.TextField(_("recipients"), blank=True)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "opd", "days_before"], name="deadline_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deadline} – {self.opd} (H-{self.days_before})"


class ReviewCommentKind(models.TextChoices):
    RETURN = "return", _("Returned with comments")
    REOPEN = "reopen", _("Reopened")
    APPROVE = "approve", _("Approved")


class ReviewComment(models.Model):
    """A reviewer's comment on a work plan or on one of its activities."""

    Kind = ReviewCommentKind

    work_plan = models.ForeignKey(
        WorkPlan, models.CASCADE, related_name="review_comments", verbose_name=_("work plan")
    )
    activity = models.ForeignKey(
        Activity,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_comments",
        verbose_name=_("activity"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReviewCommentKind.choices)
    text = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["work_plan", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="review_comment_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=ReviewCommentKind.values), name="review_comment_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_plan_id}: {self.text[:60]}"


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    SUBMIT = "submit", _("Submitted")
    RETURN = "return", _("Returned")
    APPROVE = "approve", _("Approved")
    REOPEN = "reopen", _("Reopened")


class AuditEntry(models.Model):
    """One change to a work plan or anything in it: who, when, what, old and new values.

    Entries are only ever added. ``changes`` maps a field to ``{"old": ..., "new": ...}``
    with values as the page shows them (decimals as strings).
    """

    Action = AuditAction

    work_plan = models.ForeignKey(
        WorkPlan, models.PROTECT, related_name="audit_entries", verbose_name=_("work plan")
    )
    object_type = models.CharField(_("object type"), max_length=30)
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_label = models.CharField(_("object"), max_length=300)
    version = models.PositiveIntegerField(_("version after the change"), null=True, blank=True)
    plan_version = models.PositiveIntegerField(_("work plan version after the change"))
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_name = models.CharField(_("by (name)"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AuditAction.values), name="audit_action_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["work_plan", "-at"], name="audit_work_plan_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name}: {self.action} {self.object_label}"

    @classmethod
    def clip(cls, field_name: str, text: str) -> str:
        """``text`` cut to the field's ``max_length``, ending in an ellipsis when cut.

        A label is built from values each within its own limit (an activity's code and
        name), so together they can be longer than the entry's column.
        """
        field = cls._meta.get_field(field_name)
        limit = field.max_length if isinstance(field, models.CharField) else None
        return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


class ContributionState(models.Model):
    """Whether an indicator's year needs recomputing, and which snapshot is current.

    Every change that feeds the result sets ``dirty`` in the same transaction;
    the recomputation locks this row, stores a snapshot and clears the flag.
    A periodic sweep recomputes whatever is still dirty, so a broker outage
    delays a recomputation but never loses it.
    """

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="contribution_states", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    dirty = models.BooleanField(_("recomputation pending"), default=True)
    dirty_since = models.DateTimeField(_("pending since"), null=True, blank=True)
    computed_at = models.DateTimeField(_("last computed at"), null=True, blank=True)
    snapshot = models.ForeignKey(
        ContributionSnapshot,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current snapshot"),
    )

    objects = ContributionStateQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution state")
        verbose_name_plural = _("contribution states")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"], name="contribution_state_unique_year"
            ),
            models.CheckConstraint(
                condition=year_in_range("year"), name="contribution_state_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(dirty=False) | Q(dirty_since__isnull=False),
                name="contribution_state_dirty_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["dirty"], condition=Q(dirty=True), name="contribution_state_dirty")
        ]

    def __str__(self) -> str:
        flag = " *" if self.dirty else ""
        return f"{self.indicator_id} {self.year}{flag}"


class ApiScope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


class ApiClient(models.Model):
    """Another city system that calls the REST API with a token.

    Only the token's SHA-256 hash is stored; the token itself is shown once, when
    the client is created. The client acts through its own user (no password),
    which is a staff member of the client's OPD when it is bound to one, so the
    services' permission checks apply to it exactly as to a person.
    """

    Scope = ApiScope

    name = models.CharField(_("name"), max_length=100, unique=True)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices)
    opd = models.ForeignKey(
        Opd,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients",
        verbose_name=_("OPD"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="api_client",
        verbose_name=_("acts as user"),
    )
    token_hash = models.CharField(_("token hash (SHA-256)"), max_length=64, unique=True)
    token_prefix = models.CharField(_("token prefix"), max_length=8)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=ApiScope.values), name="api_client_scope_valid"
            ),
            models.CheckConstraint(
                condition=~Q(scope="write") | Q(opd__isnull=False),
                name="api_client_write_has_opd",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="api_client_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
