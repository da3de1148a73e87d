"""Every named constraint and row rule of every room has a test, and every rule is installed.

The constraint tests themselves live with their room (``tests/<room>/test_constraints*.py``,
helpers in ``tests/constraints.py``); these meta-tests make an untested new constraint or
rule fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from magelang.db_rules import installed_names
from tests.constraints import RULES

# --- every constraint and rule is tested, and installed ------------------------------


def _all_names() -> set[str]:
    names = {
        constraint.name
        for label in ("targets", "opd")
        for model in apps.get_app_config(label).get_models()
        for constraint in model._meta.constraints
    }
    return names | set(RULES)


def test_every_constraint_and_rule_has_a_test():
    # Every room's constraint tests: tests/<room>/test_constraints.py and its siblings.
    files = sorted(Path(__file__).parent.glob("*/test_constraints*.py"))
    source = "\n".join(path.read_text() for path in files)
    quoted = set(re.findall(r'"([a-z0-9_]+)"', source))
    untested = sorted(_all_names() - quoted)
    assert not untested, f"constraints or rules without a test: {untested}"


@pytest.mark.django_db
def test_every_rule_is_installed_after_migrate():
    missing = sorted(set(RULES) - installed_names(connection))
    assert not missing, f"rules without a trigger: {missing}"
