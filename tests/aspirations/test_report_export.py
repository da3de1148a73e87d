"""The xlsx export of Bappeda's summary (``/usulan/ringkasan.xlsx``): the list of the year's
aspirations with the day each stage was reached, the three tables and the medians, as on the
page (the world and its figures: ``test_report``); text typed at a forum stays text; no
proposer's name or contact; and the pinned query counts of the page and the export."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from opd import models as om
from tests.aspirations.test_report import ReportWorld, build, signed_in
from tests.aspirations.world import INTAKE, AspirationWorld
from tests.factories import AspirationEventFactory, AspirationFactory, RegionFactory

pytestmark = pytest.mark.django_db

XLSX = "/usulan/ringkasan.xlsx"
FIRST_ROW = 6  # title, region, a blank row, two heading rows


@pytest.fixture
def rw(settings: Any) -> ReportWorld:
    return build(settings)


def download(client: Client, rw: ReportWorld, **params: Any) -> Workbook:
    response = signed_in(client, rw.who("reviewer")).get(XLSX, params)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def values(sheet: Any, first: int = FIRST_ROW) -> list[list[Any]]:
    return [list(line) for line in sheet.iter_rows(min_row=first, values_only=True)]


def day(value: Any) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def test_the_file_is_served_as_an_xlsx_download(rw: ReportWorld, client: Client) -> None:
    response = signed_in(client, rw.who("reviewer")).get(XLSX, {"tahun": 2017})
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="usulan-ringkasan-2017.xlsx"'
    assert reverse("aspirations:report_xlsx") == XLSX


def test_the_sheets(rw: ReportWorld, client: Client) -> None:
    book = download(client, rw)
    assert book.sheetnames == [
        "Aspirations 2018",
        "Per forum",
        "Per kelurahan",
        "Per OPD",
        "Days per step",
    ]


def test_the_list_of_the_years_aspirations(rw: ReportWorld, client: Client) -> None:
    sheet = download(client, rw)["Aspirations 2018"]
    headings = [c.value for c in sheet[4]]
    assert headings[:15] == [
        "Reference",
        "Forum",
        "Forum date",
        "Plan year",
        "First year",
        "Kecamatan",
        "Kelurahan",
        "Category",
        "Title",
        "Priority",
        "Stage",
        "Recommended OPD",
        "Activity (program › activity)",
        "Reason for rejection",
        "Rejection text",
    ]
    assert headings[15] == "First day at the stage"
    assert [c.value for c in sheet[5]][15:] == [
        "Received",
        "Verified",
        "Recommended to an OPD",
        "Accepted into a plan",
        "Rejected",
        "Funded",
        "Realised",
    ]
    rows = {line[0]: line for line in values(sheet)}
    a = rw.a
    assert sorted(rows) == sorted(a[name].reference for name in a if name != "A9")
    plan = rw.world.plan
    program = f"{plan.program.code} {plan.program.name}"
    assert [day(v) for v in rows[a["A3"].reference]] == [
        a["A3"].reference,
        "Musrenbang kecamatan",
        date(2017, 3, 1),
        2018,
        2018,
        "Magelang Utara",
        "Kramat Utara",
        "Economy",
        "Usulan A3",
        2,
        "Realised",
        "Dinas Sosial",
        f"{program} › {plan.activity.code} {plan.activity.name}",
        None,
        None,
        date(2017, 3, 1),
        date(2017, 3, 5),
        date(2017, 3, 15),
        date(2017, 4, 1),
        None,
        date(2017, 5, 1),
        date(2017, 7, 1),
    ]
    carried = [day(v) for v in rows[a["A7"].reference]]
    assert carried[3:5] == [2018, 2017]  # plan year, first year
    assert carried[10:15] == [
        "Rejected",
        "Dinas Lingkungan Hidup",
        None,
        "Not within the OPD's authority",
        None,
    ]
    assert carried[15:] == [
        date(2017, 1, 1),
        date(2017, 1, 6),
        date(2017, 1, 13),
        None,
        date(2017, 1, 21),
        None,
        None,
    ]
    city = rows[a["A6"].reference]
    assert city[5:7] == [None, None] and city[13] == "Duplicate of another aspiration"


def test_the_rejection_text_and_the_other_year(rw: ReportWorld, client: Client) -> None:
    sheet = download(client, rw, tahun=2017)["Aspirations 2017"]
    (only,) = values(sheet)
    assert only[0] == rw.a["A9"].reference
    assert only[13:15] == ["Other reason", "Sudah ada program provinsi"]


def test_the_tables_and_the_medians(rw: ReportWorld, client: Client) -> None:
    book = download(client, rw)
    forum = values(book["Per forum"])
    assert forum[0] == ["Musrenbang kelurahan", 4, 3, 2, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1]
    assert forum[-1] == ["Total", 8, 6, 5, 3, 2, 1, 3, 1, 1, 0, 1, 0, 0, 1]
    assert [c.value for c in book["Per forum"][4]] == [
        "Forum",
        "Received",
        "Verified",
        "Recommended",
        "Accepted",
        "Funded",
        "Realised",
        "Rejected",
        *(str(label) for label in om.RejectionCode.labels),
        "Carried over",
    ]
    kelurahan = values(book["Per kelurahan"])
    assert kelurahan == [
        ["Tidar Utara", "Magelang Selatan", 2, 2, 2, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0],
        ["Kramat Utara", "Magelang Utara", 5, 4, 3, 2, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1],
        ["No kelurahan (city-wide forum)", None, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0],
        ["Total", None, 8, 6, 5, 3, 2, 1, 3, 1, 1, 0, 1, 0, 0, 1],
    ]
    opd = values(book["Per OPD"])
    assert [line[:3] for line in opd] == [
        ["Dinas Sosial", "1.06", 4],
        ["Dinas Lingkungan Hidup", "2.11", 1],
        ["Not recommended to an OPD", None, 3],
        ["Total", None, 8],
    ]
    assert values(book["Days per step"]) == [
        ["Received → verified", 4.5, 6],
        ["Verified → recommended", 4, 5],
        ["Recommended → accepted or rejected", 11, 5],
        ["Accepted → funded", 35.5, 2],
        ["Funded → realised", 61, 1],
    ]
    none = values(download(client, rw, tahun=2017)["Days per step"])
    assert {(line[1], line[2]) for line in none} == {("–", 0)}


def test_a_title_like_a_formula_stays_text(rw: ReportWorld, client: Client) -> None:
    aspiration = rw.world.record(title="=1+1")
    book = download(client, rw)
    sheet = book["Aspirations 2018"]
    (line,) = [
        line for line in sheet.iter_rows(min_row=FIRST_ROW) if line[0].value == aspiration.reference
    ]
    assert line[8].value == "=1+1"
    assert line[8].data_type == "s" and line[8].quotePrefix
    for each in book.worksheets:
        for cells in each.iter_rows():
            assert all(cell.data_type != "f" for cell in cells), each.title


def test_no_proposer_name_or_contact(rw: ReportWorld, client: Client) -> None:
    book = download(client, rw)
    texts = [
        str(cell.value)
        for sheet in book.worksheets
        for cells in sheet.iter_rows()
        for cell in cells
        if cell.value is not None
    ]
    for private in (INTAKE["proposer"], INTAKE["proposer_contact"]):
        assert not any(private in value for value in texts), private


# --- the query counts -------------------------------------------------------------------------


def _many(world: AspirationWorld, region: Any, count: int) -> None:
    """``count`` aspirations, each with an intake and a verification event."""
    kelurahan = world.plan.kelurahan
    for _i in range(count):
        aspiration = AspirationFactory(
            region=region, kelurahan=kelurahan, status="verified", proposer="Warga"
        )
        AspirationEventFactory(
            aspiration=aspiration, kind="intake", from_status="", to_status="received"
        )
        AspirationEventFactory(aspiration=aspiration)


@pytest.mark.parametrize("count", [1, 40])
def test_the_page_and_the_export_in_a_fixed_number_of_queries(
    settings: Any, client: Client, django_assert_num_queries: Any, count: int
) -> None:
    world = AspirationWorld.build()
    region = RegionFactory(code=world.plan.work_plan.opd.region.code)
    settings.DEFAULT_REGION_CODE = region.code
    _many(world, region, count)
    browser = signed_in(client, world.plan.reviewer)
    browser.get(reverse("aspirations:report"))  # the session and the permissions, once
    # session, user, the user's and their groups' permissions; the region Bappeda works for
    # (its scope) and the regions the picker offers (which replace the region by its code);
    # years, aspirations, events, kelurahan
    with django_assert_num_queries(10):
        response = browser.get(reverse("aspirations:report"))
    assert response.status_code == 200
    assert f'<td class="num">{count}</td>' in response.content.decode()
    with django_assert_num_queries(10):
        response = browser.get(reverse("aspirations:report_xlsx"))
    assert response.status_code == 200
