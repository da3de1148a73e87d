"""The public cascade at its edges: an approved Renja pointing at a Renstra still in draft shows
none of that Renstra's figures to a public reader; extreme but valid figures never fail the read."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from opd import models as om
from tests.cascade.world import World, add_renstras, build, client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/cascade/"


@pytest.fixture
def world() -> World:
    base = build()
    add_renstras(base)
    return base


def _activities(node: Any) -> Iterator[dict[str, Any]]:
    """Every activity object anywhere in the nested answer."""
    if isinstance(node, dict):
        if "renstra_target" in node and "code" in node:
            yield node
        for value in node.values():
            yield from _activities(value)
    elif isinstance(node, list):
        for value in node:
            yield from _activities(value)


def _aid(body: Any, field: str) -> set[Any]:
    """``field`` of Dinas Sosial's aid activity wherever it appears (under each indicator)."""
    return {a[field] for a in _activities(body) if a["code"] == "1.06.05.001"}


def test_a_draft_renstras_target_is_not_public_though_an_approved_renja_points_at_it(world):
    assert _aid(APIClient().get(URL, {"year": 2018}).json(), "renstra_target") == {"110.00"}
    om.Renstra.objects.filter(opd=world.social).update(status="draft")  # taken back to draft

    body = APIClient().get(URL, {"year": 2018}).json()
    assert _aid(body, "renstra_target") == {None}
    html = client_for(None).get("/publik/kaskade/", {"tahun": 2018}).content.decode()
    assert "1.06.05.001" in html  # the approved Renja's activity is still shown
    assert "Renstra: 110" not in html and "Perlindungan sosial" not in html
    # Bappeda still reads the draft's figure on its own page.
    html = client_for(world.reviewer).get("/kaskade/", {"tahun": 2018}).content.decode()
    assert "Renstra: 110" in html


def test_a_huge_rate_from_a_tiny_target_is_answered_not_a_server_error(world):
    om.Activity.objects.filter(pk=world.aid.pk).update(output_target=Decimal("0.01"))
    om.Realisation.objects.filter(activity=world.aid).update(
        output_achieved=Decimal("999999999999.99")  # the field's largest value, twice
    )

    response = APIClient().get(URL, {"year": 2018})

    assert response.status_code == 200
    (rate,) = _aid(response.json(), "achievement_rate")
    assert Decimal(rate) == Decimal(
        "19999999999999800.00"
    )  # 1,999,999,999,999.98 ÷ 0.01 × 100: 19 digits
    assert client_for(None).get("/publik/kaskade/", {"tahun": 2018}).status_code == 200
