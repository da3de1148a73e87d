"""Each app's ``ready()`` keeps its cross-row rules installed through one shared hook,
``magelang.db_rules.keep_installed``: a migrate of the app puts back a trigger gone missing."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.db.models.signals import post_migrate

from magelang.db_rules import installed_names
from opd.rules import RULES as OPD_RULES
from targets.rules import RULES as TARGET_RULES


def _drop(name: str) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            table = next(r.table for r in (*OPD_RULES, *TARGET_RULES) if r.name == name)
            cursor.execute(f"DROP TRIGGER {name} ON {table}")
        else:
            for event in ("insert", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}_{event}")


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "rules"), [("opd", OPD_RULES), ("targets", TARGET_RULES)])
def test_a_migrate_of_the_app_installs_its_rules_again(label, rules):
    name = rules[0].name
    _drop(name)
    assert name not in installed_names(connection)
    app = apps.get_app_config(label)
    post_migrate.send(sender=app, app_config=app, verbosity=0, interactive=False, using="default")
    assert {rule.name for rule in rules} <= installed_names(connection)
