"""The exports open with openpyxl, follow the official layouts, and match the plans."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from opd.dashboards.exports import CONTRIBUTION_HEADERS, EVALUATION_HEADERS, RENJA_HEADERS
from opd.models import Activity
from tests.dashboards import scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> scenario.Scenario:
    return scenario.build()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sheet_of(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def test_renja_t_c33_of_one_opd(world):
    sheet = sheet_of(
        client_for(world.head).get(reverse("dashboards:renja", args=[2018, world.dinsos.pk]))
    )
    assert "Tahun 2018" in sheet["A1"].value and "Prakiraan Maju Tahun 2019" in sheet["A1"].value
    assert [c.value for c in sheet[4]] == RENJA_HEADERS
    assert [c.value for c in sheet[5]] == [str(i) for i in range(1, 11)]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=6)]
    activity_rows = {r[0]: r for r in rows if r[0] and r[0].count(".") == 3}
    assert set(activity_rows) == {"1.06.01.001", "1.06.01.002"}
    first = activity_rows["1.06.01.001"]
    activity = Activity.objects.get(code="1.06.01.001")
    assert first[3] == "Kel. Kramat Utara, Kec. Magelang Utara"
    assert first[4] == "100 KK"
    assert Decimal(str(first[5])) == activity.budget
    assert first[6] == "APBD Kota"
    assert first[7] == "Catatan"
    assert first[8] == "110 KK"
    assert Decimal(str(first[9])) == activity.next_year_budget
    program_row = next(r for r in rows if r[0] == "1.06.01")
    assert Decimal(str(program_row[5])) == Decimal(450_000_000)
    total = rows[-1]
    assert total[1] == "Jumlah"
    assert Decimal(str(total[5])) == Decimal(450_000_000)
    assert Decimal(str(total[9])) == Decimal(470_000_000)


def test_renja_t_c33_of_all_opds_totals_every_plan(world):
    sheet = sheet_of(client_for(world.reviewer).get(reverse("dashboards:renja_all", args=[2018])))
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=6)]
    opd_rows = [r[0] for r in rows if r[0] and "(Renja" in (r[1] or "")]
    assert opd_rows == ["1.06", "2.07", "3.01", "3.02"]
    expected = sum(
        Activity.objects.filter(program__work_plan__year=2018).values_list("budget", flat=True)
    )
    assert Decimal(str(rows[-1][5])) == expected


def test_quarterly_evaluation_pairs_output_and_rupiah(world):
    sheet = sheet_of(
        client_for(world.head).get(reverse("dashboards:evaluation", args=[2018, world.dinsos.pk]))
    )
    header = [c.value for c in sheet[4]]
    names = [h for h in header if h]
    assert names == EVALUATION_HEADERS
    assert [c.value for c in sheet[5]][4:18] == ["K", "Rp"] * 6 + ["K", "Rp (%)"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=6)]
    first = next(r for r in rows if r[2] and r[2].startswith("1.06.01.001"))
    assert first[0] == 1
    assert (Decimal(str(first[4])), Decimal(str(first[5]))) == (Decimal(100), Decimal(300_000_000))
    assert (Decimal(str(first[6])), Decimal(str(first[7]))) == (Decimal(40), Decimal(60_000_000))
    assert (Decimal(str(first[8])), Decimal(str(first[9]))) == (Decimal(40), Decimal(60_000_000))
    assert first[10:14] == [None, None, None, None]
    assert (Decimal(str(first[14])), Decimal(str(first[15]))) == (Decimal(80), Decimal(120_000_000))
    assert (Decimal(str(first[16])), Decimal(str(first[17]))) == (Decimal(80), Decimal(40))
    assert first[18] == "Dinas Sosial"
    assert any(r[1] == "Faktor penghambat" for r in rows)


def test_contribution_csv_matches_the_snapshot(world):
    response = client_for(world.reviewer).get(reverse("dashboards:contributions_csv", args=[2018]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == CONTRIBUTION_HEADERS
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["1.06"][3:5] == ["900", "900"]
    assert by_code["1.06"][6] == "250"
    assert by_code["2.07"][3] == "400"
    assert by_code["3.01"][2:4] == ["Draf", "0"]  # a draft counts nothing
    assert sum(Decimal(r[3]) for r in rows[1:]) == 1300
