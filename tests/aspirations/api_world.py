"""The API's world (``tests/api/world.py``: OPD A with a draft 2018 plan, OPD B, tokens) with
the people of an aspiration (``tests/aspirations/world.py``: the staff of its kelurahan, of its
kecamatan and of another kecamatan), and an API client for each kind of caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from rest_framework.test import APIClient

from opd import models as om
from tests.api.world import ApiWorld, build
from tests.aspirations.world import INTAKE, AspirationWorld, deployed_here
from tests.factories import AreaStaffFactory, KecamatanFactory, UserFactory

#: Every kind of caller of the aspiration writes: no one, a read token, a write token of OPD A
#: (the OPD the aspirations are recommended to) and of OPD B, the head of OPD A and of another
#: OPD (sessions), a Bappeda reviewer, the staff of the aspiration's kelurahan and of another
#: kecamatan.
ROLES = (
    "anonymous",
    "read",
    "write_own",
    "write_other",
    "head",
    "other_head",
    "reviewer",
    "area_staff",
    "other_area_staff",
)
TOKENS = ("read", "write_own", "write_other")
NAME, CONTACT = str(INTAKE["proposer"]), str(INTAKE["proposer_contact"])


@dataclass
class AspirationApiWorld:
    api: ApiWorld
    people: AspirationWorld

    @classmethod
    def build(cls) -> AspirationApiWorld:
        api = build()
        kelurahan = api.plan.kelurahan
        deployed_here(kelurahan.kecamatan.region)
        other = KecamatanFactory(region=kelurahan.kecamatan.region, name="Magelang Selatan")
        people = AspirationWorld(
            plan=api.plan,
            kelurahan_staff=AreaStaffFactory(
                user=UserFactory(username="staf.kramat"), kelurahan=kelurahan
            ).user,
            kecamatan_staff=AreaStaffFactory(
                user=UserFactory(username="staf.kec.utara"),
                kelurahan=None,
                kecamatan=kelurahan.kecamatan,
            ).user,
            other_area_staff=AreaStaffFactory(
                user=UserFactory(username="staf.kec.selatan"), kelurahan=None, kecamatan=other
            ).user,
            anonymous=AnonymousUser(),
        )
        return cls(api=api, people=people)

    def person(self, role: str) -> Any:
        plan = self.api.plan
        return {
            "head": plan.head,
            "other_head": plan.outsider,
            "reviewer": plan.reviewer,
            "area_staff": self.people.kelurahan_staff,
            "kecamatan_staff": self.people.kecamatan_staff,
            "other_area_staff": self.people.other_area_staff,
        }[role]

    def client(self, role: str) -> APIClient:
        """An API client for ``role`` that reads the answers in English (Accept-Language)."""
        if role in (*TOKENS, "anonymous"):
            client = self.api.client(role)
        else:
            client = APIClient()
            client.force_login(self.person(role))
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    def at(self, status: str) -> om.Aspiration:
        """An aspiration of OPD A's kelurahan, moved by the services up to ``status``
        (recommended to OPD A, accepted into its plan's activity)."""
        return self.people.at(status)


def intake_body(world: AspirationApiWorld, **changes: Any) -> dict[str, Any]:
    """A valid create body, as JSON: the intake of ``tests/aspirations/world.py``."""
    body: dict[str, Any] = {name: str(value) for name, value in INTAKE.items()}
    body.update(year=INTAKE["year"], priority=INTAKE["priority"])
    return {**body, "kelurahan": world.api.plan.kelurahan.pk, **changes}


def etag_of(aspiration: om.Aspiration) -> str:
    aspiration.refresh_from_db()
    return f'"{aspiration.version}"'


def fingerprint() -> tuple[Any, ...]:
    """Every aspiration's stored state and the number of events: a refused write keeps both."""
    rows = om.Aspiration.objects.order_by("pk").values_list(
        "pk",
        "version",
        "status",
        "title",
        "kelurahan",
        "recommended_opd",
        "activity",
        "rejection_code",
        "rejection_reason",
    )
    return list(rows), om.AspirationEvent.objects.count()
