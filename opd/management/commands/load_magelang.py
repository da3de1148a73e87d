"""``python manage.py load_magelang [--demo]``: load Kota Magelang's seed facts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opd import seed_magelang
from opd.seeding import SeedConflict, load_magelang


class Command(BaseCommand):
    help = _(
        "Load Kota Magelang: region, kecamatan, kelurahan, RPJMD 2016–2021 with the poverty "
        "indicator, population and the (illustrative) OPD list. Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--demo",
            action="store_true",
            help=_("Also load demo users, 2018 work plans, realisations and aspirations."),
        )

    def handle(self, *args: Any, demo: bool, **options: Any) -> None:
        if demo and settings.PRODUCTION:
            raise CommandError(
                _("--demo is refused with DJANGO_ENV=production: demo logins share one password.")
            )
        try:
            report = load_magelang(demo=demo)
        except SeedConflict as conflict:
            lines = "\n".join(f"  - {line}" for line in conflict.conflicts)
            raise CommandError(
                _("The database holds data that conflicts with the seed; nothing was changed:")
                + "\n"
                + lines
            ) from conflict
        if report.changed_anything:
            created = ", ".join(
                f"{count} {label}" for label, count in sorted(report.created.items())
            )
            self.stdout.write(self.style.SUCCESS(_("Created: %(rows)s.") % {"rows": created}))
        else:
            self.stdout.write(
                self.style.SUCCESS(_("Kota Magelang is already loaded; nothing changed."))
            )
        if demo:
            self.stdout.write(
                _("Demo logins (password for all: %(password)s):")
                % {"password": seed_magelang.DEMO_PASSWORD}
            )
            for username, full_name, _role in seed_magelang.DEMO_USERS:
                self.stdout.write(f"  {username:<18} {full_name}")
