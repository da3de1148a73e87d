"""What the portal's admin pages share: view-only records and the plan-content note.

Work plans and everything in them are only *shown* in the admin: every change to a plan goes
through the services from the portal (/renja/), which check the workflow, refuse stale edits and
write the audit trail. Records of what happened (audit, review comments, reminders, snapshots)
are view-only and cannot be deleted.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from targets.admin import (
    BaseAdmin,
)


class ViewOnlyAdminMixin:
    """Rows are shown, never added, changed or deleted here (for model admins and inlines)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


PORTAL_NOTE = _(
    "Plan content is edited in the portal (/renja/), where every change is versioned "
    "and audited. Here it can only be viewed."
)


class PlanContentAdmin(ViewOnlyAdminMixin, BaseAdmin):
    """A work plan or a row inside one: view-only, with a note pointing to the portal.

    The note stands under the changelist's heading (not as Django's subtitle, which would
    also fill the page's <title>) and describes the change page's first fieldset.
    """

    change_list_template = "admin/opd/plan_content_change_list.html"

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> Any:
        return super().changelist_view(
            request, {"portal_note": PORTAL_NOTE, **(extra_context or {})}
        )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if fieldsets:
            name, options = fieldsets[0]
            fieldsets[0] = (name, {**options, "description": PORTAL_NOTE})
        return fieldsets
