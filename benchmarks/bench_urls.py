"""The benchmark's URLconf: every product URL plus two baselines that live only here.

* ``bench/trivial/``: a view that sends one fixed string, the floor of a page on this stack
  (middleware, session, template-free response);
* ``bench/rows/?region=<id>``: the same 50 activities the API's first page lists for that
  region (same order, same columns), as a bare JsonResponse, the floor of the API list.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path

from opd.models import Activity

ROWS = 50


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def rows(request: HttpRequest) -> JsonResponse:
    region = int(request.GET.get("region", "0"))
    found = list(
        Activity.objects.filter(program__work_plan__opd__region_id=region)
        .order_by("pk")
        .values("id", "program__work_plan_id", *Activity.EDITABLE_FIELDS, "version")[:ROWS]
    )
    return JsonResponse({"results": found}, json_dumps_params={"default": str})


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/rows/", rows),
    path("", include("magelang.urls")),
]
