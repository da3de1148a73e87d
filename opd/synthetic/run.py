"""A province of synthetic regions, for load tests and benchmarks: ``generate_synthetic``.

Deterministic: every row, code and figure comes from ``random.Random`` seeded with the run's
seed (each region from the seed and its number), so the same arguments write the same rows on
every run; only the moment a figure was marked pending (``dirty_since``) differs. Refused with
``DJANGO_ENV=production`` (its reviewer logins share the demo password), and when any region it
would create, or its reviewer login, exists already: then nothing is written.

Each region is written in its own transaction, so an interrupted run leaves whole regions;
running again with the same arguments is then refused, naming them. The figures are not
computed here: each region's (indicator, year) pairs are flagged pending, for
``manage.py recompute_contributions`` (or the periodic sweep) to compute.
"""

from __future__ import annotations

import string
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, reset_queries, transaction
from django.utils.translation import gettext as _

from opd import seed_magelang
from opd.models import BappedaRole
from opd.seeding import _load_reviewer_group, _Seeder
from opd.synthetic import draw
from opd.synthetic.bulk import Rows
from opd.synthetic.region import RegionSpec, Reviewer, add_reviewer, reviewer_user, write_region
from targets.models import Region

DEFAULT_PROVINCE = "S33"  # "S" for synthetic: no Kemendagri code starts with a letter
DEFAULT_PROVINCE_NAME = "Jawa Tengah (sintetis)"
DEFAULT_ACTIVITIES = 18_000  # per region: 35 regions make the province scale of issue 15
MAX_PROVINCE_CODE = 17  # a region's code (20 characters at most) adds ".NN"


class SyntheticRefused(Exception):
    """The generator refused to run; nothing was written."""


@dataclass(frozen=True)
class Progress:
    """Where a run stands after ``region`` of ``regions`` regions."""

    region: int
    regions: int
    code: str
    rows: int
    seconds: float

    @property
    def rate(self) -> float:
        """Rows written per second so far."""
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    @property
    def seconds_left(self) -> float:
        """The estimated time left, at the pace of the regions written so far."""
        return self.seconds / self.region * (self.regions - self.region)


@dataclass(frozen=True)
class Result:
    codes: list[str]
    rows: int
    seconds: float
    pending_pairs: int


def generate_synthetic(
    *,
    regions: int,
    seed: int,
    activities_per_region: int = DEFAULT_ACTIVITIES,
    province_code: str = DEFAULT_PROVINCE,
    progress: Callable[[Progress], None] | None = None,
) -> Result:
    """Write ``regions`` synthetic regions under the province ``province_code`` (created when
    absent), each with ``activities_per_region`` activities; raise SyntheticRefused first when
    the run is not allowed."""
    province_code = province_code.strip()
    _refuse_arguments(regions, activities_per_region, province_code)
    codes = draw.region_codes(province_code, regions)
    _refuse_existing(province_code, [code for code, _kind in codes])
    names = draw.region_names(draw.seeded(seed, "names"), [kind for _code, kind in codes])
    started = time.monotonic()
    with transaction.atomic():
        reviewer = Reviewer(
            group=_load_reviewer_group(_Seeder()),
            password_hash=_password_hash(seed),
            email_domain=seed_magelang.DEMO_EMAIL_DOMAIN,
        )
        province, rows = _province(province_code, reviewer)
    pending = 0
    for number, ((code, kind), name) in enumerate(zip(codes, names, strict=True), start=1):
        spec = RegionSpec(number=number, code=code, kind=kind, name=name)
        count, pairs = write_region(
            spec, seed=seed, province=province, activities=activities_per_region, reviewer=reviewer
        )
        rows += count
        pending += pairs
        # With DEBUG on, Django keeps the text of recent queries: megabytes per region here.
        # Not while a test is capturing them (it counts the log).
        if not connection.force_debug_cursor:
            reset_queries()
        if progress is not None:
            progress(Progress(number, regions, code, rows, time.monotonic() - started))
    return Result([code for code, _kind in codes], rows, time.monotonic() - started, pending)


def _refuse_arguments(regions: int, activities: int, province_code: str) -> None:
    if settings.PRODUCTION:
        raise SyntheticRefused(
            _(
                "generate_synthetic is refused with DJANGO_ENV=production: it writes made-up "
                "regions and reviewer logins that share the demo password."
            )
        )
    if not 1 <= regions <= draw.MAX_REGIONS:
        raise SyntheticRefused(
            _("--regions must lie within 1 and %(max)s (the regions of one province).")
            % {"max": draw.MAX_REGIONS}
        )
    if activities < 0:
        raise SyntheticRefused(_("--activities-per-region cannot be negative."))
    if not province_code or len(province_code) > MAX_PROVINCE_CODE or " " in province_code:
        raise SyntheticRefused(
            _("--province must be a code of 1 to %(max)s characters without spaces.")
            % {"max": MAX_PROVINCE_CODE}
        )


def _refuse_existing(province_code: str, codes: list[str]) -> None:
    """Refuse when a region to create, or a reviewer login, exists; or the province code
    names a region that is not a province."""
    province = Region.objects.filter(code=province_code).values_list("kind", flat=True).first()
    if province is not None and province != Region.Kind.PROVINCE:
        raise SyntheticRefused(
            _("Region %(code)s exists and is not a province (it is a %(kind)s).")
            % {"code": province_code, "kind": province}
        )
    existing = sorted(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    if existing:
        raise SyntheticRefused(
            _("These regions exist already; nothing was written: %(codes)s.")
            % {"codes": ", ".join(existing)}
        )
    users = get_user_model().objects.filter(username__in=[f"bappeda.{code}" for code in codes])
    taken = sorted(users.values_list("username", flat=True))
    if taken:
        raise SyntheticRefused(
            _("These logins exist already; nothing was written: %(usernames)s.")
            % {"usernames": ", ".join(taken)}
        )
    # The province's login is reused when it is that province's Bappeda already.
    province_reviewer = list(
        get_user_model()
        .objects.filter(username=f"bappeda.{province_code}")
        .values_list("bappeda_role__region__code", flat=True)
    )
    if province_reviewer and province_reviewer != [province_code]:
        raise SyntheticRefused(
            _(
                "The login bappeda.%(code)s exists but is not the Bappeda of region %(code)s; "
                "nothing was written."
            )
            % {"code": province_code}
        )


def _province(code: str, reviewer: Reviewer) -> tuple[Region, int]:
    """The province (created when absent) and its Bappeda login (likewise); the rows made."""
    rows = Rows()
    province = Region.objects.filter(code=code).first()
    if province is None:
        name = DEFAULT_PROVINCE_NAME if code == DEFAULT_PROVINCE else f"Provinsi {code} (sintetis)"
        province = Region.objects.create(code=code, name=name, kind=Region.Kind.PROVINCE)
        rows.count += 1
    if not BappedaRole.objects.filter(user__username=f"bappeda.{code}").exists():
        user = reviewer_user(f"bappeda.{code}", f"Bappeda {province.name}", reviewer)
        add_reviewer(rows, user, province, reviewer)
    return province, rows.count


def _password_hash(seed: int) -> str:
    """The demo password, hashed once for every login of the run, with a salt drawn from the
    seed (so reruns store the same hash; these logins are refused in production anyway)."""
    rng = draw.seeded(seed, "salt")
    salt = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(22))
    return make_password(seed_magelang.DEMO_PASSWORD, salt=salt)
