"""The Renstra pages: list, one Renstra's year grid and lines, its workflow and history, and its
XLSX import (``import_urls``)."""

from django.urls import URLPattern, URLResolver, include, path

from opd.renstra import edit_views, views

app_name = "renstra"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.renstra_list, name="list"),
    path("baru/", views.renstra_create, name="create"),
    path("<int:pk>/", views.renstra_detail, name="detail"),
    path("<int:pk>/ajukan/", views.renstra_submit, name="submit"),
    path("<int:pk>/setujui/", views.renstra_approve, name="approve"),
    path("<int:pk>/kembalikan/", views.renstra_return, name="return"),
    path("<int:pk>/riwayat/", views.renstra_history, name="history"),
    path("<int:pk>/program/tambah/", edit_views.program_form, name="program_add"),
    path("<int:pk>/program/<int:program_pk>/ubah/", edit_views.program_form, name="program_edit"),
    path(
        "<int:pk>/program/<int:program_pk>/hapus/", edit_views.program_delete, name="program_delete"
    ),
    path("<int:pk>/kegiatan/tambah/", edit_views.activity_form, name="activity_add"),
    path(
        "<int:pk>/kegiatan/<int:activity_pk>/ubah/", edit_views.activity_form, name="activity_edit"
    ),
    path(
        "<int:pk>/kegiatan/<int:activity_pk>/hapus/",
        edit_views.activity_delete,
        name="activity_delete",
    ),
    path("", include("opd.renstra.import_urls")),
]
