"""No lost updates: two people save the same activity from the same version.

(a) Through the pages, with two logged-in sessions of one OPD: one save wins, the
other is refused with 409 and the conflict message showing what changed, nothing
of the loser's is written; saved again on the new version, it wins, and the
history page shows the original value, the winner's and the loser's, in order.

(b) On PostgreSQL, two threads call the service at the same moment: exactly one
``StaleEdit``, one audit entry.

(c) On PostgreSQL, a save chosen as a deadlock's victim is run again once, inside the
service, and succeeds (the user never sees the error); inside a caller's transaction the
error is raised instead.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import time
from decimal import Decimal
from typing import Any

import pytest
from django.db import OperationalError, connection, transaction
from django.test import Client

from opd import models as om
from opd.engine import compute, marking
from opd.transactions import atomic_retrying_once, lost_a_race
from opd.workplans import services
from opd.workplans.services import ActivityData, StaleEdit, editing
from targets import models as tm
from tests.factories import RegionFactory
from tests.workplans.plan_world import World

# --- (a) through the pages ------------------------------------------------------------------------


def _inputs(html: str) -> dict[str, str]:
    """The values a browser would post back from the activity form (inputs and selects)."""
    form = html.split('<form method="post" action="/renja/', 2)[-1]
    values: dict[str, str] = {}
    for tag in re.findall(r"<input [^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="checkbox"' not in tag:
            values[name.group(1)] = value.group(1) if value else ""
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        values[name] = selected.group(1) if selected else ""
    for name, text in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        values[name] = text.strip()
    return values


def _session(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _budget_history(work_plan: om.WorkPlan) -> list[dict[str, str]]:
    entries = om.AuditEntry.objects.filter(work_plan=work_plan, object_type="activity")
    return [entry.changes["budget"] for entry in entries.order_by("at", "pk")]


def _edit_url(world: World) -> str:
    return f"/renja/{world.work_plan.pk}/kegiatan/{world.activity.pk}/ubah/"


def _conflict(response: Any) -> str:
    """The conflict box of a refused save."""
    assert response.status_code == 409
    return response.content.decode().split('data-testid="conflict"', 1)[1].split("</div>", 1)[0]


def _lose_a_race(world: World) -> tuple[Client, Any]:
    """The staff member and the head open version 1; the staff member's budget is saved first,
    then the head's save is refused. Returns the head's session and the refused response."""
    url = _edit_url(world)
    head, staff = _session(world.head), _session(world.staff)
    head_form = _inputs(head.get(url).content.decode())
    staff_form = _inputs(staff.get(url).content.decode())
    assert head_form["seen_version"] == staff_form["seen_version"] == "1"
    assert head_form["budget"] == "250.000.000"  # as the Indonesian form shows a whole amount
    won = staff.post(url, {**staff_form, "budget": "260.000.000"})
    assert won.status_code == 302
    assert won["Location"] == f"/renja/{world.work_plan.pk}/#activity-{world.activity.pk}"
    return head, head.post(url, {**head_form, "budget": "270.000.000"})


@pytest.fixture
def world() -> World:
    return World.build()


@pytest.mark.django_db
def test_two_sessions_save_one_activity_from_the_same_version(world):
    head, lost = _lose_a_race(world)

    # The head's save from the same version is refused, showing what changed.
    conflict = _conflict(lost)
    assert (
        "Pagu indikatif (Rp): Rp\u00a0250.000.000 → <strong>Rp\u00a0260.000.000</strong>"
        in conflict
    )
    assert "staf" in conflict  # who changed it

    # Nothing of the head's was written.
    world.activity.refresh_from_db()
    assert (world.activity.budget, world.activity.version) == (Decimal(260_000_000), 2)
    assert _budget_history(world.work_plan) == [{"old": "250000000", "new": "260000000"}]

    # The head saves again on the current version, and wins.
    current = _inputs(head.get(_edit_url(world)).content.decode())
    assert current["seen_version"] == "2"
    assert current["budget"] == "260.000.000"
    again = head.post(_edit_url(world), {**current, "budget": "270.000.000"})
    assert again.status_code == 302
    world.activity.refresh_from_db()
    assert (world.activity.budget, world.activity.version) == (Decimal(270_000_000), 3)

    # The history shows the original value, the winner's and the loser's, newest first.
    page = head.get(f"/renja/{world.work_plan.pk}/riwayat/").content.decode()
    rows = page.split('data-testid="history-entry"')[1:]
    assert len(rows) == 2
    assert "Rp\u00a0250.000.000 → Rp\u00a0260.000.000" in rows[1] and "staf" in rows[1]
    assert "Rp\u00a0260.000.000 → Rp\u00a0270.000.000" in rows[0] and "Kepala Dinsos" in rows[0]
    assert _budget_history(world.work_plan) == [
        {"old": "250000000", "new": "260000000"},
        {"old": "260000000", "new": "270000000"},
    ]


@pytest.mark.django_db
def test_the_conflict_message_is_indonesian(world):
    _head, lost = _lose_a_race(world)
    conflict = _conflict(lost)
    assert "someone else" not in conflict.lower()
    assert "Tidak disimpan" in conflict or "tidak disimpan" in conflict


@pytest.mark.django_db
def test_the_conflict_form_keeps_the_entries_on_the_current_version(world):
    head, lost = _lose_a_race(world)
    retry = _inputs(lost.content.decode())
    assert retry["budget"] == "270.000.000"  # what the head typed is kept
    assert retry["seen_version"] == "2"
    assert head.post(_edit_url(world), retry).status_code == 302


@pytest.mark.django_db
def test_an_unchanged_contribution_in_persons_can_be_saved_again():
    world = World.build()
    head = _session(world.head)
    form = _inputs(head.get(_edit_url(world)).content.decode())
    response = head.post(_edit_url(world), {**form, "budget": "260.000.000"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_stale_save_with_htmx_answers_409_into_the_editor(world):
    url = _edit_url(world)
    head, staff = _session(world.head), _session(world.staff)
    form = _inputs(head.get(url).content.decode())
    assert staff.post(url, {**form, "target_group": "Lansia terlantar"}).status_code == 302
    lost = head.post(url, {**form, "budget": "1"}, headers={"HX-Request": "true"})
    assert lost.status_code == 409
    html = lost.content.decode()
    assert "<html" not in html  # the form alone, for #editor
    assert "Kelompok sasaran: Keluarga miskin → <strong>Lansia terlantar</strong>" in html
    world.activity.refresh_from_db()
    assert world.activity.budget == Decimal(250_000_000)


# --- (b) two threads on PostgreSQL -----------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_threads_update_one_activity_exactly_one_wins():
    world = World.build()
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[str, Any] = {}

    def save(who: str, budget: int) -> None:
        try:
            data = ActivityData(
                values={"budget": Decimal(budget), "notes": f"oleh {who}"},
                contributions={},
            )
            barrier.wait()
            services.activity_update(
                activity_id=world.activity.pk,
                by=getattr(world, who),
                data=data,
                seen_version=1,
            )
            outcomes[who] = "saved"
        except StaleEdit as stale:
            outcomes[who] = stale
        except Exception as error:  # reported by the assertions below
            outcomes[who] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=("head", 260_000_000)),
        threading.Thread(target=save, args=("staff", 270_000_000)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(outcomes) == 2, outcomes
    saved = [who for who, outcome in outcomes.items() if outcome == "saved"]
    refused = [outcome for outcome in outcomes.values() if isinstance(outcome, StaleEdit)]
    assert len(saved) == len(refused) == 1, outcomes
    winner, stale = saved[0], refused[0]
    assert stale.current_version == 2
    (entry,) = om.AuditEntry.objects.filter(object_type="activity", object_id=world.activity.pk)
    assert entry.actor == getattr(world, winner)
    assert [change.pk for change in stale.changes] == [entry.pk]  # the loser sees the winner's
    activity = om.Activity.objects.get(pk=world.activity.pk)
    assert (activity.version, activity.notes) == (2, f"oleh {winner}")
    expected = {"head": Decimal(260_000_000), "staff": Decimal(270_000_000)}[winner]
    assert activity.budget == expected
    assert om.WorkPlan.objects.get(pk=world.work_plan.pk).version == 2


# --- (c) a save that loses a deadlock is run again ---------------------------------------------------


def _lock_against(service_pid: int, state_pk: int, plan_pk: int) -> tuple[threading.Thread, Any]:
    """Another transaction that locks in the wrong order: the state row, then (once the
    service waits for that row) the plan the service holds. PostgreSQL breaks the cycle by
    aborting the session whose ``deadlock_timeout`` expires first: the service's (1 s
    against 10 s here). PostgreSQL looks for a deadlock once per wait, when that timeout
    expires, so the service's must outlast the moment this transaction takes to ask for the
    plan (50 ms did not on a loaded machine: the service found no cycle yet, and this one
    became the victim). It commits as soon as it has the plan."""
    holding = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL deadlock_timeout = '10s'")
                om.ContributionState.objects.select_for_update().get(pk=state_pk)
                holding.set()
                for _attempt in range(200):  # until the service waits for the state row
                    cursor.execute("SELECT cardinality(pg_blocking_pids(%s))", [service_pid])
                    if cursor.fetchone()[0]:
                        break
                    time.sleep(0.05)
                om.WorkPlan.objects.select_for_update().get(pk=plan_pk)
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            holding.set()
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    assert holding.wait(10)
    return thread, errors


def _deadlock_world() -> tuple[World, int, int]:
    """A world whose 2018 state row exists, and the service's session set to be the victim."""
    world = World.build()
    compute.recompute(indicator_id=world.indicator.pk, year=world.work_plan.year)
    state = om.ContributionState.objects.get(indicator=world.indicator, year=world.work_plan.year)
    with connection.cursor() as cursor:
        cursor.execute("SET deadlock_timeout = '1s'")
        cursor.execute("SELECT pg_backend_pid()")
        service_pid = cursor.fetchone()[0]
    return world, service_pid, state.pk


def _budget_save(world: World) -> Any:
    return services.activity_update(
        activity_id=world.activity.pk,
        by=world.head,
        data=ActivityData(values={"budget": Decimal(260_000_000)}, contributions={}),
        seen_version=1,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_save_that_loses_a_deadlock_is_run_again_and_succeeds(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    world, service_pid, state_pk = _deadlock_world()
    # Each attempt registers a callback of its own as soon as it holds the plan, before it
    # waits for the state row: only the attempt that committed may see its callbacks run.
    attempts: list[int] = []
    callbacks_run: list[int] = []
    lock_plan = editing._lock_plan

    def lock_plan_and_register(work_plan_id: int) -> om.WorkPlan:
        plan = lock_plan(work_plan_id)
        attempts.append(len(attempts) + 1)
        transaction.on_commit(functools.partial(callbacks_run.append, attempts[-1]))
        return plan

    enqueued: list[list[tuple[int, int]]] = []
    monkeypatch.setattr(editing, "_lock_plan", lock_plan_and_register)
    monkeypatch.setattr(marking, "_enqueue", enqueued.append)
    thread, errors = _lock_against(service_pid, state_pk, world.work_plan.pk)
    try:
        with caplog.at_level(logging.WARNING, logger="opd.transactions"):
            activity = _budget_save(world)
    finally:
        thread.join(30)
        with connection.cursor() as cursor:
            cursor.execute("RESET deadlock_timeout")
    assert not thread.is_alive() and errors == []
    # The first attempt was the deadlock's victim (and rolled back); the second one saved.
    (retry,) = [r for r in caplog.records if "running it again" in r.getMessage()]
    assert "40P01" in retry.getMessage() and "activity_update" in retry.getMessage()
    assert (activity.version, activity.budget) == (2, Decimal(260_000_000))
    (entry,) = om.AuditEntry.objects.filter(object_type="activity", object_id=world.activity.pk)
    assert entry.changes["budget"] == {"old": "250000000", "new": "260000000"}
    assert om.WorkPlan.objects.get(pk=world.work_plan.pk).version == 2
    assert om.ContributionState.objects.get(pk=state_pk).dirty
    # The lost attempt's on_commit callbacks were dropped with it: one recomputation enqueued.
    assert attempts == [1, 2] and callbacks_run == [2]
    assert enqueued == [[(world.indicator.pk, world.work_plan.year)]]


class _DriverDeadlock(Exception):
    """What psycopg2 raises for a deadlock: the SQLSTATE in ``pgcode``."""

    pgcode = "40P01"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_deadlock_raised_by_an_on_commit_callback_does_not_run_the_service_again() -> None:
    """The service has committed when its callbacks run: running it again would do the
    change twice. The retry covers the function and its COMMIT, never the callbacks after."""
    runs: list[int] = []

    def callback() -> None:
        raise OperationalError("deadlock detected") from _DriverDeadlock()

    @atomic_retrying_once
    def service() -> tm.Region:
        runs.append(1)
        region = RegionFactory(code=f"99.{len(runs)}")
        transaction.on_commit(callback)  # not robust: its error goes to the caller
        return region

    with pytest.raises(OperationalError) as raised:
        service()
    assert lost_a_race(raised.value)  # a deadlock's error: what the retry runs again for
    assert runs == [1]
    assert list(tm.Region.objects.values_list("code", flat=True)) == ["99.1"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_deadlock_at_commit_is_run_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL checks deferred foreign keys at COMMIT, so a COMMIT can lose a race too:
    that is still before anything was committed, and it is run again."""
    runs: list[int] = []
    commit = connection.commit

    def commit_losing_once() -> None:
        if len(runs) == 1:  # Django's atomic block rolls the transaction back
            raise OperationalError("deadlock detected") from _DriverDeadlock()
        commit()

    @atomic_retrying_once
    def service() -> tm.Region:
        runs.append(1)
        return RegionFactory(code=f"98.{len(runs)}")

    monkeypatch.setattr(connection, "commit", commit_losing_once)
    assert service().code == "98.2"
    assert runs == [1, 1]
    assert list(tm.Region.objects.values_list("code", flat=True)) == ["98.2"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_inside_a_callers_transaction_a_lost_deadlock_is_raised_not_retried() -> None:
    """The caller's whole transaction is lost: only whoever opened it can run it again."""
    world, service_pid, state_pk = _deadlock_world()
    thread, errors = _lock_against(service_pid, state_pk, world.work_plan.pk)
    try:
        with pytest.raises(OperationalError) as raised, transaction.atomic():
            _budget_save(world)
    finally:
        thread.join(30)
        with connection.cursor() as cursor:
            cursor.execute("RESET deadlock_timeout")
    assert not thread.is_alive() and errors == []
    assert getattr(raised.value.__cause__, "pgcode", None) == "40P01"
    world.activity.refresh_from_db()
    assert (world.activity.version, world.activity.budget) == (1, Decimal(250_000_000))
    assert not om.AuditEntry.objects.filter(object_type="activity").exists()
