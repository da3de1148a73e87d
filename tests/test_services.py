"""CI runs on the real services: PostgreSQL with the cross-row triggers, and Redis for Celery.

On a laptop without them these skip with the reason; with CI=true they fail instead.
"""

import pytest
from django.db import connection

from magelang.celery import app
from magelang.db_rules import installed_names
from opd.rules import RULES as OPD_RULES
from targets.rules import RULES as TARGET_RULES


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_is_postgresql_with_every_row_rule_installed():
    assert connection.vendor == "postgresql"
    assert {rule.name for rule in TARGET_RULES + OPD_RULES} <= installed_names(connection)


@pytest.mark.redis
def test_celery_reaches_redis_and_round_trips_a_message(settings):
    assert app.conf.broker_url.startswith("redis://")
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1)
        queue = conn.SimpleQueue("magelang-ci-check")
        try:
            queue.put({"ping": "pong"})
            message = queue.get(timeout=5)
            assert message.payload == {"ping": "pong"}
            message.ack()
        finally:
            queue.clear()
            queue.close()
