"""The snapshot row's figures are listed once (``ContributionRow.FIGURES``) and used by the
computation that stores them, the admin that shows them and the API that serves them."""

from __future__ import annotations

from dataclasses import fields

from opd.engine import admin
from opd.engine.api.serializers import ContributionRowSerializer
from opd.engine.method import OpdResult
from opd.models import ContributionRow

STORED = (*ContributionRow.FIGURES, *ContributionRow.PLAN_BUDGETS)


def test_every_figure_of_the_method_is_stored_under_its_own_name():
    result = {field.name for field in fields(OpdResult)}
    assert set(STORED) <= result
    # The rest of the method's row is the OPD, its plan's status and whether it counts.
    assert result - set(STORED) == {"opd_id", "status", "counted"}


def test_every_figure_column_of_the_row_is_in_the_list():
    columns = {field.name for field in ContributionRow._meta.concrete_fields}
    assert columns - set(STORED) == {"id", "snapshot", "opd", "work_plan_status"}


def test_the_admin_and_the_api_show_the_figures_in_one_order():
    assert ("opd", "work_plan_status", *ContributionRow.FIGURES) == admin.SNAPSHOT_ROW_FIELDS
    assert ContributionRowSerializer.Meta.fields == [
        "opd",
        "opd_code",
        "work_plan_status",
        "counted",
        *ContributionRow.FIGURES,
    ]
