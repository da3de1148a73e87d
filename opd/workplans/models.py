"""A yearly work plan (Renja) and what is in it: programs, activities, the contributions
they claim and the quarterly realisations.

Money is Rupiah in exact decimals; contributions to a population-share indicator are persons
(jiwa). Single-row rules are named constraints here; the cross-row rules (a work plan's year
lies inside its plan's period, an activity's kelurahan lies in its plan's region, ...) are
triggers installed from ``opd/rules.py`` after every migrate (``magelang.db_rules``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _

from opd.agencies.models import Opd
from opd.digits import AMOUNT, MONEY
from opd.workplans.querysets import WorkPlanQuerySet
from targets.models import Indicator, Kelurahan, Plan, year_in_range

# The quarters (triwulan) a realisation reports: the form's choices, the API's bounds, the
# services' check and the database's constraint.
QUARTERS = range(1, 5)


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

    # What a person edits, in the form's order: the form, the API's serializer, the services
    # (which audit them) and the views take their fields from here.
    EDITABLE_FIELDS = ("code", "name", "outcome_indicator", "outcome_target", "outcome_unit")

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
    # The Renstra line this program carries out for the year (opd.renstra); PROTECT: a line a
    # Renja follows is not deleted under it, which would change that Renja without its audit.
    renstra_program = models.ForeignKey(
        "opd.RenstraProgram",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="renja_programs",
        verbose_name=_("Renstra program"),
    )
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
    # What a person edits, in the form's order: the form, the API's serializer, the services
    # (which audit them) and the views take their fields from here.
    EDITABLE_FIELDS = (
        "program",
        "code",
        "name",
        "output_indicator",
        "output_target",
        "output_unit",
        "budget",
        "funding_source",
        "kelurahan",
        "target_group",
        "next_year_target",
        "next_year_budget",
        "notes",
    )

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
    # The Renstra line this activity carries out for the year; PROTECT as the program's link.
    renstra_activity = models.ForeignKey(
        "opd.RenstraActivity",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="renja_activities",
        verbose_name=_("Renstra activity"),
    )
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


class ContributionEvidence(models.TextChoices):
    """What backs a claimed contribution (design section 7); empty: nothing stated."""

    LIST = "list", _("Beneficiary list")
    ESTIMATE = "estimate", _("Estimate")


class ExpectedContribution(models.Model):
    """What an activity expects to contribute to an indicator (persons for a population share)."""

    Evidence = ContributionEvidence

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
    evidence = models.CharField(
        _("evidence"), max_length=10, choices=Evidence.choices, blank=True, default=""
    )
    evidence_basis = models.TextField(
        _("basis of the estimate"),
        blank=True,
        default="",
        help_text=_("How the estimate was made, in words: required for an estimate."),
    )

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
            models.CheckConstraint(
                condition=Q(evidence="") | Q(evidence__in=ContributionEvidence.values),
                name="expected_contribution_evidence_valid",
            ),
            # An estimate states its basis: a blank or all-space basis is none.
            models.CheckConstraint(
                condition=~Q(evidence=ContributionEvidence.ESTIMATE)
                | Q(GreaterThan(Length(Trim("evidence_basis")), 0)),
                name="expected_contribution_estimate_has_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity.code} → {self.indicator.code}: {self.amount}"


class Realisation(models.Model):
    """What an activity achieved in one quarter (triwulan 1-4)."""

    # What a person reports for a quarter, used as ``Activity.EDITABLE_FIELDS`` is; the
    # quarter itself is the row's key, chosen once, so it is not among them.
    EDITABLE_FIELDS = ("budget_spent", "output_achieved", "notes")

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
                condition=Q(quarter__gte=min(QUARTERS), quarter__lte=max(QUARTERS)),
                name="realisation_quarter_1_4",
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
