"""The quarterly evaluation's Renstra columns (5, 6, 13, 14) and the numbering row 1–15.

The rules (:mod:`opd.dashboards.renstra_progress`) are tested without a database in
``test_renstra_progress.py``; here the export is checked cell by cell on the demo data and on a
small built world with earlier years' realisations, against figures computed by hand in the
comments (never by the code under test).

Columns of a row (0-based), each value column a K/Rp pair: 0 No, 1 Sasaran, 2 Program/Kegiatan,
3 indicator, 4 its unit (column 4), 5-6 column 5, 7-8 column 6, 9-10 column 7, 11-18 quarters
I-IV (8-11), 19-20 column 12, 21-22 column 13, 23-24 column 14, 25 the OPD (15), then the
additions: 26-27 the Renja's achievement, 28-29 persons planned and achieved.
"""

from __future__ import annotations

import io
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from opd import models as om
from opd.dashboards.evaluation import OFFICIAL_HEADERS
from tests import factories as f
from tests.renstra.makers import make_activity, make_program, make_renstra
from tests.workplans.plan_world import member

D = Decimal
M = D(1_000_000)
YEARS = range(2016, 2022)

# --- the export ------------------------------------------------------------------------------


def evaluation_rows(client: Client, year: int, opd_id: int):
    """The evaluation file's sheet, and its rows from the first under the headings by the
    text of column 3 (program or activity code first)."""
    response = client.get(reverse("dashboards:evaluation", args=[year, opd_id]))
    assert response.status_code == 200, response.status_code
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {}
    for line in sheet.iter_rows(min_row=7):
        if isinstance(line[2].value, str):
            rows[line[2].value.split(" ")[0]] = line
    return sheet, rows


def figures(line, first: int, last: int) -> list:
    """Cells ``first`` to ``last`` (both in) as exact decimals, None where empty; every
    figure a number cell, never text nor a formula."""
    found: list[Decimal | None] = []
    for cell in line[first : last + 1]:
        if cell.value is None:
            found.append(None)
        else:
            assert cell.data_type == "n", (cell.coordinate, cell.value)
            found.append(D(str(cell.value)))
    return found


@pytest.fixture
def demo(db):
    call_command("load_magelang", "--demo", stdout=StringIO())
    client = Client()
    client.force_login(get_user_model().objects.get(username="kepala.dinsos"))
    return client, om.Opd.objects.get(code="1.06")


@pytest.mark.django_db
def test_the_demo_evaluation_renstra_columns_cell_by_cell(demo):
    client, dinsos = demo
    sheet, rows = evaluation_rows(client, 2018, dinsos.pk)
    numbers = [c.value for c in sheet[6]]
    assert [n for n in numbers if n] == [str(i) for i in range(1, 16)]
    # The demo's Renstra (opd/renstra/demo.py): the 2018 Renja's figure for 2018, 5 % more a
    # year after it and 5 % less before, targets rounded to 1 and budgets to Rp 1,000,000,
    # half up; the period 2016-2021. Realisations: the first quarter only, a quarter of the
    # target and of the budget.
    #
    # 1.06.01.001, target 300 KK, budget 1,250,000,000:
    #   targets 270, 285, 300, 315, 330, 345 -> column 5 K = 1,845 (Rp: no activity budget)
    #   quarter I: 300/4 = 75 KK, 1,250,000,000/4 = 312,500,000
    #   column 6 empty (no Renja before 2018); 13 = 12 = 75, 312,500,000
    #   column 14 K = 75 / 1,845 x 100 = 4.0650... -> 4.07
    a1 = rows["1.06.01.001"]
    assert figures(a1, 5, 10) == [D(1845), None, None, None, D(300), D(1_250_000_000)]
    assert figures(a1, 19, 24) == [D(75), D(312_500_000), D(75), D(312_500_000), D("4.07"), None]
    assert a1[25].value == "Dinas Sosial"
    assert figures(a1, 26, 29) == [D(25), D(25), D(600), D(150)]  # 75/300, persons
    # 1.06.01.002, target 450 KK, budget 475,000,000:
    #   targets 405, 427.5 -> 428, 450, 472.5 -> 473, 495, 517.5 -> 518: K = 2,769
    #   quarter I: 450/4 = 112.5 KK, 475,000,000/4 = 118,750,000
    #   column 14 K = 112.5 / 2,769 x 100 = 4.0628... -> 4.06
    a2 = rows["1.06.01.002"]
    assert figures(a2, 5, 8) == [D(2769), None, None, None]
    assert figures(a2, 19, 24) == [
        D("112.5"),
        D(118_750_000),
        D("112.5"),
        D(118_750_000),
        D("4.06"),
        None,
    ]
    # 1.06.01.003, target 20 unit, no report: targets 18, 19, 20, 21, 22, 23 -> K = 123;
    #   realised 0 this year and before: column 14 K = 0.00 (a rate, since column 5 is not 0)
    a3 = rows["1.06.01.003"]
    assert figures(a3, 5, 8) == [D(123), None, None, None]
    assert figures(a3, 19, 24) == [D(0), D(0), D(0), D(0), D(0), None]
    # The program 1.06.01, outcome 250 KK, budget 300 + 475 + 1,250 = 2,025,000,000:
    #   final year 2021: 250 x 1.15 = 287.5 -> 288
    #   budgets (millions) 2016: 1,822.5 -> 1,823; 2017: 1,923.75 -> 1,924; 2018: 2,025;
    #   2019: 2,126.25 -> 2,126; 2020: 2,227.5 -> 2,228; 2021: 2,328.75 -> 2,329
    #   column 5 Rp = 12,455,000,000
    #   column 12 Rp = 312,500,000 + 118,750,000 = 431,250,000 = column 13 Rp
    #   column 14 Rp = 431,250,000 / 12,455,000,000 x 100 = 3.4624... -> 3.46
    #   the Renja's Rp rate: 431,250,000 / 2,025,000,000 x 100 = 21.296... -> 21.30
    program = rows["1.06.01"]
    assert figures(program, 5, 10) == [D(288), D(12_455_000_000), None, None, D(250), D(2025) * M]
    assert figures(program, 19, 24) == [None, D(431_250_000), None, D(431_250_000), None, D("3.46")]
    assert figures(program, 26, 27) == [None, D("21.30")]


@pytest.mark.django_db
def test_the_demo_drafts_show_their_renstra_lines_too(demo):
    _client, _dinsos = demo
    reviewer = Client()
    reviewer.force_login(get_user_model().objects.get(username="bappeda"))
    response = reviewer.get(reverse("dashboards:evaluation_all", args=[2018]) + "?draf=1")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {
        line[2].value.split(" ")[0]: line
        for line in sheet.iter_rows(min_row=7)
        if isinstance(line[2].value, str)
    }
    # Dinas Tenaga Kerja, 2.07.01.001: target 160 orang, budget 820,000,000, no report:
    #   targets 144, 152, 160, 168, 176, 184 -> K = 984
    # the program 2.07.01, outcome 120: 2021 120 x 1.15 = 138; budgets (millions) 738, 779,
    #   820, 861, 902, 943 -> Rp = 5,043,000,000; nothing spent: column 14 Rp = 0.00
    assert figures(rows["2.07.01.001"], 5, 6) == [D(984), None]
    assert figures(rows["2.07.01.001"], 23, 24) == [D(0), None]
    assert figures(rows["2.07.01"], 5, 6) == [D(138), D(5043) * M]
    assert figures(rows["2.07.01"], 23, 24) == [None, D(0)]


# --- a built world with earlier years ----------------------------------------------------------


def approved_plan(opd: Any, plan: Any, year: int) -> Any:
    return f.WorkPlanFactory(
        opd=opd, plan=plan, year=year, status="approved", reviewed_at=timezone.now()
    )


def renstra_activity(program: om.RenstraProgram, code: str, targets: list[int]):
    line = make_activity(program=program, code=code)
    for year, target in zip(YEARS, targets, strict=True):
        om.RenstraActivityYear.objects.create(activity=line, year=year, target=D(target))
    return line


def renja_activity(program: Any, code: str, line: Any, *reports, target=10, budget=10 * M):
    activity = f.ActivityFactory(
        program=program,
        code=code,
        output_target=D(target),
        budget=D(budget),
        renstra_activity=line,
    )
    for quarter, output, spent in reports:
        f.RealisationFactory(
            activity=activity, quarter=quarter, output_achieved=D(output), budget_spent=D(spent)
        )
    return activity


@pytest.fixture
def built(db):
    """Dinas Sosial's Renstra 2016-2021 and its Renja of 2016, 2017, 2018 (the evaluated
    year) and 2019, the figures in the test below."""
    opd: Any = f.OpdFactory(code="1.06", name="Dinas Sosial")
    plan = f.PlanFactory(region=opd.region)  # 2016-2021
    renstra = make_renstra(
        opd=opd,
        plan=plan,
        status="approved",
        submitted_at=timezone.now(),
        reviewed_at=timezone.now(),
    )
    rp = make_program(renstra=renstra, code="1.06.01")
    for year, target, budget in zip(
        YEARS, [10, 20, 30, 40, 50, 60], [100, 110, 120, 130, 140, 150], strict=True
    ):
        om.RenstraProgramYear.objects.create(
            program=rp, year=year, target=D(target), budget=D(budget) * M
        )
    main = renstra_activity(rp, "1.06.01.001", [100] * 6)
    zero = renstra_activity(rp, "1.06.01.003", [0] * 6)
    small = renstra_activity(rp, "1.06.01.004", [2] * 6)
    silent = renstra_activity(rp, "1.06.01.005", [5] * 6)
    tie = renstra_activity(rp, "1.06.01.006", [5, 5, 5, 5, 6, 6])

    p16 = f.ProgramFactory(
        work_plan=approved_plan(opd, plan, 2016), code="1.06.01", renstra_program=rp
    )
    renja_activity(p16, "1.06.01.001", main, (1, 30, 20 * M), (3, 10, 5 * M))
    p17 = f.ProgramFactory(
        work_plan=approved_plan(opd, plan, 2017), code="1.06.01", renstra_program=rp
    )
    renja_activity(p17, "1.06.01.001", main, *[(q, 20, 25 * M) for q in (1, 2, 3, 4)])
    renja_activity(p17, "1.06.01.005", silent)  # linked, reported nothing
    renja_activity(p17, "1.06.01.009", None, (2, 7, 7 * M))  # unlinked, its program linked
    p19 = f.ProgramFactory(
        work_plan=approved_plan(opd, plan, 2019), code="1.06.01", renstra_program=rp
    )
    renja_activity(p19, "1.06.01.001", main, (1, 999, 999 * M))  # after 2018: not counted

    work_plan = approved_plan(opd, plan, 2018)
    p18 = f.ProgramFactory(
        work_plan=work_plan,
        code="1.06.01",
        renstra_program=rp,
        outcome_target=D(30),
        outcome_unit="KK",
    )
    renja_activity(
        p18, "1.06.01.001", main, (1, 25, 50 * M), (2, 35, 60 * M), target=100, budget=200 * M
    )
    renja_activity(p18, "1.06.01.002", None, (1, 5, 1 * M))
    renja_activity(p18, "1.06.01.003", zero, (1, 3, 2 * M), target=5, budget=5 * M)
    renja_activity(p18, "1.06.01.004", small, (1, 15, 4 * M), target=2, budget=4 * M)
    renja_activity(p18, "1.06.01.005", silent, target=5, budget=3 * M)
    renja_activity(p18, "1.06.01.006", tie, (1, 1, 1 * M), target=32, budget=1 * M)
    other = f.ProgramFactory(work_plan=work_plan, code="1.06.02")  # no Renstra line
    renja_activity(other, "1.06.02.001", None, (1, 4, 2 * M))
    client = Client()
    client.force_login(member(opd, username="kepala.dinsos"))
    return client, opd


def test_the_renstra_columns_with_earlier_years(built):
    client, opd = built
    _sheet, rows = evaluation_rows(client, 2018, opd.pk)
    # 1.06.01.001 (Renstra 100 a year): column 5 K = 6 x 100 = 600, no Rp.
    #   column 6: 2016 30 + 10 = 40 KK, 20 M + 5 M = 25 M; 2017 4 x 20 = 80 KK, 4 x 25 M =
    #   100 M -> 120 KK, 125 M (2019's 999 is after the evaluated year: not counted)
    #   column 12: 25 + 35 = 60 KK, 50 M + 60 M = 110 M
    #   column 13: 120 + 60 = 180 KK, 125 M + 110 M = 235 M
    #   column 14: K 180 / 600 x 100 = 30.00; Rp empty (column 5 Rp empty)
    a1 = rows["1.06.01.001"]
    assert figures(a1, 5, 8) == [D(600), None, D(120), D(125) * M]
    assert figures(a1, 19, 24) == [D(60), D(110) * M, D(180), D(235) * M, D(30), None]
    # 1.06.01.002, no Renstra line: columns 5, 6, 13, 14 empty, 12 as reported.
    a2 = rows["1.06.01.002"]
    assert figures(a2, 5, 8) == [None] * 4
    assert figures(a2, 19, 24) == [D(5), D(1) * M, None, None, None, None]
    # 1.06.01.003, Renstra 0 a year: column 5 K = 0, so column 14 K empty (not 0, no error);
    #   nothing linked before: column 6 empty, 13 = 12 = 3, 2 M.
    a3 = rows["1.06.01.003"]
    assert figures(a3, 5, 8) == [D(0), None, None, None]
    assert figures(a3, 21, 24) == [D(3), D(2) * M, None, None]
    # 1.06.01.004, Renstra 2 a year = 12; 15 realised: 15 / 12 x 100 = 125.00 (beyond 100).
    assert figures(rows["1.06.01.004"], 21, 24) == [D(15), D(4) * M, D(125), None]
    # 1.06.01.005, Renstra 5 a year = 30; linked in 2017 but reported nothing: column 6 is 0
    #   (a line existed), not empty; 12 = 0; 13 = 0; 14 = 0 / 30 = 0.00.
    a5 = rows["1.06.01.005"]
    assert figures(a5, 5, 8) == [D(30), None, D(0), D(0)]
    assert figures(a5, 19, 24) == [D(0), D(0), D(0), D(0), D(0), None]
    # 1.06.01.006, Renstra 5+5+5+5+6+6 = 32; 1 realised: 1 / 32 x 100 = 3.125 -> 3.13 (half
    #   up, the tie); the Renja's own rate 1 / 32 (its target) the same tie -> 3.13.
    a6 = rows["1.06.01.006"]
    assert figures(a6, 5, 6) == [D(32), None]
    assert figures(a6, 23, 24) == [D("3.13"), None]
    assert figures(a6, 26, 26) == [D("3.13")]
    # The program 1.06.01: column 5 K = 2021's target 60, Rp = 100+110+120+130+140+150 = 750 M.
    #   column 6 K empty (outcomes are not reported by quarter); Rp: 2016 20 M + 5 M = 25 M;
    #   2017 4 x 25 M + 7 M (its unlinked activity) + 0 = 107 M -> 132 M
    #   column 12 Rp: 110 M + 1 M + 2 M + 4 M + 0 + 1 M = 118 M; column 13 Rp = 132 + 118 = 250 M
    #   column 14 Rp = 250 / 750 x 100 = 33.333... -> 33.33; K empty
    program = rows["1.06.01"]
    assert figures(program, 5, 10) == [D(60), D(750) * M, None, D(132) * M, D(30), D(223) * M]
    assert figures(program, 19, 24) == [None, D(118) * M, None, D(250) * M, None, D("33.33")]
    # The program without a Renstra line: its Renstra cells empty.
    other = rows["1.06.02"]
    assert figures(other, 5, 8) == [None] * 4
    assert figures(other, 19, 24) == [None, D(2) * M, None, None, None, None]


# The glossary's 15 columns, in its order, as the file heads them.
GLOSSARY_ORDER = [
    "No",
    "Sasaran",
    "Program/Kegiatan",
    "Indikator Kinerja Program (outcome)/Kegiatan (output)",
    "Target Renstra PD pada Akhir Periode",
    "Realisasi Capaian Kinerja dan Anggaran Renstra PD s/d Renja Tahun Lalu",
    "Target Kinerja dan Anggaran Renja Tahun Berjalan",
    "Realisasi Triwulan I",
    "Realisasi Triwulan II",
    "Realisasi Triwulan III",
    "Realisasi Triwulan IV",
    "Realisasi Capaian Kinerja dan Anggaran Renja yang Dievaluasi",
    "Realisasi Kinerja dan Anggaran Renstra PD s/d Tahun Berjalan",
    "Tingkat Capaian Kinerja dan Realisasi Anggaran Renstra PD (%)",
    "Unit Perangkat Daerah Penanggung Jawab",
]


def test_the_headings_follow_the_glossary_and_the_numbers_sit_under_them(built):
    client, opd = built
    sheet, _rows = evaluation_rows(client, 2018, opd.pk)
    top = [c.value for c in sheet[4]]
    assert [h for h in top[:26] if h] == GLOSSARY_ORDER == OFFICIAL_HEADERS
    numbers = [c.value for c in sheet[6]]
    # Each number under its own heading: column 4 and its unit share "4", a pair its number.
    for heading, number in zip(GLOSSARY_ORDER, range(1, 16), strict=True):
        assert numbers[top.index(heading)] == str(number), heading
    assert [c.value for c in sheet[5]][3:5] == ["Indikator", "Satuan"]
    assert not any(numbers[26:])  # the additions after 15 are unnumbered
    assert top[26] == "Tingkat Capaian Kinerja dan Realisasi Anggaran Renja (%)"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    pairs = {"D6:E6", "F6:G6", "H6:I6", "J6:K6", "L6:M6", "N6:O6", "P6:Q6", "R6:S6"}
    assert pairs | {"T6:U6", "V6:W6", "X6:Y6"} <= merged
    assert sheet.print_title_rows == "$4:$6" and sheet.freeze_panes == "A7"


# --- a fixed number of queries -----------------------------------------------------------------


def linked_world(activities: int) -> tuple[Client, Any]:
    """One OPD whose 2018 Renja has ``activities`` activities, each with its Renstra line (six
    years), an earlier 2017 line with a report and one report of its own."""
    opd: Any = f.OpdFactory(code="1.06", name="Dinas Sosial")
    plan = f.PlanFactory(region=opd.region)
    renstra = make_renstra(opd=opd, plan=plan)
    rp = make_program(renstra=renstra, code="1.06.01")
    for year in YEARS:
        om.RenstraProgramYear.objects.create(program=rp, year=year, target=D(1), budget=M)
    before = f.ProgramFactory(
        work_plan=approved_plan(opd, plan, 2017), code="1.06.01", renstra_program=rp
    )
    now = f.ProgramFactory(
        work_plan=approved_plan(opd, plan, 2018), code="1.06.01", renstra_program=rp
    )
    for n in range(activities):
        line = renstra_activity(rp, f"1.06.01.{n:03d}", [n] * 6)
        renja_activity(before, f"1.06.01.{n:03d}", line, (1, 1, M))
        renja_activity(now, f"1.06.01.{n:03d}", line, (1, 2, M), (2, 1, M))
    client = Client()
    client.force_login(member(opd, username="kepala.dinsos"))
    return client, opd


@pytest.mark.django_db
@pytest.mark.parametrize("activities", [2, 20])
def test_the_export_runs_a_fixed_number_of_queries(activities, django_assert_num_queries):
    client, opd = linked_world(activities)
    url = reverse("dashboards:evaluation", args=[2018, opd.pk])
    # Session, user; the plans with OPDs, programs, activities with places, realisations, what
    # they achieved, what each activity plans (as tests/dashboards/test_queries.py counts
    # them, 11 with the permission reads), then the Renstra: the programs' years, the
    # activities' years, the earlier years' lines: 14, however many rows.
    with django_assert_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    linked = [r for r in sheet.iter_rows(min_row=7) if r[8].value is not None]
    assert len(linked) == activities + 1  # every activity and the program read column 6 (Rp)
