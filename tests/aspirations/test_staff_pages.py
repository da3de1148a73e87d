"""The staff pages under ``/usulan/``: the list, the intake and one aspiration's page, with
their main permissions and privacy. The correction of its details is ``test_staff_edit.py``,
the stage actions ``test_staff_stages.py``, the query counts ``test_staff_queries.py``."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from opd import models as om
from targets.models import Kecamatan, Kelurahan
from tests.aspirations.world import INTAKE, AspirationWorld
from tests.factories import KelurahanFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/usulan/"
CREATE = "/usulan/baru/"


@pytest.fixture
def client(settings: Any) -> Client:
    """Pages in English (the language switcher's cookie), whatever the default language."""
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return english


@pytest.fixture
def world(settings: Any) -> AspirationWorld:
    built = AspirationWorld.build()
    # Bappeda's region is the deployment's; the other kecamatan has a kelurahan of its own.
    settings.DEFAULT_REGION_CODE = built.plan.work_plan.opd.region.code
    KelurahanFactory(kecamatan=Kecamatan.objects.get(name="Magelang Selatan"), name="Tidar Utara")
    return built


def detail(aspiration: om.Aspiration) -> str:
    return f"/usulan/{aspiration.pk}/"


def as_user(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def references(response: Any) -> list[str]:
    return re.findall(r'data-reference="([^"]+)"', response.content.decode())


# --- the list ------------------------------------------------------------------------------


def test_each_role_lists_what_it_follows(world: AspirationWorld, client: Client) -> None:
    received = world.record(title="Diterima")
    recommended = world.at("recommended")
    accepted = world.at("accepted")
    elsewhere_kelurahan = Kelurahan.objects.get(name="Tidar Utara")
    elsewhere = world.record(kelurahan=elsewhere_kelurahan, title="Di kecamatan lain")
    everything = {a.reference for a in (received, recommended, accepted, elsewhere)}

    assert set(references(as_user(client, world.plan.reviewer).get(LIST))) == everything
    # The staff of the place: their kelurahan's, at every stage.
    for name in ("kelurahan_staff", "kecamatan_staff"):
        shown = set(references(as_user(client, world.who(name)).get(LIST)))
        assert shown == everything - {elsewhere.reference}, name
    assert set(references(as_user(client, world.other_area_staff).get(LIST))) == {
        elsewhere.reference
    }
    # The OPD: what was recommended to it, at that stage and later ones; nothing else.
    for name in ("head", "staff"):
        shown = set(references(as_user(client, world.who(name)).get(LIST)))
        assert shown == {recommended.reference, accepted.reference}, name
    assert references(as_user(client, world.plan.outsider).get(LIST)) == []


def test_the_list_refuses_who_has_no_aspiration_role(
    world: AspirationWorld, client: Client
) -> None:
    world.record()
    assert client.get(LIST).status_code == 302  # to the sign-in page
    response = as_user(client, UserFactory(username="tamu")).get(LIST)
    assert response.status_code == 403


def test_the_list_shows_the_stage_in_words_and_links_each_row(
    world: AspirationWorld, client: Client
) -> None:
    aspiration = world.at("verified")
    body = as_user(client, world.plan.reviewer).get(LIST).content.decode()
    row = re.search(r'<tr data-testid="aspiration-row".*?</tr>', body, re.S)
    assert row is not None
    text = row.group(0)
    assert f'href="{detail(aspiration)}"' in text
    for shown in (aspiration.reference, aspiration.title, "Verified", "Kramat Utara"):
        assert shown in text, shown
    assert "Musrenbang kelurahan" in text and "23 January 2017" in text


def test_the_list_filters_by_stage_forum_year_and_kelurahan(
    world: AspirationWorld, client: Client
) -> None:
    received = world.record(title="A")
    verified = world.at("verified")
    fgd = world.record(forum=om.AspirationForum.FGD, year=2019)
    reviewer = as_user(client, world.plan.reviewer)
    assert references(reviewer.get(LIST, {"tahap": "verified"})) == [verified.reference]
    assert references(reviewer.get(LIST, {"forum": "fgd"})) == [fgd.reference]
    assert references(reviewer.get(LIST, {"tahun": 2019})) == [fgd.reference]
    by_place = set(references(reviewer.get(LIST, {"kelurahan": world.plan.kelurahan.code})))
    assert by_place == {received.reference, verified.reference, fgd.reference}


@pytest.mark.parametrize(
    ("name", "value"),
    [("tahap", "approved"), ("forum", "pokir"), ("tahun", "dua"), ("tahun", "1944")],
)
def test_a_filter_the_list_cannot_use_is_a_400_naming_it(
    world: AspirationWorld, client: Client, name: str, value: str
) -> None:
    response = as_user(client, world.plan.reviewer).get(LIST, {name: value})
    assert response.status_code == 400
    assert f"“{name}”" in response.content.decode()


def test_a_kelurahan_outside_the_users_list_is_a_400(
    world: AspirationWorld, client: Client
) -> None:
    elsewhere = Kelurahan.objects.get(name="Tidar Utara")
    response = as_user(client, world.kelurahan_staff).get(LIST, {"kelurahan": elsewhere.code})
    assert response.status_code == 400
    ok = as_user(client, world.kelurahan_staff).get(LIST, {"kelurahan": world.plan.kelurahan.code})
    assert ok.status_code == 200


def test_the_list_pages_by_50_in_a_stable_order(world: AspirationWorld, client: Client) -> None:
    made = [world.record(title=f"Usulan {n}") for n in range(51)]
    reviewer = as_user(client, world.plan.reviewer)
    first, second = references(reviewer.get(LIST)), references(reviewer.get(LIST, {"halaman": 2}))
    assert len(first) == 50 and len(second) == 1
    # Same forum date: by reference.
    assert first + second == sorted(a.reference for a in made)
    assert reviewer.get(LIST, {"halaman": 3}).status_code == 404


def test_record_and_import_are_for_who_records_the_summary_for_bappeda(
    world: AspirationWorld, client: Client
) -> None:
    links = (CREATE, "/usulan/impor/", "/usulan/ringkasan/")
    staff_page = as_user(client, world.kelurahan_staff).get(LIST).content.decode()
    assert [f'href="{link}"' in staff_page for link in links] == [True, True, False]
    head_page = as_user(client, world.plan.head).get(LIST).content.decode()
    assert [f'href="{link}"' in head_page for link in links] == [False, False, False]
    assert 'data-testid="list-actions"' not in head_page
    reviewer_page = as_user(client, world.plan.reviewer).get(LIST).content.decode()
    assert [f'href="{link}' in reviewer_page for link in links] == [True, True, True]
    # The summary of the region the list shows.
    region = world.plan.work_plan.opd.region.code
    assert f'href="/usulan/ringkasan/?wilayah={region}"' in reviewer_page


# --- the intake ----------------------------------------------------------------------------


def intake_post(world: AspirationWorld, **changes: Any) -> dict[str, Any]:
    data = {
        **{k: v for k, v in INTAKE.items() if k != "year"},
        "received_on": "2017-01-23",
        "kelurahan": world.plan.kelurahan.pk,
        "indicator": "",
        "year": "",
    }
    data.update(changes)
    return {k: ("" if v is None else v) for k, v in data.items()}


def test_kelurahan_staff_record_an_aspiration_and_get_its_reference(
    world: AspirationWorld, client: Client
) -> None:
    staff = as_user(client, world.kelurahan_staff)
    form = staff.get(CREATE)
    assert form.status_code == 200
    body = form.content.decode()
    # Only the kelurahan the staff act for are offered.
    options = re.findall(
        r'<option value="(\d+)"', body.split('name="kelurahan"')[1].split("</select>")[0]
    )
    assert options == [str(world.plan.kelurahan.pk)]
    assert "not shown to the public" in body or "never shown to the public" in body

    response = staff.post(
        CREATE, intake_post(world, indicator=world.plan.indicator.pk), follow=True
    )
    aspiration = om.Aspiration.objects.get()
    assert response.redirect_chain == [(detail(aspiration), 302)]
    assert re.search(
        rf"<strong class='reference' data-testid='new-reference'>{aspiration.reference}</strong>",
        response.content.decode(),
    )
    assert aspiration.status == "received"
    assert aspiration.year == 2018  # the year after the forum, by default
    assert aspiration.indicator == world.plan.indicator
    assert aspiration.proposer == "Ibu Sri Lestari"
    assert list(aspiration.events.values_list("kind", "actor")) == [
        ("intake", world.kelurahan_staff.pk)
    ]


def test_a_year_given_is_kept_up_to_the_last_plausible_one(
    world: AspirationWorld, client: Client
) -> None:
    reviewer = as_user(client, world.plan.reviewer)
    assert reviewer.post(CREATE, intake_post(world, year=2101)).status_code == 422
    reviewer.post(CREATE, intake_post(world, year=2100))
    assert om.Aspiration.objects.get().year == 2100
    # The browser is told the same range.
    form = reviewer.get(CREATE).content.decode()
    (year_input,) = re.findall(r'<input[^>]*name="year"[^>]*>', form)
    assert 'min="1945"' in year_input and 'max="2100"' in year_input


def test_the_default_year_follows_the_forum_date(world: AspirationWorld, client: Client) -> None:
    as_user(client, world.plan.reviewer).post(CREATE, intake_post(world, received_on="2018-12-31"))
    assert om.Aspiration.objects.get().year == 2019


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"received_on": "2017-02-30"}, "received_on"),
        ({"received_on": "kemarin"}, "received_on"),
        ({"proposer": ""}, "proposer"),
        ({"priority": "0"}, "priority"),
        ({"forum": "pokir"}, "forum"),
        ({"kelurahan": ""}, "kelurahan"),
        ({"year": "1944"}, "year"),
    ],
)
def test_intake_validation_marks_the_field_and_saves_nothing(
    world: AspirationWorld, client: Client, changes: dict[str, Any], field: str
) -> None:
    response = as_user(client, world.kelurahan_staff).post(CREATE, intake_post(world, **changes))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not om.Aspiration.objects.exists()
    assert 'data-testid="form-has-errors"' in response.content.decode()


def test_a_kelurahan_outside_the_staffs_area_is_a_field_error(
    world: AspirationWorld, client: Client
) -> None:
    elsewhere = Kelurahan.objects.get(name="Tidar Utara")
    response = as_user(client, world.kelurahan_staff).post(
        CREATE, intake_post(world, kelurahan=elsewhere.pk)
    )
    assert response.status_code == 422
    assert response.context["form"].errors["kelurahan"] == [
        "Choose one of the kelurahan whose aspirations you record."
    ]
    assert not om.Aspiration.objects.exists()


def test_an_indicator_of_a_plan_not_covering_the_year_is_a_field_error(
    world: AspirationWorld, client: Client
) -> None:
    response = as_user(client, world.plan.reviewer).post(
        CREATE, intake_post(world, indicator=world.plan.indicator.pk, year=2022)
    )
    assert response.status_code == 422
    assert "indicator" in response.context["form"].errors
    assert not om.Aspiration.objects.exists()


def test_bappeda_records_a_city_wide_aspiration(world: AspirationWorld, client: Client) -> None:
    response = as_user(client, world.plan.reviewer).post(
        CREATE, intake_post(world, kelurahan="", forum=om.AspirationForum.MUSRENBANG_KOTA)
    )
    aspiration = om.Aspiration.objects.get()
    assert response.status_code == 302
    assert aspiration.kelurahan is None
    assert aspiration.region == world.plan.work_plan.opd.region


def test_an_opd_member_cannot_record(world: AspirationWorld, client: Client) -> None:
    head = as_user(client, world.plan.head)
    assert head.get(CREATE).status_code == 403
    assert head.post(CREATE, intake_post(world)).status_code == 403
    assert not om.Aspiration.objects.exists()


# --- one aspiration ------------------------------------------------------------------------


def test_the_proposer_is_shown_to_bappeda_and_the_place_never_to_the_opd(
    world: AspirationWorld, client: Client
) -> None:
    aspiration = world.at("recommended")
    for name in ("reviewer", "kelurahan_staff", "kecamatan_staff"):
        body = as_user(client, world.who(name)).get(detail(aspiration)).content.decode()
        assert "Ibu Sri Lestari" in body and "0812 3456 7890" in body, name
    for name in ("head", "staff"):
        response = as_user(client, world.who(name)).get(detail(aspiration))
        assert response.status_code == 200
        body = response.content.decode()
        assert "Ibu Sri Lestari" not in body and "0812 3456 7890" not in body, name
        assert aspiration.title in body


def test_the_page_shows_the_facts_the_history_and_the_public_link(
    world: AspirationWorld, client: Client
) -> None:
    aspiration = world.at("recommended")
    body = as_user(client, world.plan.reviewer).get(detail(aspiration)).content.decode()
    assert f'href="/publik/usulan/{aspiration.reference}/"' in body
    for shown in ("Dinas Sosial", "Usulan RW 04.", "Kramat Utara", "Economy"):
        assert shown in body, shown
    events = re.findall(r'<tr data-testid="event" data-kind="(\w+)"', body)
    assert events == ["intake", "stage", "stage"]
    assert "Verified → Recommended to an OPD" in body
    history = body.split('data-testid="history"')[1].split("</table>")[0]
    assert history.count("Peninjau Bappeda") == 3


def test_who_does_not_see_it_gets_a_404_and_who_has_no_role_a_403(
    world: AspirationWorld, client: Client
) -> None:
    aspiration = world.at("verified")
    for name in ("other_area_staff", "head", "outsider"):
        assert as_user(client, world.who(name)).get(detail(aspiration)).status_code == 404, name
    assert as_user(client, UserFactory(username="tamu")).get(detail(aspiration)).status_code == 403
    assert as_user(client, world.plan.reviewer).get("/usulan/999999/").status_code == 404


def test_the_page_offers_only_the_actions_the_user_may_take_now(
    world: AspirationWorld, client: Client
) -> None:
    def offered(user: Any, aspiration: om.Aspiration) -> set[str]:
        body = as_user(client, user).get(detail(aspiration)).content.decode()
        return set(re.findall(r'data-testid="(\w+)-form"', body)) | (
            {"edit"} if 'data-testid="edit-link"' in body else set()
        )

    received = world.record()
    assert offered(world.kelurahan_staff, received) == {"verify", "edit"}
    assert offered(world.plan.reviewer, received) == {"verify", "edit", "reject"}
    verified = world.at("verified")
    assert offered(world.plan.reviewer, verified) == {"recommend", "edit", "reject"}
    assert offered(world.kecamatan_staff, verified) == {"edit"}
    recommended = world.at("recommended")
    assert offered(world.plan.head, recommended) == {"accept", "reject"}
    assert offered(world.plan.reviewer, recommended) == {"reject"}
    assert offered(world.kelurahan_staff, recommended) == set()
    accepted = world.at("accepted")
    assert offered(world.plan.head, accepted) == set()


def test_the_accept_form_lists_the_opds_editable_activities_as_program_and_activity(
    world: AspirationWorld, client: Client
) -> None:
    aspiration = world.at("recommended")
    body = as_user(client, world.plan.head).get(detail(aspiration)).content.decode()
    activity, program = world.plan.activity, world.plan.program
    assert f"{program.code} {program.name} › {activity.code} {activity.name}" in body
    om.WorkPlan.objects.filter(pk=world.plan.work_plan.pk).update(
        status=om.WorkPlan.Status.SUBMITTED, submitted_at=timezone.now()
    )
    body = as_user(client, world.plan.head).get(detail(aspiration)).content.decode()
    assert 'data-testid="accept-no-choices"' in body
    assert activity.name not in body.split('data-testid="accept-form"')[1].split("</form>")[0]
