"""The admin of the plan and its figures, beyond the generic checks of tests/test_admin.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from targets import models as tm
from tests import factories as f
from tests.admin_rows import url


@pytest.mark.django_db
def test_a_rule_the_database_refuses_becomes_a_message(admin_client: Any) -> None:
    indicator = f.IndicatorFactory()  # plan 2016-2021
    data = {"indicator": indicator.pk, "year": 2030, "value": "5", "source": "BPS"}
    response = admin_client.post(url(tm.Target, "add"), data, follow=True)
    assert response.status_code == 200
    assert "target_year_in_plan_period" in response.content.decode()
    assert not tm.Target.objects.exists()


@pytest.mark.django_db
def test_a_rate_above_100_is_refused_with_its_rule_named(admin_client: Any) -> None:
    region = f.RegionFactory()
    data = {"region": region.pk, "year": 2022, "measure": "p0", "value": "100.5", "source": "BPS"}
    response = admin_client.post(url(tm.PovertyFigure, "add"), data, follow=True)
    assert "poverty_figure_rate_at_most_100" in response.content.decode()
    assert not tm.PovertyFigure.objects.exists()
    admin_client.post(url(tm.PovertyFigure, "add"), {**data, "value": "7.10"})
    assert tm.PovertyFigure.objects.get().value == Decimal("7.10")
