"""Every API error in the caller's language.

The API reads Accept-Language (the portal's pages ignore it); without it, or with a
language the portal does not speak, it answers in Indonesian, as the portal does.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.world import ApiWorld, build

pytestmark = pytest.mark.django_db


def _missing_if_match(world: ApiWorld, headers: dict[str, str]) -> Any:
    return world.client("write_own").patch(
        f"/api/v1/activities/{world.plan.activity.pk}/",
        {"budget": "1.00"},
        format="json",
        **headers,
    )


def _unknown_activity(world: ApiWorld, headers: dict[str, str]) -> Any:
    return world.client("write_own").get("/api/v1/activities/999999/", **headers)


def _second_report(world: ApiWorld, headers: dict[str, str]) -> Any:
    return world.client("write_own").post(
        "/api/v1/realisations/",
        {"activity": world.approved_activity.pk, "quarter": world.realisation.quarter},
        format="json",
        **headers,
    )


CASES = {
    "428": (_missing_if_match, 428, "Send the ETag of the record you saw in an If-Match header."),
    "404": (_unknown_activity, 404, "No activity (kegiatan) found matching the query"),
    "409": (_second_report, 409, "Quarter 1 of this activity is already reported"),
}


@pytest.mark.parametrize("case", CASES)
def test_errors_follow_accept_language_else_indonesian(case: str) -> None:
    world = build()
    call, status, english = CASES[case]
    answers = {
        label: call(world, headers)
        for label, headers in {
            "en": {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"},
            "id": {"HTTP_ACCEPT_LANGUAGE": "id"},
            "none": {},
            "other": {"HTTP_ACCEPT_LANGUAGE": "fr"},
        }.items()
    }
    assert {answer.status_code for answer in answers.values()} == {status}
    details = {label: answer.json()["detail"] for label, answer in answers.items()}
    assert details["en"].startswith(english)
    assert answers["en"]["Content-Language"] == "en"
    assert "Accept-Language" in answers["en"]["Vary"]
    # Indonesian when asked, when not asked, and for a language the portal does not speak.
    assert details["id"] == details["none"] == details["other"]
    assert answers["none"]["Content-Language"] == "id"
    assert details["id"] != details["en"], "the message has no Indonesian translation"


def test_the_404_names_the_record_in_indonesian() -> None:
    world = build()
    detail = _unknown_activity(world, {}).json()["detail"]
    assert detail == "Tidak ada kegiatan yang cocok dengan kueri"


def test_the_portal_cookie_still_chooses_for_a_browser_session() -> None:
    """A person who chose English on the portal reads the API's errors in English, whatever
    the browser's Accept-Language says."""
    world = build()
    client = world.client("member")
    client.cookies["django_language"] = "en"
    chosen = client.get("/api/v1/activities/999999/", HTTP_ACCEPT_LANGUAGE="id")
    assert chosen.json()["detail"] == "No activity (kegiatan) found matching the query"


def test_the_portal_pages_still_ignore_accept_language() -> None:
    response = build().client("anonymous").get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "id"
