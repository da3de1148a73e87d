"""The exports open with openpyxl, follow the official layouts, print as the official forms,
and match the plans; the CSV opens in Excel set to Indonesian."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from opd import models as om
from opd.dashboards import evaluation, exports
from opd.dashboards.csv_export import CONTRIBUTION_HEADERS
from opd.dashboards.evaluation import EVALUATION_HEADERS
from opd.models import Activity
from tests.dashboards import scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> scenario.Scenario:
    return scenario.build(computed=True)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sheet_of(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def values(sheet, row: int) -> list:
    return [c.value for c in sheet[row]]


def merged(sheet) -> set[str]:
    return {str(r) for r in sheet.merged_cells.ranges}


def approve(plan: om.WorkPlan) -> None:
    om.WorkPlan.objects.filter(pk=plan.pk).update(
        status=om.WorkPlan.Status.APPROVED, reviewed_at=timezone.now()
    )


def give_program_a_target(world: scenario.Scenario) -> om.Program:
    program = om.Program.objects.get(work_plan=world.dinsos_plan)
    program.outcome_indicator = "Keluarga miskin yang keluar dari kemiskinan"
    program.outcome_target = Decimal(250)
    program.outcome_unit = "KK"
    program.save()
    return program


# --- T-C.33 ---------------------------------------------------------------------------------


def test_renja_t_c33_of_one_opd(world):
    give_program_a_target(world)
    sheet = sheet_of(
        client_for(world.head).get(reverse("dashboards:renja", args=[2018, world.dinsos.pk]))
    )
    assert "Tahun 2018" in sheet["A1"].value and "Prakiraan Maju Tahun 2019" in sheet["A1"].value
    # The plan years' group headings span their columns; the others span both heading rows.
    assert values(sheet, 4)[:4] == [
        "Kode",
        "Urusan/Bidang Urusan Pemerintahan Daerah dan Program/Kegiatan",
        "Indikator Kinerja Program/Kegiatan",
        "Rencana Tahun 2018",
    ]
    assert sheet["I4"].value == "Catatan Penting"
    assert sheet["J4"].value == "Prakiraan Maju Rencana Tahun 2019"
    assert {"D4:H4", "J4:L4", "A4:A5", "B4:B5", "C4:C5", "I4:I5"} <= merged(sheet)
    assert values(sheet, 5)[3:8] == [
        "Lokasi",
        "Target Capaian Kinerja",
        "Satuan",
        "Kebutuhan Dana/Pagu Indikatif (Rp)",
        "Sumber Dana",
    ]
    assert values(sheet, 5)[9:12] == [
        "Target Capaian Kinerja",
        "Satuan",
        "Kebutuhan Dana/Pagu Indikatif (Rp)",
    ]
    # The official column numbers: a target and its unit share one.
    numbers = values(sheet, 6)
    assert [n for n in numbers if n] == [str(i) for i in range(1, 11)]
    assert {"E6:F6", "J6:K6"} <= merged(sheet)

    rows = {r[0].value: r for r in sheet.iter_rows(min_row=7) if r[0].value}
    assert {"1.06.01.001", "1.06.01.002"} <= set(rows)
    first = rows["1.06.01.001"]
    activity = Activity.objects.get(code="1.06.01.001")
    assert first[3].value == "Kel. Kramat Utara, Kec. Magelang Utara"
    # Targets are numbers, their unit in the next column.
    assert (first[4].data_type, first[4].value, first[5].value) == ("n", 100, "KK")
    assert first[6].data_type == "n" and Decimal(str(first[6].value)) == activity.budget
    assert first[7].value == "APBD Kota"
    assert first[8].value == "Catatan"
    assert (first[9].data_type, first[9].value, first[10].value) == ("n", 110, "KK")
    assert Decimal(str(first[11].value)) == activity.next_year_budget
    # The program's row carries its outcome target.
    program = rows["1.06.01"]
    assert program[2].value == "Keluarga miskin yang keluar dari kemiskinan"
    assert (program[4].data_type, program[4].value, program[5].value) == ("n", 250, "KK")
    assert Decimal(str(program[6].value)) == Decimal(450_000_000)
    total = [c.value for c in list(sheet.iter_rows())[-1]]
    assert total[1] == "Jumlah"
    assert Decimal(str(total[6])) == Decimal(450_000_000)
    assert Decimal(str(total[11])) == Decimal(470_000_000)


def test_number_formats_show_a_whole_target_without_decimals(world):
    Activity.objects.filter(code="1.06.01.002").update(output_target=Decimal("12.5"))
    sheet = sheet_of(
        client_for(world.head).get(reverse("dashboards:renja", args=[2018, world.dinsos.pk]))
    )
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=7) if r[0].value}
    assert rows["1.06.01.001"][4].number_format == "#,##0"
    assert rows["1.06.01.002"][4].value == 12.5
    assert rows["1.06.01.002"][4].number_format == "#,##0.00"
    assert rows["1.06.01.001"][6].number_format == "#,##0"  # Rupiah


def test_one_opd_file_is_marked_a_draft_until_its_plan_is_approved(world):
    url = reverse("dashboards:renja", args=[2018, world.dinsos.pk])
    assert exports.DRAFT_MARK in sheet_of(client_for(world.head).get(url))["A1"].value
    approve(world.dinsos_plan)
    assert exports.DRAFT_MARK not in sheet_of(client_for(world.head).get(url))["A1"].value


def opd_names(sheet) -> list[str]:
    return [c.value for c in sheet["B"] if isinstance(c.value, str) and "(Renja " in c.value]


@pytest.mark.parametrize("name", ["dashboards:renja_all", "dashboards:evaluation_all"])
def test_the_all_opd_files_hold_only_approved_plans(world, name):
    approve(world.dinsos_plan)
    response = client_for(world.reviewer).get(reverse(name, args=[2018]))
    sheet = sheet_of(response)
    assert opd_names(sheet) == ["Dinas Sosial (Renja Disetujui)"]
    texts = {c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert not any("Dinas Tenaga Kerja" in t or scenario.DRAFT_SECRET in t for t in texts)
    assert exports.DRAFT_MARK not in sheet["A1"].value
    assert "semua-opd.xlsx" in response["Content-Disposition"]


@pytest.mark.parametrize("name", ["dashboards:renja_all", "dashboards:evaluation_all"])
def test_the_drafts_variant_holds_every_plan_and_says_so(world, name):
    approve(world.dinsos_plan)
    response = client_for(world.reviewer).get(reverse(name, args=[2018]) + "?draf=1")
    sheet = sheet_of(response)
    assert opd_names(sheet) == [
        "Dinas Sosial (Renja Disetujui)",
        "Dinas Tenaga Kerja (Renja Diajukan)",
        "Dinas Rahasia (Renja Draf)",
        "Dinas Kembali (Renja Dikembalikan)",
    ]
    assert exports.DRAFT_MARK in sheet["A1"].value
    assert "semua-opd-draf.xlsx" in response["Content-Disposition"]


def test_the_drafts_variant_totals_every_plan(world):
    sheet = sheet_of(
        client_for(world.reviewer).get(reverse("dashboards:renja_all", args=[2018]) + "?draf=1")
    )
    expected = sum(
        Activity.objects.filter(program__work_plan__year=2018).values_list("budget", flat=True)
    )
    total = [c.value for c in list(sheet.iter_rows())[-1]]
    assert total[1] == "Jumlah" and Decimal(str(total[6])) == expected


@pytest.mark.parametrize("name", ["dashboards:renja_all", "dashboards:evaluation_all"])
def test_no_approved_plan_yet_is_a_file_that_says_so(world, name):
    sheet = sheet_of(client_for(world.reviewer).get(reverse(name, args=[2018])))
    texts = [c.value for row in sheet.iter_rows() for c in row]
    assert exports.NONE_APPROVED.format(year=2018) in texts
    assert opd_names(sheet) == []
    # A year without any plan at all is still a 404.
    assert client_for(world.reviewer).get(reverse(name, args=[2019])).status_code == 404


@pytest.mark.parametrize("query", ["?draf=2", "?draf=ya"])
def test_a_drafts_parameter_it_cannot_read_is_a_400(world, query):
    url = reverse("dashboards:renja_all", args=[2018]) + query
    assert client_for(world.reviewer).get(url).status_code == 400


# --- printing as the official forms -------------------------------------------------------

FORMS = {
    # url name, one OPD?, the heading rows repeated on every page
    "renja": ("dashboards:renja", True, "$4:$6"),
    "renja all": ("dashboards:renja_all", False, "$4:$6"),
    "evaluation": ("dashboards:evaluation", True, "$4:$6"),
    "evaluation all": ("dashboards:evaluation_all", False, "$4:$6"),
}


def official_form(world, form: str):
    name, one_opd, _rows = FORMS[form]
    args = [2018, world.dinsos.pk] if one_opd else [2018]
    query = "" if one_opd else "?draf=1"
    return sheet_of(client_for(world.reviewer).get(reverse(name, args=args) + query))


@pytest.mark.parametrize("form", list(FORMS))
def test_the_official_forms_print_landscape_fitted_to_the_width(world, form):
    sheet = official_form(world, form)
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(sheet.page_setup.fitToWidth) == 1
    assert int(sheet.page_setup.fitToHeight) == 0
    assert sheet.print_title_rows == FORMS[form][2]


def outline(sheet, cell) -> list[str]:
    """The sides of ``cell`` that must show a line: all four, or for a cell inside a merged
    range only those on the range's edge."""
    found = next((r for r in sheet.merged_cells.ranges if cell.coordinate in r), None)
    if found is None:
        return ["left", "right", "top", "bottom"]
    edges = {
        "left": cell.column == found.min_col,
        "right": cell.column == found.max_col,
        "top": cell.row == found.min_row,
        "bottom": cell.row == found.max_row,
    }
    return [side for side, on_edge in edges.items() if on_edge]


@pytest.mark.parametrize("form", list(FORMS))
def test_every_cell_of_the_official_tables_is_bordered_and_text_wraps(world, form):
    sheet = official_form(world, form)
    texts = 0
    for row in sheet.iter_rows(min_row=4, max_row=sheet.max_row, max_col=sheet.max_column):
        for cell in row:
            sides = outline(sheet, cell)
            assert [getattr(cell.border, s).style for s in sides] == ["thin"] * len(sides), (
                cell.coordinate
            )
            if isinstance(cell.value, str):
                assert sheet[cell.coordinate].alignment.wrap_text, cell.coordinate
                texts += 1
    assert texts > 30


# --- the quarterly evaluation -------------------------------------------------------------


def test_quarterly_evaluation_pairs_output_and_rupiah_and_counts_persons(world):
    give_program_a_target(world)
    sheet = sheet_of(
        client_for(world.head).get(reverse("dashboards:evaluation", args=[2018, world.dinsos.pk]))
    )
    heading = values(sheet, 4)[28]
    assert [h for h in values(sheet, 4) if h] == [*EVALUATION_HEADERS, heading]
    assert heading == evaluation.persons_heading(world.indicator)
    assert heading.startswith("Persentase penduduk miskin: ") and heading.endswith(" (jiwa)")
    # The unit is a sub-column of column 4; ten K/Rp pairs (columns 5-14), the OPD (15), then
    # the additions: the Renja's rate and the persons.
    assert values(sheet, 5)[3:5] == ["Indikator", "Satuan"]
    assert values(sheet, 5)[5:30] == ["K", "Rp"] * 10 + [None, "K", "Rp", "Rencana", "Realisasi"]
    assert {"D4:E4", "F4:G4", "T4:U4", "AA4:AB4", "AC4:AD4", "A4:A5", "Z4:Z5"} <= merged(sheet)
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=7)]
    first = next(r for r in rows if r[2] and r[2].startswith("1.06.01.001"))
    assert first[0] == 1
    assert first[1] == "Persentase penduduk miskin"
    assert first[4] == "KK"  # the unit in its own column
    assert first[5:9] == [None, None, None, None]  # no Renstra line: columns 5 and 6 empty
    assert (first[9], first[10]) == (100, 300_000_000)
    assert (first[11], first[12]) == (40, 60_000_000)
    assert (first[13], first[14]) == (40, 60_000_000)
    assert first[15:19] == [None, None, None, None]
    assert (first[19], first[20]) == (80, 120_000_000)
    assert first[21:25] == [None, None, None, None]  # nor 13 and 14
    assert first[25] == "Dinas Sosial"
    assert (first[26], first[27]) == (80, 40)  # the Renja's achievement, beyond column 15
    assert (first[28], first[29]) == (600, 250)  # persons planned, persons out of poverty
    program = next(r for r in rows if r[2] and r[2].startswith("1.06.01 "))
    assert program[3:5] == ["Keluarga miskin yang keluar dari kemiskinan", "KK"]
    assert program[9:11] == [250, 450_000_000]
    assert (program[12], program[14], program[20]) == (60_000_000, 60_000_000, 120_000_000)
    assert (program[28], program[29]) == (900, 250)
    assert any(r[1] == "Faktor penghambat" for r in rows)


def test_the_evaluation_numbers_its_fifteen_columns_under_the_headings(world):
    sheet = sheet_of(
        client_for(world.head).get(reverse("dashboards:evaluation", args=[2018, world.dinsos.pk]))
    )
    numbers = values(sheet, 6)
    assert [n for n in numbers if n] == [str(i) for i in range(1, 16)]
    assert numbers[25] == "15" and not any(numbers[26:])  # the additions are unnumbered
    # A number spans its K/Rp pair, and column 4 its unit.
    assert {"D6:E6", "F6:G6", "X6:Y6"} <= merged(sheet)


def test_an_evaluation_without_persons_has_no_persons_columns(world):
    om.ExpectedContribution.objects.all().delete()
    om.AchievedContribution.objects.all().delete()
    sheet = sheet_of(
        client_for(world.head).get(reverse("dashboards:evaluation", args=[2018, world.dinsos.pk]))
    )
    assert [h for h in values(sheet, 4) if h] == EVALUATION_HEADERS


# --- the contribution CSV -----------------------------------------------------------------


def contribution_csv(world, query: str = ""):
    url = reverse("dashboards:contributions_csv", args=[2018]) + query
    response = client_for(world.reviewer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return response.content


def test_contribution_csv_is_for_excel_in_indonesian(world):
    content = contribution_csv(world)
    assert content.startswith(b"\xef\xbb\xbf")  # the byte-order mark: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == CONTRIBUTION_HEADERS
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["1.06"][3:5] == ["900", "900"]
    assert by_code["1.06"][6] == "250"
    assert by_code["2.07"][3] == "400"
    assert by_code["3.01"][2:4] == ["Draf", "0"]  # a draft counts nothing
    assert by_code["3.02"][2] == "Dikembalikan"
    assert sum(Decimal(r[3]) for r in rows[1:]) == 1300
    # The decimal comma: the share of the requirement, 900 of 1,658 persons.
    share = om.ContributionRow.objects.filter(opd=world.dinsos).latest("pk").share
    assert by_code["1.06"][7] == format(share.normalize(), "f").replace(".", ",")
    assert "," in by_code["1.06"][7] and "." not in by_code["1.06"][7]


def test_contribution_csv_for_programs_uses_commas_and_dots(world):
    content = contribution_csv(world, "?format=plain")
    assert not content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    assert rows[0] == CONTRIBUTION_HEADERS
    dinsos = next(r for r in rows if r[0] == "1.06")
    assert dinsos[2] == "Diajukan"
    assert "." in dinsos[7] and "," not in dinsos[7]
    assert (
        Decimal(dinsos[7])
        == om.ContributionRow.objects.filter(opd=world.dinsos).latest("pk").share.normalize()
    )


def test_a_csv_format_it_does_not_know_is_a_400(world):
    url = reverse("dashboards:contributions_csv", args=[2018]) + "?format=xml"
    assert client_for(world.reviewer).get(url).status_code == 400


def test_every_plan_state_has_its_name_in_words():
    for status in om.WorkPlan.Status.values:
        label = exports.status_label(status)
        assert label and label != status and label[0].isupper(), status
    assert exports.status_label("") == exports.status_label(None) == "Belum ada Renja"
    assert exports.status_label("reopened") == "Dibuka kembali"


def test_the_dashboard_offers_both_all_opd_variants_and_both_csvs(world):
    client = client_for(world.reviewer)
    page = client.get(reverse("dashboards:dashboard")).content.decode()
    region = f"wilayah={world.region.code}"  # the region shown (issue 15)
    for name in ("dashboards:renja_all", "dashboards:evaluation_all"):
        url = reverse(name, args=[2018])
        assert f'href="{url}?{region}"' in page and f'href="{url}?draf=1&amp;{region}"' in page
    csv_url = reverse("dashboards:contributions_csv", args=[2018])
    plain = f"{csv_url}?indikator={world.indicator.code}&amp;format=plain&amp;{region}"
    assert f'href="{plain}"' in page
    assert client.get(plain.replace("&amp;", "&")).content.startswith(b"Kode OPD,")


@pytest.mark.parametrize("form", list(FORMS))
def test_the_first_row_of_figures_follows_the_headings_directly(world, form):
    sheet = official_form(world, form)
    _first, last_heading = FORMS[form][2].split(":")
    first_data = int(last_heading.lstrip("$")) + 1
    assert sheet.freeze_panes == f"A{first_data}"
    assert any(cell.value not in (None, "") for cell in sheet[first_data]), (
        f"row {first_data}, under the headings, is blank"
    )
