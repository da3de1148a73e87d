"""REST API v1: the router, the OpenAPI schema and its offline Swagger UI."""

from typing import Any

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import APIRootView, DefaultRouter

from opd.agencies.api import views as agency_views
from opd.aspirations.api import views as aspiration_views
from opd.beneficiaries.api import views as beneficiary_views
from opd.cascade.api import views as cascade_views
from opd.engine.api import views as engine_views
from opd.renstra.api import views as renstra_views
from opd.workplans.api import views as plan_views
from targets.api import poverty as poverty_views
from targets.api import views as target_views


class ApiRootView(APIRootView):
    """The resources the caller may use: anyone the public ones, a signed-in caller all."""

    public = True
    public_prefixes: frozenset[str] = frozenset()

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        if not request.user.is_authenticated:
            response.data = {
                name: url for name, url in response.data.items() if name in self.public_prefixes
            }
        return response


class Router(DefaultRouter):
    """Any id reaches the view, so a malformed one gets the API's JSON 404, not Django's page."""

    include_format_suffixes = False

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        return f"(?P<{lookup_prefix}pk>[^/]+)"

    def get_api_root_view(self, api_urls: Any = None) -> Any:
        list_name = self.routes[0].name
        return ApiRootView.as_view(
            api_root_dict={
                prefix: list_name.format(basename=basename)
                for prefix, _viewset, basename in self.registry
            },
            public_prefixes=frozenset(
                prefix
                for prefix, viewset, _basename in self.registry
                if getattr(viewset, "public", False)
            ),
        )


router = Router()
router.register("regions", target_views.RegionViewSet, basename="region")
router.register("indicators", target_views.IndicatorViewSet, basename="indicator")
router.register("opds", agency_views.OpdViewSet, basename="opd")
router.register("work-plans", plan_views.WorkPlanViewSet, basename="work-plan")
router.register("programs", plan_views.ProgramViewSet, basename="program")
router.register("activities", plan_views.ActivityViewSet, basename="activity")
router.register("realisations", plan_views.RealisationViewSet, basename="realisation")
router.register("aspirations", aspiration_views.AspirationViewSet, basename="aspiration")
router.register("contributions", engine_views.ContributionViewSet, basename="contribution")
router.register("renstra", renstra_views.RenstraViewSet, basename="renstra")
router.register("cascade", cascade_views.CascadeViewSet, basename="cascade")

app_name = "api"
urlpatterns = [
    # An activity's beneficiary list: one record under the activity, so not a router resource.
    path(
        "v1/activities/<str:pk>/beneficiaries/",
        beneficiary_views.BeneficiaryListViewSet.as_view(
            {"get": "retrieve", "post": "create", "delete": "destroy"}
        ),
        name="activity-beneficiaries",
    ),
    # A region's poverty record, by the region's code (the router's regions go by id).
    path(
        "v1/regions/<str:code>/poverty/",
        poverty_views.RegionPovertyView.as_view(),
        name="region-poverty",
    ),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its set-up script as a file (?script), so the CSP needs no exception.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
]
