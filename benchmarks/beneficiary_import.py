"""Benchmark of a beneficiary list import: a generated 50,000-row CSV file, imported through
``opd.beneficiaries.services.beneficiary_list_replace`` by Dinas Kesehatan's head onto an activity
of its draft plan (Django set up, the demo seed loaded), then imported again over itself.

Returns the lines ``python -m benchmarks`` prints: reading and checking the file (every row's NIK
and No. KK hashed, its kelurahan looked up: everything before the first write), storing it (one
transaction: the plan locked, the rows inserted in batches, each passing the database's
``beneficiary_kelurahan_in_region`` rule, counts, audit), and the same file replacing the list
(the 50,000 old rows deleted first). The activity and everything it got are deleted afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

ROWS = 50_000
CODE = "1.02.01.999"


def generated_file(places: list[str], rows: int = ROWS) -> bytes:
    """A CSV in the import layout: ``rows`` synthetic persons (NIK 3371995..., three to a No. KK)
    over the kelurahan ``places``, desil 1 to 10 or empty."""
    lines = ["NIK;No. KK;Kelurahan;Desil"]
    for n in range(rows):
        desil = "" if n % 11 == 10 else str(1 + n % 10)
        lines.append(f"3371995{n:09d};3371996{n // 3:09d};{places[n % len(places)]};{desil}")
    return ("\n".join(lines) + "\n").encode()


def run() -> list[str]:
    from django.contrib.auth import get_user_model

    from opd.beneficiaries import services
    from opd.models import Activity, AuditEntry, Program, WorkPlan
    from targets.models import Kelurahan

    head = get_user_model().objects.get(username="kepala.dinkes")
    work_plan = WorkPlan.objects.get(
        opd__memberships__user=head, status=WorkPlan.Status.DRAFT, is_demo=True
    )
    program = Program.objects.filter(work_plan=work_plan).order_by("pk").first()
    if program is None:
        raise SystemExit("The demo seed should give kepala.dinkes a draft plan with a program.")
    Activity.objects.filter(program=program, code=CODE).delete()  # a run stopped half-way
    activity = Activity.objects.create(
        program=program,
        code=CODE,
        name="Benchmark: daftar penerima manfaat",
        output_indicator="Penerima",
        output_target=Decimal(ROWS),
        output_unit="orang",
        budget=Decimal(1),
    )
    places = list(
        Kelurahan.objects.filter(kecamatan__region=work_plan.plan.region_id).values_list(
            "name", flat=True
        )
    )
    data = generated_file(places)

    def timed_import() -> tuple[float, float]:
        """(read and check, store) in seconds, split where the service starts writing."""
        marks: dict[str, float] = {}
        store = services._store

        def timed_store(**kwargs: Any) -> Any:
            marks["store"] = time.perf_counter()
            return store(**kwargs)

        services._store = timed_store  # type: ignore[assignment]
        try:
            current = Activity.objects.get(pk=activity.pk)
            start = time.perf_counter()
            stored = services.beneficiary_list_replace(
                activity_id=current.pk,
                by=head,
                name="benchmark.csv",
                data=data,
                seen_version=current.version,
            )
            end = time.perf_counter()
        finally:
            services._store = store
        if stored.persons != ROWS:
            raise SystemExit(f"The import stored {stored.persons} persons, not {ROWS}.")
        return marks["store"] - start, end - marks["store"]

    try:
        checking, storing = timed_import()
        _recheck, replacing = timed_import()
    finally:
        AuditEntry.objects.filter(
            work_plan=work_plan, object_type="activity", object_id=activity.pk
        ).delete()
        activity.delete()
    return _lines(checking, storing, replacing, len(data))


def _lines(checking: float, storing: float, replacing: float, size: int) -> list[str]:
    per_row: Callable[[float], str] = lambda seconds: f"{seconds * 1e6 / ROWS:.0f} µs a row"  # noqa: E731
    return [
        f"persons, check     {checking * 1000:8.1f} ms  {ROWS} rows of CSV ({size / 1e6:.1f} MB) "
        f"read, checked and hashed ({per_row(checking)})",
        f"persons, store     {storing * 1000:8.1f} ms  {ROWS} persons inserted in one "
        f"transaction ({per_row(storing)})",
        f"persons, replace   {replacing * 1000:8.1f} ms  the same file over the list: "
        f"{ROWS} deleted, {ROWS} inserted",
    ]
