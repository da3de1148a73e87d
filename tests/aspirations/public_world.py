"""Aspirations in every stage, for the public status pages: one region (the default one), its
RPJMD, a kelurahan, an OPD with a 2018 work plan and an activity, and ``at_stage(status)``
building an aspiration that went the usual way up to ``status``, with one event per stage."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from opd import models as om
from opd.aspirations.models import WITH_ACTIVITY
from tests.factories import (
    ActivityFactory,
    AspirationEventFactory,
    AspirationFactory,
    KecamatanFactory,
    KelurahanFactory,
    OpdFactory,
    PlanFactory,
    ProgramFactory,
    RealisationFactory,
    RegionFactory,
    WorkPlanFactory,
)

WIB = ZoneInfo("Asia/Jakarta")
LOOKUP = "/publik/usulan/"
STAGES = ("received", "verified", "recommended", "accepted", "funded", "realised", "rejected")
PROPOSER = "Ibu Sri Wahyuningsih"
CONTACT = "0812-7788-4455"
PATH = ("received", "verified", "recommended", "accepted", "funded", "realised")
#: The day each stage is reached.
ON = {
    "received": datetime(2017, 2, 1, 10, tzinfo=WIB),
    "verified": datetime(2017, 2, 8, 10, tzinfo=WIB),
    "recommended": datetime(2017, 3, 3, 10, tzinfo=WIB),
    "accepted": datetime(2017, 8, 1, 10, tzinfo=WIB),
    "funded": datetime(2017, 9, 29, 10, tzinfo=WIB),
    "realised": datetime(2018, 4, 10, 10, tzinfo=WIB),
    "rejected": datetime(2017, 3, 20, 10, tzinfo=WIB),
}


@dataclass
class PublicWorld:
    region: Any
    kelurahan: Any
    other_kelurahan: Any
    opd: Any
    work_plan: Any
    activity: Any

    @classmethod
    def build(cls, plan_status: str = om.WorkPlan.Status.APPROVED) -> PublicWorld:
        region = RegionFactory(code=settings.DEFAULT_REGION_CODE, name="Kota Magelang")
        rpjmd = PlanFactory(region=region)
        kecamatan = KecamatanFactory(region=region, name="Magelang Utara")
        kelurahan = KelurahanFactory(kecamatan=kecamatan, name="Kramat Utara")
        other = KelurahanFactory(
            kecamatan=KecamatanFactory(region=region, name="Magelang Selatan"), name="Tidar Utara"
        )
        opd = OpdFactory(region=region, code="1.03", name="Dinas Pekerjaan Umum")
        work_plan = WorkPlanFactory(opd=opd, plan=rpjmd, year=2018, status=plan_status)
        activity = ActivityFactory(
            program=ProgramFactory(work_plan=work_plan),
            name="Rehabilitasi saluran drainase lingkungan",
            output_target=Decimal("1200"),
            output_unit="meter",
            budget=Decimal("350000000"),
        )
        return cls(region, kelurahan, other, opd, work_plan, activity)

    def at_stage(self, status: str, **overrides: Any) -> om.Aspiration:
        """An aspiration now at ``status``, with the events of the way it came; a rejected one
        was rejected once recommended, for the reason ``rejection_code`` (default "other")."""
        rejected = status == "rejected"
        last = "recommended" if rejected else status
        way = list(PATH[: PATH.index(last) + 1])
        fields: dict[str, Any] = {
            "region": self.region,
            "kelurahan": self.kelurahan,
            "title": "Perbaikan saluran air RW 04",
            "description": "Saluran tersumbat dan meluap saat hujan.",
            "category": om.Aspiration.Category.INFRASTRUCTURE,
            "proposer": PROPOSER,
            "proposer_kind": om.Aspiration.ProposerKind.PERSON,
            "proposer_contact": CONTACT,
            "received_on": ON["received"].date(),
            "status": status,
        }
        if "recommended" in way:
            fields["recommended_opd"] = self.opd
        if status in WITH_ACTIVITY:
            fields["activity"] = self.activity
        if rejected:
            fields["rejection_code"] = overrides.pop("rejection_code", "other")
            fields["rejection_reason"] = overrides.pop(
                "rejection_reason",
                "Saluran ini milik provinsi." if fields["rejection_code"] == "other" else "",
            )
        fields.update(overrides)
        aspiration = AspirationFactory(**fields)
        before = ""
        for stage in [*way, "rejected"] if rejected else way:
            AspirationEventFactory(
                aspiration=aspiration,
                kind=om.AspirationEvent.Kind.INTAKE
                if before == ""
                else om.AspirationEvent.Kind.STAGE,
                from_status=before,
                to_status=stage,
                rejection_code=fields.get("rejection_code", "") if stage == "rejected" else "",
                at=ON[stage],
            )
            before = stage
        return aspiration

    def report(self, quarters: int) -> None:
        """The activity's realisation: ``quarters`` quarters, 100 m and Rp 40.000.000 each."""
        for quarter in range(1, quarters + 1):
            RealisationFactory(
                activity=self.activity,
                quarter=quarter,
                output_achieved=Decimal("100"),
                budget_spent=Decimal("40000000"),
            )


def shown(message: str, **values: Any) -> str:
    """What the Indonesian page shows for ``message`` (its translation, or the message itself
    until the catalogue has it), with ``values`` put in."""
    with translation.override("id"):
        out = str(translation.gettext(message))
    return out % values if values else out


def detail(reference: str) -> str:
    return reverse("aspirations:public_detail", args=[reference])


def text(response: Any) -> str:
    """The page's visible text, tags dropped, white space (a no-break space too) collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))).strip()
