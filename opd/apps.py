from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class OpdConfig(AppConfig):
    name = "opd"
    verbose_name = _("OPDs and work plans")

    def ready(self) -> None:
        pre_migrate.connect(uninstall_rules, sender=self, dispatch_uid=f"{self.name}.rules")
        post_migrate.connect(install_rules, sender=self, dispatch_uid=f"{self.name}.rules")


def install_rules(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Install this app's cross-row rules (triggers) after every migrate; see magelang.db_rules."""
    from magelang.db_rules import install
    from opd.rules import RULES

    install(connections[using], RULES)


def uninstall_rules(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Drop this app's triggers on SQLite before migrating; see magelang.db_rules."""
    from magelang.db_rules import uninstall
    from opd.rules import RULES

    uninstall(connections[using], RULES)
