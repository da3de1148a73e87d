"""The admin of work plans and their records, beyond the generic checks of tests/test_admin.py."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.db import models

from opd import models as om
from tests import factories as f
from tests.admin_rows import PLAN_CONTENT, ROW_MAKERS, AuditEntryFactory, url

PORTAL_NOTE = "Plan content is edited in the portal (/renja/)"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", sorted(PLAN_CONTENT, key=lambda m: m._meta.label_lower), ids=lambda m: m.__name__
)
def test_plan_content_pages_point_to_the_portal(
    admin_client: Any, model: type[models.Model]
) -> None:
    obj = ROW_MAKERS[model]()
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for page in (url(model, "changelist"), url(model, "change", obj.pk)):
        response = admin_client.get(page)
        html = response.content.decode()
        assert PORTAL_NOTE in html, page
        # The note is on the page, not in its <title> (a paragraph there reads badly in a tab
        # and to a screen reader announcing the page).
        title = html[html.index("<title>") : html.index("</title>")]
        assert PORTAL_NOTE not in title, page


@pytest.mark.django_db
def test_audit_entry_shows_its_changes_as_old_and_new_values(admin_client: Any) -> None:
    entry = AuditEntryFactory()
    response = admin_client.get(url(om.AuditEntry, "change", entry.pk))
    content = response.content.decode()
    # The same renderer as the plan's history page: labels and figures in the admin's language.
    assert "Pagu indikatif (Rp): Rp\xa0250.000.000 → Rp\xa0300.000.000" in content
    assert "Catatan: — → Naik karena harga" in content
    assert '"old"' not in content  # no raw JSON


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"), [("id", "Draf → Diajukan"), ("en", "Draft → Submitted")]
)
def test_audit_entry_shows_a_status_in_the_admins_language(
    admin_client: Any, language: str, expected: str
) -> None:
    entry = AuditEntryFactory(
        object_type="workplan",
        action=om.AuditEntry.Action.SUBMIT,
        changes={"status": {"old": "draft", "new": "submitted"}},
    )
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    content = admin_client.get(url(om.AuditEntry, "change", entry.pk)).content.decode()
    assert expected in content


@pytest.mark.django_db
def test_a_deadline_is_added_in_the_admin_and_records_who_set_it(
    admin_client: Any, admin_user: Any
) -> None:
    region = f.RegionFactory()
    data = {
        "region": region.pk,
        "year": 2019,
        "due_date": "2018-06-30",
        "reminders-TOTAL_FORMS": "0",
        "reminders-INITIAL_FORMS": "0",
        "reminders-MIN_NUM_FORMS": "0",
        "reminders-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(url(om.SubmissionDeadline, "add"), data)
    assert response.status_code == 302
    deadline = om.SubmissionDeadline.objects.get()
    assert (deadline.region, deadline.year, deadline.due_date) == (region, 2019, date(2018, 6, 30))
    assert deadline.set_by == admin_user
