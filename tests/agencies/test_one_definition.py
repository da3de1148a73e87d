"""Where a Bappeda user works is decided once, in ``opd.agencies.roles``: the querysets that
choose which OPDs and plans a user may read ask it too, rather than repeating the rule."""

from __future__ import annotations

import subprocess
import sys

from opd.agencies import querysets as agency_querysets
from opd.agencies import roles
from opd.workplans import querysets as work_plan_querysets


def test_the_querysets_ask_the_one_region_rule():
    assert agency_querysets.readable_region_ids is roles.readable_region_ids
    assert work_plan_querysets.readable_region_ids is roles.readable_region_ids


def test_the_roles_import_without_the_models():
    """The models import the querysets, which import the roles: the roles must not import
    the models back when the module loads, or the first of them to be imported fails."""
    code = (
        "import sys, opd.agencies.roles, opd.agencies.querysets, opd.workplans.querysets;"
        "assert not [m for m in sys.modules if m.startswith('opd') and m.endswith('models')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
