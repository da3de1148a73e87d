"""The demo Renstras agree with the demo's 2018 Renja, line for line, and pass the checklist."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from opd import models as om
from opd.renstra.demo import scaled
from opd.renstra.selectors import check_renstra
from opd.seeding import load_magelang

pytestmark = pytest.mark.django_db


def test_the_growth_is_deterministic_and_rounded():
    assert scaled(Decimal("1725000000"), 2018, 2018, step=Decimal(1000000)) == Decimal("1725000000")
    assert scaled(Decimal("1725000000"), 2019, 2018, step=Decimal(1000000)) == Decimal("1811000000")
    assert scaled(Decimal("250"), 2016, 2018, step=Decimal(1)) == Decimal("225")
    assert scaled(Decimal("2.5"), 2018, 2018, step=Decimal(1)) == Decimal("2.5")  # 2018 exact


def test_each_demo_opd_has_an_approved_renstra_matching_its_2018_renja():
    load_magelang(demo=True)
    work_plans = om.WorkPlan.objects.filter(year=2018, is_demo=True)
    assert work_plans.count() == 4
    for work_plan in work_plans:
        renstra = om.Renstra.objects.get(opd=work_plan.opd, plan=work_plan.plan)
        assert renstra.status == om.Renstra.Status.APPROVED and renstra.is_demo
        assert renstra.reviewed_at > renstra.submitted_at
        assert check_renstra(renstra) == []
        programs = list(work_plan.programs.all())
        assert sorted(p.code for p in programs) == sorted(
            renstra.programs.values_list("code", flat=True)
        )
        for program in programs:
            line = program.renstra_program
            assert line is not None and line.renstra == renstra and line.code == program.code
            year = line.years.get(year=2018)
            total = program.activities.aggregate(total=Sum("budget"))["total"]
            assert (year.target, year.budget) == (program.outcome_target, total)
            assert line.years.count() == 6  # 2016–2021
            for activity in program.activities.all():
                own = activity.renstra_activity
                assert own is not None and own.program == line and own.code == activity.code
                assert own.years.get(year=2018).target == activity.output_target
    # Dinas Sosial's program serves the poverty indicator its activities claim persons for.
    dinsos = om.RenstraProgram.objects.get(code="1.06.01")
    assert dinsos.indicator is not None and dinsos.indicator.plan_id == dinsos.renstra.plan_id
    assert dinsos.years.get(year=2019).budget == Decimal("2126000000")  # 2,025,000,000 × 1.05


def test_loading_again_changes_nothing():
    load_magelang(demo=True)
    before = list(om.RenstraProgramYear.objects.order_by("pk").values())
    report = load_magelang(demo=True)
    assert not report.changed_anything and not report.conflicts
    assert list(om.RenstraProgramYear.objects.order_by("pk").values()) == before
