"""The achievement rate beside the target and actual: Bappeda's dashboard (the trajectory's
years table and the explain panel) and the public page (the same table and "status year by
year"), checked cell by cell against hand-computed rates of the worked example.

Baseline 9.05 (2015); targets 7.38 (2018) and 6.12 (2021), interpolated between; actuals
2016 8.78, 2017 8.75, 2019 7.46, 2020 7.58 (2018 and 2021 none).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from targets import models as tm
from tests.dashboards import scenario
from tests.factories import ActualFactory

pytestmark = pytest.mark.django_db

D = Decimal

# Hand-computed: (9.05 − actual) ÷ (9.05 − target) × 100, shown half up to two decimals.
RATES = {
    "2016": "48.50%",  # 0.27 ÷ 0.556667 (target 8.4933, interpolated)
    "2017": "26.95%",  # 0.30 ÷ 1.113333 (target 7.9367)
    "2018": "no data",
    "2019": "76.08%",  # 1.59 ÷ 2.09 (target 6.96)
    "2020": "58.57%",  # 1.47 ÷ 2.51 (target 6.54)
    "2021": "no data",
}


@pytest.fixture
def world() -> scenario.Scenario:
    return scenario.build(computed=True)


def english(user=None) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def dashboard(world: scenario.Scenario, **params) -> str:
    response = english(world.reviewer).get(reverse("dashboards:dashboard"), params)
    assert response.status_code == 200
    return response.content.decode()


def public(**params) -> str:
    response = english().get(reverse("dashboards:public"), {"tahun": 2018, **params})
    assert response.status_code == 200
    return response.content.decode()


def text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def table(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"(.*?)</table>', html, re.S)
    assert found, testid
    return found.group(1)


def cells(html: str, testid: str) -> dict[str, list[str]]:
    """Each row of the table by its year: the texts of its cells, the header cell first."""
    rows = re.findall(r'<tr data-year="(\d+)">(.*?)</tr>', table(html, testid), re.S)
    return {
        year: [text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for year, row in rows
    }


def headings(html: str, testid: str) -> list[str]:
    head = re.search(r"<thead>(.*?)</thead>", table(html, testid), re.S)
    assert head
    return [text(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", head.group(1), re.S)]


def rate_of(html: str, testid: str) -> dict[str, str]:
    rows = re.findall(r'<tr data-year="(\d+)">(.*?)</tr>', table(html, testid), re.S)
    found = {}
    for year, row in rows:
        cell = re.search(r'data-testid="achievement"[^>]*>(.*?)</td>', row, re.S)
        assert cell, year
        found[year] = text(cell.group(1))
    return found


# --- Bappeda's dashboard ------------------------------------------------------------------


def test_dashboard_years_table_shows_the_rate_beside_target_and_actual(world):
    html = dashboard(world)
    assert headings(html, "trajectory-table")[1:5] == [
        "Target",
        "Kind of target",
        "Actual",
        "Achievement rate",
    ]
    rows = cells(html, "trajectory-table")
    assert rows["2016"][:5] == ["2016", "8.49", "interpolated", "8.78", "48.50%"]
    assert rows["2019"][:5] == ["2019", "6.96", "interpolated", "7.46", "76.08%"]
    assert rows["2015"][4] == "–"  # the baseline year: the gap is measured from it
    rates = rate_of(html, "trajectory-table")
    assert {year: rates[year] for year in RATES} == RATES
    assert 'data-missing="baseline_year"' in rows_html(html, "2015")


def rows_html(html: str, year: str) -> str:
    row = re.search(rf'<tr data-year="{year}">(.*?)</tr>', table(html, "trajectory-table"), re.S)
    assert row
    return row.group(1)


def test_dashboard_beyond_the_target_and_the_wrong_way(world):
    ActualFactory(indicator=world.indicator, year=2018, value=D("7.00"))
    ActualFactory(indicator=world.indicator, year=2021, value=D("9.50"))
    rates = rate_of(dashboard(world), "trajectory-table")
    assert rates["2018"] == "122.75%"  # (9.05 − 7.00) ÷ 1.67: beyond the target, not capped
    assert rates["2021"] == "-15.36%"  # (9.05 − 9.50) ÷ 2.93: moved away from the target


def test_dashboard_at_the_target_100_at_the_baseline_0(world):
    ActualFactory(indicator=world.indicator, year=2018, value=D("7.38"))
    ActualFactory(indicator=world.indicator, year=2021, value=D("9.05"))
    rates = rate_of(dashboard(world), "trajectory-table")
    assert (rates["2018"], rates["2021"]) == ("100.00%", "0.00%")


def test_dashboard_rounds_the_displayed_tie_half_up(world):
    # Target 2018 7.05: (9.05 − 8.8031) ÷ 2 × 100 = 12.345 exactly → 12.35 (half even: 12.34).
    tm.Target.objects.filter(indicator=world.indicator, year=2018).update(value=D("7.05"))
    ActualFactory(indicator=world.indicator, year=2018, value=D("8.8031"))
    assert rate_of(dashboard(world), "trajectory-table")["2018"] == "12.35%"


def test_a_target_equal_to_the_baseline_shows_no_rate_and_says_why(world):
    # 2018's target 9.05 = the baseline: 2016–2018 ask for no change (the path is flat).
    tm.Target.objects.filter(indicator=world.indicator, year=2018).update(value=D("9.05"))
    ActualFactory(indicator=world.indicator, year=2018, value=D("8.00"))
    for html in (dashboard(world), public()):
        rates = rate_of(html, "trajectory-table")
        for year in ("2016", "2017", "2018"):
            assert rates[year] == "the target asks for no change", year
        # 2019's target is now 9.05 − 2.93 ÷ 3 = 8.0733: 1.59 ÷ 0.9767, beyond the target.
        assert rates["2019"] == "162.80%"
    years = rate_of(public(), "years-table")
    assert years["2018"] == "the target asks for no change"


def test_the_explain_panel_states_the_formula_and_the_years_figures(world):
    ActualFactory(indicator=world.indicator, year=2018, value=D("7.00"))
    html = dashboard(world)
    explain = re.search(r'data-testid="explain-achievement">(.*?)</p>', html, re.S)
    assert explain
    said = text(explain.group(1))
    assert "Achievement rate = (baseline − actual) ÷ (baseline − target) × 100" in said
    assert "baseline (9.05 in 2015)" in said
    assert "not capped" in said and "more than 100%" in said and "negative" in said
    assert "the target asks for no change" in said
    assert "In 2018: baseline 9.05, target 7.38, actual 7.00, achievement rate 122.75%." in said


def test_the_explain_panel_of_an_up_indicator_states_the_mirrored_formula(world):
    tm.Indicator.objects.filter(pk=world.indicator.pk).update(direction="up")
    said = text(
        re.search(r'data-testid="explain-achievement">(.*?)</p>', dashboard(world), re.S).group(1)
    )
    assert "Achievement rate = (actual − baseline) ÷ (target − baseline) × 100" in said
    assert "In 2018" not in said  # no actual for 2018: no worked figures


# --- the public page ----------------------------------------------------------------------


def test_public_status_year_by_year_shows_target_actual_and_rate(world):
    html = public()
    assert headings(html, "years-table")[:4] == ["Year", "Target", "Actual", "Achievement rate"]
    rows = cells(html, "years-table")
    assert rows["2016"][:4] == ["2016", "8.49", "8.78", "48.50%"]
    assert rows["2017"][:4] == ["2017", "7.94", "8.75", "26.95%"]
    assert rows["2018"][:4] == ["2018", "7.38", "no data", "no data"]
    assert rows["2019"][:4] == ["2019", "6.96", "7.46", "76.08%"]
    assert rate_of(html, "years-table") == RATES
    # The persons' columns follow, unchanged: 2018 has its snapshot; the others say so.
    assert rows["2018"][5] == "0"  # planned persons of approved plans (none approved)
    assert rows["2019"][4] == "Not computed yet."
    assert rate_of(html, "trajectory-table")["2019"] == "76.08%"
    formula = re.search(r'data-testid="achievement-formula">(.*?)</p>', html, re.S)
    assert formula and "(baseline − actual) ÷ (baseline − target) × 100" in text(formula.group(1))


def test_public_page_in_indonesian_uses_the_decimal_comma(world):
    html = Client().get(reverse("dashboards:public"), {"tahun": 2018}).content.decode()
    assert rate_of(html, "years-table")["2016"] == "48,50%"
