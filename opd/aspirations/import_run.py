"""Running a confirmed import of aspirations (the body of ``opd.tasks.import_aspirations``),
and purging the old ones (``opd.tasks.purge_aspiration_imports``).

:func:`run` claims the import (queued → running, noting ``started_at``: a message delivered
twice runs once) and inserts every row in ONE transaction: a failure midway leaves no
aspiration behind, and the import is marked failed with its rows kept, to be started again. A
worker that dies midway cannot mark it failed: an import running for longer than
:data:`STUCK_AFTER` is taken for failed (:func:`stuck`), which may be started again (by the
person, or by the task's message delivered again); its transaction died with the worker, and a
living worker holds the import's row lock, which the claims wait for or skip. Inserts go in chunks of
:data:`CHUNK` with ``bulk_create``, each aspiration with one intake event; the references are
drawn for a whole chunk, checked against the database in one query and against the import,
and redrawn where taken. The progress goes to the cache, since the transaction hides its rows
until it commits.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opd.aspirations.import_models import AspirationImport, ImportState
from opd.aspirations.import_rows import normalise
from opd.aspirations.models import Aspiration, AspirationEvent, AspirationStatus
from opd.aspirations.services import REFERENCE_ATTEMPTS, new_reference
from opd.errors import WorkflowError

logger = logging.getLogger(__name__)

CHUNK = 1000
#: A staged import is deleted this long after its upload (its rows hold private data).
KEEP_FOR = timedelta(days=1)
PROGRESS_TTL = 60 * 60
#: A running import that has not finished this long after it started has lost its worker: the
#: largest file imports within a minute or two.
STUCK_AFTER = timedelta(minutes=15)


def stuck_running(now: Any = None) -> Q:
    """The imports running since before :data:`STUCK_AFTER` (one whose start went unnoted,
    from before ``started_at``, counts from its upload)."""
    cutoff = (now or timezone.now()) - STUCK_AFTER
    return Q(state=ImportState.RUNNING) & (
        Q(started_at__lt=cutoff) | Q(started_at__isnull=True, created_at__lt=cutoff)
    )


def stuck(batch: AspirationImport, now: Any = None) -> bool:
    """Whether ``batch`` is running since before :data:`STUCK_AFTER`: its worker is gone."""
    if batch.state != ImportState.RUNNING:
        return False
    return (batch.started_at or batch.created_at) < (now or timezone.now()) - STUCK_AFTER


def progress_key(pk: int) -> str:
    return f"aspiration-import:{pk}:done"


def run(pk: int) -> int:
    """Import a queued (or stuck) import's rows, all or nothing. Returns how many were imported
    (0 when someone else claimed it first)."""
    claimable = Q(state=ImportState.QUEUED) | stuck_running()
    if not AspirationImport.objects.filter(claimable, pk=pk).update(
        state=ImportState.RUNNING, started_at=timezone.now()
    ):
        return 0
    cache.set(progress_key(pk), 0, PROGRESS_TTL)
    try:
        with transaction.atomic():
            batch = AspirationImport.objects.select_for_update().get(pk=pk)
            count = _insert_all(batch)
            AspirationImport.objects.filter(pk=pk).update(
                state=ImportState.DONE,
                rows=[],
                imported=count,
                note=batch.note,
                finished_at=timezone.now(),
            )
    except Exception as error:
        logger.exception("aspiration import %s failed", pk)
        message = (
            str(error)
            if isinstance(error, WorkflowError)
            else _("The import failed and nothing was imported. Try again.")
        )
        AspirationImport.objects.filter(pk=pk).update(state=ImportState.FAILED, error=message)
        return 0
    finally:
        cache.delete(progress_key(pk))
    return count


def _insert_all(batch: AspirationImport) -> int:
    rows = batch.rows
    _refuse_new_duplicates(batch)
    # The import's number alone: the file's name may name a proposer, and the OPD see the note.
    batch.note = _("Imported from a file (import no. %(pk)s).") % {"pk": batch.pk}
    actor = batch.uploaded_by
    actor_name = str(actor.get_full_name() or actor.get_username())
    taken: set[str] = set()
    for first in range(0, len(rows), CHUNK):
        chunk = rows[first : first + CHUNK]
        aspirations = [_aspiration(batch, row) for row in chunk]
        _draw_references(aspirations, taken)
        Aspiration.objects.bulk_create(aspirations)
        AspirationEvent.objects.bulk_create(
            AspirationEvent(
                aspiration=aspiration,
                kind=AspirationEvent.Kind.INTAKE,
                from_status="",
                to_status=AspirationStatus.RECEIVED,
                year=aspiration.year,
                note=batch.note,
                actor=actor,
                actor_name=actor_name,
            )
            for aspiration in aspirations
        )
        cache.set(progress_key(batch.pk), first + len(chunk), PROGRESS_TTL)
    return len(rows)


def _refuse_new_duplicates(batch: AspirationImport) -> None:
    """What was recorded since the preview may now duplicate a row: one query."""
    keys = {(row["year"], row["kelurahan"], normalise(row["title"])) for row in batch.rows}
    stored = Aspiration.objects.filter(
        region_id=batch.region_id,
        year__in={row["year"] for row in batch.rows},
        kelurahan_id__in={row["kelurahan"] for row in batch.rows},
    ).values_list("year", "kelurahan_id", "title")
    if any((year, kelurahan, normalise(title)) in keys for year, kelurahan, title in stored):
        raise WorkflowError(
            _(
                "Since the preview, someone recorded an aspiration with the same title, "
                "kelurahan and year as a row of the file: upload the file again to see which."
            )
        )


def _aspiration(batch: AspirationImport, row: dict[str, Any]) -> Aspiration:
    return Aspiration(
        region_id=batch.region_id,
        forum=row["forum"],
        year=row["year"],
        first_year=row["year"],
        kelurahan_id=row["kelurahan"],
        title=row["title"],
        description=row["description"],
        category=row["category"],
        indicator_id=row["indicator"],
        priority=row["priority"],
        proposer=row["proposer"],
        proposer_kind=row["proposer_kind"],
        proposer_contact=row["proposer_contact"],
        received_on=date.fromisoformat(row["received_on"]),
        status=AspirationStatus.RECEIVED,
    )


def _draw_references(aspirations: list[Aspiration], taken: set[str]) -> None:
    """A fresh reference for each: drawn at random, redrawn while taken in the database (one
    query per round) or earlier in this import (``taken``, which the chunk's join)."""
    pending = aspirations
    for _attempt in range(REFERENCE_ATTEMPTS):
        for aspiration in pending:
            aspiration.reference = new_reference(forum=aspiration.forum, year=aspiration.first_year)
        stored = set(
            Aspiration.objects.filter(reference__in=[a.reference for a in pending]).values_list(
                "reference", flat=True
            )
        )
        again = []
        for aspiration in pending:
            if aspiration.reference in stored or aspiration.reference in taken:
                again.append(aspiration)
            else:
                taken.add(aspiration.reference)
        if not again:
            return
        pending = again
    raise WorkflowError(_("No free reference number was found; please try again."))


def purge(*, now: Any = None) -> int:
    """Delete the imports uploaded more than :data:`KEEP_FOR` ago that are not at work: ready,
    done, failed, or stuck (:func:`stuck_running`). A queued or running one is left to its
    worker, and purged once it ends. Returns how many."""
    now = now or timezone.now()
    idle = Q(state__in=[ImportState.READY, ImportState.DONE, ImportState.FAILED])
    deleted, _by_model = AspirationImport.objects.filter(
        idle | stuck_running(now), created_at__lt=now - KEEP_FOR
    ).delete()
    return deleted
