"""Query counts of the Renstra pages, pinned: they must not grow with the Renstra's size.

Each page is loaded once small and once large; both must run exactly the pinned number of
queries. A count that grows means a per-row query crept in: fix the selector, not the number.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from opd import models as om
from tests.factories import MembershipFactory, OpdFactory
from tests.renstra.makers import make_activity, make_renstra
from tests.renstra.page_world import PERIOD, RenstraWorld, build_renstra_world

pytestmark = pytest.mark.django_db

# Every page: session, user, and the user's permissions (own and group's: is the user Bappeda?);
# the OPDs the user belongs to (whether the user may edit), or for Bappeda the region it works
# for (roles.bappeda_scope; a member's OPDs scope the rows as a subquery). The Renstra page
# then: the Renstra with its OPD and plan, its programs with their indicators, the programs'
# years, the activities, the activities' years and the nomenclature check (one UNION query);
# and Bappeda's return comment on a returned Renstra.
DETAIL = {"member": 11, "reviewer": 12}
# The list: the regions the user may see (the region picker), the chosen region's plans, the
# Renstras of the plan with their counts and budgets, the OPDs the user sees; Bappeda's region
# scope.
LIST = {"member": 8, "reviewer": 9}
# The history: the Renstra, then its trail in one query.
HISTORY = {"member": 6, "reviewer": 7}


def grow(world: RenstraWorld, programs: int, activities: int) -> None:
    """Add ``programs`` programs of ``activities`` activities each, every year filled."""
    program_years, activity_years = [], []
    for p in range(programs):
        program = om.RenstraProgram.objects.create(
            renstra=world.renstra, code=f"2.{p:02d}", name=f"Program {p}", indicator=None
        )
        program_years += [
            om.RenstraProgramYear(program=program, year=y, target=Decimal(p), budget=Decimal(1000))
            for y in PERIOD
        ]
        for a in range(activities):
            activity = make_activity(program=program, code=f"2.{p:02d}.{a:03d}")
            activity_years += [
                om.RenstraActivityYear(activity=activity, year=y, target=Decimal(a)) for y in PERIOD
            ]
    om.RenstraProgramYear.objects.bulk_create(program_years)
    om.RenstraActivityYear.objects.bulk_create(activity_years)


def load(client, url: str, expected: int, django_assert_num_queries) -> str:
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["member", "reviewer"])
@pytest.mark.parametrize("status", ["draft", "returned"])
def test_the_renstra_page_in_fixed_queries(role, status, django_assert_num_queries) -> None:
    world = build_renstra_world()
    url = reverse("renstra:detail", args=[world.renstra.pk])
    world.set_status(status)
    extra = 1 if status == "returned" else 0  # the return comment, read only when returned
    small = load(world.client(role), url, DETAIL[role] + extra, django_assert_num_queries)
    grow(world, programs=12, activities=4)
    large = load(world.client(role), url, DETAIL[role] + extra, django_assert_num_queries)
    assert small.count('class="activity-row') == 1
    assert large.count('class="activity-row') == 1 + 12 * 4


@pytest.mark.parametrize("role", ["member", "reviewer"])
def test_the_list_in_fixed_queries(role, django_assert_num_queries) -> None:
    world = build_renstra_world()
    url = reverse("renstra:list")
    small = load(world.client(role), url, LIST[role], django_assert_num_queries)
    region = world.base.opd_a.region
    for n in range(15):  # more OPDs, some with a Renstra, and a second OPD of the member's
        opd = OpdFactory(region=region, code=f"3.{n:02d}")
        if n % 2:
            make_activity(
                program=om.RenstraProgram.objects.create(
                    renstra=make_renstra(opd=opd, plan=world.renstra.plan), code="3.01", name="P"
                )
            )
        if n == 0:
            MembershipFactory(opd=opd, user=world.users["member"])
    large = load(world.client(role), url, LIST[role], django_assert_num_queries)
    assert large.count("<tr data-opd=") > small.count("<tr data-opd=")


@pytest.mark.parametrize("role", ["member", "reviewer"])
def test_the_history_in_fixed_queries(role, django_assert_num_queries) -> None:
    world = build_renstra_world()
    url = reverse("renstra:history", args=[world.renstra.pk])
    small = load(world.client(role), url, HISTORY[role], django_assert_num_queries)
    for n in range(10):
        world.add_program(f"4.{n:02d}")
    large = load(world.client(role), url, HISTORY[role], django_assert_num_queries)
    assert (
        large.count('data-testid="history-entry"')
        == small.count('data-testid="history-entry"') + 10
    )
