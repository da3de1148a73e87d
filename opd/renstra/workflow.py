"""A Renstra's workflow: the OPD submits it (the checklist permitting), Bappeda returns it with
a comment or approves it. Each step claims the Renstra's version the caller saw."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from opd.errors import ChecklistFailed, WorkflowError
from opd.models import AuditAction, Renstra
from opd.renstra.selectors import check_renstra
from opd.renstra.steps import claim, lock, require_editor, require_review, transition
from opd.transactions import atomic_retrying_once


@atomic_retrying_once
def renstra_submit(*, renstra_id: int, by: Any, seen_version: int) -> Renstra:
    """Submit a draft or returned Renstra to Bappeda; refused while the checklist finds
    problems."""
    renstra = lock(renstra_id)
    require_editor(by, renstra)
    claim(Renstra, renstra.pk, seen_version)
    problems = check_renstra(renstra)
    if problems:
        raise ChecklistFailed(problems)  # leaving the atomic block undoes the claim
    return transition(
        renstra,
        by=by,
        to=Renstra.Status.SUBMITTED,
        action=AuditAction.SUBMIT,
        stamps={"submitted_at": timezone.now(), "submitted_by": by},
    )


@atomic_retrying_once
def renstra_return(*, renstra_id: int, by: Any, seen_version: int, comment: str) -> Renstra:
    """Return a submitted Renstra to its OPD; the comment says what to fix."""
    renstra = lock(renstra_id)
    require_review(by, renstra)
    comment = comment.strip()
    if not comment:
        raise WorkflowError(_("Say what the OPD must fix: a comment is required."))
    claim(Renstra, renstra.pk, seen_version)
    return transition(
        renstra,
        by=by,
        to=Renstra.Status.RETURNED,
        action=AuditAction.RETURN,
        stamps={"reviewed_at": timezone.now(), "reviewed_by": by},
        note=comment,
    )


@atomic_retrying_once
def renstra_approve(*, renstra_id: int, by: Any, seen_version: int) -> Renstra:
    """Approve a submitted Renstra; it cannot be changed afterwards."""
    renstra = lock(renstra_id)
    require_review(by, renstra)
    claim(Renstra, renstra.pk, seen_version)
    return transition(
        renstra,
        by=by,
        to=Renstra.Status.APPROVED,
        action=AuditAction.APPROVE,
        stamps={"reviewed_at": timezone.now(), "reviewed_by": by},
    )
