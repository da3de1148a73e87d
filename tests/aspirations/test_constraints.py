"""The database refuses bad aspiration rows by itself.

Same approach as ``tests/targets/test_constraints.py``, with the helpers of
``tests/constraints.py``: a bad row written through the ORM is refused by name, the
nearest good row is accepted.
"""

from __future__ import annotations

import factory
import pytest

from opd import models as om
from tests.constraints import refused, refused_duplicate
from tests.factories import (
    ActivityFactory,
    AreaStaffFactory,
    AspirationEventFactory,
    AspirationFactory,
    KecamatanFactory,
    KelurahanFactory,
    OpdFactory,
    UserFactory,
)


def _activity_in_region() -> factory.LazyAttribute:
    return factory.LazyAttribute(
        lambda aspiration: ActivityFactory(program__work_plan__opd__region=aspiration.region)
    )


def _opd_in_region() -> factory.LazyAttribute:
    return factory.LazyAttribute(lambda aspiration: OpdFactory(region=aspiration.region))


TAKEN_UP = {
    "activity": _activity_in_region(),
    "recommended_opd": factory.SelfAttribute("activity.program.work_plan.opd"),
}

CHECKS = [
    # constraint, factory, nearest good row, bad row
    ("aspiration_forum_valid", AspirationFactory, {"forum": "fgd"}, {"forum": "rapat_rt"}),
    ("aspiration_status_valid", AspirationFactory, {"status": "verified"}, {"status": "pending"}),
    ("aspiration_category_valid", AspirationFactory, {"category": "sosial"}, {"category": "x"}),
    (
        "aspiration_proposer_kind_valid",
        AspirationFactory,
        {"proposer_kind": "person"},
        {"proposer_kind": "crowd"},
    ),
    (
        "aspiration_rejection_code_valid",
        AspirationFactory,
        {"status": "rejected", "rejection_code": "duplicate"},
        {"status": "rejected", "rejection_code": "boring"},
    ),
    (
        "aspiration_rejection_has_code",
        AspirationFactory,
        {"status": "rejected", "rejection_code": "over_budget"},
        {"status": "rejected", "rejection_code": "", "rejection_reason": "Terlalu mahal"},
    ),
    (
        "aspiration_code_only_when_rejected",
        AspirationFactory,
        {"status": "rejected", "rejection_code": "not_feasible"},
        {"status": "verified", "rejection_code": "not_feasible"},
    ),
    (
        "aspiration_other_rejection_has_text",
        AspirationFactory,
        {"status": "rejected", "rejection_code": "other", "rejection_reason": "Lahan sengketa"},
        {"status": "rejected", "rejection_code": "other", "rejection_reason": ""},
    ),
    (
        "aspiration_recommended_has_opd",
        AspirationFactory,
        {"status": "recommended", "recommended_opd": _opd_in_region()},
        {"status": "recommended", "recommended_opd": None},
    ),
    (
        "aspiration_accepted_has_activity",
        AspirationFactory,
        {"status": "accepted", **TAKEN_UP},
        {"status": "accepted", "recommended_opd": _opd_in_region(), "activity": None},
    ),
    (
        "aspiration_accepted_has_activity",
        AspirationFactory,
        {"status": "realised", **TAKEN_UP},
        {"status": "realised", "recommended_opd": _opd_in_region(), "activity": None},
    ),
    ("aspiration_priority_positive", AspirationFactory, {"priority": 1}, {"priority": 0}),
    (
        "aspiration_first_year_not_later",
        AspirationFactory,
        {"year": 2019, "first_year": 2019},
        {"year": 2019, "first_year": 2020},
    ),
    ("aspiration_year_plausible", AspirationFactory, {"year": 2100}, {"year": 2101}),
    (
        "aspiration_year_plausible",
        AspirationFactory,
        {"year": 1945},
        {"year": 1944, "first_year": 1944},
    ),
    (
        "aspiration_reference_format",
        AspirationFactory,
        {"reference": "KP-2019-7QK4"},
        {"reference": "KP-2019-7QKI"},  # I is not in Crockford's alphabet
    ),
    (
        "aspiration_reference_format",
        AspirationFactory,
        {"reference": "USL-2018-0007"},  # the first demo data's format stays valid
        {"reference": "USL-2018-07"},
    ),
    (
        "aspiration_reference_format",
        AspirationFactory,
        {"reference": "FGD-2020-ZZZZ"},
        {"reference": ""},
    ),
    (
        "aspiration_reference_format",
        AspirationFactory,
        {"reference": "MSR-2020-0000"},
        {"reference": "ABC-2020-0000"},
    ),
    ("aspiration_version_positive", AspirationFactory, {"version": 1}, {"version": 0}),
    (
        "aspiration_event_kind_valid",
        AspirationEventFactory,
        {"kind": "carry_over"},
        {"kind": "rewrite"},
    ),
    (
        "aspiration_event_to_status_valid",
        AspirationEventFactory,
        {"to_status": "funded"},
        {"to_status": "lost"},
    ),
    (
        "aspiration_event_rejection_has_code",
        AspirationEventFactory,
        {"to_status": "rejected", "rejection_code": "duplicate"},
        {"to_status": "rejected", "rejection_code": ""},
    ),
    (
        "aspiration_event_rejection_has_code",
        AspirationEventFactory,
        {"to_status": "verified", "rejection_code": ""},
        {"to_status": "verified", "rejection_code": "duplicate"},
    ),
    (
        "area_staff_one_area",
        AreaStaffFactory,
        {"kelurahan": None, "kecamatan": factory.SubFactory(KecamatanFactory)},
        {"kecamatan": factory.SubFactory(KecamatanFactory)},  # and the kelurahan too
    ),
    (
        "area_staff_one_area",
        AreaStaffFactory,
        {"kelurahan": factory.SubFactory(KelurahanFactory)},
        {"kelurahan": None, "kecamatan": None},
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "factory", "good", "bad"), CHECKS, ids=[check[0] for check in CHECKS]
)
def test_check_constraint_refuses_bad_row(name, factory, good, bad):
    assert factory(**good).pk
    with refused(name):
        factory(**bad)


# --- uniqueness ---------------------------------------------------------------------


@pytest.mark.django_db
def test_aspiration_reference_is_unique():
    assert AspirationFactory(reference="MSR-2018-0001").pk
    assert AspirationFactory(reference="MSR-2018-0002").pk
    with refused_duplicate(om.Aspiration, "reference"):
        AspirationFactory(reference="MSR-2018-0001")


@pytest.mark.django_db
def test_area_staff_holds_each_area_once():
    user = UserFactory()
    kelurahan = KelurahanFactory()
    kecamatan = KecamatanFactory()
    AreaStaffFactory(user=user, kelurahan=kelurahan)
    AreaStaffFactory(user=user, kelurahan=None, kecamatan=kecamatan)
    assert AreaStaffFactory(user=UserFactory(), kelurahan=kelurahan).pk
    with refused("area_staff_unique_kelurahan"):
        AreaStaffFactory(user=user, kelurahan=kelurahan)
    with refused("area_staff_unique_kecamatan"):
        AreaStaffFactory(user=user, kelurahan=None, kecamatan=kecamatan)


# --- cross-row rules -------------------------------------------------------------------


@pytest.mark.django_db
def test_aspiration_places_in_region():
    activity = ActivityFactory()
    region = activity.program.work_plan.opd.region
    own = KelurahanFactory(kecamatan__region=region)
    aspiration = AspirationFactory(
        region=region,
        kelurahan=own,
        activity=activity,
        recommended_opd=activity.program.work_plan.opd,
    )
    assert aspiration.pk
    with refused("aspiration_places_in_region"):
        AspirationFactory(region=region, kelurahan=KelurahanFactory())
    other_activity = ActivityFactory()  # an OPD of another region
    with refused("aspiration_places_in_region"):
        om.Aspiration.objects.filter(pk=aspiration.pk).update(activity=other_activity)


@pytest.mark.django_db
def test_aspiration_taken_up_by_recommended_opd():
    activity = ActivityFactory(program__work_plan__year=2018)
    work_plan = activity.program.work_plan
    region = work_plan.opd.region
    aspiration = AspirationFactory(
        region=region, year=2018, recommended_opd=work_plan.opd, activity=activity
    )
    assert aspiration.pk
    rows = om.Aspiration.objects.filter(pk=aspiration.pk)
    # Another OPD of the same region: the activity is not in its plan.
    with refused("aspiration_taken_up_by_recommended_opd"):
        rows.update(recommended_opd=OpdFactory(region=region))
    # An activity of the same OPD's plan for another year.
    next_year = ActivityFactory(
        program__work_plan__opd=work_plan.opd,
        program__work_plan__plan=work_plan.plan,
        program__work_plan__year=2019,
    )
    with refused("aspiration_taken_up_by_recommended_opd"):
        rows.update(activity=next_year)
    # An activity with no OPD recommended.
    with refused("aspiration_taken_up_by_recommended_opd"):
        rows.update(recommended_opd=None)
    # A recommended OPD of another region.
    with refused("aspiration_taken_up_by_recommended_opd"):
        AspirationFactory(region=region, status="recommended", recommended_opd=OpdFactory())
    assert rows.filter(recommended_opd=work_plan.opd, activity=activity).exists()


@pytest.mark.django_db
def test_aspiration_event_unchanged_but_may_lose_its_actor():
    actor = UserFactory()
    event = AspirationEventFactory(actor=actor, actor_name="Budi", note="Lengkap.")
    rows = om.AspirationEvent.objects.filter(pk=event.pk)
    for change in (
        {"note": "Diubah."},
        {"to_status": "funded"},
        {"actor_name": "Orang lain"},
        {"at": event.at.replace(year=2000)},
        {"changes": {"title": ["a", "b"]}},
        {"actor": UserFactory()},
        {"aspiration": AspirationFactory()},
    ):
        with refused("aspiration_event_unchanged"):
            rows.update(**change)
    # Deleting the user keeps the event, without its actor (and its name as written).
    actor.delete()
    assert rows.values_list("actor", "actor_name", "note").get() == (None, "Budi", "Lengkap.")
    # And a lost actor does not come back as someone else.
    with refused("aspiration_event_unchanged"):
        rows.update(actor=UserFactory())


@pytest.mark.django_db
def test_work_plan_keeps_its_aspirations_place():
    activity = ActivityFactory(program__work_plan__year=2018)
    work_plan = activity.program.work_plan
    plans = om.WorkPlan.objects.filter(pk=work_plan.pk)
    # Without an aspiration the plan may move (the admin can correct a mistyped year).
    plans.update(year=2019)
    plans.update(year=2018)
    AspirationFactory(
        region=work_plan.opd.region, year=2018, recommended_opd=work_plan.opd, activity=activity
    )
    with refused("work_plan_keeps_its_aspirations_place"):
        plans.update(year=2019)
    with refused("work_plan_keeps_its_aspirations_place"):
        plans.update(opd=OpdFactory(region=work_plan.opd.region))
    assert plans.filter(year=2018, opd=work_plan.opd).exists()
