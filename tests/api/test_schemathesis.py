"""Schemathesis over the OpenAPI schema, in process: every operation, 100 examples each,
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

from magelang.wsgi import application
from tests.api.world import build
from tests.conftest import CI

EXAMPLES = 100

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
def test_api(case: schemathesis.Case, token: str) -> None:
    CALLS[case.operation.label] += 1
    case.call_and_validate(headers={"Authorization": f"Token {token}"})


CALLS: Counter[str] = Counter()


def test_every_operation_got_at_least_100_examples() -> None:
    """Runs after the operations above (pytest keeps file order)."""
    operations = {result.ok().label for result in schema.get_all_operations()}
    if not CALLS:
        if CI:  # the whole suite runs in CI: no fuzzing there is a broken run, not a skip
            pytest.fail("schemathesis ran no operation", pytrace=False)
        pytest.skip("the operations were not run in this session")
    assert set(CALLS) == operations
    assert min(CALLS.values()) >= EXAMPLES, CALLS
