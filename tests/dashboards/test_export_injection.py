"""Text a user typed goes into the exports as text, never as a formula (house style 13).

Every user text field of the scenario is given a value a spreadsheet would run: the xlsx
files must hold no formula cell at all (every cell of every sheet is walked), the CSV no
cell starting with a formula character unless neutralised with a leading quote (OWASP),
and the numbers must stay numbers.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from opd import models as om
from opd.dashboards import csv_export
from opd.engine.compute import recompute
from targets import models as tm
from tests.dashboards import scenario
from tests.factories import RealisationFactory, ReviewCommentFactory

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://x.example/","y")'
STARTS = ("=", "+", "-", "@", "\t", "\r")


def hostile(n: int, limit: int) -> str:
    """The n-th formula-like value, cycling through every character a spreadsheet runs."""
    values = [f"{LINK}{n}", f"=1+{n}", f"+{n}+1", f"-{n}+1", f"@SUM({n})", f"\t={n}", f"\r={n}"]
    return values[n % len(values)][:limit]


def poison(world: scenario.Scenario) -> None:
    """Every user text field of the scenario, exported or not, made formula-like."""
    n = 0

    def give(obj, *names: str) -> None:
        nonlocal n
        for name in names:
            n += 1
            setattr(obj, name, hostile(n, obj._meta.get_field(name).max_length or 1000))
        obj.save()

    world.region.name = LINK
    world.region.save()
    give(world.indicator, "name")
    for kecamatan in tm.Kecamatan.objects.all():
        give(kecamatan, "name")
    for kelurahan in tm.Kelurahan.objects.all():
        give(kelurahan, "name")
    for opd in om.Opd.objects.all():
        give(opd, "code", "name", "short_name")
    for program in om.Program.objects.all():
        give(program, "code", "name", "outcome_indicator")
    for activity in om.Activity.objects.all():
        give(
            activity,
            "code",
            "name",
            "output_indicator",
            "output_unit",
            "target_group",
            "notes",
        )
    for realisation in om.Realisation.objects.all():
        give(realisation, "notes")
    ReviewCommentFactory(work_plan=world.dinsos_plan, text=LINK)


@pytest.fixture
def world() -> scenario.Scenario:
    world = scenario.build()
    # A realisation with an activity's figures in every quarter column.
    RealisationFactory(activity=world.activities[1], quarter=1)
    poison(world)
    # The contribution CSV's figures, as the worker stores them after these changes.
    recompute(indicator_id=world.indicator.pk, year=2018)
    return world


def reviewer(world: scenario.Scenario) -> Client:
    client = Client()
    client.force_login(world.reviewer)
    return client


def workbooks(world: scenario.Scenario):
    client = reviewer(world)
    urls = [  # every plan's text: the all-OPD files with the plans not approved (?draf=1)
        reverse("dashboards:renja_all", args=[2018]) + "?draf=1",
        reverse("dashboards:evaluation_all", args=[2018]) + "?draf=1",
        reverse("dashboards:renja", args=[2018, world.dinsos.pk]),
        reverse("dashboards:evaluation", args=[2018, world.dinsos.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        yield url, load_workbook(io.BytesIO(response.content))


def test_no_user_text_becomes_a_formula_in_the_xlsx_exports(world):
    texts = 0
    for url, book in workbooks(world):
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (url, cell.coordinate, cell.value)
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        texts += 1
    # The values did reach the files, as text: a code, a name, an indicator... per activity.
    assert texts > 20


def test_the_xlsx_exports_keep_the_typed_text_as_it_was(world):
    activity = om.Activity.objects.get(pk=world.activities[0].pk)
    _url, book = next(workbooks(world))
    values = {c.value for row in book.active.iter_rows() for c in row}
    assert activity.name in values
    assert activity.code in values
    assert world.region.name in {v.split(" – ")[0] for v in values if isinstance(v, str)}


@pytest.mark.parametrize(("query", "delimiter"), [("", ";"), ("?format=plain", ",")])
def test_no_csv_cell_starts_a_formula(world, query, delimiter):
    url = reverse("dashboards:contributions_csv", args=[2018]) + query
    response = reviewer(world).get(url)
    assert response.status_code == 200
    text = io.StringIO(response.content.decode("utf-8-sig"), newline="")
    rows = list(csv.reader(text, delimiter=delimiter))
    assert len(rows) > 3
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(STARTS)]
    names = {row[1] for row in rows[1:]}
    assert f"'{om.Opd.objects.get(pk=world.dinsos.pk).name}" in names


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+62 293", "'+62 293"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Dinas Sosial", "Dinas Sosial"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_csv_safe(value, expected):
    assert csv_export.csv_safe(value) == expected


def test_numbers_stay_numbers(world):
    activity = om.Activity.objects.get(pk=world.activities[0].pk)
    renja = reverse("dashboards:renja", args=[2018, world.dinsos.pk])
    evaluation = reverse("dashboards:evaluation", args=[2018, world.dinsos.pk])
    books = dict(workbooks(world))
    rows = list(books[renja].active.iter_rows(min_row=6))
    row = next(r for r in rows if r[1].value == activity.name)
    assert row[4].data_type == "n" and Decimal(str(row[4].value)) == activity.output_target
    assert row[6].data_type == "n" and Decimal(str(row[6].value)) == activity.budget
    assert row[11].data_type == "n" and Decimal(str(row[11].value)) == activity.next_year_budget
    assert rows[-1][6].data_type == "n"  # the total
    rows = list(books[evaluation].active.iter_rows(min_row=6))
    row = next(r for r in rows if r[2].value == f"{activity.code} {activity.name}")
    assert row[0].data_type == "n" and row[0].value == 1
    assert [c.data_type for c in row[9:15]] == ["n"] * 6
    assert (Decimal(str(row[19].value)), Decimal(str(row[20].value))) == (
        Decimal(80),
        Decimal(120_000_000),
    )
    response = reviewer(world).get(reverse("dashboards:contributions_csv", args=[2018]))
    text = io.StringIO(response.content.decode("utf-8-sig"))
    by_name = {r[1]: r for r in csv.reader(text, delimiter=";")}
    dinsos = by_name[csv_export.csv_safe(om.Opd.objects.get(pk=world.dinsos.pk).name)]
    assert dinsos[3:5] == ["900", "900"] and dinsos[6] == "250"


def test_characters_an_xlsx_cannot_hold_are_dropped_not_a_500(world):
    activity = om.Activity.objects.get(pk=world.activities[0].pk)
    activity.name = "Bantuan\x01sosial\x0b"
    activity.notes = "baris satu\nbaris dua\tkolom"
    activity.save()
    _url, book = next(workbooks(world))
    values = {c.value for row in book.active.iter_rows() for c in row}
    assert "Bantuansosial" in values
    assert "baris satu\nbaris dua\tkolom" in values


def test_a_typed_code_cannot_break_the_download_header(world):
    opd = om.Opd.objects.get(pk=world.dinsos.pk)
    opd.code = '1.06"\r\nX-Evil: 1'
    opd.save()
    response = reviewer(world).get(reverse("dashboards:renja", args=[2018, opd.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="renja-t-c33-2018-1.06-X-Evil-1.xlsx"'
    )


def test_a_formula_behind_a_dropped_control_character_is_still_quoted():
    from openpyxl import Workbook

    from opd.dashboards.sheets import text_cell

    sheet = Workbook().active
    cell = text_cell(sheet, '\x01=HYPERLINK("http://x","y")')
    assert cell.value == '=HYPERLINK("http://x","y")'
    assert cell.data_type == "s" and cell.quotePrefix
