"""Row makers for the Renstra tests and the admin's: each call adds one row (and what it needs),
in one region, so the cross-row rules hold."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from opd import models as om
from tests import factories as f

_numbers = itertools.count(1)


def make_renstra(**values: Any) -> om.Renstra:
    opd = values.pop("opd", None) or f.OpdFactory()
    plan = values.pop("plan", None) or f.PlanFactory(region=opd.region)  # 2016–2021
    return om.Renstra.objects.create(opd=opd, plan=plan, **values)


def make_program(**values: Any) -> om.RenstraProgram:
    renstra = values.pop("renstra", None) or make_renstra()
    values.setdefault("code", f"1.{next(_numbers):02d}")
    values.setdefault("name", "Program Perlindungan dan Jaminan Sosial")
    values.setdefault("outcome_indicator", "Keluarga miskin yang mandiri")
    values.setdefault("outcome_unit", "KK")
    return om.RenstraProgram.objects.create(renstra=renstra, **values)


def make_program_year(**values: Any) -> om.RenstraProgramYear:
    program = values.pop("program", None) or make_program()
    values.setdefault("year", 2018)
    values.setdefault("target", Decimal("250"))
    values.setdefault("budget", Decimal("1725000000"))
    return om.RenstraProgramYear.objects.create(program=program, **values)


def make_activity(**values: Any) -> om.RenstraActivity:
    program = values.pop("program", None) or make_program()
    values.setdefault("code", f"1.01.{next(_numbers):03d}")
    values.setdefault("name", "Bantuan sosial keluarga miskin")
    values.setdefault("output_indicator", "Keluarga miskin penerima bantuan")
    values.setdefault("output_unit", "KK")
    return om.RenstraActivity.objects.create(program=program, **values)


def make_activity_year(**values: Any) -> om.RenstraActivityYear:
    activity = values.pop("activity", None) or make_activity()
    values.setdefault("year", 2018)
    values.setdefault("target", Decimal("300"))
    return om.RenstraActivityYear.objects.create(activity=activity, **values)


def make_audit_entry(**values: Any) -> om.RenstraAuditEntry:
    renstra = values.pop("renstra", None) or make_renstra()
    user = f.UserFactory()
    values.setdefault("action", om.AuditAction.UPDATE)
    return om.RenstraAuditEntry.objects.create(
        renstra=renstra,
        renstra_version=renstra.version,
        object_type="renstra",
        object_id=renstra.pk,
        object_label=str(renstra),
        changes={"status": {"old": "draft", "new": "submitted"}},
        actor=user,
        actor_name=user.username,
        **values,
    )
