"""The steps every Renstra write shares: who may act, the lock, the version claim, the audit
entry and a workflow transition (used by ``services`` and ``workflow``).

Every write locks the Renstra row first (the only lock it takes), claims the version the caller
saw (a line's for a line, the Renstra's for the workflow) and raises the Renstra's version, so a
stale submit or review is refused as well. The trail is ``RenstraAuditEntry``.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from opd.agencies import roles
from opd.errors import StaleEdit, WorkflowError
from opd.models import Renstra, RenstraAuditEntry
from opd.transactions import claim_version
from opd.workplans.services.audit import _diff, _object_type, _snapshot

EDITABLE_STATUSES = frozenset({Renstra.Status.DRAFT, Renstra.Status.RETURNED})


def can_edit(user: Any, renstra: Renstra) -> bool:
    return renstra.status in EDITABLE_STATUSES and roles.is_member(user, renstra.opd_id)


def can_review(user: Any, renstra: Renstra) -> bool:
    return renstra.status == Renstra.Status.SUBMITTED and roles.reviews_region(
        user, renstra.opd.region_id
    )


def audit(
    *,
    renstra: Renstra,
    by: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    note: str = "",
    version: int | None = None,
) -> RenstraAuditEntry:
    def clip(name: str, text: str) -> str:
        limit = cast(models.CharField, RenstraAuditEntry._meta.get_field(name)).max_length or 0
        return text if len(text) <= limit else text[: limit - 1] + "…"

    return RenstraAuditEntry.objects.create(
        renstra=renstra,
        renstra_version=renstra.version,
        object_type=_object_type(type(obj)),
        object_id=obj.pk,
        object_label=clip("object_label", str(obj)),
        version=version,
        action=action,
        changes=changes or {},
        note=note,
        actor=by if by and by.is_authenticated else None,
        actor_name=clip("actor_name", (by.get_full_name() or by.get_username()) if by else ""),
        at=timezone.now(),
    )


def lock(renstra_id: int) -> Renstra:
    """The Renstra, locked until the transaction ends (only its own row: see opd.transactions)."""
    rows = Renstra.objects.select_for_update(of=("self",)).select_related("opd", "plan")
    return rows.get(pk=renstra_id)


def claim(model: type[models.Model], pk: int, seen_version: int) -> None:
    """Raise the row's version if it is still ``seen_version``; else StaleEdit with the trail
    written since."""
    current = claim_version(model, pk, seen_version)
    if current is not None:
        since: dict[str, Any] = (
            {"renstra_id": pk, "renstra_version__gt": seen_version}
            if model is Renstra
            else {"object_type": _object_type(model), "object_id": pk, "version__gt": seen_version}
        )
        changes = list(RenstraAuditEntry.objects.filter(**since).order_by("at", "pk"))
        raise StaleEdit(current_version=current, changes=cast(list[Any], changes))


def require_editor(by: Any, renstra: Renstra) -> None:
    if not roles.is_member(by, renstra.opd_id):
        raise PermissionDenied(_("Only members of this OPD can change its Renstra."))
    if renstra.status not in EDITABLE_STATUSES:
        raise WorkflowError(
            _("The Renstra is %(status)s and cannot be changed.")
            % {"status": renstra.get_status_display().lower()}
        )


def touch(renstra: Renstra) -> None:
    """Any change inside a Renstra raises its version; call it before ``audit``."""
    Renstra.objects.filter(pk=renstra.pk).update(version=F("version") + 1)
    renstra.refresh_from_db(fields=["version"])


def require_review(by: Any, renstra: Renstra) -> None:
    if not roles.reviews_region(by, renstra.opd.region_id):
        raise PermissionDenied(_("Only Bappeda reviewers can review a Renstra."))
    if renstra.status != Renstra.Status.SUBMITTED:
        raise WorkflowError(_("Only a submitted Renstra can be reviewed."))


def transition(
    renstra: Renstra, *, by: Any, to: str, action: str, stamps: dict[str, Any], note: str = ""
) -> Renstra:
    renstra.refresh_from_db(fields=["version"])
    old = _snapshot(renstra, ["status"])
    renstra.status = to
    for name, value in stamps.items():
        setattr(renstra, name, value)
    renstra.save(update_fields=["status", *stamps])
    audit(
        renstra=renstra,
        by=by,
        action=action,
        obj=renstra,
        changes=_diff(old, _snapshot(renstra, ["status"])),
        note=note,
        version=renstra.version,
    )
    return renstra
