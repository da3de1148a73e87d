"""The beneficiary list pages, under a work plan (/renja/<plan>/...): included by
``opd.workplans.urls`` into its namespace, so they are ``opd:beneficiary_upload`` and so on."""

from django.urls import path

from opd.beneficiaries import views

urlpatterns = [
    path(
        "<int:pk>/kegiatan/<int:activity_pk>/penerima-manfaat/",
        views.beneficiary_upload,
        name="beneficiary_upload",
    ),
    path(
        "<int:pk>/kegiatan/<int:activity_pk>/penerima-manfaat/hapus/",
        views.beneficiary_delete,
        name="beneficiary_delete",
    ),
    path(
        "<int:pk>/penerima-manfaat/templat.xlsx",
        views.beneficiary_template_xlsx,
        name="beneficiary_template_xlsx",
    ),
    path(
        "<int:pk>/penerima-manfaat/templat.csv",
        views.beneficiary_template_csv,
        name="beneficiary_template_csv",
    ),
]
