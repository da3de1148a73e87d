"""The database refuses bad API client rows by itself.

Same approach as ``tests/targets/test_constraints.py``, with the helpers of
``tests/constraints.py``: a bad row written through the ORM is refused by name, the
nearest good row is accepted.
"""

from __future__ import annotations

from decimal import Decimal

import factory
import pytest

from tests.constraints import refused
from tests.factories import ApiClientFactory, OpdFactory

CENT = Decimal("0.01")

CHECKS = [
    # constraint, factory, nearest good row, bad row
    ("api_client_scope_valid", ApiClientFactory, {"scope": "read"}, {"scope": "admin"}),
    (
        "api_client_write_has_opd",
        ApiClientFactory,
        {"scope": "write", "opd": factory.SubFactory(OpdFactory)},
        {"scope": "write", "opd": None},
    ),
    ("api_client_name_not_empty", ApiClientFactory, {"name": "sistem-keuangan"}, {"name": ""}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "factory", "good", "bad"), CHECKS, ids=[check[0] for check in CHECKS]
)
def test_check_constraint_refuses_bad_row(name, factory, good, bad):
    assert factory(**good).pk
    with refused(name):
        factory(**bad)
