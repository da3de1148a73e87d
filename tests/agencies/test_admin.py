"""The admin of OPDs and their members, beyond the generic checks of tests/test_admin.py."""

from __future__ import annotations

from typing import Any

import pytest

from opd import models as om
from tests import factories as f
from tests.admin_rows import User, url


@pytest.mark.django_db
def test_user_admin_edits_opd_memberships(admin_client: Any) -> None:
    membership = f.MembershipFactory()
    response = admin_client.get(url(User, "change", membership.user.pk))
    inline_models = {formset.opts.model for formset in response.context["inline_admin_formsets"]}
    assert om.OpdMembership in inline_models
    response = admin_client.get(url(User, "changelist"))
    assert str(membership.opd) in response.content.decode()
