"""Revoke an API client's token."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opd.clients import services as client_services
from opd.models import ApiClient


class Command(BaseCommand):
    help = "Revoke an API client's token; requests with it are refused from now on."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            client = client_services.api_client_revoke(name=options["name"])
        except ApiClient.DoesNotExist as error:
            raise CommandError(f"No API client named {options['name']}.") from error
        self.stdout.write(
            f"API client {client.name} revoked at {client.revoked_at:%Y-%m-%d %H:%M}."
        )
