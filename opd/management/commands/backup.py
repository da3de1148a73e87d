"""``python manage.py backup [--file PATH | --dir DIR]``: a ``pg_dump -Fc`` of the database.

The command lives in ``opd``, the project's one app with management commands (``magelang`` is
the project package, not an installed app); the work is in ``magelang.backups``, since a backup
is of the whole database, every app's tables.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

from magelang.backups import BackupError, Database, backup_path, dump


class Command(BaseCommand):
    help = _(
        "Back up the PostgreSQL database (DATABASE_URL) with pg_dump -Fc to "
        "var/backups/<dbname>-<UTC timestamp>.dump, and print the file's path."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file", help=_("Write the backup here ('-': to standard output); never overwrites.")
        )
        parser.add_argument(
            "--dir", help=_("Directory for a timestamped backup (default: var/backups).")
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help=_("Database alias (default: default).")
        )

    def handle(
        self, *args: Any, file: str | None, dir: str | None, database: str, **options: Any
    ) -> None:
        try:
            target = Database.from_settings(connections[database].settings_dict)
            if file == "-":
                sys.stdout.flush()
                dump(target, None, stdout=sys.stdout.buffer)
                return
            if file:
                path = Path(file)
            else:
                path = backup_path(Path(dir) if dir else settings.VAR_DIR / "backups", target)
            dump(target, path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(path))
