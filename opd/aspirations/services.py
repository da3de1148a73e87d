"""Recording an aspiration and moving it through its stages (design section 8).

received → verified → recommended → accepted | rejected → funded → realised, no stage skipped.
Every move is one transaction: the caller passes the version it saw, the row is claimed with a
conditional ``UPDATE ... WHERE version = seen`` (:class:`StaleEdit` if someone moved it first),
the caller's role is checked, and one :class:`AspirationEvent` records who, when and why.

Who does what:

- record (intake): Bappeda, or the staff of the aspiration's kelurahan or its kecamatan;
- verify: the same;
- recommend to an OPD: Bappeda;
- accept into an activity: a member of the recommended OPD, into that OPD's editable work
  plan of the aspiration's year;
- reject (with a reason code; "other" needs text): Bappeda at any stage before acceptance, or
  a member of the recommended OPD once it is recommended to them;
- funded and realised follow the work plan: :func:`mark_funded` runs inside the plan's
  approval, :func:`mark_realised` inside a realisation report, and :func:`release_activity`
  returns them to recommended when their activity is deleted;
- :func:`carry_over` moves the year's unfinished aspirations into the next year's intake.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from opd.agencies import roles
from opd.aspirations.followup import SETTLED as SETTLED
from opd.aspirations.followup import carry_over as carry_over
from opd.aspirations.followup import mark_funded as mark_funded
from opd.aspirations.followup import mark_realised as mark_realised
from opd.aspirations.followup import release_activity as release_activity
from opd.aspirations.models import (
    REFERENCE_ALPHABET,
    REFERENCE_PREFIX,
    Aspiration,
    AspirationEvent,
    AspirationStatus,
    RejectionCode,
)
from opd.aspirations.steps import claim, event, move, status_words
from opd.errors import StaleEdit, WorkflowError, record_gone
from opd.models import Activity, Opd, WorkPlan
from opd.transactions import atomic_retrying_once

Status = AspirationStatus

#: What an intake may set; the rest (reference, status, stages) is the services' to write.
INTAKE_FIELDS = (
    "region",
    "forum",
    "year",
    "kelurahan",
    "title",
    "description",
    "category",
    "indicator",
    "priority",
    "proposer",
    "proposer_kind",
    "proposer_contact",
    "received_on",
)
#: What an edit may change, while the aspiration is received or verified. The forum and the year
#: stay: the reference number carries them, and a year changes only by carry-over.
UPDATE_FIELDS = (
    "kelurahan",
    "title",
    "description",
    "category",
    "indicator",
    "priority",
    "proposer",
    "proposer_kind",
    "proposer_contact",
    "received_on",
)
#: Fields whose values an event never holds (only that they changed).
PRIVATE_FIELDS = ("proposer", "proposer_contact")
#: The stages at which an aspiration's details may still be corrected.
EDITABLE = (Status.RECEIVED, Status.VERIFIED)
#: Plans an OPD may still change, so an aspiration may still be accepted into them.
EDITABLE_PLAN_STATUSES = (WorkPlan.Status.DRAFT, WorkPlan.Status.RETURNED, WorkPlan.Status.REOPENED)
#: The stages an aspiration may be rejected at.
REJECTABLE = (Status.RECEIVED, Status.VERIFIED, Status.RECOMMENDED)
REFERENCE_LENGTH = 4
REFERENCE_ATTEMPTS = 10


def new_reference(*, forum: str, year: int) -> str:
    """A reference such as ``MSR-2018-7QK4``: the forum's prefix, the year, and four characters
    of Crockford's base32 drawn at random (about a million per prefix and year), so the next
    one cannot be guessed from the last."""
    suffix = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{REFERENCE_PREFIX[forum]}-{year}-{suffix}"  # type: ignore[index]


@atomic_retrying_once
def aspiration_create(*, by: Any, values: Mapping[str, Any]) -> Aspiration:
    """Record an aspiration from a forum: status received, a new reference, an intake event.

    ``values`` holds fields of :data:`INTAKE_FIELDS` (model instances for the kelurahan, region
    and indicator). Raises ``ValidationError`` for a bad value, ``PermissionDenied`` for a
    caller who may not record for that place.
    """
    unknown = set(values) - set(INTAKE_FIELDS)
    if unknown:
        raise WorkflowError(
            _("These fields cannot be set on intake: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    kelurahan = values.get("kelurahan")
    region = kelurahan.kecamatan.region if kelurahan is not None else values.get("region")
    if not (
        roles.reviews_region(by, getattr(region, "pk", None))
        or roles.acts_for_kelurahan(by, getattr(kelurahan, "pk", None))
    ):
        raise PermissionDenied(
            _("Only Bappeda, or the staff of its kelurahan or kecamatan, can record an aspiration.")
        )
    fields = dict(values)
    if kelurahan is not None:
        fields["region"] = kelurahan.kecamatan.region
    if fields.get("region") is None:
        raise WorkflowError(
            _("Name the kelurahan of the aspiration (or, for a city forum, the region).")
        )
    indicator = fields.get("indicator")
    year = fields.get("year")
    if indicator is not None and not (
        indicator.plan.region_id == fields["region"].pk
        and year is not None
        and indicator.plan.first_year <= year <= indicator.plan.last_year
    ):
        raise WorkflowError(_("The indicator is not one of the region's plan for that year."))
    aspiration = Aspiration(**fields, status=Status.RECEIVED)
    aspiration.first_year = aspiration.year
    aspiration.full_clean(exclude=["reference"], validate_unique=False)
    _insert_with_new_reference(aspiration)
    event(aspiration, by=by, kind=AspirationEvent.Kind.INTAKE, from_status="")
    return aspiration


@atomic_retrying_once
def aspiration_update(
    *, aspiration_id: int, by: Any, seen_version: int, values: Mapping[str, Any]
) -> Aspiration:
    """Correct the details of a received or verified aspiration (fields of
    :data:`UPDATE_FIELDS`; model instances for the kelurahan and indicator).

    Who may record it may correct it, for the kelurahan it had and the one it gets. One event
    (kind ``edit``) lists the changed fields with their values before and after, except the
    proposer's, listed without values. Nothing changed: no event, the version unchanged.
    """
    unknown = set(values) - set(UPDATE_FIELDS)
    if unknown:
        raise WorkflowError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    aspiration = Aspiration.objects.select_for_update(of=("self",)).filter(pk=aspiration_id).first()
    if aspiration is None:
        raise record_gone()
    if aspiration.version != seen_version:
        raise StaleEdit(current_version=aspiration.version, changes=[])
    kelurahan = values.get("kelurahan", aspiration.kelurahan)
    allowed = roles.reviews_region(by, aspiration.region_id) or (
        roles.acts_for_kelurahan(by, aspiration.kelurahan_id)
        and roles.acts_for_kelurahan(by, getattr(kelurahan, "pk", None))
    )
    if not allowed:
        raise PermissionDenied(
            _("Only Bappeda, or the staff of its kelurahan or kecamatan, can change an aspiration.")
        )
    if aspiration.status not in EDITABLE:
        raise WorkflowError(
            _("The aspiration is %(status)s: its details can no longer be changed.")
            % {"status": status_words(aspiration)}
        )
    if kelurahan is not None and kelurahan.kecamatan.region_id != aspiration.region_id:
        raise WorkflowError(_("Choose a kelurahan of the aspiration's own region."))
    changes: dict[str, Any] = {}
    for name, value in values.items():
        before = getattr(aspiration, _attname(name))
        after = getattr(value, "pk", value)
        if before != after:
            changes[name] = None if name in PRIVATE_FIELDS else [_json(before), _json(after)]
    if not changes:
        return aspiration
    indicator = values.get("indicator", aspiration.indicator)
    if indicator is not None and not (
        indicator.plan.region_id == aspiration.region_id
        and indicator.plan.first_year <= aspiration.year <= indicator.plan.last_year
    ):
        raise WorkflowError(_("The indicator is not one of the region's plan for that year."))
    claim(aspiration_id, seen_version)
    for name, value in values.items():
        setattr(aspiration, name, value)
    aspiration.version = seen_version + 1
    aspiration.full_clean(validate_unique=False)
    aspiration.save(update_fields=[*values])
    event(
        aspiration,
        by=by,
        from_status=aspiration.status,
        kind=AspirationEvent.Kind.EDIT,
        changes=changes,
    )
    return aspiration


def _attname(name: str) -> str:
    return f"{name}_id" if name in ("kelurahan", "indicator") else name


def _json(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _insert_with_new_reference(aspiration: Aspiration) -> None:
    """Insert the row under a fresh reference, drawing again when one is taken (each attempt in
    its own savepoint, so a collision does not spoil the transaction)."""
    for _attempt in range(REFERENCE_ATTEMPTS):
        aspiration.reference = new_reference(forum=aspiration.forum, year=aspiration.first_year)
        try:
            with transaction.atomic():
                aspiration.save(force_insert=True)
        except IntegrityError:
            if not Aspiration.objects.filter(reference=aspiration.reference).exists():
                raise
            aspiration.pk = None
            continue
        return
    raise WorkflowError(_("No free reference number was found; please try again."))


@atomic_retrying_once
def aspiration_verify(
    *, aspiration_id: int, by: Any, seen_version: int, note: str = ""
) -> Aspiration:
    """Confirm a received aspiration (its place and facts): it becomes verified."""
    aspiration = claim(aspiration_id, seen_version)
    if not (
        roles.reviews_region(by, aspiration.region_id)
        or roles.acts_for_kelurahan(by, aspiration.kelurahan_id)
    ):
        raise PermissionDenied(
            _("Only Bappeda, or the staff of its kelurahan or kecamatan, can verify an aspiration.")
        )
    if aspiration.status != Status.RECEIVED:
        raise WorkflowError(
            _("Only a received aspiration can be verified; this one is %(status)s.")
            % {"status": status_words(aspiration)}
        )
    return move(aspiration, by=by, to=Status.VERIFIED, note=note)


@atomic_retrying_once
def aspiration_recommend(
    *, aspiration_id: int, by: Any, seen_version: int, opd: Opd, note: str = ""
) -> Aspiration:
    """Recommend a verified aspiration to an OPD of its region."""
    aspiration = claim(aspiration_id, seen_version)
    if not roles.reviews_region(by, aspiration.region_id):
        raise PermissionDenied(_("Only Bappeda can recommend an aspiration to an OPD."))
    if aspiration.status == Status.RECEIVED:
        raise WorkflowError(_("Verify the aspiration before recommending it to an OPD."))
    if aspiration.status != Status.VERIFIED:
        raise WorkflowError(
            _("Only a verified aspiration can be recommended; this one is %(status)s.")
            % {"status": status_words(aspiration)}
        )
    if opd.region_id != aspiration.region_id:
        raise WorkflowError(_("Recommend the aspiration to an OPD of its own region."))
    return move(aspiration, by=by, to=Status.RECOMMENDED, note=note, recommended_opd=opd)


@atomic_retrying_once
def aspiration_accept(
    *, aspiration_id: int, by: Any, seen_version: int, activity: Activity, note: str = ""
) -> Aspiration:
    """Take a recommended aspiration up into an activity of the recommended OPD's work plan for
    the aspiration's year, while that plan can still be changed."""
    # The plan first, then the aspiration: the order of a plan's approval (mark_funded).
    plan_id = (
        Activity.objects.filter(pk=activity.pk)
        .values_list("program__work_plan_id", flat=True)
        .first()
    )
    if plan_id is None:  # deleted since the form was shown
        raise record_gone()
    work_plan = WorkPlan.objects.select_for_update(of=("self",)).get(pk=plan_id)
    aspiration = claim(aspiration_id, seen_version)
    if aspiration.recommended_opd_id is None or not roles.is_member(
        by, aspiration.recommended_opd_id
    ):
        raise PermissionDenied(
            _("Only members of the OPD it was recommended to can accept an aspiration.")
        )
    if aspiration.status in (Status.RECEIVED, Status.VERIFIED):
        raise WorkflowError(_("Recommend the aspiration to an OPD before accepting it."))
    if aspiration.status != Status.RECOMMENDED:
        raise WorkflowError(
            _("Only a recommended aspiration can be accepted; this one is %(status)s.")
            % {"status": status_words(aspiration)}
        )
    if work_plan.opd_id != aspiration.recommended_opd_id:
        raise WorkflowError(
            _(
                "The activity belongs to another OPD: accept the aspiration into an activity of "
                "the OPD it was recommended to."
            )
        )
    if work_plan.year != aspiration.year:
        raise WorkflowError(
            _("The activity is in the %(plan_year)s work plan, but the aspiration is for %(year)s.")
            % {"plan_year": work_plan.year, "year": aspiration.year}
        )
    if work_plan.status not in EDITABLE_PLAN_STATUSES:
        raise WorkflowError(
            _("The work plan is %(status)s and cannot take up an aspiration.")
            % {"status": work_plan.get_status_display().lower()}
        )
    return move(aspiration, by=by, to=Status.ACCEPTED, note=note, activity=activity)


@atomic_retrying_once
def aspiration_reject(
    *, aspiration_id: int, by: Any, seen_version: int, code: str, text: str = ""
) -> Aspiration:
    """Reject an aspiration with a reason code (:class:`RejectionCode`); "other" needs text."""
    aspiration = claim(aspiration_id, seen_version)
    # The role first, the stage next: the OPD's member asking too late is told the stage.
    opd_member = aspiration.recommended_opd_id is not None and roles.is_member(
        by, aspiration.recommended_opd_id
    )
    if not (roles.reviews_region(by, aspiration.region_id) or opd_member):
        raise PermissionDenied(
            _("Only Bappeda, or the OPD it was recommended to, can reject an aspiration.")
        )
    if aspiration.status not in REJECTABLE:
        raise WorkflowError(
            _("The aspiration is %(status)s and can no longer be rejected.")
            % {"status": status_words(aspiration)}
        )
    if code not in RejectionCode.values:
        raise WorkflowError(_("Choose the reason for the rejection."))
    text = text.strip()
    if code == RejectionCode.OTHER and not text:
        raise WorkflowError(_("Say why the aspiration is rejected: the reason 'other' needs text."))
    return move(
        aspiration,
        by=by,
        to=Status.REJECTED,
        note=text,
        code=code,
        rejection_code=code,
        rejection_reason=text,
    )


@atomic_retrying_once
def aspiration_release(
    *, aspiration_id: int, by: Any, seen_version: int, note: str = ""
) -> Aspiration:
    """Give an accepted aspiration back to its OPD, recommended again and taken up by no
    activity, while the work plan of the activity that accepted it can still be changed.

    A member of the OPD it was recommended to releases it (the undoing of
    :func:`aspiration_accept`); one event records the step."""
    # The plan first, then the aspiration, as in aspiration_accept.
    taken = Aspiration.objects.filter(pk=aspiration_id).values_list(
        "activity_id", "activity__program__work_plan_id"
    )
    activity_id, plan_id = taken.first() or (None, None)
    work_plan = (
        WorkPlan.objects.select_for_update(of=("self",)).filter(pk=plan_id).first()
        if plan_id is not None
        else None
    )
    aspiration = claim(aspiration_id, seen_version)
    if aspiration.recommended_opd_id is None or not roles.is_member(
        by, aspiration.recommended_opd_id
    ):
        raise PermissionDenied(
            _("Only members of the OPD it was recommended to can release an aspiration.")
        )
    if aspiration.status != Status.ACCEPTED or work_plan is None:
        raise WorkflowError(
            _("Only an accepted aspiration can be released; this one is %(status)s.")
            % {"status": status_words(aspiration)}
        )
    if aspiration.activity_id != activity_id:
        # Moved between the read and the claim: the caller named a version it never saw.
        raise StaleEdit(current_version=seen_version, changes=[])
    if work_plan.status not in EDITABLE_PLAN_STATUSES:
        raise WorkflowError(
            _("The work plan is %(status)s: the aspiration it took up cannot be released.")
            % {"status": work_plan.get_status_display().lower()}
        )
    return move(aspiration, by=by, to=Status.RECOMMENDED, note=note, activity=None)
