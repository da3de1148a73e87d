"""``generate_synthetic``: a province of synthetic regions, the same on every run of a seed,
written in bulk, consistent with the portal's rules, refused in production and over existing
regions."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from opd import seed_magelang
from opd.agencies import roles
from opd.models import (
    AchievedContribution,
    Activity,
    BappedaRole,
    ContributionState,
    ExpectedContribution,
    Opd,
    Program,
    Realisation,
    WorkPlan,
)
from opd.synthetic import draw
from opd.workplans.checklist import check_work_plan
from targets.models import (
    Actual,
    Indicator,
    Kecamatan,
    Kelurahan,
    Plan,
    Population,
    Region,
    Target,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

YEARS = list(range(draw.FIRST_YEAR, draw.LAST_YEAR + 1))


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The messages are asserted in English."""
    with translation.override("en"):
        yield


def generate(regions: int, seed: int, activities: int, province: str = "S99") -> str:
    out = StringIO()
    call_command(
        "generate_synthetic",
        f"--regions={regions}",
        f"--seed={seed}",
        f"--activities-per-region={activities}",
        f"--province={province}",
        stdout=out,
    )
    return out.getvalue()


# Every generated row by its natural key and values, never by its id.
DIGEST_QUERIES: list[tuple[type[models.Model], list[str]]] = [
    (Region, ["code", "name", "kind", "parent__code"]),
    (Kecamatan, ["code", "name", "region__code"]),
    (Kelurahan, ["code", "name", "kecamatan__code"]),
    (Plan, ["region__code", "name", "first_year", "last_year", "vision"]),
    (Indicator, ["plan__region__code", "code", "baseline_value", "baseline_year", "unit"]),
    (Target, ["indicator__plan__region__code", "year", "value"]),
    (Actual, ["indicator__plan__region__code", "year", "value"]),
    (Population, ["region__code", "year", "value"]),
    (Opd, ["region__code", "code", "name", "short_name", "kind"]),
    (
        WorkPlan,
        [
            "opd__region__code",
            "opd__code",
            "year",
            "status",
            "submitted_at",
            "reviewed_at",
            "reviewed_by__username",
        ],
    ),
    (
        Program,
        ["work_plan__opd__region__code", "work_plan__year", "code", "name", "outcome_target"],
    ),
    (
        Activity,
        [
            "program__work_plan__opd__region__code",
            "program__work_plan__year",
            "code",
            "name",
            "budget",
            "output_target",
            "funding_source",
            "kelurahan__code",
        ],
    ),
    (
        ExpectedContribution,
        [
            "activity__program__work_plan__opd__region__code",
            "activity__program__work_plan__year",
            "activity__code",
            "amount",
            "evidence",
        ],
    ),
    (
        Realisation,
        [
            "activity__program__work_plan__opd__region__code",
            "activity__program__work_plan__year",
            "activity__code",
            "quarter",
            "budget_spent",
            "output_achieved",
        ],
    ),
    (
        AchievedContribution,
        [
            "realisation__activity__program__work_plan__opd__region__code",
            "realisation__activity__program__work_plan__year",
            "realisation__activity__code",
            "realisation__quarter",
            "amount",
        ],
    ),
    (get_user_model(), ["username", "email", "password", "groups__name"]),
    (BappedaRole, ["user__username", "region__code"]),
    (ContributionState, ["indicator__plan__region__code", "year", "dirty"]),
]


def digest() -> str:
    """A hash of every row the generator writes, and how many there are of each."""
    hashed = hashlib.sha256()
    for model, fields in DIGEST_QUERIES:
        for row in model._default_manager.order_by(*fields).values_list(*fields):
            hashed.update(repr(row).encode())
    return hashed.hexdigest()


def digest_of_run(seed: int) -> str:
    """The digest of one run on an empty database; the run is then rolled back."""
    with transaction.atomic():
        generate(regions=2, seed=seed, activities=120)
        found = digest()
        transaction.set_rollback(True)
    return found


def test_the_same_seed_writes_the_same_rows_and_another_seed_others():
    first = digest_of_run(seed=11)
    assert not Region.objects.exists()  # rolled back: the second run starts from nothing
    assert digest_of_run(seed=11) == first
    assert digest_of_run(seed=12) != first


def test_regions_under_their_province_with_forty_opds_six_years_and_the_activities_asked():
    output = generate(regions=7, seed=3, activities=150)
    province = Region.objects.get(code="S99")
    assert (province.kind, province.parent_id) == ("provinsi", None)
    # One kota per six regions, numbered as Kemendagri numbers them.
    assert list(
        Region.objects.filter(parent=province).order_by("code").values_list("code", "kind")
    ) == [(f"S99.0{n}", "kabupaten") for n in range(1, 7)] + [("S99.71", "kota")]
    for region in Region.objects.filter(parent=province):
        assert Opd.objects.filter(region=region).count() == 40
        plans = WorkPlan.objects.filter(opd__region=region)
        assert Counter(plans.values_list("year", flat=True)) == dict.fromkeys(YEARS, 40)
        assert Activity.objects.filter(program__work_plan__opd__region=region).count() == 150
        assert Plan.objects.get(region=region).years() == range(2016, 2022)
        indicator = Indicator.objects.get(plan__region=region, code="KEMISKINAN")
        assert indicator.targets.count() == 6 and indicator.actuals.count() == 5
        assert Population.objects.filter(region=region).count() == 2
        assert Kelurahan.objects.filter(kecamatan__region=region).count() >= 18
        # Pending, for recompute_contributions: one state per year of the new indicator.
        states = ContributionState.objects.filter(indicator=indicator)
        assert sorted(states.values_list("year", "dirty")) == [(year, True) for year in YEARS]
    assert "Region 7 of 7 (S99.71)" in output and "rows/s" in output and "left" in output


def test_statuses_are_mostly_approved_and_only_approved_plans_report():
    generate(regions=1, seed=5, activities=2400)
    statuses = Counter(WorkPlan.objects.values_list("status", flat=True))
    assert set(statuses) == {"approved", "submitted", "draft"}
    assert statuses["approved"] > statuses["submitted"] + statuses["draft"]
    assert Realisation.objects.exists() and AchievedContribution.objects.exists()
    assert not Realisation.objects.exclude(activity__program__work_plan__status="approved").exists()
    # The last year is running: two quarters reported, the years before four.
    quarters = Realisation.objects.filter(activity__program__work_plan__year=draw.LAST_YEAR)
    assert set(quarters.values_list("quarter", flat=True)) == {1, 2}
    assert set(Realisation.objects.values_list("quarter", flat=True)) == {1, 2, 3, 4}
    assert not ExpectedContribution.objects.filter(amount__lte=0).exists()
    # Every plan sent to Bappeda passes the submission checklist.
    for work_plan in WorkPlan.objects.exclude(status="draft").select_related("opd")[:60]:
        assert check_work_plan(work_plan) == []


def test_a_bappeda_reviewer_per_region_and_one_for_the_province():
    generate(regions=2, seed=3, activities=20)
    province = Region.objects.get(code="S99")
    for code in ["S99.01", "S99.02"]:
        region = Region.objects.get(code=code)
        user = User.objects.get(username=f"bappeda.{code}")
        assert user.check_password(seed_magelang.DEMO_PASSWORD)
        assert user.email.endswith(f"@{seed_magelang.DEMO_EMAIL_DOMAIN}")
        assert user.groups.filter(name=seed_magelang.REVIEWER_GROUP).exists()
        assert user.bappeda_role.region == region
        assert roles.reviewed_region_id(user) == region.pk
        assert (
            WorkPlan.objects.filter(status="approved", opd__region=region)
            .exclude(reviewed_by=user)
            .count()
            == 0
        )
    head = User.objects.get(username="bappeda.S99")
    assert head.bappeda_role.region == province
    assert roles.reviewed_region_id(head) is None  # a province reads, and reviews none
    assert roles.readable_region_ids(head) == set(
        Region.objects.filter(code__startswith="S99").values_list("pk", flat=True)
    )


def test_refused_in_production_with_nothing_written(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="DJANGO_ENV=production"):
        generate(regions=1, seed=1, activities=10)
    assert not Region.objects.exists() and not User.objects.exists()


def test_refused_when_its_regions_exist_naming_them_with_nothing_written():
    generate(regions=2, seed=1, activities=10)
    before = digest()
    with pytest.raises(CommandError, match=r"exist already.*S99\.01, S99\.02\.$"):
        generate(regions=3, seed=2, activities=10)
    assert digest() == before
    assert not Region.objects.filter(code="S99.03").exists()


def test_refused_when_a_reviewer_login_exists():
    User.objects.create(username="bappeda.S99.01")
    with pytest.raises(CommandError, match=r"bappeda\.S99\.01"):
        generate(regions=1, seed=1, activities=10)
    assert not Region.objects.exists()


def test_refused_when_the_province_login_is_not_its_bappeda():
    User.objects.create(username="bappeda.S99")
    with pytest.raises(CommandError, match=r"bappeda\.S99 exists but is not the Bappeda"):
        generate(regions=1, seed=1, activities=10)
    assert not Region.objects.exists()


def test_refused_when_the_province_code_names_another_kind_of_region():
    Region.objects.create(code="S98", name="Kota S98", kind="kota")
    with pytest.raises(CommandError, match="not a province"):
        generate(regions=1, seed=1, activities=10, province="S98")
    assert Region.objects.count() == 1


def test_an_existing_province_takes_the_regions_as_it_is():
    province = Region.objects.create(code="S97", name="Provinsi Contoh", kind="provinsi")
    generate(regions=1, seed=1, activities=10, province="S97")
    province.refresh_from_db()
    assert province.name == "Provinsi Contoh"
    assert list(province.children.values_list("code", flat=True)) == ["S97.01"]
    assert User.objects.get(username="bappeda.S97").bappeda_role.region == province


def test_the_number_of_queries_does_not_grow_with_the_activities(django_assert_num_queries):
    generate(regions=1, seed=9, activities=10, province="S90")  # the reviewer group exists
    with CaptureQueriesContext(connection) as few:
        generate(regions=2, seed=9, activities=10, province="S91")
    assert (
        Activity.objects.filter(program__work_plan__opd__region__code__startswith="S91.").count()
        == 20
    )
    with django_assert_num_queries(len(few)):
        generate(regions=2, seed=9, activities=40, province="S92")
    assert (
        Activity.objects.filter(program__work_plan__opd__region__code__startswith="S92.").count()
        == 80
    )
