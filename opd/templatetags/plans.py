"""Template filters of the work-plan pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

from opd.models import AuditEntry
from opd.workplans.history import Change, describe_changes

register = template.Library()


@register.filter
def audit_changes(entry: AuditEntry) -> list[Change]:
    """An audit entry's changes with field labels and figures in the active language."""
    return describe_changes(entry)


@register.filter
def resolution(form: Any, name: str) -> BoundField | None:
    """The choice between both values of field ``name`` after a conflict, or None."""
    choose = getattr(form, "resolution", None)
    return choose(name) if choose else None
