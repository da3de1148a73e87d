"""The staff pages of the aspirations (see urls.py): the list, the intake, one aspiration with
its stage actions, and the correction of its details."""

from django.urls import URLPattern, path

from opd.aspirations import staff_views, stage_views

urlpatterns: list[URLPattern] = [
    path("usulan/", staff_views.staff_list, name="staff_list"),
    path("usulan/baru/", staff_views.create, name="create"),
    path("usulan/<int:pk>/", staff_views.staff_detail, name="staff_detail"),
    path("usulan/<int:pk>/ubah/", staff_views.edit, name="edit"),
    path("usulan/<int:pk>/verifikasi/", stage_views.verify, name="verify"),
    path("usulan/<int:pk>/rekomendasi/", stage_views.recommend, name="recommend"),
    path("usulan/<int:pk>/terima/", stage_views.accept, name="accept"),
    path("usulan/<int:pk>/tolak/", stage_views.reject, name="reject"),
]
