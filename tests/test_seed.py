"""``load_magelang``: exact seed figures, idempotence, all-or-nothing conflict handling."""

import copy
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from opd import seed_magelang
from opd.agencies import roles
from opd.engine.method import COUNTED_STATUSES as COUNTED
from opd.models import (
    AchievedContribution,
    Activity,
    Aspiration,
    ExpectedContribution,
    Opd,
    Realisation,
    WorkPlan,
)
from opd.seed_magelang import DEMO_PASSWORD, DEMO_USERS, DEMO_WORK_PLANS
from opd.seeding import load_magelang
from opd.workplans import permissions
from opd.workplans.checklist import check_work_plan
from opd.workplans.services import QUARTERS
from targets.models import Actual, Indicator, Kecamatan, Kelurahan, Population, Region, Target

pytestmark = pytest.mark.django_db

KELURAHAN = {
    "Magelang Utara": {"Kedungsari", "Kramat Selatan", "Kramat Utara", "Potrobangsan", "Wates"},
    "Magelang Tengah": {
        "Cacaban",
        "Gelangan",
        "Kemirirejo",
        "Magelang",
        "Panjang",
        "Rejowinangun Utara",
    },
    "Magelang Selatan": {
        "Jurangombo Selatan",
        "Jurangombo Utara",
        "Magersari",
        "Rejowinangun Selatan",
        "Tidar Selatan",
        "Tidar Utara",
    },
}


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_magelang", *args, stdout=out)
    return out.getvalue()


def dump() -> str:
    """Every row of the project's and auth's tables, to compare database states."""
    out = StringIO()
    call_command("dumpdata", "targets", "opd", "auth", stdout=out, indent=None)
    return out.getvalue()


def test_seed_loads_the_region_with_its_3_kecamatan_and_17_kelurahan():
    load()
    region = Region.objects.get(code="33.71")
    assert region.name == "Kota Magelang"
    assert Kecamatan.objects.filter(region=region).count() == 3
    assert Kelurahan.objects.count() == 17
    for kecamatan, names in KELURAHAN.items():
        seeded = set(
            Kelurahan.objects.filter(kecamatan__name=kecamatan).values_list("name", flat=True)
        )
        assert seeded == names


def test_seed_poverty_figures_are_exact_and_2018_has_no_actual():
    load()
    indicator = Indicator.objects.select_related("plan").get(code="KEMISKINAN")
    assert (indicator.plan.first_year, indicator.plan.last_year) == (2016, 2021)
    assert indicator.unit == "%"
    assert indicator.direction == "down"
    assert indicator.is_population_share
    assert (indicator.baseline_year, indicator.baseline_value) == (2015, Decimal("9.05"))
    assert indicator.baseline_source
    targets = dict(Target.objects.filter(indicator=indicator).values_list("year", "value"))
    assert targets == {2018: Decimal("7.38"), 2021: Decimal("6.12")}
    actuals = dict(Actual.objects.filter(indicator=indicator).values_list("year", "value"))
    assert actuals == {
        2016: Decimal("8.78"),
        2017: Decimal("8.75"),
        2019: Decimal("7.46"),
        2020: Decimal("7.58"),
        2021: Decimal("7.75"),
    }
    assert 2018 not in actuals
    assert all(Target.objects.filter(indicator=indicator).values_list("source", flat=True))
    assert all(Actual.objects.filter(indicator=indicator).values_list("source", flat=True))


def test_seed_population_figures_with_sources():
    load()
    figures = {p.year: p for p in Population.objects.filter(region__code="33.71")}
    assert {year: p.value for year, p in figures.items()} == {2015: 120_952, 2020: 121_526}
    assert all(p.source for p in figures.values())


def test_seed_opds_are_marked_illustrative_and_include_the_named_agencies():
    load()
    names = set(Opd.objects.values_list("name", flat=True))
    assert {"Badan Perencanaan Pembangunan Daerah", "Dinas Sosial", "Dinas Kesehatan"} <= names
    assert Opd.objects.filter(kind="kecamatan").count() == 3
    assert not Opd.objects.filter(is_illustrative=False).exists()


def test_seed_without_demo_loads_no_demo_data():
    load()
    assert not WorkPlan.objects.exists()
    assert not Aspiration.objects.exists()
    assert not get_user_model().objects.exists()


def test_demo_adds_logins_and_2018_work_plans_contributing_to_poverty():
    output = load("--demo")
    user_model = get_user_model()
    for username, _name, _role in DEMO_USERS:
        assert username in output
        assert user_model.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert user_model.objects.get(username="admin").is_superuser
    assert user_model.objects.get(username="bappeda").has_perm("opd.review_workplan")
    assert not user_model.objects.get(username="kepala.dinsos").has_perm("opd.review_workplan")
    heads = user_model.objects.filter(opd_memberships__role="head").distinct()
    assert heads.count() >= 4
    plans = WorkPlan.objects.filter(year=2018)
    assert plans.count() >= 4
    assert not plans.filter(is_demo=False).exists()
    assert set(plans.values_list("status", flat=True)) == {"draft", "submitted", "approved"}
    poverty = Indicator.objects.get(code="KEMISKINAN")
    contributing = ExpectedContribution.objects.filter(indicator=poverty, amount__gt=0)
    assert contributing.values("activity__program__work_plan").distinct().count() == plans.count()
    counted = contributing.filter(activity__program__work_plan__status__in=COUNTED)
    assert sum(c.amount for c in counted) == Decimal("1300")  # the worked example's 900 + 400
    # Submitted demo plans are complete: every activity has what the review checklist asks for.
    for activity in Activity.objects.filter(program__work_plan__status__in=COUNTED):
        assert activity.output_indicator and activity.output_target is not None
        assert activity.kelurahan_id and activity.target_group and activity.funding_source
        assert activity.budget > 0
    assert not Aspiration.objects.filter(is_demo=False).exists()


def test_the_demo_data_obeys_the_rules_the_services_enforce():
    """What the services would refuse, the seed does not write either."""
    load("--demo")
    reviewer = get_user_model().objects.get(username="bappeda")
    realisations = Realisation.objects.select_related("activity__program__work_plan")
    assert realisations.exists()
    for realisation in realisations:
        work_plan = realisation.activity.program.work_plan
        # realisation_save: only a member of an approved plan's OPD reports its realisation.
        assert work_plan.status == WorkPlan.Status.APPROVED, realisation
        head = get_user_model().objects.get(opd_memberships__opd=work_plan.opd_id)
        assert permissions.can_report(head, work_plan)
        assert realisation.quarter in QUARTERS
    for work_plan in WorkPlan.objects.exclude(status=WorkPlan.Status.DRAFT):
        # work_plan_submit: the checklist finds nothing; a member of the OPD submitted it.
        assert check_work_plan(work_plan) == [], work_plan
        assert work_plan.submitted_at and roles.is_member(work_plan.submitted_by, work_plan.opd_id)
        if work_plan.status == WorkPlan.Status.APPROVED:
            # work_plan_approve: a Bappeda reviewer approved it after it was submitted.
            assert work_plan.reviewed_by == reviewer and roles.is_reviewer(reviewer)
            assert work_plan.reviewed_at and work_plan.reviewed_at > work_plan.submitted_at
        else:
            assert work_plan.reviewed_by is None and work_plan.reviewed_at is None
    # Contributions, expected and achieved, name indicators of the plan's own RPJMD.
    for contribution in ExpectedContribution.objects.select_related(
        "activity__program__work_plan", "indicator"
    ):
        assert contribution.indicator.plan_id == contribution.activity.program.work_plan.plan_id
    for achieved in AchievedContribution.objects.select_related(
        "realisation__activity__program__work_plan", "indicator"
    ):
        work_plan = achieved.realisation.activity.program.work_plan
        assert achieved.indicator.plan_id == work_plan.plan_id


def test_the_readme_demo_logins_table_tells_each_plans_state():
    load("--demo")
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    words = {"in draft": "draft", "submitted": "submitted", "approved": "approved"}
    rows = re.findall(
        r"^\| `([\w.]+)` \| [^|]*\(2018 plan (in draft|submitted|approved)", readme, re.M
    )
    assert len(rows) == 4
    for username, state in rows:
        work_plan = WorkPlan.objects.get(opd__memberships__user__username=username, year=2018)
        assert work_plan.status == words[state], username


def test_a_realisation_on_a_plan_that_is_not_approved_stops_the_seed(monkeypatch):
    broken = copy.deepcopy(DEMO_WORK_PLANS)
    disnaker = next(plan for plan in broken if plan["opd"] == "2.07")
    assert disnaker["status"] == WorkPlan.Status.SUBMITTED
    disnaker["programs"][0]["activities"][0]["achieved"] = {1: "50"}
    monkeypatch.setattr(seed_magelang, "DEMO_WORK_PLANS", broken)
    with pytest.raises(ValueError, match=re.escape("2.07.01.001")):
        load_magelang(demo=True)
    assert not WorkPlan.objects.exists() and not Realisation.objects.exists()


def test_running_the_seed_twice_changes_nothing():
    load("--demo")
    before = dump()
    output = load("--demo")
    assert dump() == before
    assert "tidak ada yang berubah" in output or "nothing changed" in output


def test_a_demo_users_changed_password_is_kept():
    load("--demo")
    user = get_user_model().objects.get(username="bappeda")
    user.set_password("kata-sandi-baru-123")
    user.save()
    load("--demo")
    user.refresh_from_db()
    assert user.check_password("kata-sandi-baru-123")


def test_conflicting_data_is_reported_and_nothing_changes():
    load()
    Actual.objects.filter(year=2017).update(value=Decimal("8.70"))
    Opd.objects.filter(code="1.06").update(name="Dinas Sosial Kota")
    before = dump()
    with pytest.raises(CommandError) as error:
        load("--demo")
    message = str(error.value)
    assert "2017" in message and "8.7" in message and "8.75" in message
    assert "Dinas Sosial Kota" in message
    assert dump() == before
    assert not WorkPlan.objects.exists()  # the demo part was rolled back too


@override_settings(PRODUCTION=True)
def test_demo_is_refused_in_production():
    with pytest.raises(CommandError, match="--demo"):
        load("--demo")
    assert not Region.objects.exists()
