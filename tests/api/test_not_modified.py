"""An unchanged resource answers 304 to If-None-Match: details and lists."""

from __future__ import annotations

import pytest

from tests.api.world import build

pytestmark = pytest.mark.django_db


def test_an_unchanged_detail_is_a_304_and_a_changed_one_is_sent() -> None:
    world = build()
    api = world.client("write_own")
    url = f"/api/v1/activities/{world.plan.activity.pk}/"
    first = api.get(url)
    tag = first["ETag"]
    again = api.get(url, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == tag
    assert api.get(url, HTTP_IF_NONE_MATCH=f'"x", W/{tag}').status_code == 304
    assert api.get(url, HTTP_IF_NONE_MATCH='"99"').status_code == 200

    changed = api.patch(url, {"name": "Nama baru"}, format="json", HTTP_IF_MATCH=tag)
    assert changed.status_code == 200
    after = api.get(url, HTTP_IF_NONE_MATCH=tag)
    assert after.status_code == 200 and after.json()["name"] == "Nama baru"


def test_a_public_detail_without_a_version_is_a_304_too() -> None:
    world = build()
    api = world.client("anonymous")
    url = f"/api/v1/indicators/{world.plan.indicator.pk}/"
    tag = api.get(url)["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 304


def test_an_unchanged_list_is_a_304() -> None:
    world = build()
    api = world.client("reviewer")
    first = api.get("/api/v1/activities/")
    tag = first["ETag"]
    assert tag.startswith('"')
    assert api.get("/api/v1/activities/", HTTP_IF_NONE_MATCH=tag).status_code == 304
    # Another page, filter or change is another answer.
    assert api.get("/api/v1/activities/", {"year": 2017}, HTTP_IF_NONE_MATCH=tag).status_code == 200
    world.client("write_own").patch(
        f"/api/v1/activities/{world.plan.activity.pk}/",
        {"name": "Nama baru"},
        format="json",
        HTTP_IF_MATCH=f'"{world.plan.activity.version}"',
    )
    assert api.get("/api/v1/activities/", HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_if_none_match_does_not_touch_writes_or_errors() -> None:
    world = build()
    api = world.client("write_own")
    url = f"/api/v1/activities/{world.plan.activity.pk}/"
    tag = api.get(url)["ETag"]
    write = api.patch(
        url, {"name": "Lagi"}, format="json", HTTP_IF_MATCH=tag, HTTP_IF_NONE_MATCH="*"
    )
    assert write.status_code == 200
    assert api.get("/api/v1/activities/0/", HTTP_IF_NONE_MATCH="*").status_code == 404
