"""Bulk import, what a file or a worker may do wrong: control characters in a cell, an XLSX
that unpacks to far more than it weighs or holds a sea of blank rows, a worker that dies
midway, and the purge of what is at work; the intake note does not carry the file's name."""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from opd import models as om
from opd.aspirations import import_jobs, import_run, imports, tasks
from opd.aspirations.import_rows import (
    HEADERS,
    MAX_FILE_BYTES,
    MAX_LINES,
    MAX_UNPACKED_BYTES,
    ImportFileError,
    read_file,
)
from opd.errors import WorkflowError
from tests.aspirations.import_world import ImportWorld, csv_bytes, good, many, upload, xlsx

pytestmark = pytest.mark.django_db

UPLOAD = reverse("aspirations:import_upload")
NAME = "Ibu Sulastri Wahyuningsih"  # a proposer's name that appears nowhere else


@pytest.fixture
def world(settings: Any) -> ImportWorld:
    return ImportWorld.build(settings)


@pytest.fixture
def client(client: Any) -> Any:
    client.cookies["django_language"] = "en"
    return client


def staged(client: Any, data: bytes, name: str = "u.xlsx") -> om.AspirationImport:
    response = client.post(UPLOAD, {"file": upload(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return om.AspirationImport.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[-1]))


def page(client: Any, batch: om.AspirationImport) -> str:
    return client.get(reverse("aspirations:import_batch", args=[batch.pk])).content.decode()


# --- control characters ----------------------------------------------------------------------


def test_a_nul_in_a_title_names_its_row_and_column_and_stores_nothing(
    world: ImportWorld, client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    client.force_login(world.who("reviewer"))
    rows = [good(1), good(2, Judul="Perbaikan\x00 jalan", **{"Nama pengusul": NAME})]
    with caplog.at_level(logging.DEBUG):
        response = client.post(UPLOAD, {"file": upload("u.csv", csv_bytes(rows))})
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count('data-testid="bad-row"') == 1 and 'data-row="3"' in body
    assert "The column “Judul” holds an invisible control character" in body
    assert "Perbaikan jalan" in body and "\x00" not in body
    assert not om.AspirationImport.objects.exists() and not om.Aspiration.objects.exists()
    assert NAME not in caplog.text


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"Nama pengusul": "Pak\x07 Budi"}, "Nama pengusul"),
        ({"Kontak pengusul": "0812\x1b"}, "Kontak pengusul"),
        ({"Judul": "Dua\nbaris"}, "Judul"),  # a title is one line
        ({"Kelurahan": "Kramat\tUtara"}, "Kelurahan"),
        ({"Uraian": "Satu\x00"}, "Uraian"),
        ({"Uraian": "Sa\x85tu"}, "Uraian"),  # C1 controls too
    ],
)
def test_a_control_character_is_a_reason_naming_the_column(
    world: ImportWorld, values: dict[str, Any], column: str
) -> None:
    checked = imports.check_file(
        user=world.who("reviewer"), name="u.csv", data=csv_bytes([good(1, **values)])
    )
    assert not checked.clean
    (bad,) = checked.bad
    assert f"The column “{column}” holds an invisible control character: type the cell again." in (
        bad.reasons
    )


def test_a_description_keeps_its_tabs_and_line_breaks(world: ImportWorld) -> None:
    description = "Baris satu\r\nBaris\tdua\nBaris tiga"
    checked = imports.check_file(
        user=world.who("reviewer"), name="u.csv", data=csv_bytes([good(1, Uraian=description)])
    )
    assert not checked.bad and checked.clean[0].description == description


def test_rows_the_database_refuses_are_a_clean_refusal_without_the_row_in_the_log(
    world: ImportWorld, caplog: pytest.LogCaptureFixture
) -> None:
    user = world.who("reviewer")
    checked = imports.check_file(user=user, name="u.csv", data=csv_bytes([good(1)]))
    checked.clean[0].proposer = f"{NAME}\x00"  # past the check: the database refuses it
    with caplog.at_level(logging.DEBUG), pytest.raises(WorkflowError, match="cannot be stored"):
        imports.stage(user=user, name="u.csv", checked=checked)
    assert not om.AspirationImport.objects.exists()
    assert NAME not in caplog.text and "refused by the database" in caplog.text
    checked.clean[0].proposer = NAME
    assert imports.stage(user=user, name="u\x00.csv", checked=checked).file_name == "u.csv"


# --- the size of an XLSX ---------------------------------------------------------------------


def with_padding(data: bytes, size: int) -> bytes:
    """The workbook with one more part of ``size`` zero bytes, which packs to almost nothing."""
    out = io.BytesIO(data)
    chunk = b"\0" * (1024 * 1024)
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/padding.bin", "w") as part,
    ):
        for _ in range(size // len(chunk)):
            part.write(chunk)
        part.write(b"\0" * (size % len(chunk)))
    return out.getvalue()


def test_an_xlsx_that_unpacks_past_the_cap_is_refused_before_it_is_opened(
    world: ImportWorld, client: Any
) -> None:
    workbook = xlsx([good(1)])
    room = MAX_UNPACKED_BYTES - sum(
        i.file_size for i in zipfile.ZipFile(io.BytesIO(workbook)).infolist()
    )
    assert len(read_file("u.xlsx", with_padding(workbook, room))) == 1  # the cap itself passes
    bomb = with_padding(workbook, room + 1)
    assert len(bomb) < MAX_FILE_BYTES // 50  # small: only its unpacked size is refused
    with pytest.raises(ImportFileError, match="unpacks to more than 50 MB"):
        read_file("u.xlsx", bomb)
    client.force_login(world.who("reviewer"))
    response = client.post(UPLOAD, {"file": upload("u.xlsx", bomb)})
    assert response.status_code == 400 and "unpacks to more than 50 MB" in response.content.decode()
    assert not om.AspirationImport.objects.exists()


def far_down(last_row: int) -> bytes:
    """A workbook with a good row under the header and another at ``last_row``: every row
    between is blank."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(HEADERS))
    for number, row in ((2, good(1)), (last_row, good(2))):
        for column, header in enumerate(HEADERS, start=1):
            sheet.cell(row=number, column=column, value=row.get(header))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_blank_rows_count_toward_the_limit_of_rows_read() -> None:
    assert [r.number for r in read_file("u.xlsx", far_down(MAX_LINES + 1))] == [2, MAX_LINES + 1]
    with pytest.raises(ImportFileError, match="blank ones included"):
        read_file("u.xlsx", far_down(MAX_LINES + 2))
    blank_lines = (
        csv_bytes([good(1)]) + b"\r\n" * MAX_LINES + csv_bytes([good(2)]).split(b"\n", 1)[1]
    )
    with pytest.raises(ImportFileError, match="blank ones included"):
        read_file("u.csv", blank_lines)


# --- a worker that dies midway ---------------------------------------------------------------


def running_since(batch: om.AspirationImport, ago: timedelta) -> None:
    om.AspirationImport.objects.filter(pk=batch.pk).update(
        state="running", started_at=timezone.now() - ago
    )
    batch.refresh_from_db()


def test_an_import_running_past_the_bound_is_failed_and_starts_again(
    world: ImportWorld, client: Any
) -> None:
    client.force_login(world.who("kecamatan_staff"))
    batch = staged(client, xlsx(many(3)))
    # Uploaded long ago, started just now: still at work.
    om.AspirationImport.objects.filter(pk=batch.pk).update(
        created_at=timezone.now() - timedelta(hours=5)
    )
    running_since(batch, import_run.STUCK_AFTER - timedelta(minutes=1))
    body = page(client, batch)
    assert 'hx-trigger="every 1s"' in body and 'data-testid="confirm"' not in body
    assert not import_jobs.start(batch=batch, by=world.who("kecamatan_staff"))
    assert tasks.import_aspirations(batch.pk) == 0  # a second message: the first worker has it

    running_since(batch, import_run.STUCK_AFTER + timedelta(minutes=1))
    body = page(client, batch)
    assert 'data-testid="import-stuck"' in body and 'data-state="stuck"' in body
    assert "hx-trigger" not in body and 'http-equiv="refresh"' not in body
    assert 'data-testid="confirm"' in body and body.count('data-testid="preview-row"') == 3
    response = client.post(reverse("aspirations:import_run", args=[batch.pk]), follow=True)
    assert "already started" not in response.content.decode()
    batch.refresh_from_db()
    assert batch.state == "queued"
    assert tasks.import_aspirations(batch.pk) == 3
    batch.refresh_from_db()
    assert batch.state == "done" and om.Aspiration.objects.count() == 3


def test_a_message_delivered_again_resumes_a_stuck_import(world: ImportWorld, client: Any) -> None:
    client.force_login(world.who("reviewer"))
    batch = staged(client, xlsx(many(2)))
    running_since(batch, import_run.STUCK_AFTER + timedelta(seconds=1))
    assert tasks.import_aspirations(batch.pk) == 2
    batch.refresh_from_db()
    assert batch.state == "done" and batch.started_at is not None
    assert batch.started_at > timezone.now() - timedelta(minutes=1)


# --- the purge -------------------------------------------------------------------------------


def test_the_purge_leaves_imports_at_work(world: ImportWorld, client: Any) -> None:
    client.force_login(world.who("reviewer"))
    now = timezone.now()
    old = now - import_run.KEEP_FOR - timedelta(hours=1)
    states = {
        "ready": None,
        "done": None,
        "failed": None,
        "queued": None,
        "running": now - timedelta(minutes=1),
        "stuck": now - import_run.STUCK_AFTER - timedelta(minutes=1),
    }
    batches = {}
    for name, started in states.items():
        batch = staged(client, xlsx(many(1)))
        om.AspirationImport.objects.filter(pk=batch.pk).update(
            state="running" if name == "stuck" else name,
            rows=[] if name == "done" else batch.rows,
            started_at=started,
            created_at=old,
        )
        batches[name] = batch.pk
    young_stuck = staged(client, xlsx(many(1)))
    running_since(young_stuck, import_run.STUCK_AFTER + timedelta(minutes=1))
    assert tasks.purge_aspiration_imports() == 4
    assert set(om.AspirationImport.objects.values_list("pk", flat=True)) == {
        batches["queued"],
        batches["running"],
        young_stuck.pk,
    }


# --- the intake note -------------------------------------------------------------------------


def test_the_intake_note_names_the_import_not_the_file(world: ImportWorld, client: Any) -> None:
    client.force_login(world.who("reviewer"))
    batch = staged(client, xlsx(many(1)), name=f"{NAME}.xlsx")
    client.post(reverse("aspirations:import_run", args=[batch.pk]))
    assert tasks.import_aspirations(batch.pk) == 1
    (note,) = om.AspirationEvent.objects.values_list("note", flat=True)
    assert note == f"Imported from a file (import no. {batch.pk})." and NAME not in note


def test_the_columns_table_has_a_caption(world: ImportWorld, client: Any) -> None:
    client.force_login(world.who("reviewer"))
    body = client.get(UPLOAD).content.decode()
    assert (
        '<table data-testid="layout-table">\n    <caption>The columns of the template, in its '
        "order</caption>"
    ) in body
