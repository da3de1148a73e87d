"""The admin site's entry for the ``opd`` app: Django's autodiscovery imports this module, which
loads each room's admin. Each registers its own models; see the modules for what they show."""

from opd.agencies import admin as agencies_admin
from opd.aspirations import admin as aspirations_admin
from opd.clients import admin as clients_admin
from opd.engine import admin as engine_admin
from opd.nomenclature import admin as nomenclature_admin
from opd.renstra import admin as renstra_admin
from opd.workplans import admin as workplans_admin
from opd.workplans import records_admin

__all__ = [
    "agencies_admin",
    "aspirations_admin",
    "clients_admin",
    "engine_admin",
    "nomenclature_admin",
    "records_admin",
    "renstra_admin",
    "workplans_admin",
]
