from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from magelang import db_rules


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = _("RPJMD plan and targets")

    def ready(self) -> None:
        from targets.admin_figures import install

        install()  # years as 2018 and figures without trailing zeros in the admin
        db_rules.keep_installed(self)  # the cross-row rules of targets/rules.py
