"""Load a nomenclature version's program and activity codes from a CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opd.nomenclature.loading import LoadRefused, load_nomenclature


class Command(BaseCommand):
    help = (
        "Load the codes of a nomenclature version (the regulation that issued them) from a CSV "
        "file: UTF-8 with or without BOM, comma or semicolon separated, a header row "
        "'kind;code;name' then one code per row. kind is program, activity (kegiatan) or "
        "sub-activity (sub kegiatan); code is digits and dots (X for the programs common to "
        "every affair, e.g. X.XX.01); name is the official name. Example rows: "
        "'program;1.06.01;PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA' and "
        "'activity;1.06.01.2.01;Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat "
        "Daerah'. All or nothing: every bad row is named and nothing is stored. Loading a "
        "version again (same --version-name) replaces its codes; two versions may not cover "
        "the same year."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", type=Path, help="the CSV file")
        parser.add_argument(
            "--version-name",
            required=True,
            help="e.g. 'Permendagri 90/2019 (Kepmendagri 050-5889/2021)'",
        )
        parser.add_argument(
            "--regulation", required=True, help="the regulation that issued the codes"
        )
        parser.add_argument(
            "--first-year", type=int, required=True, help="the first plan year it governs"
        )
        parser.add_argument(
            "--last-year", type=int, help="the last plan year it governs (omit while in force)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["csv"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            load = load_nomenclature(
                file_name=path.name,
                data=data,
                name=options["version_name"],
                regulation=options["regulation"],
                first_year=options["first_year"],
                last_year=options["last_year"],
            )
        except LoadRefused as refused:
            raise CommandError("Nothing was loaded:\n" + "\n".join(refused.problems)) from refused
        version = load.version
        span = f"{version.first_year}–{version.last_year or '…'}"
        self.stdout.write(
            f"{'Created' if load.created else 'Updated'} {version.name} ({version.regulation}, "
            f"{span}): {load.added} codes added, {load.renamed} renamed, {load.removed} removed, "
            f"{load.unchanged} unchanged; {load.crosswalk_removed} crosswalk lines removed."
        )
