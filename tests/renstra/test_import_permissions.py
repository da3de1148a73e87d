"""The Renstra import pages × every role × every state of the Renstra: who may upload, see the
preview, confirm, and download the files; every refusal leaves the database as it was.

Roles: ``anonymous``; ``member`` of the Renstra's OPD; ``other``, a member of another OPD of
the region; ``reviewer`` (Bappeda); ``user``, signed in with neither; ``stranger``, Bappeda of
another kota of the province (sees nothing of it); ``province``, Bappeda of the province above
the region (reads, imports nothing). Outcomes:

LOGIN    302 to the login page.
OK       200, the page or the file.
STAGED   302 to the preview: the file is checked and kept, the Renstra untouched.
DONE     302 after the import was written (the database changed).
REFUSED  302 back to the Renstra with the reason: the member may act, the state forbids it.
403      the role sees the Renstra (Bappeda) but may not import.
404      the Renstra is hidden from the role.
405      the wrong method.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from opd.renstra import import_run, import_urls
from opd.renstra.import_views import detail_url
from tests.renstra.import_world import World, plan_rows, state, upload, xlsx

pytestmark = pytest.mark.django_db

LOGIN, OK, STAGED, DONE, REFUSED = "LOGIN", 200, "STAGED", "DONE", "REFUSED"
ROLES = ("anonymous", "member", "other", "reviewer", "user", "stranger", "province")
STATES = ("draft", "returned", "submitted", "approved")
GET, POST = "GET", "POST"


@pytest.fixture(autouse=True)
def english(client: Any):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def expected(view: str, verb: str, role: str, status: str) -> Any:
    if role == "anonymous":
        return LOGIN
    wrong_method = {
        "upload": False,
        "preview": verb == POST,
        "confirm": verb == GET,
        "template_xlsx": verb == POST,
        "template_csv": verb == POST,
    }[view]
    if wrong_method:
        return 405
    # As the Renstra pages: its OPD, and the Bappeda of its region and of the province above.
    sees = role in ("member", "reviewer", "province")
    if not sees:
        return 404
    if view.startswith("template"):
        return OK
    if role != "member":
        return 403
    if status in ("submitted", "approved"):
        return REFUSED
    if view == "upload":
        return OK if verb == GET else STAGED
    return OK if view == "preview" else DONE


CELLS = [
    (view, verb, role, status)
    for view in ("upload", "preview", "confirm", "template_xlsx", "template_csv")
    for verb in (GET, POST)
    for role in ROLES
    for status in STATES
]


@pytest.mark.parametrize(("view", "verb", "role", "status"), CELLS)
def test_import_permission_matrix(
    client: Any, view: str, verb: str, role: str, status: str
) -> None:
    world = World.build()
    data = xlsx(plan_rows(1, 1))
    if role == "member":  # a file waiting, checked while the Renstra was a draft
        client.force_login(world.head)
        client.post(world.url("import_upload"), {"file": upload(data)})
    elif role != "anonymous":
        client.force_login(world.who(role))
    world.set_status(status)
    before = state(world.renstra)
    url = world.url(
        {"upload": "import_upload", "preview": "import_preview"}.get(view, f"import_{view}")
    )
    if verb == GET:
        response = client.get(url)
    elif view == "upload":
        response = client.post(url, {"file": upload(data)})
    else:
        staged = client.session.get(import_run.session_key(world.renstra.pk)) or {}
        response = client.post(url, {"token": staged.get("token", "")})
    after = state(world.renstra)
    outcome = expected(view, verb, role, status)
    if outcome == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    elif outcome == STAGED:
        assert response.status_code == 302 and response["Location"] == world.url("import_preview")
    elif outcome == DONE:
        assert response.status_code == 302 and response["Location"] == detail_url(world.renstra)
    elif outcome == REFUSED:
        assert response.status_code == 302 and response["Location"] == detail_url(world.renstra)
        said = [str(m) for m in get_messages(response.wsgi_request)]
        assert said == [f"The Renstra is {status} and cannot be changed."]
    else:
        assert response.status_code == outcome
    if outcome == DONE:
        assert after != before and len(after["programs"]) == 1
    else:
        assert after == before


def test_the_matrix_covers_every_import_view() -> None:
    names = {pattern.name for pattern in import_urls.urlpatterns}
    assert names == {
        "import_upload",
        "import_preview",
        "import_confirm",
        "import_template_xlsx",
        "import_template_csv",
    }
    assert {f"import_{view}" for view, _verb, _role, _status in CELLS} == names
