"""The world of the Renstra page tests, and how they read a page (``client_for`` in English,
``said``, ``text``): the permission world's OPDs and people (OPD A and B of
one region, ``member`` of A, ``other`` of B, ``reviewer`` of Bappeda), plus ``signed_in``, a
signed-in user of no OPD who reviews nothing, and OPD A's Renstra for the RPJMD 2016–2021 with
one complete program (a target and a budget every year) and one complete activity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from html import unescape
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Model
from django.test import Client
from django.utils import timezone

from opd import models as om
from opd.renstra import services
from tests.factories import UserFactory
from tests.permission_world import World as PermissionWorld
from tests.permission_world import build_world

PERIOD = range(2016, 2022)  # PlanFactory's plan
ROLES = ("anonymous", "member", "other", "reviewer", "signed_in")
DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"

# Rows a refused request must leave alone.
WATCHED: tuple[type[Model], ...] = (
    om.Renstra,
    om.RenstraProgram,
    om.RenstraProgramYear,
    om.RenstraActivity,
    om.RenstraActivityYear,
    om.RenstraAuditEntry,
)


def snapshot() -> dict[str, list[dict[str, Any]]]:
    return {
        model.__name__: list(model._default_manager.order_by("pk").values()) for model in WATCHED
    }


def program_years(target: str = "100", budget: str = "1000000") -> dict[int, Any]:
    return {year: (Decimal(target), Decimal(budget)) for year in PERIOD}


@dataclass
class RenstraWorld:
    base: PermissionWorld
    users: dict[str, Any]
    renstra: om.Renstra
    program: om.RenstraProgram
    activity: om.RenstraActivity

    def client(self, role: str) -> Client:
        client = Client()
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client

    def set_status(self, status: str) -> None:
        """Put A's Renstra in ``status`` directly (the stamps its constraints ask for)."""
        now = timezone.now()
        om.Renstra.objects.filter(pk=self.renstra.pk).update(
            status=status,
            submitted_at=None if status == DRAFT else now,
            reviewed_at=now if status in (RETURNED, APPROVED) else None,
        )
        self.refresh()

    def refresh(self) -> None:
        for row in (self.renstra, self.program, self.activity):
            row.refresh_from_db()

    def add_program(self, code: str, **values: Any) -> om.RenstraProgram:
        return services.renstra_program_save(
            renstra_id=self.renstra.pk,
            by=self.users["member"],
            values={"code": code, "name": values.pop("name", f"Program {code}"), **values},
            years=program_years(),
        )

    def add_activity(self, program: om.RenstraProgram, code: str) -> om.RenstraActivity:
        return services.renstra_activity_save(
            renstra_id=self.renstra.pk,
            by=self.users["member"],
            values={"program": program, "code": code, "name": f"Kegiatan {code}"},
            years={year: Decimal("10") for year in PERIOD},
        )


def build_renstra_world() -> RenstraWorld:
    base = build_world()
    users = {
        "anonymous": None,
        "member": base.users["member"],
        "other": base.users["other"],
        "reviewer": base.users["reviewer"],
        "signed_in": UserFactory(username="warga"),
    }
    renstra = services.renstra_create(opd=base.opd_a, plan=base.plan_a.plan, by=users["member"])
    world = RenstraWorld(base, users, renstra, None, None)  # type: ignore[arg-type]
    world.program = world.add_program(
        "1.06.01",
        name="Program Perlindungan dan Jaminan Sosial",
        outcome_indicator="Keluarga miskin yang mandiri",
        outcome_unit="KK",
        indicator=base.indicator,
    )
    world.activity = world.add_activity(world.program, "1.06.01.001")
    world.refresh()
    return world


def client_for(world: RenstraWorld, role: str) -> Client:
    client = world.client(role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def said(response: Any) -> list[str]:
    return [str(m) for m in messages.get_messages(response.wsgi_request)]


def text(response: Any) -> str:
    """The page's text without tags, whitespace collapsed."""
    html = response.content.decode()
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))
