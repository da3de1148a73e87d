"""Aspirations: their public status (no login), and the staff's pages under ``/usulan/``:
intake and the stages (``staff_urls``), the bulk import (``import_urls``) and Bappeda's
summary (``report_urls``)."""

from django.urls import path

from opd.aspirations import import_urls, report_urls, staff_urls, views

app_name = "aspirations"

urlpatterns = [
    path("publik/usulan/", views.public_lookup, name="public_lookup"),
    path("publik/usulan/<str:reference>/", views.public_detail, name="public_detail"),
    *import_urls.urlpatterns,
    *report_urls.urlpatterns,
    *staff_urls.urlpatterns,
]
