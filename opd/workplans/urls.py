from django.urls import path

from opd.beneficiaries import urls as beneficiary_urls
from opd.workplans import edit_views, views

app_name = "opd"

urlpatterns = [
    path("", views.work_plan_list, name="work_plans"),
    path("baru/", views.work_plan_create, name="work_plan_create"),
    path("tenggat/", views.deadline_form, name="deadline"),
    path("<int:pk>/", views.work_plan_detail, name="work_plan"),
    path("<int:pk>/ajukan/", views.work_plan_submit, name="work_plan_submit"),
    path("<int:pk>/setujui/", views.work_plan_approve, name="work_plan_approve"),
    path("<int:pk>/kembalikan/", views.work_plan_return, name="work_plan_return"),
    path("<int:pk>/buka-kembali/", views.work_plan_reopen, name="work_plan_reopen"),
    path("<int:pk>/riwayat/", views.work_plan_history, name="work_plan_history"),
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
    path(
        "<int:pk>/kegiatan/<int:activity_pk>/realisasi/",
        edit_views.realisation_form,
        name="realisation",
    ),
    *beneficiary_urls.urlpatterns,
]
