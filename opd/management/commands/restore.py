"""``python manage.py restore FILE [--force]``: a ``pg_dump -Fc`` archive back into the database.

Refused over a database that holds tables unless ``--force`` (``make restore FORCE=1``); the
work, and why, is in ``magelang.backups``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

from magelang.backups import BackupError, Database, restore


class Command(BaseCommand):
    help = _(
        "Restore a pg_dump -Fc backup into the PostgreSQL database (DATABASE_URL), in one "
        "transaction. Refused over a database that is not empty, unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help=_("The backup, as written by manage.py backup ('-': from standard input).")
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Replace the backup's tables in a database that is not empty."),
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help=_("Database alias (default: default).")
        )

    def handle(self, *args: Any, file: str, force: bool, database: str, **options: Any) -> None:
        connection = connections[database]
        try:
            target = Database.from_settings(connection.settings_dict)
            # This process's own idle connection must not hold a lock the restore waits for.
            connection.close()
            if file == "-":
                # Spooled to a private file first: the checks read the archive before pg_restore.
                with tempfile.NamedTemporaryFile(suffix=".dump") as spool:
                    shutil.copyfileobj(sys.stdin.buffer, spool)
                    spool.flush()
                    restore(target, Path(spool.name), force=force)
            else:
                restore(target, Path(file), force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Restored %(file)s into database %(name)s.")
            % {"file": _("standard input") if file == "-" else file, "name": target.name}
        )
