"""The portal's URL map."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from magelang import health, views
from magelang.signin import PortalAdminAuthenticationForm, PortalAuthenticationForm

handler400 = "magelang.views.bad_request"

admin.site.site_header = _("Magelang Planning Portal administration")
admin.site.site_title = _("Magelang Planning Portal")
admin.site.index_title = _("Data administration")
admin.site.login_form = PortalAdminAuthenticationForm

urlpatterns = [
    path("", views.home, name="home"),
    path("renja/", include("opd.workplans.urls")),
    path("api/", include("magelang.api.urls")),
    path("", include("opd.dashboards.urls")),
    path("", include("opd.aspirations.urls")),
    path("", include("opd.cascade.urls")),
    path("renstra/", include("opd.renstra.urls")),
    path(
        "akun/masuk/",
        auth_views.LoginView.as_view(authentication_form=PortalAuthenticationForm),
        name="login",
    ),
    path("akun/keluar/", views.SignOutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Browsers ask for /favicon.ico whatever the page says; the icon is a static file.
    path("favicon.ico", views.favicon),
    path("admin/", admin.site.urls),
    # Probes for operators and container health checks; magelang.health.ProbeMiddleware
    # answers them ahead of the other middleware.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
