"""Who is a Bappeda reviewer is decided once, ``roles.is_reviewer``: the querysets that choose
which OPDs and plans a user may read ask it too, rather than repeating the permission check."""

from __future__ import annotations

import subprocess
import sys

from opd.agencies import querysets as agency_querysets
from opd.agencies import roles
from opd.workplans import querysets as work_plan_querysets


def test_the_querysets_ask_the_one_reviewer_rule():
    assert agency_querysets.is_reviewer is roles.is_reviewer
    assert work_plan_querysets.is_reviewer is roles.is_reviewer


def test_the_roles_import_without_the_models():
    """The models import the querysets, which import the roles: the roles must not import
    the models back when the module loads, or the first of them to be imported fails."""
    code = (
        "import sys, opd.agencies.roles, opd.agencies.querysets, opd.workplans.querysets;"
        "assert not [m for m in sys.modules if m.startswith('opd') and m.endswith('models')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
