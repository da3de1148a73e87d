"""The cascade pages: the figures at each level, the scoping, and the up view's chain."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from opd.cascade import selectors
from opd.cascade.scope import page_scope
from tests.cascade.world import World, build, client_for
from tests.factories import IndicatorFactory, PlanFactory, RegionFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build()


def _cell(html: str, testid: str) -> list[str]:
    """The text of every cell marked ``data-testid=testid``, tags stripped."""
    cells = re.findall(rf'data-testid="{testid}"[^>]*>(.*?)</td>', html, flags=re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in cells]


def _activities_table(html: str, code: str) -> str:
    match = re.search(rf'data-testid="activities-{code}".*?</table>', html, flags=re.S)
    assert match, f"no activities table for {code}"
    return match.group(0)


def test_down_view_for_bappeda_shows_every_level_with_its_figures(world: World) -> None:
    response = client_for(world.reviewer).get(reverse("cascade:cascade"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Mission 2: Masyarakat sejahtera" in html
    assert "Goal 2.1: Menurunkan kemiskinan" in html
    assert "Objective 2.1.3: Berkurangnya penduduk miskin" in html
    figures = re.search(r'data-testid="indicator-KEMISKINAN".*?</table>', html, flags=re.S)
    assert figures
    assert _cell(figures.group(0), "indicator-target") == ["7.38"]
    assert _cell(figures.group(0), "indicator-actual") == ["7.50"]
    # (9.05 − 7.50) ÷ (9.05 − 7.38) × 100 = 92.814…
    assert _cell(figures.group(0), "achievement") == ["92.81%"]
    table = _activities_table(html, "KEMISKINAN")
    # Ordered by OPD, program, activity; each with its claim, its reports and its budget.
    assert _cell(table, "claimed") == ["120", "80", "50"]
    assert _cell(table, "achieved") == ["45", "0", "20"]  # the other indicator's 1 is not here
    assert _cell(table, "budget") == ["Rp 250,000,000", "Rp 1,000", "Rp 500"]
    assert _cell(table, "total-claimed") == ["250"]
    assert _cell(table, "total-achieved") == ["65"]
    assert _cell(table, "total-budget") == ["Rp 250,001,500"]
    assert table.index("Dinas Sosial") < table.index("Dinas Tenaga Kerja")
    assert reverse("cascade:activity", args=[world.jobs.pk]) in table
    # The unplaced indicator is shown too, with its own claim only.
    assert 'data-testid="unplaced"' in html
    assert _cell(_activities_table(html, "IPM"), "claimed") == ["2"]
    assert _cell(_activities_table(html, "IPM"), "achieved") == ["1"]


def test_an_opd_member_sees_only_their_opds_activities_and_sums(world: World) -> None:
    html = client_for(world.member).get(reverse("cascade:cascade")).content.decode()

    table = _activities_table(html, "KEMISKINAN")
    assert _cell(table, "claimed") == ["120", "80"]
    assert _cell(table, "total-claimed") == ["200"]
    assert _cell(table, "total-budget") == ["Rp 250,001,000"]
    assert "Dinas Tenaga Kerja" not in html
    assert world.jobs.code not in html
    assert 'data-testid="scope-note"' in html


def test_a_member_of_an_opd_without_claims_sees_the_tree_without_activities(
    world: World,
) -> None:
    html = client_for(world.stranger).get(reverse("cascade:cascade")).content.decode()

    assert "Objective 2.1.3" in html
    assert 'data-testid="activities-' not in html
    assert world.aid.code not in html and world.jobs.code not in html


def test_the_year_picks_the_target_path_point_and_that_years_renja(world: World) -> None:
    TargetFactory(indicator=world.poverty, year=2021, value=Decimal("6.12"))
    response = client_for(world.reviewer).get(reverse("cascade:cascade"), {"tahun": 2020})

    html = response.content.decode()
    figures = re.search(r'data-testid="indicator-KEMISKINAN".*?</table>', html, flags=re.S)
    assert figures
    # 2020 lies between 2018 (7.38) and 2021 (6.12): 7.38 − 2 × 0.42 = 6.54, interpolated.
    target = _cell(figures.group(0), "indicator-target")[0]
    assert target.startswith("6.54") and "interpolated" in target
    assert _cell(figures.group(0), "indicator-actual") == ["no data"]
    assert 'data-testid="activities-KEMISKINAN"' not in html  # no 2020 Renja


def test_a_year_outside_the_plan_shows_the_default_year(world: World) -> None:
    data = selectors.cascade(scope=page_scope(world.reviewer), year=2030)
    assert data.year == 2018


def test_a_malformed_year_is_a_clear_400(world: World) -> None:
    response = client_for(world.reviewer).get(reverse("cascade:cascade"), {"tahun": "2018x"})
    assert response.status_code == 400


def test_without_a_plan_the_page_says_so() -> None:
    from tests.workplans.plan_world import reviewer

    response = client_for(reviewer()).get(reverse("cascade:cascade"))
    assert response.status_code == 200
    assert "No plan data has been loaded yet." in response.content.decode()


def test_another_regions_claims_are_not_bappedas(world: World) -> None:
    from opd.models import ExpectedContribution
    from tests.factories import ExpectedContributionFactory

    foreign = ExpectedContributionFactory()  # an OPD of another region, on its own plan
    claims = page_scope(world.reviewer).claims()
    assert foreign.pk not in set(claims.values_list("pk", flat=True))
    assert claims.count() == ExpectedContribution.objects.count() - 1
    assert not page_scope(world.stranger).claims().exists()


def test_up_view_shows_the_chain_to_the_mission(world: World) -> None:
    response = client_for(world.reviewer).get(reverse("cascade:activity", args=[world.aid.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "1.06.05 Perlindungan" in html
    chain = re.search(r'data-testid="chain-KEMISKINAN".*?</details>', html, flags=re.S)
    assert chain
    text = re.sub(r"<[^>]+>|\s+", " ", chain.group(0))
    assert "This activity claims 120 persons; its realisations report 45 persons so far." in text
    assert _cell(chain.group(0), "achievement") == ["92.81%"]
    order = [text.index(s) for s in ("Objective 2.1.3", "Goal 2.1:", "Mission 2:")]
    assert order == sorted(order)
    other = re.search(r'data-testid="chain-IPM".*?</details>', html, flags=re.S)
    assert other and "not placed under an objective" in other.group(0)


def test_up_view_of_another_opds_activity_is_hidden_from_a_member(world: World) -> None:
    member = client_for(world.member)
    assert member.get(reverse("cascade:activity", args=[world.aid.pk])).status_code == 200
    assert member.get(reverse("cascade:activity", args=[world.jobs.pk])).status_code == 404
    assert (
        client_for(world.stranger).get(reverse("cascade:activity", args=[world.aid.pk])).status_code
        == 404
    )
    assert (
        client_for(world.reviewer)
        .get(reverse("cascade:activity", args=[world.aid.pk + 10_000]))
        .status_code
        == 404
    )


@pytest.mark.parametrize("name", ["cascade", "activity"])
def test_anonymous_is_sent_to_sign_in(world: World, name: str) -> None:
    args = [world.aid.pk] if name == "activity" else []
    response = client_for(None).get(reverse(f"cascade:{name}", args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_plan_page_links_each_activity_to_its_cascade(world: World) -> None:
    plan = world.social_program.work_plan
    html = client_for(world.member).get(reverse("opd:work_plan", args=[plan.pk])).content.decode()
    assert reverse("cascade:activity", args=[world.aid.pk]) in html
    assert reverse("cascade:activity", args=[world.training.pk]) in html


def test_the_public_cascade_shows_approved_plans_only_to_anyone(world: World) -> None:
    response = client_for(None).get(reverse("cascade:public"))

    assert response.status_code == 200
    html = response.content.decode()
    table = _activities_table(html, "KEMISKINAN")
    # Dinas Sosial's plan is approved; Dinas Tenaga Kerja's is only submitted: not shown, nor
    # its budget, nor in the totals.
    assert _cell(table, "claimed") == ["120", "80"]
    assert _cell(table, "total-budget") == ["Rp 250,001,000"]
    assert "Dinas Tenaga Kerja" not in html and "Rp 500" not in html
    assert reverse("cascade:activity", args=[world.aid.pk]) not in html  # sign-in only
    # The same for a signed-in member of another OPD: the public part is not scoped by role.
    member_html = client_for(world.stranger).get(reverse("cascade:public")).content.decode()
    assert _cell(_activities_table(member_html, "KEMISKINAN"), "claimed") == ["120", "80"]


def test_the_public_page_links_its_indicator_to_the_public_cascade(world: World) -> None:
    html = client_for(None).get(reverse("dashboards:public")).content.decode()
    assert f"{reverse('cascade:public')}?tahun=2018&amp;wilayah=33.71#indicator-KEMISKINAN" in html


def test_the_public_cascade_shows_any_region_with_a_plan(world: World) -> None:
    """The deployment's region by default; ``?wilayah=`` another region with a plan (its
    approved plans only), offered by the picker and kept by the year form; a 404 for a code
    of no region with a plan."""
    other = RegionFactory(code="33.08", name="Kabupaten Magelang")
    other_plan = PlanFactory(region=other, name="RPJMD Kabupaten Magelang")
    IndicatorFactory(plan=other_plan, code="KEMISKINAN")
    public = reverse("cascade:public")
    html = client_for(None).get(public).content.decode()
    assert str(world.plan) in html and "RPJMD Kabupaten Magelang" not in html
    assert 'data-testid="region-picker"' in html
    assert '<option value="33.08">Kabupaten Magelang</option>' in html
    response = client_for(None).get(public, {"wilayah": "33.08"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "RPJMD Kabupaten Magelang" in html and str(world.plan) not in html
    assert '<input type="hidden" name="wilayah" value="33.08">' in html
    assert client_for(None).get(public, {"wilayah": "33.99"}).status_code == 404


def test_the_public_cascade_without_any_plan_says_so() -> None:
    """No plan loaded anywhere: the page says so (200), and a region named is a 404."""
    response = client_for(None).get(reverse("cascade:public"))
    assert response.status_code == 200
    assert 'data-testid="no-plan"' in response.content.decode()
    assert 'data-testid="region-picker"' not in response.content.decode()
    assert client_for(None).get(reverse("cascade:public"), {"wilayah": "33.71"}).status_code == 404
