"""Migrations run over real data on both databases, with the row-rule triggers in place."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from magelang.db_rules import installed_names
from opd.models import Activity, Program
from opd.rules import RULES as OPD_RULES
from targets.rules import RULES as TARGET_RULES


@pytest.mark.django_db(transaction=True)
def test_the_latest_opd_migration_goes_back_and_forth_over_seeded_data():
    call_command("load_magelang", "--demo", stdout=StringIO())
    activities = Activity.objects.count()
    loader = MigrationLoader(connection)
    (leaf,) = loader.graph.leaf_nodes("opd")
    (previous,) = [parent for parent in loader.graph.node_map[leaf].parents if parent[0] == "opd"]
    call_command("migrate", "opd", previous[1], verbosity=0)
    call_command("migrate", verbosity=0)
    assert Activity.objects.count() == activities
    assert Program.objects.exists()
    assert {rule.name for rule in TARGET_RULES + OPD_RULES} <= installed_names(connection)
