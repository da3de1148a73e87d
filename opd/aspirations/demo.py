"""The demo aspirations of ``load_magelang --demo`` (``opd.seed_magelang.DEMO_ASPIRATIONS``),
each with the events of the stages it went through, as the services would have written them.

Every row is looked up by its natural key through the loader's seeder, so a second load changes
nothing and a database that contradicts the seed is reported, not overwritten.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from opd import seed_magelang as opd_seed
from opd.models import Activity, Aspiration, AspirationEvent, Opd
from targets.models import Kelurahan, Region

WIB = ZoneInfo("Asia/Jakarta")
ORDER = ["received", "verified", "recommended", "accepted", "funded", "realised"]
# The funded step is the plan's approval; the others at fixed times, so reruns are identical.
ACCEPTED_AT = datetime(2017, 8, 1, 10, 0, tzinfo=WIB)
REALISED_AT = datetime(2018, 4, 10, 10, 0, tzinfo=WIB)
CARRIED_AT = datetime(2017, 1, 1, 0, 30, tzinfo=WIB)


def load_demo_aspirations(
    seeder: Any,
    *,
    region: Region,
    kelurahan: dict[str, Kelurahan],
    opds: dict[str, Opd],
    activities: dict[str, Activity],
    users: dict[str, Any],
    approved_at: datetime,
) -> None:
    for fact in opd_seed.DEMO_ASPIRATIONS:
        aspiration = seeder.ensure(
            Aspiration,
            {"reference": fact["reference"]},
            {
                "region": region,
                "forum": fact["forum"],
                "year": opd_seed.DEMO_YEAR,
                "first_year": fact.get("first_year", opd_seed.DEMO_YEAR),
                "kelurahan": kelurahan[fact["kelurahan"]],
                "title": fact["title"],
                "description": fact["description"],
                "category": fact.get("category", Aspiration.Category.OTHER),
                "priority": fact.get("priority"),
                "proposer": fact["proposer"],
                "proposer_kind": fact.get("proposer_kind", Aspiration.ProposerKind.GROUP),
                "proposer_contact": fact.get("proposer_contact", ""),
                "received_on": date.fromisoformat(fact["received_on"]),
                "status": fact["status"],
                "rejection_code": fact.get("rejection_code", ""),
                "rejection_reason": fact.get("rejection_reason", ""),
                "recommended_opd": opds.get(fact.get("opd", "")),
                "activity": activities.get(fact.get("activity", "")),
                "is_demo": True,
            },
        )
        for kind, from_status, to_status, year, at, actor in _steps(fact, users, approved_at):
            rejected = to_status == Aspiration.Status.REJECTED
            seeder.ensure(
                AspirationEvent,
                {
                    "aspiration": aspiration,
                    "kind": kind,
                    "from_status": from_status,
                    "to_status": to_status,
                },
                {
                    "year": year,
                    "at": at,
                    "actor": actor,
                    "actor_name": actor.get_full_name() if actor else "",
                    "rejection_code": fact["rejection_code"] if rejected else "",
                    "note": fact.get("rejection_reason", "") if rejected else "",
                },
            )


def _steps(
    fact: dict[str, Any], users: dict[str, Any], approved_at: datetime
) -> list[tuple[str, str, str, int, datetime, Any]]:
    """The events of a demo aspiration: (kind, from, to, plan year, at, by)."""
    intake = datetime.combine(date.fromisoformat(fact["received_on"]), time(10), tzinfo=WIB)
    first_year = fact.get("first_year", opd_seed.DEMO_YEAR)
    area = users.get(f"area:{fact['kelurahan']}") or users["reviewer"]
    head = users.get(f"head:{fact.get('opd', '')}")
    at = {
        "received": intake,
        "verified": intake + timedelta(days=7),
        "recommended": intake + timedelta(days=30),
        "accepted": ACCEPTED_AT,
        "funded": approved_at,
        "realised": REALISED_AT,
    }
    by = {
        "received": area,
        "verified": area,
        "recommended": users["reviewer"],
        "accepted": head,
        "funded": users["reviewer"],
        "realised": head,
    }
    status = fact["status"]
    if status == Aspiration.Status.REJECTED:
        last = "recommended" if fact.get("opd") else "verified"
    else:
        last = status
    path = ORDER[: ORDER.index(last) + 1]
    Step = tuple[str, str, str, int, datetime, Any]
    steps: list[Step] = [
        (
            AspirationEvent.Kind.INTAKE if before == "" else AspirationEvent.Kind.STAGE,
            before,
            stage,
            first_year,
            at[stage],
            by[stage],
        )
        for before, stage in zip(["", *path], path, strict=False)
    ]
    if status == Aspiration.Status.REJECTED:
        steps.append(
            ("stage", last, "rejected", first_year, at[last] + timedelta(days=30), head or by[last])
        )
    if first_year != opd_seed.DEMO_YEAR:
        steps.append(("carry_over", status, status, opd_seed.DEMO_YEAR, CARRIED_AT, None))
    return steps
