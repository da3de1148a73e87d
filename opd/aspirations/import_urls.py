"""The import pages of the aspirations (see urls.py): upload, the templates, and one import's
preview, confirmation and progress."""

from django.urls import URLPattern, path

from opd.aspirations import import_views

urlpatterns: list[URLPattern] = [
    path("usulan/impor/", import_views.import_upload, name="import_upload"),
    path(
        "usulan/impor/templat.xlsx",
        import_views.import_template_xlsx,
        name="import_template_xlsx",
    ),
    path("usulan/impor/templat.csv", import_views.import_template_csv, name="import_template_csv"),
    path("usulan/impor/<int:pk>/", import_views.import_batch, name="import_batch"),
    path("usulan/impor/<int:pk>/jalankan/", import_views.import_run, name="import_run"),
]
