"""Transactions of the opd services: one lock order, and one retry of a lost race.

The lock order, everywhere (services, the contribution engine, the admin):

1. the work plan, ``WorkPlan.objects.select_for_update(of=("self",))``: only the plan row.
   A plain ``select_for_update().select_related("opd")`` would lock the OPD row too, and
   a recomputation's snapshot rows take a key-share lock on that OPD row when they commit
   (PostgreSQL checks their foreign keys then): the save waiting for the state row and the
   recomputation waiting for the OPD row is a deadlock;
2. the contribution state rows, in ascending (indicator, year) order, all the pairs of a
   change in one ``opd.engine.marking.mark_pairs_dirty`` call (a change touching several collects
   them first with ``marking.pairs_for_*``: two calls would each sort only their own);
3. the snapshot rows, written only by the recomputation, which holds its state row first.

A recomputation locks one state row and nothing else before it writes; no service locks an
OPD, an indicator or a snapshot, so the key-share locks a recomputation needs at commit are
always free. Every ``select_for_update`` names ``of=("self",)`` so a later ``select_related``
cannot widen it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import OperationalError, models, transaction
from django.db.models import F

from opd.errors import record_gone

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

#: PostgreSQL's SQLSTATEs for "this transaction lost a race, run it again".
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure


def lost_a_race(error: BaseException) -> bool:
    """Whether the database aborted the transaction as a deadlock victim or on a
    serialisation failure (Django's ``OperationalError`` wraps the driver's error)."""
    cause = error.__cause__
    code = getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)
    return isinstance(error, OperationalError) and code in RETRYABLE_SQLSTATES


def atomic_retrying_once(func: Callable[P, R]) -> Callable[P, R]:
    """``transaction.atomic`` that runs the function once more when its transaction lost a
    deadlock or a serialisation failure, so the caller sees a result, never that error
    (a second loss in a row is raised).

    Only an outermost block retries: inside a caller's transaction the whole transaction
    is already lost, so the error goes up to whoever opened it. The lost attempt was rolled
    back with its ``on_commit`` callbacks, so nothing of it survives.

    The retry covers the function and its COMMIT (PostgreSQL checks the deferred foreign
    keys there, so a COMMIT can lose a race too), never what runs after it: Django runs the
    ``on_commit`` callbacks once the transaction has committed, still inside the atomic
    block's exit, and an error one of them raises (a non-robust one) goes to the caller
    as it is, even a deadlock's, because running the committed function again would do
    its change twice. Callbacks that must not fail the call are registered ``robust=True``
    (as ``marking.mark_pairs_dirty`` does).
    """

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if transaction.get_connection().in_atomic_block:
            with transaction.atomic():
                return func(*args, **kwargs)
        committed: list[bool] = []

        def attempt() -> R:
            with transaction.atomic():
                # Registered first, so it is the first callback to run after the COMMIT:
                # an error raised once it has run came from a later callback.
                transaction.on_commit(lambda: committed.append(True))
                return func(*args, **kwargs)

        try:
            return attempt()
        except OperationalError as error:
            if committed or not lost_a_race(error):
                raise
            log.warning(
                "%s lost a race in the database (SQLSTATE %s); running it again.",
                func.__qualname__,
                getattr(error.__cause__, "pgcode", None),
            )
        return attempt()

    return run


def claim_version(model: type[models.Model], pk: int, seen_version: int) -> int | None:
    """Raise the row's ``version`` by one if it is still ``seen_version``: the optimistic claim
    every versioned write makes (the conditional UPDATE also locks the row until the transaction
    ends). None when claimed; else the row's current version, for the caller's StaleEdit. A row
    deleted meanwhile raises :func:`opd.errors.record_gone`."""
    manager = model._default_manager
    if manager.filter(pk=pk, version=seen_version).update(version=F("version") + 1):
        return None
    current: int | None = manager.filter(pk=pk).values_list("version", flat=True).first()
    if current is None:
        raise record_gone()
    return current
