"""The activities and realisations lists build no filter form for a request without query
parameters (``magelang.api.filters.StrictFilterSet``, every list's), and check every filter as
before when any parameter is given."""

from __future__ import annotations

from typing import Any

import pytest
from django_filters.filterset import BaseFilterSet

from opd.workplans.api.filters import ActivityFilter, RealisationFilter
from tests.api.world import build

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "filterset", "year"),
    [("activities", ActivityFilter, 2018), ("realisations", RealisationFilter, 2017)],
)
def test_a_form_only_for_a_request_with_parameters(
    monkeypatch: pytest.MonkeyPatch, path: str, filterset: type[BaseFilterSet], year: int
) -> None:
    built: list[str] = []

    def form_class(self: BaseFilterSet) -> Any:
        built.append(type(self).__name__)
        return BaseFilterSet.get_form_class(self)

    monkeypatch.setattr(filterset, "get_form_class", form_class)
    world = build()
    api = world.client("reviewer")
    everything = api.get(f"/api/v1/{path}/")
    assert everything.status_code == 200 and everything.json()["count"] >= 1
    assert built == []
    of_year = api.get(f"/api/v1/{path}/", {"year": year})
    assert of_year.status_code == 200 and of_year.json()["count"] >= 1
    assert api.get(f"/api/v1/{path}/", {"year": year - 10}).json()["count"] == 0
    assert built == [filterset.__name__] * 2
    assert api.get(f"/api/v1/{path}/", {"year": ""}).status_code == 400
    assert api.get(f"/api/v1/{path}/", {"page": 1, "year": [year, year]}).status_code == 400
