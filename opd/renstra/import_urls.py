"""The Renstra's XLSX import: the file to fill in, upload, the all-or-nothing preview and its
confirmation (``import_views``), under the ``renstra`` namespace."""

from django.urls import URLPattern, path

from opd.renstra import import_views

urlpatterns: list[URLPattern] = [
    path("<int:pk>/impor/", import_views.import_upload, name="import_upload"),
    path("<int:pk>/impor/pratinjau/", import_views.import_preview, name="import_preview"),
    path("<int:pk>/impor/jalankan/", import_views.import_confirm, name="import_confirm"),
    path(
        "<int:pk>/impor/templat.xlsx",
        import_views.import_template_xlsx,
        name="import_template_xlsx",
    ),
    path(
        "<int:pk>/impor/templat.csv", import_views.import_template_csv, name="import_template_csv"
    ),
]
