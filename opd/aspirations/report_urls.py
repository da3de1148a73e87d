"""The report pages of the aspirations (see urls.py): Bappeda's summary and its export."""

from django.urls import URLPattern, path

from opd.aspirations import report_views

urlpatterns: list[URLPattern] = [
    path("usulan/ringkasan/", report_views.summary, name="report"),
    path("usulan/ringkasan.xlsx", report_views.summary_xlsx, name="report_xlsx"),
]
