"""Who may open and post to which staff aspiration page (``/usulan/``): the permission matrix.

Every cell signs in as one role (the columns, see ``matrix_world.ROLES``) and sends one request
about one aspiration of Kramat Utara, at the stage the row names (recommended, when it is, to
OPD A), or about an import staged by Kramat Utara's staff. The public pages are in
``tests/test_permissions.py``; the staff pages are all here.

Outcomes (every request that is not DONE must leave the database as it was):

LOGIN    302 to the login page.
OK       200, the page or the file.
DONE     302 after the write happened (the database changed), with no error message.
REFUSED  302 with a message saying why: the role may act, the stage (or the import's state)
         forbids it now.
400/422  the form or file is refused on its page (a kelurahan outside the user's area).
403      the role sees the aspiration (or has pages at all) but never takes this step.
404      the aspiration or import is hidden from the role, not merely forbidden.
405      wrong HTTP method (checked before the aspiration is looked up, so it leaks nothing).

Privacy: on every page answered (a page, a refusal, an error), the proposer's name and contact
appear only to Bappeda (and the superuser) and the staff of the aspiration's place; on an
aspiration's page they appear exactly to them.

Regions: the aspiration's region is a kota of a province. The Bappeda of another kota of that
province ("stranger") never reads anything of it (its reference and title appear on none of its
pages, the region named with ``?wilayah=`` is a 404) and never writes; the province's Bappeda
reads it (the list shows it, its page opens, without the proposer) and acts on nothing (403).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import messages
from django.urls import reverse

from opd.aspirations import urls as aspiration_urls
from tests.aspirations.matrix_world import (
    ACCEPTED,
    ANY,
    CONTACT,
    PROPOSER,
    RECEIVED,
    RECOMMENDED,
    REQUESTS,
    ROLES,
    SEES_PROPOSER,
    VERIFIED,
    MatrixWorld,
    snapshot,
)

pytestmark = pytest.mark.django_db

GET, POST = "GET", "POST"
LOGIN, OK, DONE, REFUSED = "LOGIN", 200, "DONE", "REFUSED"
NOT_ALLOWED = (405,) * 9

# fmt: off
#    request               verb  state        anon     head_a   head_b   reviewer admin    kel.     kec.     other    stranger province
MATRIX: list[tuple[Any, ...]] = [
    # The list: everyone with an aspiration role (an OPD sees those recommended to it).
    ("staff_list",         GET,  ANY,         LOGIN,   OK,      OK,      OK,      OK,      OK,      OK,      OK,      OK,      OK),
    ("staff_list",         POST, ANY,         LOGIN, *NOT_ALLOWED),
    # The intake: Bappeda and area staff; another kecamatan's staff cannot name Kramat Utara.
    ("create",             GET,  ANY,         LOGIN,   403,     403,     OK,      OK,      OK,      OK,      OK,      OK,      403),
    ("create",             POST, ANY,         LOGIN,   403,     403,     DONE,    DONE,    DONE,    DONE,    422,     422,     403),
    # One aspiration: Bappeda and the staff of its place always, an OPD once recommended to it.
    ("staff_detail",       GET,  RECEIVED,    LOGIN,   404,     404,     OK,      OK,      OK,      OK,      404,     404,     OK),
    ("staff_detail",       GET,  RECOMMENDED, LOGIN,   OK,      404,     OK,      OK,      OK,      OK,      404,     404,     OK),
    ("staff_detail",       GET,  ACCEPTED,    LOGIN,   OK,      404,     OK,      OK,      OK,      OK,      404,     404,     OK),
    ("staff_detail",       POST, RECEIVED,    LOGIN, *NOT_ALLOWED),
    # Correcting the details: Bappeda and the staff of its place, while received or verified.
    ("edit",               GET,  RECEIVED,    LOGIN,   404,     404,     OK,      OK,      OK,      OK,      404,     404,     403),
    ("edit",               GET,  RECOMMENDED, LOGIN,   403,     404,     REFUSED, REFUSED, REFUSED, REFUSED, 404,     404,     403),
    ("edit",               POST, RECEIVED,    LOGIN,   404,     404,     DONE,    DONE,    DONE,    DONE,    404,     404,     403),
    ("edit",               POST, VERIFIED,    LOGIN,   404,     404,     DONE,    DONE,    DONE,    DONE,    404,     404,     403),
    ("edit",               POST, RECOMMENDED, LOGIN,   403,     404,     REFUSED, REFUSED, REFUSED, REFUSED, 404,     404,     403),
    # Verifying: Bappeda and the staff of its place, a received aspiration only.
    ("verify",             GET,  RECEIVED,    LOGIN, *NOT_ALLOWED),
    ("verify",             POST, RECEIVED,    LOGIN,   404,     404,     DONE,    DONE,    DONE,    DONE,    404,     404,     403),
    ("verify",             POST, RECOMMENDED, LOGIN,   403,     404,     REFUSED, REFUSED, REFUSED, REFUSED, 404,     404,     403),
    # Recommending to an OPD: Bappeda, a verified aspiration only.
    ("recommend",          GET,  VERIFIED,    LOGIN, *NOT_ALLOWED),
    ("recommend",          POST, VERIFIED,    LOGIN,   404,     404,     DONE,    DONE,    403,     403,     404,     404,     403),
    ("recommend",          POST, RECEIVED,    LOGIN,   404,     404,     REFUSED, REFUSED, 403,     403,     404,     404,     403),
    ("recommend",          POST, RECOMMENDED, LOGIN,   403,     404,     REFUSED, REFUSED, 403,     403,     404,     404,     403),
    # Accepting into an activity: the members of the OPD it was recommended to, while recommended.
    ("accept",             GET,  RECOMMENDED, LOGIN, *NOT_ALLOWED),
    ("accept",             POST, RECOMMENDED, LOGIN,   DONE,    404,     403,     403,     403,     403,     404,     404,     403),
    ("accept",             POST, VERIFIED,    LOGIN,   404,     404,     403,     403,     403,     403,     404,     404,     403),
    ("accept",             POST, ACCEPTED,    LOGIN,   REFUSED, 404,     403,     403,     403,     403,     404,     404,     403),
    # Rejecting: Bappeda until accepted; the OPD it was recommended to, while recommended.
    # OPD A's head may reject it (while recommended), so an accepted one is the stage's refusal.
    ("reject",             GET,  RECOMMENDED, LOGIN, *NOT_ALLOWED),
    ("reject",             POST, RECEIVED,    LOGIN,   404,     404,     DONE,    DONE,    403,     403,     404,     404,     403),
    ("reject",             POST, RECOMMENDED, LOGIN,   DONE,    404,     DONE,    DONE,    403,     403,     404,     404,     403),
    ("reject",             POST, ACCEPTED,    LOGIN,   REFUSED, 404,     REFUSED, REFUSED, 403,     403,     404,     404,     403),
    # The import: Bappeda and area staff upload (a row outside the area is a bad file, 400)
    # and download the templates; an import is its uploader's and Bappeda's, hidden from others.
    ("import_upload",      GET,  ANY,         LOGIN,   403,     403,     OK,      OK,      OK,      OK,      OK,      OK,      403),
    ("import_upload",      POST, ANY,         LOGIN,   403,     403,     DONE,    DONE,    DONE,    DONE,    400,     400,     403),
    ("import_template_xlsx", GET, ANY,        LOGIN,   403,     403,     OK,      OK,      OK,      OK,      OK,      OK,      403),
    ("import_template_xlsx", POST, ANY,       LOGIN, *NOT_ALLOWED),
    ("import_template_csv", GET, ANY,         LOGIN,   403,     403,     OK,      OK,      OK,      OK,      OK,      OK,      403),
    ("import_template_csv", POST, ANY,        LOGIN, *NOT_ALLOWED),
    ("import_batch",       GET,  ANY,         LOGIN,   404,     404,     OK,      OK,      OK,      404,     404,     404,     404),
    ("import_batch",       POST, ANY,         LOGIN, *NOT_ALLOWED),
    ("import_run",         GET,  ANY,         LOGIN, *NOT_ALLOWED),
    ("import_run",         POST, ANY,         LOGIN,   404,     404,     DONE,    DONE,    DONE,    404,     404,     404,     404),
    # Confirmed already: it runs once, the second confirmation says so.
    ("import_run_again",   POST, ANY,         LOGIN,   404,     404,     REFUSED, REFUSED, REFUSED, 404,     404,     404,     404),
    # Bappeda's summary: reviewers only. The method is checked before the login here.
    ("report",             GET,  ANY,         LOGIN,   403,     403,     OK,      OK,      403,     403,     403,     OK,      OK),
    ("report",             POST, ANY,         405,   *NOT_ALLOWED),
    ("report_xlsx",        GET,  ANY,         LOGIN,   403,     403,     OK,      OK,      403,     403,     403,     OK,      OK),
    ("report_xlsx",        POST, ANY,         405,   *NOT_ALLOWED),
    # The aspiration's region named with the picker (?wilayah=): the stranger's is another.
    ("staff_list_there",   GET,  ANY,         LOGIN,   OK,      OK,      OK,      OK,      OK,      OK,      OK,      404,     OK),
    ("import_upload_there", GET, ANY,         LOGIN,   403,     403,     OK,      OK,      OK,      OK,      OK,      404,     403),
    ("import_upload_there", POST, ANY,        LOGIN,   403,     403,     DONE,    DONE,    DONE,    DONE,    400,     404,     403),
    ("import_template_xlsx_there", GET, ANY,  LOGIN,   403,     403,     OK,      OK,      OK,      OK,      OK,      404,     403),
    ("report_there",       GET,  ANY,         LOGIN,   403,     403,     OK,      OK,      403,     403,     403,     404,     OK),
    ("report_xlsx_there",  GET,  ANY,         LOGIN,   403,     403,     OK,      OK,      403,     403,     403,     404,     OK),
]
# fmt: on

CELLS = [
    pytest.param(name, method, state, role, expected, id=f"{name}-{method}-{state}-{role}")
    for name, method, state, *outcomes in MATRIX
    for role, expected in zip(ROLES, outcomes, strict=True)
]


def test_the_matrix_covers_every_view() -> None:
    """Every staff page's URL name has a GET row and a POST row; a new URL fails here."""
    names = {
        str(pattern.name)
        for pattern in aspiration_urls.urlpatterns
        if not str(pattern.name).startswith("public_")
    }
    verbs: dict[str, set[str]] = {}
    for request, method, *_rest in MATRIX:
        verbs.setdefault(REQUESTS[request][0], set()).add(method)
    assert set(verbs) == names
    assert all(found == {GET, POST} for found in verbs.values()), verbs
    assert {row[0] for row in MATRIX} == set(REQUESTS)
    assert len(names) == 15


def notices(response: Any) -> list[Any]:
    return list(messages.get_messages(response.wsgi_request))


def assert_region_kept(response: Any, world: MatrixWorld, name: str, role: str) -> None:
    """Nothing of the aspiration reaches the stranger; the province's list shows it."""
    if not response["Content-Type"].startswith("text/html"):
        return
    page = response.content.decode()
    if role == "stranger":
        assert world.aspiration.reference not in page, "another region's aspiration leaked"
        assert world.aspiration.title not in page, "another region's aspiration leaked"
    if role == "province" and name.startswith("staff_list") and response.status_code == 200:
        assert world.aspiration.reference in page, "the province reads its kota's aspirations"


def assert_private(response: Any, name: str, role: str) -> None:
    """The proposer's name and contact: never to a role that may not see them, and on the
    aspiration's page always to one that may."""
    if not response["Content-Type"].startswith("text/html"):
        return
    page = response.content.decode()
    if role not in SEES_PROPOSER:
        assert PROPOSER not in page and CONTACT not in page, "the proposer leaked"
    elif name == "staff_detail":
        assert PROPOSER in page and CONTACT in page, "the proposer is hidden from one who may see"


@pytest.mark.parametrize(("name", "method", "state", "role", "expected"), CELLS)
def test_permission_matrix(
    settings: Any, name: str, method: str, state: str, role: str, expected: Any
) -> None:
    world = MatrixWorld.build(settings, state)
    url, data = REQUESTS[name][1](world)
    client = world.client(role)
    before = snapshot()

    response = client.post(url, data) if method == POST else client.get(url)

    after = snapshot()
    status = response.status_code
    if expected == LOGIN:
        assert status == 302
        assert response["Location"].startswith(reverse("login"))
    elif expected == DONE:
        assert status == 302, response.content.decode()[:2000]
        assert not response["Location"].startswith(reverse("login"))
        assert [m for m in notices(response) if m.level == messages.ERROR] == []
        assert after != before, "the write did not happen"
    elif expected == REFUSED:
        assert status == 302, response.content.decode()[:2000]
        assert not response["Location"].startswith(reverse("login"))
        levels = {m.level for m in notices(response)}
        assert levels & {messages.ERROR, messages.INFO}, "a refusal says why"
        assert messages.SUCCESS not in levels
    else:
        assert status == expected
    if status != 302:
        assert_private(response, name if expected == OK else "", role)
        assert_region_kept(response, world, name, role)
    if expected != DONE:
        assert after == before, "a refused or read-only request changed the database"
