"""Bulk import, the run: confirm, import all or nothing with fresh references and one intake
event each, progress, who sees an import, the templates, and text that looks like a formula."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from opd import models as om
from opd.aspirations import import_run, services, tasks
from opd.aspirations.import_rows import HEADERS
from opd.dashboards.sheets import text_cell
from tests.aspirations.import_world import ImportWorld, csv_bytes, good, many, upload, xlsx

pytestmark = pytest.mark.django_db

UPLOAD = reverse("aspirations:import_upload")


@pytest.fixture
def world(settings: Any) -> ImportWorld:
    return ImportWorld.build(settings)


@pytest.fixture
def client(client: Any) -> Any:
    """The pages in English, as the messages asserted (the default language is Indonesian)."""
    client.cookies["django_language"] = "en"
    return client


def staged(
    client: Any, world: ImportWorld, data: bytes, name: str = "u.xlsx"
) -> om.AspirationImport:
    response = client.post(UPLOAD, {"file": upload(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return om.AspirationImport.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[-1]))


def confirm(client: Any, batch: om.AspirationImport) -> Any:
    return client.post(reverse("aspirations:import_run", args=[batch.pk]), follow=True)


def test_a_clean_file_of_5000_rows_imports_every_row(world: ImportWorld, client: Any) -> None:
    user = world.who("kecamatan_staff")
    client.force_login(user)
    batch = staged(client, world, xlsx(many(5000)))
    confirm(client, batch)
    batch.refresh_from_db()
    assert batch.state == "queued"
    assert tasks.import_aspirations(batch.pk) == 5000

    rows = om.Aspiration.objects.filter(region=world.kelurahan.kecamatan.region)
    assert rows.count() == 5000
    assert rows.values("reference").distinct().count() == 5000
    assert set(rows.values_list("status", "year", "first_year", "kelurahan")) == {
        ("received", 2019, 2019, world.kelurahan.pk)
    }
    assert all(r.startswith("MSR-2019-") for r in rows.values_list("reference", flat=True))
    events = om.AspirationEvent.objects.filter(aspiration__in=rows)
    assert events.count() == 5000
    assert events.values("aspiration").distinct().count() == 5000
    batch.refresh_from_db()
    assert (batch.state, batch.imported, batch.rows) == ("done", 5000, [])
    assert set(events.values_list("kind", "to_status", "actor", "note")) == {
        ("intake", "received", user.pk, f"Imported from a file (import no. {batch.pk}).")
    }
    page = client.get(reverse("aspirations:import_batch", args=[batch.pk])).content.decode()
    assert "5000 aspirations were imported" in page
    assert page.count('data-testid="imported-row"') == 100
    assert "hx-trigger" not in page and 'http-equiv="refresh"' not in page


def test_every_column_is_imported(world: ImportWorld, client: Any) -> None:
    client.force_login(world.who("reviewer"))
    row = good(
        1,
        Forum="Konsultasi publik",
        Prioritas=3,
        Kategori="Kesehatan",
        **{"Kode indikator": "KMS", "Jenis pengusul": "perorangan", "Tanggal forum": "2018-02-05"},
    )
    batch = staged(client, world, csv_bytes([row], delimiter=";", bom=True), "u.csv")
    confirm(client, batch)
    tasks.import_aspirations(batch.pk)
    aspiration = om.Aspiration.objects.get()
    assert aspiration.reference.startswith("KP-2019-")
    assert (aspiration.forum, aspiration.category, aspiration.priority) == (
        "konsultasi_publik",
        "kesehatan",
        3,
    )
    assert aspiration.indicator == world.aspirations.plan.indicator
    assert (aspiration.proposer, aspiration.proposer_kind, aspiration.proposer_contact) == (
        "Karang Taruna RW 04",
        "person",
        "0812 0000 0000",
    )
    assert aspiration.received_on.isoformat() == "2018-02-05"
    assert aspiration.description == "Saluran tersumbat setiap musim hujan."


def test_confirming_twice_imports_once(world: ImportWorld, client: Any) -> None:
    client.force_login(world.who("reviewer"))
    batch = staged(client, world, xlsx(many(3)))
    confirm(client, batch)
    second = confirm(client, batch)
    assert "This import was already started: it runs once." in second.content.decode()
    assert tasks.import_aspirations(batch.pk) == 3
    assert tasks.import_aspirations(batch.pk) == 0  # a message delivered twice
    confirm(client, batch)
    assert tasks.import_aspirations(batch.pk) == 0
    assert om.Aspiration.objects.count() == 3
    assert om.AspirationEvent.objects.count() == 3


def test_a_failure_midway_leaves_nothing(
    world: ImportWorld, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.force_login(world.who("reviewer"))
    batch = staged(client, world, xlsx(many(import_run.CHUNK + 5)))
    confirm(client, batch)
    real = import_run._aspiration
    calls = []

    def failing(batch: Any, row: Any) -> Any:
        calls.append(row["row"])
        if len(calls) > import_run.CHUNK:  # the first chunk is in, the second breaks
            raise RuntimeError("disk full")
        return real(batch, row)

    monkeypatch.setattr(import_run, "_aspiration", failing)
    assert tasks.import_aspirations(batch.pk) == 0
    assert not om.Aspiration.objects.exists() and not om.AspirationEvent.objects.exists()
    batch.refresh_from_db()
    assert batch.state == "failed" and len(batch.rows) == import_run.CHUNK + 5
    page = client.get(reverse("aspirations:import_batch", args=[batch.pk])).content.decode()
    assert "The import failed and nothing was imported." in page
    assert 'data-testid="confirm"' in page  # it can be started again

    monkeypatch.setattr(import_run, "_aspiration", real)
    confirm(client, batch)
    assert tasks.import_aspirations(batch.pk) == import_run.CHUNK + 5


def test_a_duplicate_recorded_since_the_preview_stops_the_import(
    world: ImportWorld, client: Any
) -> None:
    client.force_login(world.who("reviewer"))
    batch = staged(client, world, xlsx(many(3)))
    world.aspirations.record(year=2019, title="perbaikan saluran air rw 0002")
    confirm(client, batch)
    assert tasks.import_aspirations(batch.pk) == 0
    assert om.Aspiration.objects.count() == 1
    batch.refresh_from_db()
    assert batch.state == "failed" and "Since the preview" in batch.error


def test_taken_references_are_drawn_again(
    world: ImportWorld, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.force_login(world.who("reviewer"))
    stored = world.aspirations.record(year=2019)
    batch = staged(client, world, xlsx(many(3)))
    confirm(client, batch)
    # The first round draws the stored reference and one twice; the second, free ones.
    draws = iter(
        [stored.reference, "MSR-2019-AAAA", "MSR-2019-AAAA", "MSR-2019-BBBB", "MSR-2019-CCCC"]
    )
    monkeypatch.setattr(import_run, "new_reference", lambda **_: next(draws))
    assert tasks.import_aspirations(batch.pk) == 3
    assert set(om.Aspiration.objects.exclude(pk=stored.pk).values_list("reference", flat=True)) == {
        "MSR-2019-AAAA",
        "MSR-2019-BBBB",
        "MSR-2019-CCCC",
    }
    assert services.REFERENCE_ATTEMPTS > 2


def test_the_import_takes_a_fixed_number_of_queries_per_chunk(
    world: ImportWorld, client: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(world.who("reviewer"))
    batch = staged(client, world, xlsx(many(50)))
    confirm(client, batch)
    # claim, savepoint, lock, actor, new duplicates, references, 2 inserts, done, release
    with django_assert_num_queries(10):
        assert import_run.run(batch.pk) == 50


def test_progress_is_polled_and_works_without_javascript(
    world: ImportWorld, client: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(world.who("reviewer"))
    batch = staged(client, world, xlsx(many(40)))
    url = reverse("aspirations:import_batch", args=[batch.pk])
    om.AspirationImport.objects.filter(pk=batch.pk).update(state="running")
    cache.set(import_run.progress_key(batch.pk), 25, 60)
    with django_assert_num_queries(3):  # session, user, the import (its uploader: no role read)
        page = client.get(url).content.decode()
    assert '<progress id="import-bar" max="40" value="25">' in page
    assert "Importing: 25 of 40 rows." in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert 'data-testid="refresh"' in page
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="import-progress"') and 'hx-trigger="every 1s"' in partial
    assert 'hx-swap="outerHTML"' in partial
    assert "<html" not in partial and "aria-live" not in partial
    # The live region stays while the part inside it is swapped: a reader hears each change.
    assert (
        '<div id="import-live" aria-live="polite" data-testid="import-live"><div id="import-progress"'
        in page
    )


@pytest.mark.parametrize("who", ["kelurahan_staff", "outsider", "head"])
def test_another_users_import_is_404(world: ImportWorld, client: Any, who: str) -> None:
    client.force_login(world.who("kecamatan_staff"))
    batch = staged(client, world, xlsx(many(2)))
    client.force_login(world.who(who))
    assert client.get(reverse("aspirations:import_batch", args=[batch.pk])).status_code == 404
    assert client.post(reverse("aspirations:import_run", args=[batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.state == "ready"
    client.force_login(world.who("reviewer"))  # Bappeda sees every import
    assert client.get(reverse("aspirations:import_batch", args=[batch.pk])).status_code == 200


def test_old_imports_are_purged(world: ImportWorld, client: Any) -> None:
    client.force_login(world.who("reviewer"))
    old, young = staged(client, world, xlsx(many(1))), staged(client, world, xlsx(many(1)))
    now = timezone.now()
    om.AspirationImport.objects.filter(pk=old.pk).update(created_at=now - timedelta(hours=25))
    om.AspirationImport.objects.filter(pk=young.pk).update(created_at=now - timedelta(hours=23))
    assert tasks.purge_aspiration_imports() == 1
    assert list(om.AspirationImport.objects.values_list("pk", flat=True)) == [young.pk]


def test_the_templates_have_the_documented_headers(world: ImportWorld, client: Any) -> None:
    client.force_login(world.who("kelurahan_staff"))
    response = client.get(reverse("aspirations:import_template_xlsx"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Usulan", "Petunjuk"]
    assert [c.value for c in workbook["Usulan"][1]] == list(HEADERS)
    guide = [[c.value for c in row] for row in workbook["Petunjuk"].iter_rows()]
    assert [row[0] for row in guide[1:14]] == list(HEADERS)
    assert guide[1][1] == "yes" and guide[4][1] == "no"  # Forum required, Kecamatan not
    listed = {value for row in guide for value in row if value}
    assert {"musrenbang_kelurahan", "fgd", "infrastruktur", "perorangan", "kelompok"} <= listed
    assert {"Magelang Selatan", "Jurangombo Utara", "Kramat Utara"} <= listed
    assert any("dd/mm/yyyy" in str(value) for value in listed)

    response = client.get(reverse("aspirations:import_template_csv"))
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.decode("utf-8-sig").strip() == ";".join(HEADERS)

    # The template, filled in, is a clean file.
    sheet = workbook["Usulan"]
    sheet.append([text_cell(sheet, str(v)) if v else None for v in good(1).values()])
    out = io.BytesIO()
    workbook.save(out)
    staged(client, world, out.getvalue())
    client.logout()
    assert client.get(reverse("aspirations:import_template_xlsx")).status_code == 302


def test_a_title_that_looks_like_a_formula_stays_text(world: ImportWorld, client: Any) -> None:
    formula = '=HYPERLINK("http://example.com","<b>klik</b>")'
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(HEADERS))
    values = good(1, Judul=formula)
    sheet.append([text_cell(sheet, v) if isinstance(v, str) else v for v in values.values()])
    out = io.BytesIO()
    workbook.save(out)
    client.force_login(world.who("reviewer"))
    batch = staged(client, world, out.getvalue())
    page = client.get(reverse("aspirations:import_batch", args=[batch.pk])).content.decode()
    assert "=HYPERLINK(&quot;http://example.com&quot;,&quot;&lt;b&gt;klik&lt;/b&gt;&quot;)" in page
    confirm(client, batch)
    tasks.import_aspirations(batch.pk)
    assert om.Aspiration.objects.get().title == formula
    page = client.get(reverse("aspirations:import_batch", args=[batch.pk])).content.decode()
    assert "&lt;b&gt;klik&lt;/b&gt;" in page and "<b>klik</b>" not in page
    # From CSV too.
    batch = staged(client, world, csv_bytes([good(2, Judul="=1+2")]), "u.csv")
    confirm(client, batch)
    tasks.import_aspirations(batch.pk)
    assert om.Aspiration.objects.filter(title="=1+2").exists()


def test_the_preview_page_takes_a_fixed_number_of_queries(
    world: ImportWorld, client: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(world.who("kelurahan_staff"))
    for count in (2, 80):
        batch = staged(client, world, xlsx(many(count, **{"Tahun rencana": 2017 + count})))
        url = reverse("aspirations:import_batch", args=[batch.pk])
        # session, user, the import without its rows, then its rows for the first 20
        with django_assert_num_queries(4):
            page = client.get(url).content.decode()
        assert page.count('data-testid="preview-row"') == min(count, 20)


def test_an_unreachable_broker_leaves_the_import_ready(
    world: ImportWorld, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.engine.engine_world import celery_conf

    client.force_login(world.who("reviewer"))
    batch = staged(client, world, xlsx(many(2)))
    with (
        celery_conf(broker_url="redis://127.0.0.1:1/0", task_always_eager=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        confirm(client, batch)
    batch.refresh_from_db()
    assert batch.state == "ready" and "could not be started" in batch.error
    page = client.get(reverse("aspirations:import_batch", args=[batch.pk])).content.decode()
    assert "could not be started" in page and 'data-testid="confirm"' in page
    assert not om.Aspiration.objects.exists()
