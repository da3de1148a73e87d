"""The beneficiary list pages: an upload stores the list and the plan shows its counts; a file
with bad rows shows every bad row and stores nothing; a conflict stores nothing and says so;
the templates, filled in, import; the history names the list; no page repeats a NIK."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from opd import models as om
from opd.beneficiaries import services
from opd.beneficiaries.rows import COLUMNS, HEADERS
from opd.beneficiaries.template_file import GUIDE, SHEET
from opd.workplans import history
from tests.beneficiaries.pages import (
    delete_url,
    plan_url,
    post_file,
    signed_in,
    store,
    upload_url,
)
from tests.beneficiaries.world import csv_file, kk, nik, persons
from tests.factories import KelurahanFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_upload_form_offers_the_templates_and_the_activity_version(world):
    response = signed_in(world.staff).get(upload_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert f'name="seen_version" value="{world.activity.version}"' in html
    assert "/penerima-manfaat/templat.xlsx" in html and "/penerima-manfaat/templat.csv" in html
    assert "<progress" in html and "data-upload-progress" in html
    assert "Upload the beneficiary list" in html


def test_an_upload_stores_the_list_and_the_plan_shows_its_counts(world):
    client = signed_in(world.staff)
    rows = [
        (nik(1), kk(1), "Kramat Utara", 1),
        (nik(2), kk(1), "Kramat Utara", 1),
        (nik(3), kk(2), "Kramat Utara", 10),
        (nik(4), "", "Kramat Utara", ""),
    ]
    response = post_file(client, world, csv_file(rows), follow=True)
    assert response.redirect_chain[-1][0] == plan_url(world)
    page = text(response)
    assert "The beneficiary list of 1.06.01.001 was saved: 4 persons, 2 families." in page
    listed = om.BeneficiaryList.objects.get(activity=world.activity)
    assert (listed.persons, listed.families) == (4, 2)
    # The plan's row: counts and the desil mix, 1 to 10 then those without.
    row = re.search(r'data-testid="activity-list-1.06.01.001">(.*?)</tr>\s*</tbody>', page)
    assert row is not None
    assert "Beneficiary list: 4 persons, 2 families" in re.sub(r"<[^>]+>", "", row.group(1))
    mix = dict(re.findall(r'data-desil="(\w+)">(\d+)<', row.group(1)))
    assert mix == {**{str(d): "0" for d in range(1, 11)}, "1": "2", "10": "1", "none": "1"}
    assert "Replace list" in page
    for n in (1, 2, 3, 4):
        assert nik(n) not in page


def test_an_htmx_upload_is_sent_back_to_the_plan(world):
    response = post_file(
        signed_in(world.staff), world, csv_file(persons(2, "Kramat Utara")), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == plan_url(world)
    assert om.BeneficiaryList.objects.get(activity=world.activity).persons == 2


def test_every_bad_row_is_shown_and_nothing_is_stored(world):
    store(world.activity, world.staff, range(1, 4), "Kramat Utara")
    before = list(om.Beneficiary.objects.values_list("person", flat=True))
    rows = [
        (nik(10), "", "Kramat Utara", 1),
        ("12345", "", "Kramat Utara", 1),  # row 3: a short NIK
        (nik(10), "", "Atlantis", 11),  # row 4: the same NIK, unknown kelurahan, bad desil
        (nik(11), "", "Kramat Utara", 2),
    ]
    response = post_file(signed_in(world.staff), world, csv_file(rows))
    assert response.status_code == 422
    html = response.content.decode()
    page = text(response)
    bad = dict(re.findall(r'data-testid="bad-row" data-row="(\d+)">(.*?)</tr>', html, re.S))
    assert sorted(bad) == ["3", "4"]
    assert "The NIK has 5 digits, not 16." in bad["3"]
    reasons = re.findall(r"<li>(.*?)</li>", bad["4"])
    assert len(reasons) == 3
    assert "The same NIK as row 2." in reasons[0]
    assert "Atlantis" in reasons[1]
    assert "desil must be a whole number from 1 to 10" in reasons[2]
    assert "2 rows of 4 must be corrected. Nothing was imported." in page
    # The summary at the top links to the file field, which is marked invalid.
    summary = re.search(r'data-testid="error-summary".*?</div>', html, re.S)
    assert summary is not None and 'href="#id_file"' in summary.group(0)
    assert 'aria-invalid="true"' in html
    assert list(om.Beneficiary.objects.values_list("person", flat=True)) == before
    assert om.BeneficiaryList.objects.get(activity=world.activity).persons == 3
    for number in (nik(10), nik(11), "12345"):
        assert number not in html


def test_an_unreadable_file_is_refused_with_its_reason(world):
    response = post_file(signed_in(world.staff), world, b"\x00\x01garbage", name="daftar.xlsx")
    assert response.status_code == 422
    assert 'data-testid="error-summary"' in response.content.decode()
    assert not om.BeneficiaryList.objects.exists()


def test_no_file_is_a_message_on_the_field(world):
    world.activity.refresh_from_db()
    response = signed_in(world.staff).post(
        upload_url(world), {"seen_version": world.activity.version}
    )
    assert response.status_code == 422
    assert "Choose the XLSX or CSV file of the list." in text(response)


def test_an_empty_post_says_what_is_missing_and_changes_nothing(world):
    """A POST without a single field is still a form sent: its errors are shown."""
    store(world.activity, world.staff, range(1, 4), "Kramat Utara")
    world.activity.refresh_from_db()
    version = world.activity.version
    client = signed_in(world.staff)
    upload = client.post(upload_url(world), {})
    assert upload.status_code == 422
    page = text(upload)
    assert 'data-testid="error-summary"' in page
    assert "Choose the XLSX or CSV file of the list." in page
    assert "Reload the page and try again." in page
    delete = client.post(delete_url(world), {})
    assert delete.status_code == 422
    page = text(delete)
    assert "Tick “I am sure” to delete the list." in page
    assert "Reload the page and try again." in page
    assert om.BeneficiaryList.objects.get(activity=world.activity).persons == 3
    assert om.Beneficiary.objects.count() == 3
    world.activity.refresh_from_db()
    assert world.activity.version == version


def test_a_version_conflict_stores_nothing_and_says_so(world):
    client = signed_in(world.staff)
    world.activity.refresh_from_db()
    seen = world.activity.version
    store(world.activity, world.head, range(1, 3), "Kramat Utara")  # someone else, meanwhile
    response = post_file(
        client, world, csv_file(persons(5, "Kramat Utara", start=50)), version=seen
    )
    assert response.status_code == 409
    page = text(response)
    assert "was changed by someone else since you opened this page: nothing was imported" in page
    assert om.BeneficiaryList.objects.get(activity=world.activity).persons == 2
    # The form now carries the current version: sending the file again works.
    world.activity.refresh_from_db()
    assert f'name="seen_version" value="{world.activity.version}"' in response.content.decode()


def test_delete_asks_first_then_deletes(world):
    store(world.activity, world.staff, range(1, 4), "Kramat Utara")
    client = signed_in(world.staff)
    assert client.get(delete_url(world)).status_code == 200
    world.activity.refresh_from_db()
    unconfirmed = client.post(delete_url(world), {"seen_version": world.activity.version})
    assert unconfirmed.status_code == 422
    assert om.BeneficiaryList.objects.filter(activity=world.activity).exists()
    stale = client.post(delete_url(world), {"seen_version": 1, "confirm": "1"})
    assert stale.status_code == 409
    assert om.BeneficiaryList.objects.filter(activity=world.activity).exists()
    response = client.post(
        delete_url(world), {"seen_version": world.activity.version, "confirm": "1"}, follow=True
    )
    assert "The beneficiary list of 1.06.01.001 was deleted." in text(response)
    assert not om.BeneficiaryList.objects.exists()
    assert not om.Beneficiary.objects.exists()


def test_the_history_names_the_list_with_its_counts(world):
    assert history.BENEFICIARY_LIST == services.AUDIT_FIELD
    store(world.activity, world.staff, range(1, 4), "Kramat Utara")
    store(world.activity, world.staff, range(1, 6), "Kramat Utara")
    client = signed_in(world.head)
    page = text(client.get(f"/renja/{world.work_plan.pk}/riwayat/"))
    assert "Beneficiary list: — → 3 persons" in page
    assert "Beneficiary list: 3 persons → 5 persons" in page
    assert str(history.describe("activity", {"beneficiaries": {"old": "1", "new": None}})[0]) == (
        "Beneficiary list: 1 person → —"
    )


def test_the_xlsx_template_explains_each_column_and_lists_the_kelurahan(world):
    KelurahanFactory(kecamatan=world.kelurahan.kecamatan, name="Potrobangsan", code="3371010002")
    response = signed_in(world.staff).get(
        f"/renja/{world.work_plan.pk}/penerima-manfaat/templat.xlsx"
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [SHEET, GUIDE]
    assert [c.value for c in workbook[SHEET][1]] == list(HEADERS)
    assert workbook[SHEET]["A2"].number_format == "@"  # a NIK keeps its 16 digits
    guide = [[cell for cell in row if cell is not None] for row in workbook[GUIDE].values]
    for column in COLUMNS:
        assert [column.header, "yes" if column.required else "no", str(column.accepts)] in guide
    assert ["Magelang Utara", "Kramat Utara", world.kelurahan.code] in guide
    assert ["Magelang Utara", "Potrobangsan", "3371010002"] in guide


def test_a_filled_xlsx_template_imports(world):
    client = signed_in(world.staff)
    response = client.get(f"/renja/{world.work_plan.pk}/penerima-manfaat/templat.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook[SHEET]
    for number, row in enumerate(persons(3, "Kramat Utara", desil=2), start=2):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=number, column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    saved = post_file(client, world, out.getvalue(), name="daftar.xlsx")
    assert saved.status_code == 302, text(saved)
    listed = om.BeneficiaryList.objects.get(activity=world.activity)
    assert listed.persons == 3 and listed.desil_counts[1] == 3


def test_a_filled_csv_template_imports(world):
    client = signed_in(world.staff)
    response = client.get(f"/renja/{world.work_plan.pk}/penerima-manfaat/templat.csv")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(body), delimiter=";")) == list(HEADERS)
    lines = [body.rstrip("\r\n")] + [f"{nik(n)};{kk(n)};Kramat Utara;3" for n in (1, 2)]
    saved = post_file(client, world, ("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    assert saved.status_code == 302, text(saved)
    assert om.BeneficiaryList.objects.get(activity=world.activity).persons == 2
