"""The refusals of the opd services, shared by the rooms, the pages and the API.

A service raises these; a page shows the message, and the API's error handler
(``magelang.api.errors``) answers 409 (``WorkflowError``, ``ChecklistFailed`` with its problems)
or 412 (``StaleEdit`` with the changes made since the caller's version).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from opd.workplans.checklist import Problem
    from opd.workplans.records import AuditEntry


class WorkflowError(Exception):
    """The action does not fit the plan's state (e.g. editing an approved plan)."""


def record_gone() -> WorkflowError:
    """The refusal when the record was deleted by someone else since the caller loaded it."""
    return WorkflowError(_("This record no longer exists; it was deleted by someone else."))


class StaleEdit(Exception):
    """Someone saved the same record after the caller loaded it; nothing was written."""

    def __init__(self, *, current_version: int, changes: list[AuditEntry]) -> None:
        super().__init__(_("Someone else saved this in the meantime."))
        self.current_version = current_version
        self.changes = changes


class ChecklistFailed(Exception):
    """The plan cannot be submitted: the review checklist found problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(_("The plan does not pass the checklist yet."))
        self.problems = problems
