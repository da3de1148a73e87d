"""Ten PATCHes of one activity at once with the same ETag: exactly one wins.

The others are refused with 412, either by the view's If-Match check or, when they read
the version before the winner committed, by the service's conditional UPDATE. The
history holds one change.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from opd import models as om
from tests.api.world import build

REQUESTS = 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_patches_with_one_etag() -> None:
    world = build()
    url = f"/api/v1/activities/{world.plan.activity.pk}/"
    etag = world.client("write_own").get(url)["ETag"]
    barrier = threading.Barrier(REQUESTS)
    statuses: list[int] = []
    lock = threading.Lock()

    def patch(n: int) -> None:
        client = world.client("write_own")
        try:
            barrier.wait(timeout=30)
            response = client.patch(
                url, {"budget": f"{1000 + n}.00"}, format="json", HTTP_IF_MATCH=etag
            )
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=patch, args=(n,)) for n in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [200] + [412] * (REQUESTS - 1)
    activity = om.Activity.objects.get(pk=world.plan.activity.pk)
    assert activity.version == 2
    changes = om.AuditEntry.objects.filter(
        object_type="activity", object_id=activity.pk, action=om.AuditEntry.Action.UPDATE
    )
    assert changes.count() == 1
    assert changes.get().changes["budget"]["new"] == format(activity.budget.normalize(), "f")
