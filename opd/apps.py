from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from magelang import db_rules


class OpdConfig(AppConfig):
    name = "opd"
    verbose_name = _("OPDs and work plans")

    def ready(self) -> None:
        db_rules.keep_installed(self)  # the cross-row rules of opd/rules.py
