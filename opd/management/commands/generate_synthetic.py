"""``python manage.py generate_synthetic --regions N --seed S [--activities-per-region M]
[--province CODE]``: a province of synthetic regions (see ``opd.synthetic.run``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opd import seed_magelang
from opd.synthetic.run import (
    DEFAULT_ACTIVITIES,
    DEFAULT_PROVINCE,
    Progress,
    SyntheticRefused,
    generate_synthetic,
)


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


class Command(BaseCommand):
    help = _(
        "Write synthetic regions under a province, each with its RPJMD, poverty indicator, 40 "
        "OPDs, six years of work plans, activities, contributions and realisations, and a "
        "Bappeda reviewer; the same seed writes the same rows. Refused in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--regions", type=int, required=True, help=_("How many regions."))
        parser.add_argument("--seed", type=int, required=True, help=_("The random seed."))
        parser.add_argument(
            "--activities-per-region",
            type=int,
            default=DEFAULT_ACTIVITIES,
            help=_("Activities in each region, over its six years (default %(default)s)."),
        )
        parser.add_argument(
            "--province",
            default=DEFAULT_PROVINCE,
            help=_("The province's code, created when absent (default %(default)s)."),
        )

    def handle(
        self,
        *args: Any,
        regions: int,
        seed: int,
        activities_per_region: int,
        province: str,
        **options: Any,
    ) -> None:
        def report(step: Progress) -> None:
            self.stdout.write(
                _(
                    "Region %(region)s of %(regions)s (%(code)s): %(rows)s rows so far, "
                    "%(rate)s rows/s, about %(left)s left"
                )
                % {
                    "region": step.region,
                    "regions": step.regions,
                    "code": step.code,
                    "rows": f"{step.rows:,}",
                    "rate": f"{step.rate:,.0f}",
                    "left": _duration(step.seconds_left),
                }
            )

        try:
            result = generate_synthetic(
                regions=regions,
                seed=seed,
                activities_per_region=activities_per_region,
                province_code=province,
                progress=report,
            )
        except SyntheticRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(
            self.style.SUCCESS(
                _("%(regions)s regions, %(rows)s rows in %(time)s (%(rate)s rows/s).")
                % {
                    "regions": len(result.codes),
                    "rows": f"{result.rows:,}",
                    "time": _duration(result.seconds),
                    "rate": f"{result.rows / max(result.seconds, 1e-9):,.0f}",
                }
            )
        )
        self.stdout.write(
            _(
                "Reviewer logins bappeda.<region code> (password %(password)s). The figures are "
                "pending (%(pairs)s indicator-years): run manage.py recompute_contributions."
            )
            % {"password": seed_magelang.DEMO_PASSWORD, "pairs": result.pending_pairs}
        )
