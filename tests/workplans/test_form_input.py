"""What the work-plan pages accept and say.

Money as people write it ("Rp 1.250.000"), whole persons said plainly, contribution
fields labelled by what they count, Bappeda's comment in the activity's form, the
kelurahan grouped by kecamatan, "I am sure" before submitting and approving, and the
Renja list's years.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from opd import models as om
from opd.workplans.fields import MoneyField, parse_amount
from opd.workplans.forms import ActivityForm, RealisationForm
from tests.factories import KecamatanFactory, KelurahanFactory
from tests.workplans.plan_world import World


def shown(message: str) -> str:
    with translation.override("id"):
        return str(translation.gettext(message))


# --- money ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("Rp 1.250.000", Decimal(1250000)),
        ("Rp1.250.000", Decimal(1250000)),
        ("rp. 1.250.000,-", Decimal(1250000)),
        ("IDR 1.250.000", Decimal(1250000)),
        ("1 250 000", Decimal(1250000)),
        ("Rp\u00a01.250.000,50", Decimal("1250000.50")),
        ("1250000", Decimal(1250000)),
        ("1250000,5", Decimal("1250000.5")),
        ("1.250", Decimal(1250)),  # a dot followed by three digits groups thousands
    ],
)
def test_a_rupiah_amount_is_read_as_people_write_it(typed: str, amount: Decimal) -> None:
    with translation.override("id"):
        assert MoneyField(max_digits=18, decimal_places=2).clean(typed) == amount


@pytest.mark.parametrize("typed", ["abc", "1.25.000", "1,250,000,00", "Rp 1.250.000 - 5", "1e5"])
def test_what_is_no_amount_is_refused_with_the_money_message(typed: str) -> None:
    field = MoneyField(max_digits=18, decimal_places=2)
    with translation.override("id"), pytest.raises(Exception) as refused:
        field.clean(typed)
    with translation.override("id"):
        assert refused.value.messages == [  # type: ignore[attr-defined]
            str(field.error_messages["invalid"])
        ]
        assert "Rp 1.250.000" in str(field.error_messages["invalid"])


def test_in_english_the_page_separators_come_first_then_the_indonesian_ones() -> None:
    field = MoneyField(max_digits=18, decimal_places=2)
    with translation.override("en"):
        assert field.clean("Rp 1,250,000.50") == Decimal("1250000.50")
        assert field.clean("Rp 1.250.000") == Decimal(1250000)
        assert field.clean("1.25") == Decimal("1.25")


def test_parse_amount_reads_only_well_placed_separators() -> None:
    assert parse_amount("1.250.000,5", decimal=",", thousands=".") == Decimal("1250000.5")
    assert parse_amount("12.50", decimal=",", thousands=".") is None
    assert parse_amount("1,250", decimal=".", thousands=",") == Decimal(1250)
    assert parse_amount("", decimal=",", thousands=".") is None


def _activity_post(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "program": world.program.pk,
        "code": world.activity.code,
        "name": world.activity.name,
        "budget": "Rp 1.250.000",
        "next_year_budget": "Rp 1.500.000,-",
        "seen_version": world.activity.version,
        f"contribution_{world.indicator.pk}": "40",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_every_money_input_takes_the_rp_prefix_and_thousands_dots() -> None:
    world = World.build()
    client = Client()
    client.force_login(world.head)
    url = reverse("opd:activity_edit", args=[world.work_plan.pk, world.activity.pk])
    response = client.post(url, _activity_post(world))
    assert response.status_code == 302, response.content.decode()[:3000]
    world.activity.refresh_from_db()
    assert world.activity.budget == Decimal(1250000)
    assert world.activity.next_year_budget == Decimal(1500000)

    realisation = RealisationForm(
        {"quarter": "1", "budget_spent": "Rp 500.000", "output_achieved": "10"},
        indicators=[world.indicator],
    )
    assert realisation.is_valid(), realisation.errors
    assert realisation.cleaned_data["budget_spent"] == Decimal(500000)
    for name in ("budget", "next_year_budget"):
        assert isinstance(ActivityForm.base_fields[name], MoneyField)
    assert isinstance(RealisationForm.base_fields["budget_spent"], MoneyField)


# --- persons -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["1,5", "2,555", "2,5555"])
def test_a_fractional_person_is_told_persons_are_whole_and_nothing_else(typed: str) -> None:
    world = World.build()
    world.indicator.is_population_share = True
    world.indicator.save()
    name = f"contribution_{world.indicator.pk}"
    with translation.override("id"):
        form = ActivityForm(
            _activity_post(world, **{name: typed}),
            instance=world.activity,
            work_plan=world.work_plan,
            indicators=[world.indicator],
        )
        assert not form.is_valid()
        assert form.errors[name] == [shown("This indicator counts persons: enter a whole number.")]


# --- the contribution's label --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_contribution_field_says_what_it_counts_and_names_the_indicator() -> None:
    world = World.build()
    indicator = world.indicator
    indicator.code, indicator.name = "KEMISKINAN", "Persentase penduduk miskin"
    indicator.is_population_share, indicator.direction = True, "down"
    indicator.condition = "kemiskinan"
    indicator.save()
    client = Client()
    client.force_login(world.head)
    with translation.override("id"):
        label = shown("Persons leaving %(condition)s") % {"condition": "kemiskinan"}
        expected = f"{label} ({shown('persons')})"
        form = ActivityForm(
            instance=world.activity, work_plan=world.work_plan, indicators=[indicator]
        )
        field = form[f"contribution_{indicator.pk}"]
        assert field.label == expected
        assert "Persentase penduduk miskin" in str(field.help_text)
        page = client.get(reverse("opd:work_plan", args=[world.work_plan.pk])).content.decode()
    assert "KEMISKINAN" not in re.sub(r'data-testid="[^"]*"', "", page)
    assert expected in page  # the plan table's column heading


@pytest.mark.django_db
def test_without_a_condition_the_label_uses_the_name_never_the_code() -> None:
    world = World.build()
    indicator = world.indicator
    indicator.is_population_share, indicator.direction, indicator.condition = True, "up", ""
    indicator.save()
    with translation.override("en"):
        label = indicator.contribution_label()
    assert indicator.name in label and indicator.code not in label
    assert label.endswith("(persons)")
    indicator.is_population_share, indicator.unit = False, "unit"
    assert indicator.contribution_label() == f"{indicator.name} (unit)"


# --- the edit form: Bappeda's comment, the kelurahan by kecamatan --------------------------------


@pytest.mark.django_db
def test_the_activity_form_shows_bappedas_comment_on_that_activity_only() -> None:
    world = World.build(status=om.WorkPlan.Status.RETURNED)
    other = om.Activity.objects.create(program=world.program, code="1.06.01.002", name="Lain")
    om.ReviewComment.objects.create(
        work_plan=world.work_plan,
        activity=world.activity,
        kind="return",
        text="Pagu terlalu kecil untuk 500 orang.",
        author=world.reviewer,
    )
    om.ReviewComment.objects.create(
        work_plan=world.work_plan, activity=other, kind="return", text="Lokasi belum diisi."
    )
    client = Client()
    client.force_login(world.head)
    url = reverse("opd:activity_edit", args=[world.work_plan.pk, world.activity.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="activity-form-comments"' in page
    assert "Pagu terlalu kecil untuk 500 orang." in page
    assert "Lokasi belum diisi." not in page
    other_page = client.get(reverse("opd:activity_add", args=[world.work_plan.pk])).content
    assert b"activity-form-comments" not in other_page


@pytest.mark.django_db
def test_the_kelurahan_are_grouped_by_kecamatan() -> None:
    world = World.build()
    south = KecamatanFactory(region=world.work_plan.opd.region, name="Magelang Selatan")
    KelurahanFactory(kecamatan=south, name="Tidar Selatan")
    client = Client()
    client.force_login(world.head)
    page = client.get(
        reverse("opd:activity_edit", args=[world.work_plan.pk, world.activity.pk])
    ).content.decode()
    select = page[
        page.index('name="kelurahan"') : page.index("</select>", page.index('name="kelurahan"'))
    ]
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    assert [label for label, _ in groups] == ["Magelang Selatan", "Magelang Utara"]
    assert "Tidar Selatan" in groups[0][1] and "Kramat Utara" in groups[1][1]


# --- "I am sure" before submitting and approving -------------------------------------------------


@pytest.mark.django_db
def test_submitting_and_approving_ask_i_am_sure_first() -> None:
    world = World.build()
    head, bappeda = Client(), Client()
    head.force_login(world.head)
    bappeda.force_login(world.reviewer)
    plan = world.work_plan
    submit = reverse("opd:work_plan_submit", args=[plan.pk])
    approve = reverse("opd:work_plan_approve", args=[plan.pk])

    page = head.get(reverse("opd:work_plan", args=[plan.pk])).content.decode()
    assert re.search(r'<input type="checkbox" name="confirm" value="1" required>', page)

    response = head.post(submit, {"seen_version": plan.version}, follow=True)
    plan.refresh_from_db()
    assert plan.status == om.WorkPlan.Status.DRAFT
    assert shown("Tick “I am sure” to submit the plan.") in response.content.decode()
    head.post(submit, {"seen_version": plan.version, "confirm": "1"})
    plan.refresh_from_db()
    assert plan.status == om.WorkPlan.Status.SUBMITTED

    response = bappeda.post(approve, {"seen_version": plan.version}, follow=True)
    plan.refresh_from_db()
    assert plan.status == om.WorkPlan.Status.SUBMITTED
    assert shown("Tick “I am sure” to approve the plan.") in response.content.decode()
    bappeda.post(approve, {"seen_version": plan.version, "confirm": "1"})
    plan.refresh_from_db()
    assert plan.status == om.WorkPlan.Status.APPROVED


# --- the Renja list's years (item 4) -------------------------------------------------------------


@pytest.mark.django_db
def test_the_renja_list_offers_the_plan_years_and_explains_another() -> None:
    world = World.build()
    plan = world.work_plan.plan
    client = Client()
    client.force_login(world.head)
    page = client.get(reverse("opd:work_plans")).content.decode()
    offered = re.findall(r'<option value="(\d+)"', page[page.index('id="tahun"') :])
    assert [int(y) for y in offered] == list(range(plan.first_year, plan.last_year + 1))

    outside = client.get(reverse("opd:work_plans"), {"tahun": "1900"})
    assert outside.status_code == 200
    text = outside.content.decode()
    assert 'data-testid="year-outside"' in text
    assert f"{plan.first_year}–{plan.last_year}" in text
    assert reverse("opd:work_plan_create") not in text  # nothing to start for 1900

    bad = client.get(reverse("opd:work_plans"), {"tahun": "abc"})
    assert bad.status_code == 400
    assert "tahun" in bad.content.decode()


def test_a_whole_amount_is_shown_whole() -> None:
    field = MoneyField(max_digits=18, decimal_places=2)
    with translation.override("id"):
        assert field.widget.format_value(field.prepare_value(Decimal("1900000000.00"))) == (
            "1.900.000.000"
        )
        assert field.widget.format_value(field.prepare_value(Decimal("1250000.50"))) == (
            "1.250.000,50"
        )
