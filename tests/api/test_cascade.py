"""The cascade as a nested read: ``GET /api/v1/cascade/``.

Figures and scoping on the cascade pages' world (``tests/cascade/world.py``: Dinas Sosial's
approved Renstra and plan, Dinas Tenaga Kerja's draft Renstra and submitted plan); every kind
of API caller (tokens too) on the API's world; bad parameters; ETags; pinned query counts.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from rest_framework.test import APIClient

from opd import models as om
from targets import models as tm
from tests.api.world import ROLES
from tests.api.world import build as build_api_world
from tests.cascade.test_queries import _grow
from tests.cascade.world import World, add_renstras, build
from tests.renstra.makers import make_program, make_program_year, make_renstra
from tests.workplans.plan_world import member

pytestmark = pytest.mark.django_db

URL = "/api/v1/cascade/"


def api(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def world() -> World:
    base = build()
    add_renstras(base)
    return base


def poverty(body: dict[str, Any]) -> dict[str, Any]:
    return body["missions"][0]["goals"][0]["objectives"][0]["indicators"][0]


def test_anonymous_reads_approved_renstras_and_plans_with_their_figures(world: World) -> None:
    response = api().get(URL, {"year": 2018})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["plan"]["first_year"] == 2016 and body["year"] == 2018
    mission = body["missions"][0]
    assert (mission["number"], mission["goals"][0]["number"]) == (2, 1)
    indicator = poverty(body)
    assert indicator["code"] == "KEMISKINAN"
    assert (indicator["target"], indicator["actual"]) == ("7.3800", "7.5000")
    assert indicator["achievement_rate"] == "92.81" and indicator["target_interpolated"] is False
    # Dinas Sosial's approved Renstra program only (Dinas Tenaga Kerja's is a draft).
    (program,) = indicator["renstra_programs"]
    assert (program["code"], program["opd_code"], program["renstra_status"]) == (
        "1.06.05",
        "1.06",
        "approved",
    )
    assert (program["target"], program["budget"]) == ("400.00", "300000000.00")
    assert program["budget_spent"] == "100000500.00"
    assert program["budget_realisation_rate"] == "33.33"
    aid, training, survey = program["activities"]
    assert aid["id"] == world.aid.pk and aid["plan_status"] == "approved"
    assert (aid["target"], aid["renstra_target"], aid["realisation"]) == (
        "100.00",
        "110.00",
        "40.00",
    )
    assert (aid["achievement_rate"], aid["budget_spent"]) == ("40.00", "100000000.00")
    assert (aid["claimed"], aid["claimed_achieved"]) == ("120.00", "45.00")
    assert training["realisation"] is None and training["budget_realisation_rate"] is None
    assert survey["claimed"] is None and survey["budget_realisation_rate"] == "25.00"
    # Dinas Sosial's claim through a program serving IPM; not Dinas Tenaga Kerja's (submitted).
    assert [a["code"] for a in indicator["unlinked_activities"]] == ["1.06.06.001"]
    (ipm,) = body["unplaced_indicators"]
    assert [p["code"] for p in ipm["renstra_programs"]] == ["1.06.06"]
    assert [a["code"] for a in ipm["unlinked_activities"]] == ["1.06.05.001"]


def test_bappeda_reads_every_renstra_and_plan(world: World) -> None:
    indicator = poverty(api(world.reviewer).get(URL).json())
    codes = [p["code"] for p in indicator["renstra_programs"]]
    assert codes == ["1.06.05", "2.07.02"]
    labour = indicator["renstra_programs"][1]
    assert labour["renstra_status"] == "draft"
    assert [a["plan_status"] for a in labour["activities"]] == ["submitted"]


def test_an_opd_member_reads_their_drafts_besides_the_approved(world: World) -> None:
    head = member(world.labour, username="kepala.disnaker")
    indicator = poverty(api(head).get(URL).json())
    assert [p["code"] for p in indicator["renstra_programs"]] == ["1.06.05", "2.07.02"]
    # A member of another OPD: the approved ones only.
    stranger = poverty(api(world.stranger).get(URL).json())
    assert [p["code"] for p in stranger["renstra_programs"]] == ["1.06.05"]


def test_one_indicator_and_the_levels_above_it(world: World) -> None:
    body = api().get(URL, {"indicator": "KEMISKINAN"}).json()
    assert [i["code"] for i in body["missions"][0]["goals"][0]["objectives"][0]["indicators"]] == [
        "KEMISKINAN"
    ]
    assert body["unplaced_indicators"] == []
    body = api().get(URL, {"indicator": "IPM"}).json()
    assert body["missions"] == []
    assert [i["code"] for i in body["unplaced_indicators"]] == ["IPM"]


def test_another_year_reads_that_years_figures(world: World) -> None:
    program = poverty(api().get(URL, {"year": 2019}).json())["renstra_programs"][0]
    assert (program["target"], program["budget"], program["activities"]) == ("9.00", "9.00", [])


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"year": "2018x"}, "year"),
        ({"year": "2030"}, "year"),  # no plan covers it
        ({"year": "1000"}, "year"),
        ({"year": ["2018", "2019"]}, "year"),
        ({"year": ""}, "year"),
        ({"indicator": "NOPE"}, "indicator"),
        ({"indicator": ""}, "indicator"),
        ({"indicator": ["KEMISKINAN", "IPM"]}, "indicator"),
        ({"indicator": "X" * 41}, "indicator"),
        ({"indicator": "KEMIS\x00KINAN"}, "indicator"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(
    world: World, query: dict[str, Any], parameter: str
) -> None:
    response = api().get(URL, query)
    assert response.status_code == 400, response.content
    assert list(response.json()) == [parameter]


def test_without_a_plan_the_read_is_empty_and_any_indicator_unknown() -> None:
    body = api().get(URL).json()
    assert body == {"plan": None, "year": 2018, "missions": [], "unplaced_indicators": []}
    response = api().get(URL, {"indicator": "KEMISKINAN"})
    assert response.status_code == 400 and list(response.json()) == ["indicator"]
    assert list(api().get(URL, {"year": 2018}).json()) == ["year"]


def test_an_etag_and_a_304_for_an_unchanged_read(world: World) -> None:
    first = api().get(URL)
    etag = first["ETag"]
    assert etag and api().get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # Bappeda's read differs (drafts), so does its ETag; a change changes it.
    assert api(world.reviewer).get(URL)["ETag"] != etag
    om.RenstraProgramYear.objects.filter(program__code="1.06.05", year=2018).update(budget=1)
    assert api().get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_write_is_refused_and_changes_nothing(world: World) -> None:
    before = om.RenstraProgram.objects.count(), om.Activity.objects.count()
    assert api().post(URL, {}, format="json").status_code == 401
    assert api(world.reviewer).post(URL, {}, format="json").status_code == 405
    assert (om.RenstraProgram.objects.count(), om.Activity.objects.count()) == before


# Anonymous: the plans, missions, goals, objectives (3), indicators, targets, actuals, the
# Renstra programs, the activities, the claims and the persons reported.
ANONYMOUS_QUERIES = 11
# Bappeda's session and user (2), permissions (2), the regions it reads (1) and its OPDs (1,
# none here: a Bappeda user may be an OPD's member too, opd.cascade.scope.api_scope) besides.
REVIEWER_QUERIES = 17


@pytest.mark.parametrize("programs", [2, 50])
def test_fixed_query_counts(programs: int, django_assert_num_queries: Any) -> None:
    base = build()
    add_renstras(base)
    _grow(base, programs)  # approved Renstras, draft plans
    with django_assert_num_queries(ANONYMOUS_QUERIES):
        body = api().get(URL).json()
    assert len(poverty(body)["renstra_programs"]) == 1 + programs
    reviewer = api(base.reviewer)
    with django_assert_num_queries(REVIEWER_QUERIES):
        body = reviewer.get(URL).json()
    programs_read = poverty(body)["renstra_programs"]
    assert len(programs_read) == 2 + programs
    assert sum(len(p["activities"]) for p in programs_read) == 4 + 2 * programs


# --- every kind of API caller (tokens too) on the API's world --------------------------------


def test_each_caller_reads_its_scope(settings) -> None:
    """OPD A's draft Renstra (serving the indicator) and draft plan: OPD A's token and member
    and Bappeda read them; anyone else the approved ones only (here, none)."""
    api_world = build_api_world()
    settings.DEFAULT_REGION_CODE = api_world.opd.region.code
    plan = api_world.plan
    line = make_program(
        renstra=make_renstra(opd=api_world.opd, plan=plan.work_plan.plan),
        code="1.06.01",
        indicator=plan.indicator,
    )
    make_program_year(program=line, year=2018)
    om.Program.objects.filter(pk=plan.program.pk).update(renstra_program=line)
    seen = {}
    region_a = {"year": 2018, "wilayah": api_world.opd.region.code}
    for role in ROLES:
        body = api_world.client(role).get(URL, region_a).json()
        assert body["missions"] == []  # the API world's indicator is placed nowhere
        (indicator,) = body["unplaced_indicators"]
        seen[role] = [
            (p["code"], [a["code"] for a in p["activities"]]) for p in indicator["renstra_programs"]
        ]
    own = [("1.06.01", ["1.06.01.001"])]
    assert seen == {
        "anonymous": [],
        "read": [],
        "write_own": own,
        "write_other": [],
        "member": own,
        "reviewer": own,
        "stranger": [],  # the Bappeda of another kota
        "province": own,  # the Bappeda of the province above
    }
    # Approved, the Renstra is anyone's; the draft plan's activity stays its OPD's.
    now = timezone.now()
    om.Renstra.objects.filter(pk=line.renstra_id).update(
        status="approved", submitted_at=now, reviewed_at=now
    )
    body = api_world.client("anonymous").get(URL, {"year": 2018}).json()
    assert [
        (p["code"], p["activities"]) for p in body["unplaced_indicators"][0]["renstra_programs"]
    ] == [("1.06.01", [])]
    assert tm.Region.objects.filter(code=django_settings.DEFAULT_REGION_CODE).exists()


def test_the_region_shown_is_the_callers_own_unless_named(settings) -> None:
    """Without ``?wilayah=``: a Bappeda user's own region (another kota's and the province
    have no plan here: ``plan`` null), an OPD's member and token their OPD's, anyone else the
    deployment's; ``?wilayah=`` names any region, an unknown code is a 400 naming it."""
    api_world = build_api_world()
    region = api_world.opd.region
    settings.DEFAULT_REGION_CODE = "33.08"  # the deployment is the other kota's: no plan
    shown = {}
    for role in ROLES:
        body = api_world.client(role).get(URL).json()
        shown[role] = body["plan"] and body["plan"]["id"]
    a = api_world.plan.work_plan.plan_id
    assert shown == {
        "anonymous": None,
        "read": None,
        "write_own": a,
        "write_other": a,
        "member": a,
        "reviewer": a,
        "stranger": None,
        "province": None,
    }
    for role in ROLES:
        body = api_world.client(role).get(URL, {"wilayah": region.code}).json()
        assert body["plan"]["id"] == a, role
    response = api_world.client("stranger").get(URL, {"wilayah": "99.99"})
    assert response.status_code == 400, response.content
    assert response.json() == {
        "wilayah": ["Tidak ada wilayah yang boleh Anda lihat dengan kode 99.99."]
    }
