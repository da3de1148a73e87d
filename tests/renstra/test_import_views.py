"""The Renstra import pages end to end: upload, the bad rows (nothing stored), the preview of
what is added, updated and left, the confirmation (all or nothing, audited, refused when the
Renstra changed since the preview), the same file twice, and the check's fixed query count."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages

from opd import models as om
from opd.errors import WorkflowError
from opd.renstra import import_run, services
from opd.renstra.import_rows import MAX_FILE_BYTES
from tests.renstra.import_world import (
    PERIOD,
    World,
    activity,
    csv_bytes,
    plan_rows,
    program,
    state,
    upload,
    xlsx,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def world(client: Any) -> World:
    world = World.build()
    client.force_login(world.head)
    client.cookies["django_language"] = "en"
    return world


def send(client: Any, world: World, data: bytes, name: str = "renstra.xlsx") -> Any:
    return client.post(world.url("import_upload"), {"file": upload(data, name)})


def confirm(client: Any, world: World) -> Any:
    token = client.session[import_run.session_key(world.renstra.pk)]["token"]
    return client.post(world.url("import_confirm"), {"token": token})


def texts(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_clean_file_is_previewed_then_imported_whole(client: Any, world: World) -> None:
    before = state(world.renstra)
    response = send(client, world, xlsx(plan_rows(2, 2)))
    assert response.status_code == 302 and response["Location"] == world.url("import_preview")
    assert state(world.renstra) == before  # checked and kept: nothing of the Renstra written

    page = client.get(world.url("import_preview"))
    assert page.status_code == 200
    counts = page.context["counts"]
    assert (counts["program_create"], counts["activity_create"]) == (2, 4)
    assert b'data-testid="confirm"' in page.content
    assert state(world.renstra) == before  # a GET never writes

    done = confirm(client, world)
    assert done.status_code == 302
    assert texts(done) == [
        "renstra.xlsx imported. Lines added: 6; updated: 0; already as in the file: 0."
    ]
    programs = om.RenstraProgram.objects.filter(renstra=world.renstra).order_by("code")
    assert [p.code for p in programs] == ["1.06.01", "1.06.02"]
    assert programs[0].indicator == world.indicator
    years = om.RenstraProgramYear.objects.filter(program=programs[0]).order_by("year")
    assert [(y.year, y.target, y.budget) for y in years] == [
        (year, Decimal("100"), Decimal("1000000")) for year in PERIOD
    ]
    activities = om.RenstraActivity.objects.filter(program__renstra=world.renstra)
    assert activities.count() == 4
    assert om.RenstraActivityYear.objects.filter(activity__in=activities).count() == 4 * 6
    # Audited through the services: one creation per line, by the uploader.
    entries = om.RenstraAuditEntry.objects.filter(renstra=world.renstra, action="create")
    assert entries.exclude(object_type="renstra").count() == 6
    assert set(entries.values_list("actor", flat=True)) == {world.head.pk}
    assert import_run.session_key(world.renstra.pk) not in client.session


def test_a_bad_file_lists_every_bad_row_and_stores_nothing(client: Any, world: World) -> None:
    before = state(world.renstra)
    rows = [program(), program(**{"Target 2018": -3}), activity("9.99", "9.99.001")]
    response = send(client, world, xlsx(rows))
    assert response.status_code == 400
    bad = response.context["bad"]
    assert [(b.row, b.reasons) for b in bad] == [
        (3, ["Target 2018 (-3) must not be negative."]),
        (4, ["Program 9.99 is neither in the file nor in the Renstra: add its row to the file."]),
    ]
    assert b'data-row="3"' in response.content and b"Nothing was imported" in response.content
    assert state(world.renstra) == before
    assert import_run.session_key(world.renstra.pk) not in client.session


def test_an_unreadable_file_says_why(client: Any, world: World) -> None:
    response = send(client, world, b"not a workbook", "renstra.xlsx")
    assert response.status_code == 400
    assert response.context["file_error"] == "The file cannot be opened as an XLSX workbook."
    response = client.post(world.url("import_upload"), {})
    assert response.context["file_error"] == "Choose the XLSX or CSV file to import."


def test_a_file_over_the_size_limit_is_refused_unread(client: Any, world: World) -> None:
    response = send(client, world, b"x" * (MAX_FILE_BYTES + 1), "renstra.csv")
    assert response.status_code == 400
    assert response.context["file_error"] == (
        "The file is larger than 5 MB: split it into smaller files."
    )
    # Exactly at the limit, the file is read (and refused for what it says).
    response = send(client, world, b"x" * MAX_FILE_BYTES, "renstra.csv")
    assert response.status_code == 400
    assert "larger than" not in response.context["file_error"]


def test_the_preview_says_what_is_updated_and_what_is_left(client: Any, world: World) -> None:
    send(client, world, xlsx(plan_rows(1, 1)))
    confirm(client, world)
    rows = [
        program(**{"Pagu 2020": 2_500_000}),
        activity(),
        activity("1.06.01", "1.06.01.002"),
    ]
    send(client, world, csv_bytes(rows), "renstra.csv")
    page = client.get(world.url("import_preview"))
    counts = page.context["counts"]
    assert (counts["program_update"], counts["activity_same"], counts["activity_create"]) == (
        1,
        1,
        1,
    )
    assert "Pagu 2020: 1000000 → 2500000" in page.content.decode()
    done = confirm(client, world)
    assert texts(done) == [
        "renstra.csv imported. Lines added: 1; updated: 1; already as in the file: 1."
    ]
    year = om.RenstraProgramYear.objects.get(program__code="1.06.01", year=2020)
    assert year.budget == Decimal("2500000")
    assert om.RenstraProgramYear.objects.get(program__code="1.06.01", year=2019).budget == 1_000_000


def test_the_same_file_twice_changes_nothing_the_second_time(client: Any, world: World) -> None:
    data = xlsx(plan_rows(2, 3))
    send(client, world, data)
    confirm(client, world)
    after_first = state(world.renstra)
    send(client, world, data)
    page = client.get(world.url("import_preview"))
    assert page.context["counts"]["program_same"] == 2
    assert page.context["counts"]["activity_same"] == 6
    assert page.context["changing"] == []
    assert b'data-testid="confirm"' not in page.content and b'data-testid="nothing"' in page.content
    done = confirm(client, world)  # a confirmation anyway: nothing written, nothing audited
    assert texts(done) == [
        "renstra.xlsx changes nothing: the Renstra already holds every line as in the file."
    ]
    assert state(world.renstra) == after_first


def test_a_renstra_changed_since_the_preview_is_refused(client: Any, world: World) -> None:
    send(client, world, xlsx(plan_rows(1)))
    # Someone else adds a line meanwhile: the Renstra's version moves.
    services.renstra_program_save(
        renstra_id=world.renstra.pk, by=world.head, values={"code": "9.01", "name": "P"}, years={}
    )
    page = client.get(world.url("import_preview"))
    assert b'data-testid="stale"' in page.content and b'data-testid="confirm"' not in page.content
    before = state(world.renstra)
    done = confirm(client, world)
    assert done.status_code == 302 and done["Location"] == world.url("import_upload")
    assert texts(done) == [
        "The Renstra was changed after this file was checked (by someone else, or in another "
        "tab): nothing was imported. Upload the file again to check it against the Renstra as "
        "it is now."
    ]
    assert state(world.renstra) == before
    assert import_run.session_key(world.renstra.pk) not in client.session


def test_an_older_preview_cannot_confirm_a_newer_upload(client: Any, world: World) -> None:
    send(client, world, xlsx(plan_rows(1)))
    old_token = client.session[import_run.session_key(world.renstra.pk)]["token"]
    send(client, world, xlsx(plan_rows(3)))
    before = state(world.renstra)
    done = client.post(world.url("import_confirm"), {"token": old_token})
    assert done.status_code == 302
    assert "nothing was imported" in texts(done)[0]
    assert state(world.renstra) == before


def test_a_failure_midway_stores_nothing(client: Any, world: World, monkeypatch: Any) -> None:
    """The third activity's save fails after two programs and two activities were written in
    the same transaction: all of them are undone, and the file waits to be confirmed again."""
    calls: list[int] = []
    real = services.renstra_activity_save

    def failing(**kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise WorkflowError("the disk is full")
        return real(**kwargs)

    send(client, world, xlsx(plan_rows(2, 2)))
    before = state(world.renstra)
    monkeypatch.setattr(services, "renstra_activity_save", failing)
    done = confirm(client, world)
    assert len(calls) == 3
    assert texts(done) == ["the disk is full"]
    assert state(world.renstra) == before
    monkeypatch.setattr(services, "renstra_activity_save", real)
    send(client, world, xlsx(plan_rows(2, 2)))
    confirm(client, world)
    assert om.RenstraActivity.objects.filter(program__renstra=world.renstra).count() == 4


def test_a_database_error_midway_stores_nothing(
    client: Any, world: World, monkeypatch: Any
) -> None:
    from django.db import IntegrityError

    real = services.renstra_program_save
    calls: list[int] = []

    def failing(**kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise IntegrityError("boom")
        return real(**kwargs)

    send(client, world, xlsx(plan_rows(3, 1)))
    before = state(world.renstra)
    monkeypatch.setattr(services, "renstra_program_save", failing)
    done = confirm(client, world)
    assert texts(done) == ["The database refused a line of the file: nothing was imported."]
    assert state(world.renstra) == before


def test_the_preview_without_a_file_sends_to_the_upload(client: Any, world: World) -> None:
    response = client.get(world.url("import_preview"))
    assert response.status_code == 302 and response["Location"] == world.url("import_upload")


def test_the_pages_escape_what_the_file_says(client: Any, world: World) -> None:
    rows = [program(Nama="<script>alert(1)</script>")]
    send(client, world, csv_bytes(rows), "renstra.csv")
    page = client.get(world.url("import_preview"))
    assert b"<script>alert(1)</script>" not in page.content
    assert b"&lt;script&gt;" in page.content


@pytest.mark.parametrize("count", [10, 200])
def test_the_check_takes_a_fixed_number_of_queries(
    client: Any, world: World, count: int, django_assert_num_queries: Any
) -> None:
    """Upload and check: the session, the user, the user's and the groups' permissions (is
    Bappeda?), the membership, the Renstra, the five lookups, and the session's save (savepoint,
    update, release); the same for 10 rows as for 200, against a Renstra with lines."""
    send(client, world, xlsx(plan_rows(2, 2)))
    confirm(client, world)
    rows = plan_rows(count // 5, 4)
    assert len(rows) == count
    data = xlsx(rows)
    with django_assert_num_queries(QUERIES):
        response = send(client, world, data)
    assert response.status_code == 302


#: See test_the_check_takes_a_fixed_number_of_queries.
QUERIES = 14


def test_the_upload_page_offers_the_files_and_explains_the_columns(
    client: Any, world: World
) -> None:
    page = client.get(world.url("import_upload"))
    assert page.status_code == 200
    html = page.content.decode()
    assert world.url("import_template_xlsx") in html and world.url("import_template_csv") in html
    assert [column.header for column in page.context["columns"]][-1] == "Pagu 2021"
    assert 'for="import-file"' in html and 'id="import-file"' in html  # labelled for keyboards


@pytest.mark.parametrize("can_edit", [True, False])
def test_the_link_partial_for_the_renstra_page(world: World, can_edit: bool) -> None:
    from django.template.loader import render_to_string

    html = render_to_string(
        "renstra/import/_link.html", {"renstra": world.renstra, "can_edit": can_edit}
    )
    assert (f'href="{world.url("import_upload")}"' in html) is can_edit
    assert f'href="{world.url("import_template_xlsx")}"' in html
