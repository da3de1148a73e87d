"""The world of the staff aspiration pages' permission matrix (``test_permission_matrix.py``).

The aspiration world (``world.py``: OPD A's 2018 draft plan with an activity, OPD B of the same
region, Bappeda, the staff of Kramat Utara, of its kecamatan and of another kecamatan) as the
deployment's region, with a kelurahan in the other kecamatan, that region a kota of a province
(its parent), plus a superuser of no OPD and no area, the Bappeda of another kota of the same
province ("stranger") and the province's Bappeda ("province"), one aspiration of Kramat Utara moved through the services to the stage the row names
(recommended, when it is, to OPD A), and one import staged by the kelurahan's staff. Also what each request sends, and ``snapshot`` of
the rows a refused or read-only request must leave alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import reverse

from opd import models as om
from targets.models import Kecamatan, Region
from tests.aspirations.import_world import good, upload, xlsx
from tests.aspirations.world import INTAKE, AspirationWorld
from tests.factories import KelurahanFactory, RegionFactory, UserFactory
from tests.permission_world import snapshot as plan_snapshot
from tests.workplans.plan_world import reviewer

RECEIVED, VERIFIED, RECOMMENDED, ACCEPTED = "received", "verified", "recommended", "accepted"
#: Only the stage changes what the import rows see; they run on a received aspiration.
ANY = RECEIVED

#: The columns: who signs in.
ROLES = (
    "anonymous",
    "head_a",  # head of OPD A, the OPD the aspiration is (or will be) recommended to
    "head_b",  # head of OPD B, same region
    "reviewer",  # Bappeda
    "admin",  # a superuser of no OPD and no area
    "kelurahan",  # staff of the aspiration's kelurahan (Kramat Utara)
    "kecamatan",  # staff of its kecamatan (Magelang Utara)
    "other_area",  # staff of another kecamatan (Magelang Selatan)
    "stranger",  # Bappeda of another kota of the same province (a BappedaRole there)
    "province",  # Bappeda of the province: reads the aspirations of its kota, acts on none
)
#: Who may see who proposed an aspiration: Bappeda (and so the superuser) and the staff of its
#: place; never an OPD as such, nor the staff of another area.
SEES_PROPOSER = frozenset({"reviewer", "admin", "kelurahan", "kecamatan"})
PROPOSER, CONTACT = INTAKE["proposer"], INTAKE["proposer_contact"]


@dataclass
class MatrixWorld:
    base: AspirationWorld
    admin: Any
    aspiration: om.Aspiration
    batch: om.AspirationImport
    stranger: Any
    province: Any

    @classmethod
    def build(cls, settings: Any, status: str) -> MatrixWorld:
        base = AspirationWorld.build()
        settings.DEFAULT_REGION_CODE = base.plan.work_plan.opd.region.code
        # The other kecamatan's staff act for a kelurahan of their own (else they have no role).
        KelurahanFactory(kecamatan=Kecamatan.objects.get(name="Magelang Selatan"), name="Tidar")
        admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
        region = base.plan.work_plan.opd.region
        province = RegionFactory(code="98", name="Provinsi Contoh", kind=Region.Kind.PROVINCE)
        Region.objects.filter(pk=region.pk).update(parent=province)
        other_city = RegionFactory(code="98.01", name="Kota Lain", parent=province)
        KelurahanFactory(kecamatan__region=other_city, name="Kelurahan Lain")
        batch = om.AspirationImport.objects.create(
            region=base.plan.work_plan.opd.region,
            uploaded_by=base.kelurahan_staff,
            file_name="usulan-kramat.xlsx",
            rows=[],
            row_count=1,
            summary={"kelurahan": [], "forum": []},
        )
        return cls(
            base=base,
            admin=admin,
            aspiration=base.at(status),
            batch=batch,
            stranger=reviewer("bappeda.lain", region=other_city),
            province=reviewer("bappeda.provinsi", region=province),
        )

    def user(self, role: str) -> Any:
        return {
            "anonymous": None,
            "head_a": self.base.plan.head,
            "head_b": self.base.plan.outsider,
            "reviewer": self.base.plan.reviewer,
            "admin": self.admin,
            "kelurahan": self.base.kelurahan_staff,
            "kecamatan": self.base.kecamatan_staff,
            "other_area": self.base.other_area_staff,
            "stranger": self.stranger,
            "province": self.province,
        }[role]

    def client(self, role: str) -> Client:
        client = Client()
        if self.user(role) is not None:
            client.force_login(self.user(role))
        return client

    def queue_batch(self) -> None:
        """The import confirmed already (waiting for the worker)."""
        om.AspirationImport.objects.filter(pk=self.batch.pk).update(
            state=om.AspirationImport.State.QUEUED
        )


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """The plans' and aspirations' rows (``tests/permission_world.py``) and the imports."""
    imports = [dict(row) for row in om.AspirationImport.objects.order_by("pk").values()]
    return {**plan_snapshot(), "AspirationImport": imports}


# --- what each request sends ---------------------------------------------------------------


def _url(name: str, *args: Any) -> str:
    return reverse(f"aspirations:{name}", args=args)


def intake(w: MatrixWorld) -> dict[str, Any]:
    """A complete intake of an aspiration of Kramat Utara."""
    return {
        "forum": om.AspirationForum.MUSRENBANG_KELURAHAN,
        "received_on": "2018-01-23",
        "year": 2019,
        "kelurahan": w.base.plan.kelurahan.pk,
        "proposer_kind": "group",
        "proposer": "Karang Taruna RW 05",
        "proposer_contact": "0812 1111 2222",
        "category": om.AspirationCategory.ECONOMY,
        "title": "Pelatihan sablon bagi pemuda",
        "description": "Usulan RW 05.",
        "indicator": "",
        "priority": 1,
    }


def correction(w: MatrixWorld) -> dict[str, Any]:
    """The aspiration's details as they are, with a corrected title."""
    a = w.aspiration
    return {
        "kelurahan": a.kelurahan_id,
        "title": "Pelatihan menjahit dan bordir bagi ibu rumah tangga",
        "description": a.description,
        "category": a.category,
        "indicator": "",
        "priority": a.priority or "",
        "proposer": a.proposer,
        "proposer_kind": a.proposer_kind,
        "proposer_contact": a.proposer_contact,
        "received_on": a.received_on.isoformat(),
        "seen_version": a.version,
    }


def stage(action: str, **fields: Any) -> Callable[[MatrixWorld], dict[str, Any]]:
    """A stage form's POST as the aspiration's page sends it: prefixed, with the version seen.
    A callable value is given the world (the OPD or activity to name)."""

    def data(w: MatrixWorld) -> dict[str, Any]:
        values = {"seen_version": w.aspiration.version, **fields}
        return {
            f"{action}-{name}": value(w) if callable(value) else value
            for name, value in values.items()
        }

    return data


def import_file(w: MatrixWorld) -> dict[str, Any]:
    """A clean one-row file for Kramat Utara."""
    return {"file": upload("usulan.xlsx", xlsx([good(1)]))}


Request = Callable[[MatrixWorld], tuple[str, dict[str, Any]]]


def on_aspiration(
    name: str, data: Callable[[MatrixWorld], dict[str, Any]] | None = None
) -> Request:
    return lambda w: (_url(name, w.aspiration.pk), data(w) if data else {})


def on_batch(w: MatrixWorld) -> tuple[str, dict[str, Any]]:
    return _url("import_run", w.batch.pk), {}


def on_queued_batch(w: MatrixWorld) -> tuple[str, dict[str, Any]]:
    w.queue_batch()
    return _url("import_run", w.batch.pk), {}


def plain(name: str, data: Callable[[MatrixWorld], dict[str, Any]] | None = None) -> Request:
    return lambda w: (_url(name), data(w) if data else {})


def there(name: str, data: Callable[[MatrixWorld], dict[str, Any]] | None = None) -> Request:
    """The page of the aspiration's region, named with the region picker (``?wilayah=``)."""
    return lambda w: (
        f"{_url(name)}?wilayah={w.base.plan.work_plan.opd.region.code}",
        data(w) if data else {},
    )


# For each request of the matrix: its URL name, and the URL and POST data it sends.
REQUESTS: dict[str, tuple[str, Request]] = {
    "staff_list": ("staff_list", plain("staff_list")),
    "create": ("create", plain("create", intake)),
    "staff_detail": ("staff_detail", on_aspiration("staff_detail")),
    "edit": ("edit", on_aspiration("edit", correction)),
    "verify": ("verify", on_aspiration("verify", stage("verify", note="Lokasi dicek."))),
    "recommend": (
        "recommend",
        on_aspiration(
            "recommend", stage("recommend", opd=lambda w: w.base.plan.work_plan.opd.pk, note="")
        ),
    ),
    "accept": (
        "accept",
        on_aspiration("accept", stage("accept", activity=lambda w: w.base.plan.activity.pk)),
    ),
    "reject": (
        "reject",
        on_aspiration("reject", stage("reject", code=om.RejectionCode.DUPLICATE, text="")),
    ),
    "import_upload": ("import_upload", plain("import_upload", import_file)),
    "import_template_xlsx": ("import_template_xlsx", plain("import_template_xlsx")),
    "import_template_csv": ("import_template_csv", plain("import_template_csv")),
    "import_batch": ("import_batch", lambda w: (_url("import_batch", w.batch.pk), {})),
    "import_run": ("import_run", on_batch),
    "import_run_again": ("import_run", on_queued_batch),
    "report": ("report", plain("report")),
    "report_xlsx": ("report_xlsx", plain("report_xlsx")),
    # The aspiration's region asked for by name: a region the user does not see is a 404.
    "staff_list_there": ("staff_list", there("staff_list")),
    "import_upload_there": ("import_upload", there("import_upload", import_file)),
    "import_template_xlsx_there": ("import_template_xlsx", there("import_template_xlsx")),
    "report_there": ("report", there("report")),
    "report_xlsx_there": ("report_xlsx", there("report_xlsx")),
}
