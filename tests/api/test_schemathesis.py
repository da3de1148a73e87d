"""Schemathesis over the OpenAPI schema, in process: every operation, 50 examples each,
NUL bytes allowed, against a seeded database and with a write token of an OPD.

No response may be a server error, and every response must match the schema (status
code, content type, headers, body). A request that is valid by the schema may still be
refused: it can name an id that does not exist (400, a field error) or carry a stale
ETag (412); those two statuses are documented and counted as accepted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from magelang.api.urls import router
from magelang.wsgi import application
from tests.api.world import build

EXAMPLES = 50

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.generation.update(max_examples=EXAMPLES, allow_x00=True)
schema.config.checks.positive_data_acceptance.expected_statuses = [
    *schema.config.checks.positive_data_acceptance.expected_statuses,
    "400",
    "412",
]


@pytest.fixture
def token(db: None, settings) -> Iterator[str]:
    """A seeded world; Django must not close the test's connection after each call."""
    settings.API_THROTTLE_RATES = {name: "1000000/min" for name in ("anon", "token", "user")}
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield build().tokens["write_own"]
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api(case: schemathesis.Case, token: str, examples: Counter[str]) -> None:
    examples[case.operation.label] += 1
    case.call_and_validate(headers={"Authorization": f"Token {token}"})


@pytest.fixture
def examples() -> Iterator[Counter[str]]:
    """The requests one operation's test made, checked as that test ends: at least EXAMPLES.

    The check belongs to the test it checks, so it holds whatever ran before, in any order
    and when the test runs alone; an operation that ran no example fails, in CI or not.
    """
    calls: Counter[str] = Counter()
    yield calls
    assert len(calls) == 1, f"one operation per test, got {dict(calls)}"
    ((operation, count),) = calls.items()
    assert count >= EXAMPLES, f"{operation}: {count} examples, fewer than {EXAMPLES}"


def test_every_operation_of_the_api_is_fuzzed() -> None:
    """``schema.parametrize`` makes one test per operation of the schema; the schema lists
    every route of the API's router (list, detail, writes and the work-plan actions), so
    no resource escapes the fuzzing above. Self-contained: it needs no other test to run."""
    routed = set()
    for prefix, viewset, _basename in router.registry:
        for route in router.get_routes(viewset):
            url = (
                route.url.replace("{prefix}", prefix)
                .replace("{lookup}", "{id}")
                .replace("{trailing_slash}", "/")
                .strip("^$")
            )
            routed |= {
                f"{method.upper()} /api/v1/{url}"
                for method, action in route.mapping.items()
                if hasattr(viewset, action)
            }
    # The one route outside the router: an activity's beneficiary list (multipart upload).
    routed |= {
        f"{method} /api/v1/activities/{{id}}/beneficiaries/" for method in ("GET", "POST", "DELETE")
    }
    # And a region's poverty record, by the region's code.
    routed.add("GET /api/v1/regions/{code}/poverty/")
    operations = {result.ok().label for result in schema.get_all_operations()}
    assert len(routed) >= 20  # every resource, not an empty router
    assert {"GET /api/v1/renstra/", "GET /api/v1/renstra/{id}/"} <= routed  # read only
    assert operations == routed
