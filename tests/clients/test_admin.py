"""The admin of API clients, beyond the generic checks of tests/test_admin.py."""

from __future__ import annotations

from typing import Any

import pytest

from opd import models as om
from tests import factories as f
from tests.admin_rows import url


@pytest.mark.django_db
def test_the_admin_revokes_api_clients_with_an_action(admin_client: Any) -> None:
    client = f.ApiClientFactory()
    response = admin_client.post(
        url(om.ApiClient, "changelist"),
        {"action": "revoke", "_selected_action": [client.pk]},
        follow=True,
    )
    assert response.status_code == 200
    client.refresh_from_db()
    client.user.refresh_from_db()
    assert client.revoked_at is not None
    assert not client.user.is_active
