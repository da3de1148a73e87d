from __future__ import annotations

import pytest
from django.utils import translation

from tests.beneficiaries.world import TEST_KEY
from tests.workplans.plan_world import World


@pytest.fixture(autouse=True)
def beneficiary_key(settings):
    settings.BENEFICIARY_KEY = TEST_KEY


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db) -> World:
    return World.build()
