"""Load the crosswalk from one nomenclature version's codes to their successors in another."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opd.nomenclature.loading import LoadRefused, load_crosswalk


class Command(BaseCommand):
    help = (
        "Load the crosswalk from the codes of an older nomenclature version to their "
        "successors in a newer one, from a CSV file: UTF-8 with or without BOM, comma or "
        "semicolon separated, a header row 'kind;old_code;new_code' then one line per row "
        "(a code that split takes one row per successor). kind is program, activity "
        "(kegiatan) or sub-activity (sub kegiatan), the same for both codes; old_code must be "
        "in --old-version and new_code in --new-version (load both with load_nomenclature "
        "first). Example row: 'program;1.06.01;1.06.02'. All or nothing: every bad row is "
        "named and nothing is stored. Loading again replaces the lines between the two "
        "versions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", type=Path, help="the CSV file")
        parser.add_argument("--old-version", required=True, help="the older version's name")
        parser.add_argument("--new-version", required=True, help="the newer version's name")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["csv"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            load = load_crosswalk(
                file_name=path.name,
                data=data,
                old_version=options["old_version"],
                new_version=options["new_version"],
            )
        except LoadRefused as refused:
            raise CommandError("Nothing was loaded:\n" + "\n".join(refused.problems)) from refused
        self.stdout.write(
            f"Crosswalk {options['old_version']} → {options['new_version']}: "
            f"{load.stored} lines stored, {load.replaced} replaced."
        )
