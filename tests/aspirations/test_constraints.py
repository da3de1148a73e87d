"""The database refuses bad aspiration rows by itself.

Same approach as ``tests/targets/test_constraints.py``, with the helpers of
``tests/constraints.py``: a bad row written through the ORM is refused by name, the
nearest good row is accepted.
"""

from __future__ import annotations

from decimal import Decimal

import factory
import pytest

from opd import models as om
from tests.constraints import refused, refused_duplicate
from tests.factories import ActivityFactory, AspirationFactory, KelurahanFactory

CENT = Decimal("0.01")

CHECKS = [
    # constraint, factory, nearest good row, bad row
    ("aspiration_forum_valid", AspirationFactory, {"forum": "fgd"}, {"forum": "rapat_rt"}),
    ("aspiration_status_valid", AspirationFactory, {"status": "received"}, {"status": "pending"}),
    (
        "aspiration_rejection_has_reason",
        AspirationFactory,
        {"status": "rejected", "rejection_reason": "Bukan kewenangan kota"},
        {"status": "rejected", "rejection_reason": ""},
    ),
    (
        "aspiration_accepted_has_activity",
        AspirationFactory,
        {
            "status": "accepted",
            "activity": factory.LazyAttribute(
                lambda aspiration: ActivityFactory(
                    program__work_plan__opd__region=aspiration.region
                )
            ),
        },
        {"status": "accepted", "activity": None},
    ),
    ("aspiration_year_plausible", AspirationFactory, {"year": 2100}, {"year": 2101}),
    ("aspiration_year_plausible", AspirationFactory, {"year": 1945}, {"year": 1944}),
    ("aspiration_reference_not_empty", AspirationFactory, {"reference": "1"}, {"reference": ""}),
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
    assert AspirationFactory(reference="USL-2018-0001").pk
    assert AspirationFactory(reference="USL-2018-0002").pk
    with refused_duplicate(om.Aspiration, "reference"):
        AspirationFactory(reference="USL-2018-0001")


# --- cross-row rules -------------------------------------------------------------------


@pytest.mark.django_db
def test_aspiration_places_in_region():
    activity = ActivityFactory()
    region = activity.program.work_plan.opd.region
    own = KelurahanFactory(kecamatan__region=region)
    aspiration = AspirationFactory(region=region, kelurahan=own, activity=activity)
    assert aspiration.pk
    with refused("aspiration_places_in_region"):
        AspirationFactory(region=region, kelurahan=KelurahanFactory())
    other_activity = ActivityFactory()  # an OPD of another region
    with refused("aspiration_places_in_region"):
        om.Aspiration.objects.filter(pk=aspiration.pk).update(activity=other_activity)
