"""The cascade pages."""

from django.urls import path

from opd.cascade import views

app_name = "cascade"

urlpatterns = [
    path("kaskade/", views.cascade, name="cascade"),
    path("kaskade/kegiatan/<int:activity_id>/", views.activity, name="activity"),
    path("publik/kaskade/", views.public_cascade, name="public"),
]
