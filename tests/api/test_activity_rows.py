"""The activities list writes its rows from values (``opd.workplans.api.activity_rows``), byte
for byte as ``ActivitySerializer`` writes them, and with the same page ETag."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Prefetch
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from magelang.api.etags import etag_for
from opd import models as om
from opd.workplans.api import activity_rows
from opd.workplans.api.serializers import ActivitySerializer
from tests.api.world import ApiWorld, build
from tests.factories import ActivityFactory, ExpectedContributionFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


def varied_activities(world: ApiWorld) -> list[om.Activity]:
    """Activities with every kind of value the list writes: nulls, blanks, big and fractional
    decimals, text JSON escapes, contributions made out of indicator order, none at all."""
    plan = world.plan
    later, earlier = IndicatorFactory(plan=plan.work_plan.plan), plan.indicator
    empty = ActivityFactory(
        program=plan.program,
        output_target=None,
        next_year_target=None,
        next_year_budget=None,
        funding_source="",
        kelurahan=None,
        output_indicator="",
        notes="",
    )
    full = ActivityFactory(
        program=plan.program,
        kelurahan=plan.kelurahan,
        name='Bantuan "tunai" \\ lansia\u2028baris\u00e9 \U0001f600',
        output_target=Decimal("0.5"),
        budget=Decimal("9999999999999999.99"),
        next_year_target=Decimal("123456789012.34"),
        next_year_budget=Decimal("0"),
        notes="satu\ndua\t<tiga> & 'empat'\x01",
        version=7,
    )
    ExpectedContributionFactory(activity=full, indicator=later, amount=Decimal("0.25"))
    ExpectedContributionFactory(activity=full, indicator=earlier, amount=Decimal("1200.5"))
    return [empty, full]


def serialized(activities: list[om.Activity]) -> bytes:
    """What ``ActivitySerializer`` writes for ``activities``, read as the detail reads them."""
    found = (
        om.Activity.objects.filter(pk__in=[a.pk for a in activities])
        .select_related("program")
        .prefetch_related(
            Prefetch(
                "expected_contributions",
                queryset=om.ExpectedContribution.objects.order_by("indicator_id"),
            )
        )
        .order_by("pk")
    )
    return JSONRenderer().render([ActivitySerializer(a).data for a in found])


def test_rows_are_written_byte_for_byte_as_the_serializer_writes_them() -> None:
    world = build()
    activities = varied_activities(world)
    ids = [a.pk for a in activities]
    listed = activity_rows.list_queryset(om.Activity.objects.filter(pk__in=ids).order_by("pk"))
    written = JSONRenderer().render(activity_rows.write(list(listed)))
    assert written == serialized(activities)
    assert b'"next_year_budget":null' in written and b'"amount":"0.25"' in written


def test_a_list_page_holds_each_detail_byte_for_byte_and_the_page_etag() -> None:
    world = build()
    varied_activities(world)
    api = world.client("reviewer")
    page = api.get("/api/v1/activities/", {"page_size": 200})
    assert page.status_code == 200
    body = page.json()
    assert len(body["results"]) == om.Activity.objects.count() >= 4
    for row in body["results"]:
        detail = api.get(f"/api/v1/activities/{row['id']}/")
        assert JSONRenderer().render(row) == detail.content
    assert page["ETag"] == etag_for(None, body)


def test_a_keyset_page_walks_the_same_rows() -> None:
    world = build()
    varied_activities(world)
    api = world.client("reviewer")
    numbered = api.get("/api/v1/activities/", {"page_size": 2}).json()
    walked = api.get("/api/v1/activities/", {"cursor": "", "page_size": 2}).json()
    assert walked["results"] == numbered["results"] and walked["next"]
    second = api.get(walked["next"]).json()
    assert (
        second["results"]
        == api.get("/api/v1/activities/", {"page_size": 2, "page": 2}).json()["results"]
    )


def test_a_field_the_rows_cannot_write_is_refused_not_guessed() -> None:
    field = serializers.SerializerMethodField()
    field.bind("summary", ActivitySerializer())
    with pytest.raises(TypeError, match="summary"):
        activity_rows._format(field)
