"""Aspirations: their public status (no login)."""

from django.urls import path

from opd.aspirations import views

app_name = "aspirations"

urlpatterns = [
    path("publik/usulan/", views.public_lookup, name="public_lookup"),
    path("publik/usulan/<str:reference>/", views.public_detail, name="public_detail"),
]
