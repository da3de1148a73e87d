"""Starting a staged import of aspirations (``opd.aspirations.imports``), and reading it.

:func:`start` claims a ready, failed or stuck import (``import_run.stuck``) with a conditional
UPDATE, so confirming twice starts it once, and publishes ``opd.tasks.import_aspirations`` once that commits (the task's
body is ``opd.aspirations.import_run``). Only its uploader, or the Bappeda that reviews its
region (not another region's, nor a province's), sees an import.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from opd.agencies import roles
from opd.aspirations.import_models import AspirationImport, ImportState
from opd.aspirations.import_run import progress_key, stuck, stuck_running
from opd.aspirations.tasks import import_aspirations
from opd.engine.marking import request_broker_connection
from opd.errors import WorkflowError

STARTABLE = (ImportState.READY, ImportState.FAILED)


def visible_import(user: Any, pk: int) -> AspirationImport | None:
    """The import, if ``user`` uploaded it or is the Bappeda that reviews its region; else None
    (a 404 for the page)."""
    # The rows (up to megabytes of JSON) only when the page shows them, not at every poll.
    batch = AspirationImport.objects.defer("rows").filter(pk=pk).first()
    if batch is None or not _owns(user, batch):
        return None
    return batch


def _owns(user: Any, batch: AspirationImport) -> bool:
    return batch.uploaded_by_id == user.pk or roles.reviews_region(user, batch.region_id)


def progress(batch: AspirationImport) -> int:
    """Rows inserted so far (the cache's count while running; the count once done)."""
    if batch.state == ImportState.DONE:
        return batch.imported
    if batch.state == ImportState.RUNNING and not stuck(batch):
        return min(int(cache.get(progress_key(batch.pk)) or 0), batch.row_count)
    return 0


def startable(batch: AspirationImport) -> bool:
    """Ready, failed, or stuck: the page offers to start it."""
    return batch.state in STARTABLE or stuck(batch)


def start(*, batch: AspirationImport, by: Any) -> bool:
    """Claim the import for the worker and publish its task once committed. False (nothing
    done) when it was already started: a second confirmation imports nothing more.

    A stuck import is claimed only if no worker holds its row lock (``skip_locked``): one
    still inside its transaction, however late, keeps it, and the request does not wait."""
    if not _owns(by, batch):
        raise WorkflowError(_("Only the person who uploaded the file can import it."))
    with transaction.atomic():
        free = (
            AspirationImport.objects.select_for_update(skip_locked=True)
            .filter(Q(state__in=STARTABLE) | stuck_running(), pk=batch.pk)
            .values_list("pk", flat=True)
        )
        claimed = bool(free) and AspirationImport.objects.filter(pk=batch.pk).update(
            state=ImportState.QUEUED, error=""
        )
        if claimed:
            transaction.on_commit(lambda: _publish(batch.pk), robust=True)
    return bool(claimed)


def _publish(pk: int) -> None:
    try:
        with request_broker_connection() as connection:
            import_aspirations.apply_async(args=[pk], connection=connection, retry=False)
    except Exception:
        # Broker down: back to ready, so the person can confirm again.
        AspirationImport.objects.filter(pk=pk, state=ImportState.QUEUED).update(
            state=ImportState.READY,
            error=_("The import could not be started (the worker is unreachable). Try again."),
        )
        raise
