"""After an import, no NIK or No. KK is anywhere: not in any column of any table, not in the
SQL sent, not in a log line; and an upload never goes to a temporary file."""

from __future__ import annotations

import logging

import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from opd.beneficiaries.services import RowsRefused, beneficiary_list_replace
from tests.beneficiaries.world import csv_file, kk, nik, persons

pytestmark = pytest.mark.django_db


def columns_holding(needle: str) -> list[str]:
    """Every ``table.column`` of the database whose value holds ``needle``, as text or bytes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() "
            "AND table_name IN (SELECT tablename FROM pg_tables WHERE schemaname = current_schema())"
        )
        found = []
        for table, column, data_type in cursor.fetchall():
            value = f'"{column}"' if data_type != "bytea" else f"encode(\"{column}\", 'escape')"
            cursor.execute(
                f'SELECT 1 FROM "{table}" WHERE strpos({value}::text, %s) > 0 LIMIT 1',  # noqa: S608
                [needle],
            )
            if cursor.fetchone():
                found.append(f"{table}.{column}")
        return found


# The search reads PostgreSQL's catalogue: the marker skips on a laptop without it and fails
# under CI=true (tests/conftest.py).
@pytest.mark.postgres
def test_no_identifier_is_stored_sent_or_logged(world, caplog):
    rows = persons(50, "Kramat Utara")
    data = csv_file(rows)
    caplog.set_level(logging.DEBUG)  # every logger, the SQL one too
    with CaptureQueriesContext(connection) as queries:
        world.activity.refresh_from_db()
        beneficiary_list_replace(
            activity_id=world.activity.pk,
            by=world.head,
            name="daftar.csv",
            data=data,
            seen_version=world.activity.version,
        )
    sql = "\n".join(f"{query['sql']}" for query in queries.captured_queries)
    assert "beneficiary" in sql  # the search reads what was sent
    for number in (nik(1), nik(50), kk(1), kk(25)):
        assert columns_holding(number) == []
        assert number not in sql
        assert number not in caplog.text
    # The search finds what it looks for: the kelurahan's name is stored.
    assert columns_holding("Kramat Utara")


def test_a_refused_file_logs_no_identifier(world, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(RowsRefused) as caught:
        beneficiary_list_replace(
            activity_id=world.activity.pk,
            by=world.head,
            name="daftar.csv",
            data=csv_file([(nik(1), kk(1), "Atlantis", 1), (nik(1), "", "Kramat Utara", 1)]),
            seen_version=1,
        )
    told = " ".join(reason for bad in caught.value.bad for reason in bad.reasons)
    for number in (nik(1), kk(1)):
        assert number not in told
        assert number not in caplog.text


def test_a_large_upload_stays_in_memory(settings):
    data = csv_file(persons(60_000, "Kramat Utara"))  # about 3 MB: Django's default spills it
    assert len(data) > 2_621_440
    request = RequestFactory().post("/", {"file": SimpleUploadedFile("daftar.csv", data)})
    upload = request.FILES["file"]
    assert isinstance(upload, InMemoryUploadedFile)
    assert upload.read() == data


def test_an_upload_over_the_limit_arrives_empty_with_its_size(settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    data = csv_file(persons(100, "Kramat Utara"))
    request = RequestFactory().post("/", {"file": SimpleUploadedFile("daftar.csv", data)})
    upload = request.FILES["file"]
    assert isinstance(upload, InMemoryUploadedFile)
    assert upload.size == len(data)
    assert upload.read() == b""
