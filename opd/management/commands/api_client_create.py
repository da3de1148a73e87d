"""Create an API client for another city system and print its token, once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opd.clients import services as client_services
from opd.models import ApiClient, Opd
from opd.workplans import services


class Command(BaseCommand):
    help = (
        "Create an API client and print its token (shown this once; only its hash is "
        "stored). A write client must be bound to an OPD with --opd."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--scope", choices=ApiClient.Scope.values, required=True)
        parser.add_argument("--opd", metavar="CODE", help="the code of the client's OPD")

    def handle(self, *args: Any, **options: Any) -> None:
        opd = None
        if options["opd"]:
            matches = list(Opd.objects.filter(code=options["opd"])[:2])
            if len(matches) != 1:
                raise CommandError(
                    f"No OPD with code {options['opd']}."
                    if not matches
                    else f"Several regions have an OPD with code {options['opd']}."
                )
            opd = matches[0]
        try:
            client, token = client_services.api_client_create(
                name=options["name"], scope=options["scope"], opd=opd
            )
        except services.WorkflowError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(
            f"API client {client.name} ({client.scope}"
            f"{', OPD ' + opd.code if opd else ''}) created. Its token, shown only now:"
        )
        self.stdout.write(token)
