"""The Renstra pages: list, one Renstra's year grid and lines, its workflow and history, and its
XLSX import (``import_urls``)."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "renstra"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("opd.renstra.import_urls")),
]
