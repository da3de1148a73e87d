"""Every write to a work plan: keyword-only, typed, atomic, permission-checked and audited.

By concern: ``workflow`` (create, submit, return, approve, reopen; deadlines), ``prefill``
(a new plan started from the OPD's Renstra), ``editing`` (programs and activities with their
contributions and Renstra links), ``realisation`` (the quarterly reports),
``audit`` (the trail's writer) and ``base`` (errors, the optimistic claim, the plan lock).
Callers import this package: ``services.work_plan_submit(...)``.
"""

from opd.errors import ChecklistFailed, StaleEdit, WorkflowError, record_gone
from opd.workplans.models import QUARTERS
from opd.workplans.services.editing import (
    ACTIVITY_AUDITED,
    ACTIVITY_FIELDS,
    PROGRAM_AUDITED,
    PROGRAM_FIELDS,
    ActivityData,
    activity_create,
    activity_delete,
    activity_update,
    program_create,
    program_delete,
    program_update,
)
from opd.workplans.services.prefill import StartedPlan, split_evenly, work_plan_start
from opd.workplans.services.realisation import (
    REALISATION_FIELDS,
    RealisationResult,
    realisation_save,
)
from opd.workplans.services.workflow import (
    deadline_set,
    work_plan_approve,
    work_plan_create,
    work_plan_reopen,
    work_plan_return,
    work_plan_submit,
)

__all__ = [
    "ACTIVITY_AUDITED",
    "ACTIVITY_FIELDS",
    "PROGRAM_AUDITED",
    "PROGRAM_FIELDS",
    "QUARTERS",
    "REALISATION_FIELDS",
    "ActivityData",
    "ChecklistFailed",
    "RealisationResult",
    "StaleEdit",
    "StartedPlan",
    "WorkflowError",
    "activity_create",
    "activity_delete",
    "activity_update",
    "deadline_set",
    "program_create",
    "program_delete",
    "program_update",
    "realisation_save",
    "record_gone",
    "split_evenly",
    "work_plan_approve",
    "work_plan_create",
    "work_plan_reopen",
    "work_plan_return",
    "work_plan_start",
    "work_plan_submit",
]
