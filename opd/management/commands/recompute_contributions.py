"""``python manage.py recompute_contributions [--year Y] [--indicator CODE]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opd.engine.compute import recompute_all
from targets.models import Indicator


class Command(BaseCommand):
    help = _(
        "Recompute the OPDs' contributions to the RPJMD indicators and store snapshots "
        "(only where the inputs changed). Prints a progress line per year."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", type=int, action="append", help=_("Only this year (repeatable).")
        )
        parser.add_argument(
            "--indicator", help=_("Only the indicator with this code, e.g. KEMISKINAN.")
        )

    def handle(
        self, *args: Any, year: list[int] | None, indicator: str | None, **options: Any
    ) -> None:
        if indicator and not Indicator.objects.filter(code=indicator).exists():
            raise CommandError(_("No indicator has the code %(code)s.") % {"code": indicator})

        def progress(done_year: int, done: int, total: int) -> None:
            self.stdout.write(
                _("%(year)s: done (%(done)s of %(total)s computations)")
                % {"year": done_year, "done": done, "total": total}
            )

        count = recompute_all(years=year, indicator_code=indicator, progress=progress)
        if count == 0:
            raise CommandError(
                _("Nothing to compute: no indicator has a plan covering those years.")
            )
        self.stdout.write(
            self.style.SUCCESS(_("%(count)s computations finished.") % {"count": count})
        )
