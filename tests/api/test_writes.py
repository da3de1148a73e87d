"""Writes through the API: ETag and If-Match, the workflow actions, and error bodies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from opd import models as om
from tests.api.world import build, etag

pytestmark = pytest.mark.django_db


def activity_url(world) -> str:
    return f"/api/v1/activities/{world.plan.activity.pk}/"


def history(activity: om.Activity) -> list[om.AuditEntry]:
    return list(
        om.AuditEntry.objects.filter(object_type="activity", object_id=activity.pk, action="update")
    )


def test_detail_has_an_etag_that_if_match_must_repeat() -> None:
    world = build()
    api = world.client("write_own")
    read = api.get(activity_url(world))
    assert read["ETag"] == '"1"'

    missing = api.patch(activity_url(world), {"budget": "7.00"}, format="json")
    assert missing.status_code == 428 and "detail" in missing.json()
    stale = api.patch(activity_url(world), {"budget": "7.00"}, format="json", HTTP_IF_MATCH='"9"')
    assert stale.status_code == 412
    assert history(world.plan.activity) == []

    done = api.patch(
        activity_url(world),
        {"budget": "7.00", "expected_contributions": []},
        format="json",
        HTTP_IF_MATCH=f"W/{read['ETag']}",
    )
    assert done.status_code == 200, done.json()
    assert done["ETag"] == '"2"' and done.json()["version"] == 2
    assert done.json()["budget"] == "7.00" and done.json()["expected_contributions"] == []
    assert not om.ExpectedContribution.objects.filter(activity=world.plan.activity).exists()
    [entry] = history(world.plan.activity)
    assert entry.actor.api_client.name == "sistem-dinsos"

    again = api.patch(
        activity_url(world), {"budget": "8.00"}, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert again.status_code == 412 and again.json()["current_version"] == 2
    assert len(history(world.plan.activity)) == 1


def test_read_only_resources_have_etags_too() -> None:
    world = build()
    response = world.client("anonymous").get(f"/api/v1/indicators/{world.plan.indicator.pk}/")
    assert response.status_code == 200 and response["ETag"].startswith('"')
    body = response.json()
    assert body["target_path"][3] == {
        "year": 2018,
        "value": "7.3800",
        "kind": "stated",
        "actual": None,
        "achievement_rate": None,
        "achievement_rate_missing": "no_actual",
    }
    assert body["target_path"][1]["kind"] == "interpolated"
    assert body["population"][0]["value"] == 120952
    assert isinstance(body["baseline_value"], str)


def test_workflow_through_the_api_follows_the_browser_rules() -> None:
    world = build()
    member, reviewer = world.client("write_own"), world.client("reviewer")
    plan_url = f"/api/v1/work-plans/{world.plan.work_plan.pk}/"
    submitted = member.post(plan_url + "submit/", HTTP_IF_MATCH=etag(world.plan.work_plan))
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    no_comment = reviewer.post(
        plan_url + "return/", {"comment": "   "}, format="json", HTTP_IF_MATCH=submitted["ETag"]
    )
    assert no_comment.status_code == 400 and "comment" in no_comment.json()
    returned = reviewer.post(
        plan_url + "return/",
        {
            "comment": "Lengkapi lokasi",
            "activity_comments": [{"activity": world.plan.activity.pk, "comment": "Lokasi?"}],
        },
        format="json",
        HTTP_IF_MATCH=submitted["ETag"],
    )
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert om.ReviewComment.objects.filter(activity=world.plan.activity).count() == 1
    approve_returned = reviewer.post(plan_url + "approve/", HTTP_IF_MATCH=returned["ETag"])
    assert approve_returned.status_code == 409


def test_submit_refused_by_the_checklist_lists_the_problems() -> None:
    world = build()
    om.Activity.objects.filter(pk=world.plan.activity.pk).update(kelurahan=None)
    response = world.client("member").post(
        f"/api/v1/work-plans/{world.plan.work_plan.pk}/submit/",
        HTTP_IF_MATCH=etag(world.plan.work_plan),
    )
    assert response.status_code == 409
    assert response.json()["problems"] and "message" in response.json()["problems"][0]


def test_realisation_create_and_correct() -> None:
    world = build()
    api = world.client("write_own")
    created = api.post(
        "/api/v1/realisations/",
        {
            "activity": world.approved_activity.pk,
            "quarter": 2,
            "budget_spent": "1000.50",
            "achieved_contributions": [{"indicator": world.plan.indicator.pk, "amount": "4"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["achieved_contributions"][0]["amount"] == "4.00"
    duplicate = api.post(
        "/api/v1/realisations/",
        {"activity": world.approved_activity.pk, "quarter": 2},
        format="json",
    )
    url = f"/api/v1/realisations/{created.json()['id']}/"
    # A second report of the quarter is a conflict naming the record.
    assert duplicate.status_code == 409
    assert url in duplicate.json()["detail"]
    corrected = api.patch(
        url, {"output_achieved": "3.00"}, format="json", HTTP_IF_MATCH=created["ETag"]
    )
    assert corrected.status_code == 200 and corrected.json()["output_achieved"] == "3.00"
    assert corrected.json()["achieved_contributions"][0]["amount"] == "4.00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Pelatihan\x00kerja"}, "name"),
        ({"budget": "-1.00"}, "budget"),
        ({"budget": 10**40}, "budget"),
        ({"budget": {"nested": 1}}, "budget"),
        ({"output_target": "banyak"}, "output_target"),
        ({"kelurahan": 10**30}, "kelurahan"),
        ({"kelurahan": -5}, "kelurahan"),
        ({"funding_source": "hibah"}, "funding_source"),
        ({"expected_contributions": [{"indicator": 1, "amount": "NaN"}]}, "expected_contributions"),
        ({"expected_contributions": "all"}, "expected_contributions"),
    ],
)
def test_bad_input_gets_400_with_field_errors(body, field) -> None:
    world = build()
    response = world.client("write_own").patch(
        activity_url(world), body, format="json", HTTP_IF_MATCH=etag(world.plan.activity)
    )
    assert response.status_code == 400
    assert field in response.json()
    world.plan.activity.refresh_from_db()
    assert world.plan.activity.version == 1


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type"),
    [
        ("post", "/api/v1/work-plans/", '{"opd": 1, "year": ', "application/json"),
        ("post", "/api/v1/work-plans/", "opd=1", "application/x-www-form-urlencoded"),
        ("post", "/api/v1/work-plans/", '{"opd": 1, "year": 99999999999999999999}', None),
        ("post", "/api/v1/work-plans/", '{"opd": "1\\u0000", "year": 2019}', None),
        ("get", "/api/v1/work-plans/?status=lost", None, None),
        ("get", "/api/v1/work-plans/?year=-3", None, None),
        ("get", "/api/v1/work-plans/?opd=99999999999999999999999", None, None),
        ("get", "/api/v1/work-plans/?opd=%00", None, None),
        ("get", "/api/v1/activities/?page_size=0", None, None),
        ("get", "/api/v1/activities/?kelurahan=abc", None, None),
    ],
)
def test_malformed_requests_get_4xx_json(method, path, body, content_type) -> None:
    world = build()
    api = world.client("member")
    kwargs = {"content_type": content_type or "application/json"} if body is not None else {}
    response = getattr(api, method)(path, body, **kwargs) if body else getattr(api, method)(path)
    assert response.status_code in (400, 415)
    assert response["Content-Type"] == "application/json"
    assert response.json()


def test_huge_ids_are_404_not_500() -> None:
    world = build()
    for path in ("activities", "work-plans", "regions", "contributions"):
        response = world.client("reviewer").get(f"/api/v1/{path}/{10**30}/")
        assert response.status_code == 404, path


def test_anonymous_callers_are_throttled(settings) -> None:
    settings.API_THROTTLE_RATES = {"anon": "3/min", "token": "5/min", "user": "100/min"}
    world = build()
    anonymous = world.client("anonymous")
    assert [anonymous.get("/api/v1/regions/").status_code for _ in range(4)] == [200] * 3 + [429]
    token = world.client("read")
    assert [token.get("/api/v1/regions/").status_code for _ in range(6)] == [200] * 5 + [429]
    # Each token has its own allowance.
    assert world.client("write_own").get("/api/v1/regions/").status_code == 200


def test_decimals_are_strings_everywhere() -> None:
    world = build()
    body = world.client("reviewer").get(f"/api/v1/contributions/{world.contribution.pk}/").json()
    assert body["required"] == "1347.000000" or isinstance(body["required"], str)
    assert all(isinstance(body[name], str) for name in ("planned_total", "reference", "target"))
    assert Decimal(body["reference"]) == Decimal("8.75")
