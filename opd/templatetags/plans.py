"""Template filters of the work-plan pages."""

from __future__ import annotations

from django import template

from opd.history import Change, describe_changes
from opd.models import AuditEntry

register = template.Library()


@register.filter
def audit_changes(entry: AuditEntry) -> list[Change]:
    """An audit entry's changes with field labels and figures in the active language."""
    return describe_changes(entry)
