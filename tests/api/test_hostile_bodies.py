"""Bodies built to break the parser or the database get a JSON 4xx and change nothing."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.test import RequestFactory
from django.utils import translation

from magelang.views import bad_request, too_large_message
from opd import models as om
from tests.api.world import build, etag

pytestmark = pytest.mark.django_db


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


DEEP = deep(1000)


def rows() -> dict[str, int]:
    return {
        "work_plans": om.WorkPlan.objects.count(),
        "activities": om.Activity.objects.count(),
        "audit": om.AuditEntry.objects.count(),
    }


@pytest.mark.parametrize(
    "body",
    [DEEP, '{"name": ' + DEEP + "}", deep(900), '{"name": ' + deep(700) + "}", deep(100_000)],
)
def test_a_1000_deep_json_body_is_a_json_400(body) -> None:
    world = build()
    before = rows()
    api = world.client("write_own")
    created = api.post("/api/v1/work-plans/", body, content_type="application/json")
    patched = api.patch(
        f"/api/v1/activities/{world.plan.activity.pk}/",
        body,
        content_type="application/json",
        HTTP_IF_MATCH=etag(world.plan.activity),
    )
    for response in (created, patched):
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert response.json()  # a parse error or field errors, never a 500
    assert rows() == before
    world.plan.activity.refresh_from_db()
    assert world.plan.activity.version == 1


def test_a_body_over_the_upload_limit_is_a_json_400_as_before_the_api_view() -> None:
    """DRF sees the limit when it reads the body, Django's handler400 when a middleware reads
    it first: either way the caller gets the same JSON 400."""
    world = build()
    before = rows()
    body = json.dumps({"name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    response = world.client("write_own").patch(
        f"/api/v1/activities/{world.plan.activity.pk}/",
        body,
        content_type="application/json",
        HTTP_IF_MATCH=etag(world.plan.activity),
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    with translation.override(response["Content-Language"]):
        outside = bad_request(RequestFactory().patch("/api/v1/activities/1/"), RequestDataTooBig())
        assert response.json()["detail"] == too_large_message()
    assert (outside.status_code, outside["Content-Type"]) == (400, "application/json")
    assert json.loads(outside.content) == {"detail": response.json()["detail"]}
    assert rows() == before


@pytest.mark.postgres  # SQLite does not enforce a column's length
def test_an_activity_name_of_the_longest_allowed_length_saves_with_a_clipped_audit_label() -> None:
    world = build()
    activity = world.plan.activity
    code = "9" * om.Activity._meta.get_field("code").max_length
    name = "N" * om.Activity._meta.get_field("name").max_length
    response = world.client("write_own").patch(
        f"/api/v1/activities/{activity.pk}/",
        {"code": code, "name": name},
        format="json",
        HTTP_IF_MATCH=etag(activity),
    )
    assert response.status_code == 200, response.content
    activity.refresh_from_db()
    assert (activity.code, activity.name) == (code, name)
    entry = om.AuditEntry.objects.get(object_type="activity", object_id=activity.pk)
    limit = om.AuditEntry._meta.get_field("object_label").max_length
    assert len(entry.object_label) == limit
    assert entry.object_label == f"{code} {name}"[: limit - 1] + "…"


def test_a_400_raised_before_the_api_view_is_still_json() -> None:
    world = build()
    response = world.client("read").get("/api/v1/regions/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
