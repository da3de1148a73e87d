"""A file of aspirations checked and waiting to be imported (see ``opd.aspirations.imports``).

Only a clean file is staged: its rows, parsed and checked, wait here as JSON between the
preview and the confirmation, owned by the person who uploaded them. The rows hold the
proposers' names and contacts, which are private: they are emptied in the transaction that
imports them, and a staged import is deleted a day after its upload whatever became of it
(``opd.tasks.purge_aspiration_imports``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from targets.models import Region


class ImportState(models.TextChoices):
    READY = "ready", _("Checked, waiting for confirmation")
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class AspirationImport(models.Model):
    """A checked file of aspirations: its rows until imported, then how many were."""

    State = ImportState

    region = models.ForeignKey(Region, models.CASCADE, related_name="+", verbose_name=_("region"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="aspiration_imports",
        verbose_name=_("uploaded by"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    state = models.CharField(
        _("state"), max_length=10, choices=ImportState.choices, default=ImportState.READY
    )
    #: The checked rows (``opd.aspirations.imports.CleanRow`` as dicts); empty once imported.
    rows = models.JSONField(_("rows"), default=list, blank=True)
    row_count = models.PositiveIntegerField(_("rows"))
    #: What the preview shows: ``{"kelurahan": [[name, n], ...], "forum": [[label, n], ...]}``.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    imported = models.PositiveIntegerField(_("aspirations imported"), default=0)
    #: The note of every intake event of the import, which finds its aspirations again.
    note = models.CharField(_("note"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    #: When a worker last claimed it: a running import long since started has lost its worker.
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("aspiration import")
        verbose_name_plural = _("aspiration imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="aspiration_import_by_age")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ImportState.values), name="aspiration_import_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state="done") | Q(rows=[]), name="aspiration_import_done_no_rows"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.row_count})"
