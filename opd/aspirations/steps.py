"""The steps every aspiration service shares: claim a row's version, lock rows, move one or
many to a stage, write the event. Only the services (``services``, ``followup``) call them."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from opd.aspirations.models import Aspiration, AspirationEvent
from opd.errors import StaleEdit
from opd.transactions import claim_version


def claim(aspiration_id: int, seen_version: int) -> Aspiration:
    """The aspiration, its version raised from ``seen_version`` (and its row locked until the
    transaction ends); StaleEdit if someone moved it since the caller saw it."""
    current = claim_version(Aspiration, aspiration_id, seen_version)
    if current is not None:
        # The aspiration's history is its events, not the plans' audit trail.
        raise StaleEdit(current_version=current, changes=[])
    return Aspiration.objects.get(pk=aspiration_id)


def locked(rows: Any) -> list[Aspiration]:
    return list(rows.select_for_update(of=("self",)).order_by("pk"))


def move(
    aspiration: Aspiration, *, by: Any, to: str, note: str = "", code: str = "", **fields: Any
) -> Aspiration:
    from_status = aspiration.status
    aspiration.status = to
    for name, value in fields.items():
        setattr(aspiration, name, value)
    aspiration.save(update_fields=["status", *fields])
    event(aspiration, by=by, from_status=from_status, note=note, code=code)
    return aspiration


def move_all(rows: list[Aspiration], *, by: Any, to: str, **fields: Any) -> int:
    Aspiration.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=to, version=F("version") + 1, **fields
    )
    AspirationEvent.objects.bulk_create(
        AspirationEvent(
            aspiration=row,
            from_status=row.status,
            to_status=to,
            year=row.year,
            actor=actor_of(by),
            actor_name=name_of(by),
        )
        for row in rows
    )
    return len(rows)


def event(
    aspiration: Aspiration,
    *,
    by: Any,
    from_status: str,
    kind: str = AspirationEvent.Kind.STAGE,
    note: str = "",
    code: str = "",
    changes: dict[str, Any] | None = None,
) -> AspirationEvent:
    return AspirationEvent.objects.create(
        changes=changes or {},
        aspiration=aspiration,
        kind=kind,
        from_status=from_status,
        to_status=aspiration.status,
        year=aspiration.year,
        rejection_code=code,
        note=note,
        actor=actor_of(by),
        actor_name=name_of(by),
    )


def actor_of(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def name_of(by: Any) -> str:
    if by is None or not getattr(by, "is_authenticated", False):
        return ""
    return str(by.get_full_name() or by.get_username())


def status_words(aspiration: Aspiration) -> str:
    return str(aspiration.get_status_display()).lower()
