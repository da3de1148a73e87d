"""The cascade's Renstra level: between an indicator and the Renja, both ways, scoped."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from opd import models as om
from tests.cascade.world import RenstraWorld, World, add_renstras, build, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> tuple[World, RenstraWorld]:
    base = build()
    return base, add_renstras(base)


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>|\s+", " ", html).strip()


def _cells(html: str, testid: str) -> list[str]:
    found = re.findall(rf'data-testid="{testid}"[^>]*>(.*?)</td>', html, flags=re.S)
    return [re.sub(r"\s+", " ", _text(cell)) for cell in found]


def _table(html: str, code: str) -> str:
    match = re.search(rf'data-testid="activities-{code}".*?</table>', html, flags=re.S)
    assert match, f"no table for {code}"
    return match.group(0)


def _groups(table: str) -> dict[str, str]:
    """Each group's <tbody> by its marker, in order."""
    return dict(re.findall(r'<tbody[^>]*data-testid="([^"]+)">(.*?)</tbody>', table, flags=re.S))


def test_bappeda_sees_the_renstra_programs_between_the_indicator_and_the_renja(world) -> None:
    base, _renstra = world
    html = client_for(base.reviewer).get(reverse("cascade:cascade")).content.decode()

    groups = _groups(_table(html, "KEMISKINAN"))
    # Renstra programs serving poverty by OPD, then the claims linked to none serving it.
    assert list(groups) == ["renstra-1.06-1.06.05", "renstra-2.07-2.07.02", "unlinked"]
    social = groups["renstra-1.06-1.06.05"]
    assert "Perlindungan sosial" in social
    # 2018's Renstra figures (2019's 9 and Rp 9 are not shown), the Renja's spending against
    # them: (100,000,000 + 500) ÷ 300,000,000 = 33.33 %.
    assert _cells(social, "renstra-target") == ["400 KK"]
    assert _cells(social, "renstra-budget") == ["Rp 300,000,000"]
    assert _cells(social, "group-spent") == ["Rp 100,000,500"]
    assert _cells(social, "group-budget-rate") == ["33.33%"]
    # Its Renja activities: the claimants and the one under it claiming nothing.
    assert _cells(social, "claimed") == ["120", "80", "–"]
    assert _cells(social, "output-achieved") == ["40", "not reported", "4"]
    assert _cells(social, "output-rate") == ["40.00%", "–", "40.00%"]
    assert _cells(social, "spent") == ["Rp 100,000,000", "–", "Rp 500"]
    assert _cells(social, "budget-rate") == ["40.00%", "–", "25.00%"]
    assert _cells(social, "output-target")[0] == "100 KK Renstra: 110"  # 2018's, not 999
    # The activity claiming poverty through a program whose Renstra line serves IPM.
    assert _cells(groups["unlinked"], "claimed") == ["10"]
    assert "1.06.06.001" in groups["unlinked"]
    assert _cells(_table(html, "KEMISKINAN"), "total-claimed") == ["260"]
    # Under IPM: its Renstra program with the activity (no IPM claim); aid's IPM claim apart.
    ipm = _groups(_table(html, "IPM"))
    assert list(ipm) == ["renstra-1.06-1.06.06", "unlinked"]
    assert _cells(ipm["renstra-1.06-1.06.06"], "claimed") == ["–"]
    assert _cells(ipm["unlinked"], "claimed") == ["2"]


def test_another_year_shows_that_years_renstra_figures_and_no_renja(world) -> None:
    base, _renstra = world
    html = (
        client_for(base.reviewer).get(reverse("cascade:cascade"), {"tahun": 2019}).content.decode()
    )
    social = _groups(_table(html, "KEMISKINAN"))["renstra-1.06-1.06.05"]
    assert _cells(social, "renstra-target") == ["9 KK"]
    assert _cells(social, "renstra-budget") == ["Rp 9"]
    assert _cells(social, "group-spent") == ["–"]
    assert "No Renja 2019 activity you may see carries out this Renstra program." in social


def test_a_member_sees_their_opds_renstra_programs_only(world) -> None:
    base, _renstra = world
    html = client_for(base.member).get(reverse("cascade:cascade")).content.decode()
    assert list(_groups(_table(html, "KEMISKINAN"))) == ["renstra-1.06-1.06.05", "unlinked"]
    assert "Penempatan" not in html


def test_the_public_sees_approved_renstras_and_approved_plans_only(world) -> None:
    base, _renstra = world
    # Dinas Tenaga Kerja's plan approved, its Renstra still a draft: the activity is shown,
    # but not under the draft Renstra program.
    om.WorkPlan.objects.filter(opd=base.labour).update(status="approved")
    html = client_for(None).get(reverse("cascade:public")).content.decode()
    groups = _groups(_table(html, "KEMISKINAN"))
    assert list(groups) == ["renstra-1.06-1.06.05", "unlinked"]
    assert "Penempatan kerja" in groups["unlinked"]  # the Renja program, not the Renstra's
    assert "2.07.02 Penempatan<" not in html
    assert _cells(groups["unlinked"], "claimed") == ["10", "50"]  # by OPD code
    assert reverse("cascade:activity", args=[base.aid.pk]) not in html


def test_an_approved_renstra_without_an_approved_plan_shows_no_activity_publicly(world) -> None:
    base, _renstra = world
    om.WorkPlan.objects.filter(opd=base.social).update(status="submitted")
    html = client_for(None).get(reverse("cascade:public")).content.decode()
    social = _groups(_table(html, "KEMISKINAN"))["renstra-1.06-1.06.05"]
    assert _cells(social, "renstra-budget") == ["Rp 300,000,000"]
    assert 'data-testid="activity-' not in social
    assert "Bantuan sosial" not in social


def test_up_view_shows_the_renstra_activity_and_program(world) -> None:
    base, _renstra = world
    response = client_for(base.reviewer).get(reverse("cascade:activity", args=[base.aid.pk]))
    html = response.content.decode()

    assert _cells(html, "renstra-activity-target") == ["110 KK"]
    assert _cells(html, "renstra-program-target") == ["400 KK"]
    assert _cells(html, "renstra-program-budget") == ["Rp 300,000,000"]
    assert _cells(html, "renstra-program-spent") == ["Rp 100,000,500"]
    assert _cells(html, "renstra-program-rate") == ["33.33%"]
    assert _cells(html, "output-rate") == ["40.00%"]
    chain = re.search(r'data-testid="chain-KEMISKINAN".*?</details>', html, flags=re.S)
    assert chain
    text = _text(chain.group(0))
    # Between the activity's claim and the indicator: its Renstra activity and program.
    order = [
        text.index(s)
        for s in (
            "This activity claims 120",
            "Renstra activity 1.06.05.001",
            "Renstra program 1.06.05 Perlindungan sosial",
            "KEMISKINAN in 2018",
            "Mission 2:",
        )
    ]
    assert order == sorted(order)
    other = re.search(r'data-testid="chain-IPM".*?</details>', html, flags=re.S)
    assert other and 'data-testid="chain-renstra"' not in other.group(0)


def test_up_view_of_an_activity_serving_only_through_its_renstra_program(world) -> None:
    base, renstra = world
    client = client_for(base.member)
    html = client.get(reverse("cascade:activity", args=[renstra.survey.pk])).content.decode()
    chain = re.search(r'data-testid="chain-KEMISKINAN".*?</details>', html, flags=re.S)
    assert chain and "This activity claims no contribution to this indicator." in chain.group(0)
    assert 'data-testid="chain-renstra"' in chain.group(0)
    # Its program is linked, but not the activity itself.
    assert "This activity is not linked to a Renstra activity." in html
    training = client.get(reverse("cascade:activity", args=[base.training.pk])).content.decode()
    assert "This activity is not linked to a Renstra activity." in training


def test_up_view_of_an_activity_without_a_renstra_line(world) -> None:
    base, _renstra = world
    om.Program.objects.filter(pk=base.social_program.pk).update(renstra_program=None)
    html = client_for(base.member).get(reverse("cascade:activity", args=[base.training.pk]))
    assert 'data-testid="no-renstra"' in html.content.decode()
