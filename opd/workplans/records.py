"""What happens around a work plan: submission deadlines and their reminders, review
comments and the audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opd.agencies.models import Opd
from opd.workplans.models import Activity, WorkPlan
from targets.models import Region, year_in_range


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
