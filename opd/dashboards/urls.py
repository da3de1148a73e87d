"""Dashboards, the public transparency page and the exports."""

from django.urls import path

from opd.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/opd/", views.opd_dashboard, name="opd"),
    path("dasbor/provinsi/", views.province, name="province"),
    path("publik/", views.public, name="public"),
    path("ekspor/renja/<int:year>/", views.renja_export, name="renja_all"),
    path("ekspor/renja/<int:year>/<int:opd_id>/", views.renja_export, name="renja"),
    path("ekspor/evaluasi/<int:year>/", views.evaluation_export, name="evaluation_all"),
    path("ekspor/evaluasi/<int:year>/<int:opd_id>/", views.evaluation_export, name="evaluation"),
    path("ekspor/kontribusi/<int:year>.csv", views.contribution_export, name="contributions_csv"),
]
