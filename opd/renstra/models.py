"""An OPD's five-year strategic plan (Renstra) for its region's RPJMD period: its programs with
outcome indicators, a target and an indicative budget for each year, and its activities with
output indicators and a target for each year; and the trail of who changed what in it.

A Renja's program and activity point at the Renstra line they carry out for one year
(``Program.renstra_program``, ``Activity.renstra_activity``). Single-row rules are named
constraints here; the cross-row rules (a year inside the plan's period, a linked indicator of
the same plan, a Renja line linked within its own OPD and plan) are triggers in
``opd/renstra/rules.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opd.agencies.models import Opd
from opd.digits import AMOUNT, MONEY
from opd.workplans.records import AuditAction
from targets.models import Indicator, Plan, year_in_range

TARGET = AMOUNT  # an outcome or output target: 14 digits, 2 decimals
#: The Renja's audit actions a Renstra knows: all but reopening.
RENSTRA_AUDIT_ACTIONS = [a for a in AuditAction.values if a != AuditAction.REOPEN]


class RenstraStatus(models.TextChoices):
    """The Renja's workflow without its reopening: a Renstra is set once for the period."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class Renstra(models.Model):
    """An OPD's strategic plan (Renstra) for the period of an RPJMD plan. One per OPD and plan."""

    Status = RenstraStatus

    opd = models.ForeignKey(Opd, models.PROTECT, related_name="renstras", verbose_name=_("OPD"))
    plan = models.ForeignKey(
        Plan, models.PROTECT, related_name="renstras", verbose_name=_("RPJMD plan")
    )
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

    class Meta:
        verbose_name = _("strategic plan (Renstra)")
        verbose_name_plural = _("strategic plans (Renstra)")
        ordering = ["plan", "opd"]
        constraints = [
            models.UniqueConstraint(fields=["opd", "plan"], name="renstra_unique_opd_plan"),
            models.CheckConstraint(
                condition=Q(status__in=RenstraStatus.values), name="renstra_status_valid"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="renstra_version_positive"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="renstra_submitted_has_time",
            ),
            # Returned or approved: Bappeda looked at it, and when is kept.
            models.CheckConstraint(
                condition=~Q(status__in=["returned", "approved"]) | Q(reviewed_at__isnull=False),
                name="renstra_reviewed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Renstra {self.opd} {self.plan.first_year}–{self.plan.last_year}"


class RenstraProgram(models.Model):
    """A program of a Renstra, with its outcome indicator; yearly targets sit under it."""

    EDITABLE_FIELDS = ("code", "name", "outcome_indicator", "outcome_unit", "indicator")

    renstra = models.ForeignKey(
        Renstra, models.CASCADE, related_name="programs", verbose_name=_("Renstra")
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    outcome_indicator = models.CharField(_("outcome indicator"), max_length=300, blank=True)
    outcome_unit = models.CharField(_("outcome unit"), max_length=50, blank=True)
    indicator = models.ForeignKey(
        Indicator,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="renstra_programs",
        verbose_name=_("RPJMD indicator served"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("Renstra program")
        verbose_name_plural = _("Renstra programs")
        ordering = ["renstra", "code"]
        constraints = [
            models.UniqueConstraint(fields=["renstra", "code"], name="renstra_program_unique_code"),
            models.CheckConstraint(condition=~Q(code=""), name="renstra_program_code_not_empty"),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="renstra_program_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RenstraProgramYear(models.Model):
    """A Renstra program's outcome target and indicative budget (Rp) for one year."""

    program = models.ForeignKey(
        RenstraProgram, models.CASCADE, related_name="years", verbose_name=_("program")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    target = models.DecimalField(_("target"), null=True, blank=True, **TARGET)
    budget = models.DecimalField(_("indicative budget (Rp)"), null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("Renstra program year")
        verbose_name_plural = _("Renstra program years")
        ordering = ["program", "year"]
        constraints = [
            models.UniqueConstraint(fields=["program", "year"], name="renstra_program_year_unique"),
            models.CheckConstraint(
                condition=year_in_range("year"), name="renstra_program_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=0),
                name="renstra_program_year_target_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="renstra_program_year_budget_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.code} {self.year}"


class RenstraActivity(models.Model):
    """An activity (kegiatan) of a Renstra program, with its output indicator."""

    EDITABLE_FIELDS = ("code", "name", "output_indicator", "output_unit")

    program = models.ForeignKey(
        RenstraProgram, models.CASCADE, related_name="activities", verbose_name=_("program")
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("activity name"), max_length=300)
    output_indicator = models.CharField(_("output indicator"), max_length=300, blank=True)
    output_unit = models.CharField(_("output unit"), max_length=50, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("Renstra activity")
        verbose_name_plural = _("Renstra activities")
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"], name="renstra_activity_unique_code"
            ),
            models.CheckConstraint(condition=~Q(code=""), name="renstra_activity_code_not_empty"),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="renstra_activity_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RenstraActivityYear(models.Model):
    """A Renstra activity's output target for one year."""

    activity = models.ForeignKey(
        RenstraActivity, models.CASCADE, related_name="years", verbose_name=_("activity")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    target = models.DecimalField(_("target"), null=True, blank=True, **TARGET)

    class Meta:
        verbose_name = _("Renstra activity year")
        verbose_name_plural = _("Renstra activity years")
        ordering = ["activity", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "year"], name="renstra_activity_year_unique"
            ),
            models.CheckConstraint(
                condition=year_in_range("year"), name="renstra_activity_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=0),
                name="renstra_activity_year_target_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity.code} {self.year}"


class RenstraAuditEntry(models.Model):
    """One change to a Renstra or anything in it, shaped as the Renja's ``AuditEntry``.

    The Renja's trail hangs on a work plan (a required foreign key that history pages and the
    stale-edit conflicts read), so a Renstra keeps its own trail beside it, with the same
    actions and the same ``changes`` layout: ``{"field": {"old": ..., "new": ...}}``.
    """

    renstra = models.ForeignKey(
        Renstra, models.PROTECT, related_name="audit_entries", verbose_name=_("Renstra")
    )
    object_type = models.CharField(_("object type"), max_length=30)
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_label = models.CharField(_("object"), max_length=300)
    version = models.PositiveIntegerField(_("version after the change"), null=True, blank=True)
    renstra_version = models.PositiveIntegerField(_("Renstra version after the change"))
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
        verbose_name = _("Renstra audit entry")
        verbose_name_plural = _("Renstra audit entries")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=RENSTRA_AUDIT_ACTIONS),
                name="renstra_audit_action_valid",
            ),
        ]
        indexes = [models.Index(fields=["renstra", "-at"], name="renstra_audit_time")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name}: {self.action} {self.object_label}"
