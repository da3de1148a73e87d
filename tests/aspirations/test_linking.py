"""Linking aspirations to an activity from its edit page (and its add page).

Every form is posted as the page rendered it (tests/html_forms.py), a box ticked or
unticked as a person would; the aspiration and the activity are checked in the database.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opd import models as om
from opd.aspirations import services
from tests.aspirations.world import AspirationWorld
from tests.factories import ActivityFactory, AspirationFactory, OpdFactory
from tests.html_forms import form_of

Status = om.AspirationStatus


@pytest.fixture
def world(db) -> AspirationWorld:
    return AspirationWorld.build()


def signed_in(user: Any) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"  # the pages in English, whatever the default
    client.force_login(user)
    return client


def edit_url(world: AspirationWorld, activity: om.Activity | None = None) -> str:
    activity = activity or world.plan.activity
    return reverse("opd:activity_edit", args=[world.plan.work_plan.pk, activity.pk])


def ticked(form: dict[str, Any]) -> list[str]:
    value = form.get("aspiration", [])
    return [value] if isinstance(value, str) else list(value)


def tick(form: dict[str, Any], aspiration: om.Aspiration) -> dict[str, Any]:
    return {**form, "aspiration": [*ticked(form), str(aspiration.pk)]}


def untick(form: dict[str, Any], aspiration: om.Aspiration) -> dict[str, Any]:
    return {**form, "aspiration": [pk for pk in ticked(form) if pk != str(aspiration.pk)]}


def state() -> list[Any]:
    return [
        *om.Aspiration.objects.order_by("pk").values(),
        *om.AspirationEvent.objects.order_by("pk").values(),
        *om.Activity.objects.order_by("pk").values(),
        *om.AuditEntry.objects.order_by("pk").values(),
    ]


def errors(response: Any) -> list[str]:
    return [
        str(m) for m in messages.get_messages(response.wsgi_request) if m.level == messages.ERROR
    ]


def choices(response: Any) -> dict[str, bool]:
    """The boxes of the page: reference → ticked."""
    links = response.context["links"]
    return {row.aspiration.reference: row.checked for row in links.rows()}


def other_opds_aspiration(world: AspirationWorld) -> om.Aspiration:
    other = OpdFactory(region=world.plan.work_plan.opd.region)
    return AspirationFactory(
        region=other.region,
        kelurahan=world.plan.kelurahan,
        status=Status.RECOMMENDED,
        recommended_opd=other,
        title="Usulan dinas lain",
    )


# --- what the page offers --------------------------------------------------------------


def test_the_edit_page_offers_the_opds_open_aspirations_and_this_activitys(world):
    taken = world.at("accepted")
    open_one = world.at("recommended")
    other_year = AspirationFactory(
        region=world.plan.work_plan.opd.region,
        year=2019,
        status=Status.RECOMMENDED,
        recommended_opd=world.plan.work_plan.opd,
    )
    elsewhere = ActivityFactory(program=world.plan.program, code="1.06.01.002")
    taken_elsewhere = world.at("recommended")
    services.aspiration_accept(
        aspiration_id=taken_elsewhere.pk,
        by=world.plan.head,
        seen_version=taken_elsewhere.version,
        activity=elsewhere,
    )
    foreign = other_opds_aspiration(world)
    verified = world.at("verified")

    page = signed_in(world.plan.head).get(edit_url(world))

    assert page.status_code == 200
    html = page.content.decode()
    assert "<legend>Community aspirations</legend>" in html
    assert choices(page) == {taken.reference: True, open_one.reference: False}
    for hidden in (other_year, taken_elsewhere, foreign, verified):
        assert hidden.reference not in html
    # Each box is labelled by its reference and title, for a keyboard and a screen reader.
    assert (
        f'<label for="aspiration-{open_one.pk}"><strong>{open_one.reference}</strong> '
        f"{open_one.title}</label>"
    ) in html
    detail = reverse("aspirations:staff_detail", args=[open_one.pk])
    assert f'<a href="{detail}">details<span class="skip-link"> {open_one.reference}' in html
    form, _ = form_of(page, edit_url(world))
    assert ticked(form) == [str(taken.pk)]
    assert form[f"aspiration_version_{open_one.pk}"] == str(open_one.version)


def test_without_an_open_aspiration_the_section_says_so(world):
    page = signed_in(world.plan.head).get(edit_url(world))
    assert 'data-testid="aspiration-links-none"' in page.content.decode()
    assert choices(page) == {}


# --- linking and unlinking -----------------------------------------------------------


def test_ticking_a_box_accepts_the_aspiration_into_the_activity_with_the_activitys_save(world):
    aspiration = world.at("recommended")
    client, url = signed_in(world.plan.head), edit_url(world)
    form, _ = form_of(client.get(url), url)

    response = client.post(url, tick({**form, "name": "Bantuan pangan"}, aspiration))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert errors(response) == []
    aspiration.refresh_from_db()
    assert (aspiration.status, aspiration.activity_id) == (Status.ACCEPTED, world.plan.activity.pk)
    event = aspiration.events.order_by("at", "pk").last()
    assert (event.from_status, event.to_status, event.actor) == (
        "recommended",
        "accepted",
        world.plan.head,
    )
    world.plan.activity.refresh_from_db()
    assert world.plan.activity.name == "Bantuan pangan"


def test_ticking_alone_saves_the_link_without_touching_the_activity(world):
    aspiration = world.at("recommended")
    client, url = signed_in(world.plan.head), edit_url(world)
    form, _ = form_of(client.get(url), url)
    version = world.plan.activity.version

    assert client.post(url, tick(form, aspiration)).status_code == 302

    aspiration.refresh_from_db()
    assert aspiration.status == Status.ACCEPTED
    world.plan.activity.refresh_from_db()
    assert world.plan.activity.version == version  # the activity itself did not change


def test_unticking_a_box_releases_the_aspiration(world):
    aspiration = world.at("accepted")
    client, url = signed_in(world.plan.head), edit_url(world)
    form, _ = form_of(client.get(url), url)

    response = client.post(url, untick(form, aspiration))

    assert response.status_code == 302
    aspiration.refresh_from_db()
    assert (aspiration.status, aspiration.activity_id) == (Status.RECOMMENDED, None)
    event = aspiration.events.order_by("at", "pk").last()
    assert (event.from_status, event.to_status) == ("accepted", "recommended")


def test_a_new_activity_takes_up_the_aspirations_ticked_on_the_add_page(world):
    aspiration = world.at("recommended")
    client = signed_in(world.plan.head)
    url = reverse("opd:activity_add", args=[world.plan.work_plan.pk])
    page = client.get(url)
    assert choices(page) == {aspiration.reference: False}
    form, _ = form_of(page, url)
    form = {
        **form,
        "program": str(world.plan.program.pk),  # a browser posts the first option
        "code": "1.06.01.009",
        "name": "Pelatihan menjahit",
        "budget": "1000000",
    }

    response = client.post(url, tick(form, aspiration))

    assert response.status_code == 302, response.context["form"].errors
    created = om.Activity.objects.get(code="1.06.01.009")
    aspiration.refresh_from_db()
    assert (aspiration.status, aspiration.activity_id) == (Status.ACCEPTED, created.pk)


def test_a_post_without_the_boxes_changes_no_link(world):
    """An older page, or a script posting the activity's fields only: links stay."""
    aspiration = world.at("accepted")
    client, url = signed_in(world.plan.head), edit_url(world)
    form, _ = form_of(client.get(url), url)
    bare = {k: v for k, v in form.items() if not k.startswith("aspiration")}

    assert client.post(url, {**bare, "name": "Bantuan pangan"}).status_code == 302

    aspiration.refresh_from_db()
    assert (aspiration.status, aspiration.activity_id) == (Status.ACCEPTED, world.plan.activity.pk)


def test_a_box_left_as_shown_keeps_what_someone_else_did_meanwhile(world):
    """Person A's box stays ticked as shown; person B released the aspiration meanwhile.
    A's save is no release or acceptance of it: B's release stands."""
    aspiration = world.at("accepted")
    client, url = signed_in(world.plan.head), edit_url(world)
    form, _ = form_of(client.get(url), url)
    services.aspiration_release(
        aspiration_id=aspiration.pk, by=world.plan.staff, seen_version=aspiration.version
    )

    assert client.post(url, {**form, "name": "Bantuan pangan"}).status_code == 302

    aspiration.refresh_from_db()
    assert (aspiration.status, aspiration.activity_id) == (Status.RECOMMENDED, None)


# --- refusals ------------------------------------------------------------------------


def test_another_opds_aspiration_is_not_offered_and_a_forged_tick_changes_nothing(world):
    foreign = other_opds_aspiration(world)
    client, url = signed_in(world.plan.head), edit_url(world)
    page = client.get(url)
    assert foreign.reference not in page.content.decode()
    form, _ = form_of(page, url)
    forged = {
        **form,
        "name": "Bantuan pangan",
        "aspiration": [str(foreign.pk)],
        "aspiration_shown": [str(foreign.pk)],
        f"aspiration_version_{foreign.pk}": str(foreign.version),
    }
    before = state()

    response = client.post(url, forged)

    assert response.status_code == 422
    assert "cannot take up an aspiration you ticked" in response.content.decode()
    assert foreign.reference not in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_a_locked_plan_offers_no_boxes_and_refuses_a_forged_post(world, status):
    aspiration = world.at("recommended")
    url = edit_url(world)
    client = signed_in(world.plan.head)
    form, _ = form_of(client.get(url), url)
    om.WorkPlan.objects.filter(pk=world.plan.work_plan.pk).update(
        status=status, submitted_at=timezone.now()
    )

    page = client.get(url)
    assert page.status_code == 302  # no editor at all
    plan_page = client.get(reverse("opd:work_plan", args=[world.plan.work_plan.pk]))
    assert 'name="aspiration"' not in plan_page.content.decode()

    before = state()
    refused = client.post(url, tick(form, aspiration))
    assert refused.status_code == 302
    assert errors(refused)
    assert state() == before


def test_a_stale_aspiration_is_refused_with_a_message_and_nothing_saved(world):
    aspiration = world.at("recommended")
    client, url = signed_in(world.plan.head), edit_url(world)
    form, _ = form_of(client.get(url), url)
    # Meanwhile someone took it up into another activity and gave it back: recommended
    # again, two versions on.
    elsewhere = ActivityFactory(program=world.plan.program, code="1.06.01.002")
    moved = services.aspiration_accept(
        aspiration_id=aspiration.pk,
        by=world.plan.staff,
        seen_version=aspiration.version,
        activity=elsewhere,
    )
    services.aspiration_release(
        aspiration_id=aspiration.pk, by=world.plan.staff, seen_version=moved.version
    )
    before = state()

    refused = client.post(url, tick({**form, "name": "Bantuan pangan"}, aspiration))

    assert refused.status_code == 409
    assert f"Aspiration {aspiration.reference} changed since you opened the page" in (
        refused.content.decode()
    )
    assert state() == before  # neither the activity's name nor the link
    assert choices(refused) == {aspiration.reference: False}  # shown as it is now
    # The form now carries the current version and the person's edit: tick again and save.
    again, _ = form_of(refused, url)
    assert again["name"] == "Bantuan pangan"
    assert client.post(url, tick(again, aspiration)).status_code == 302
    aspiration.refresh_from_db()
    assert (aspiration.status, aspiration.activity_id) == (Status.ACCEPTED, world.plan.activity.pk)
    world.plan.activity.refresh_from_db()
    assert world.plan.activity.name == "Bantuan pangan"


def test_a_race_lost_after_the_form_checked_undoes_the_activitys_save(world, monkeypatch):
    """The aspiration moves between the form's check and the service's claim: the service
    refuses, and the activity's save, already written in the transaction, is undone too."""
    from opd.workplans import edit_views

    aspiration = world.at("recommended")
    client, url = signed_in(world.plan.head), edit_url(world)
    form, _ = form_of(client.get(url), url)
    as_seen = edit_views.selectors.activity_aspirations(
        work_plan=world.plan.work_plan, activity=world.plan.activity
    )
    services.aspiration_reject(
        aspiration_id=aspiration.pk, by=world.plan.reviewer, seen_version=aspiration.version,
        code=om.RejectionCode.DUPLICATE,
    )  # fmt: skip
    calls: list[int] = []
    real = edit_views.selectors.activity_aspirations

    def first_as_seen(**kwargs: Any) -> list[om.Aspiration]:
        calls.append(1)
        return as_seen if len(calls) == 1 else real(**kwargs)

    monkeypatch.setattr(edit_views.selectors, "activity_aspirations", first_as_seen)
    before = state()

    refused = client.post(url, tick({**form, "budget": "123000000"}, aspiration))

    assert refused.status_code == 409
    assert "cannot take up an aspiration you ticked" in refused.content.decode()
    assert state() == before
    aspiration.refresh_from_db()
    assert aspiration.status == Status.REJECTED


def test_the_activitys_own_conflict_flow_keeps_the_ticks(world):
    aspiration = world.at("recommended")
    url = edit_url(world)
    a, b = signed_in(world.plan.head), signed_in(world.plan.staff)
    form_a, _ = form_of(a.get(url), url)
    form_b, _ = form_of(b.get(url), url)
    assert a.post(url, {**form_a, "name": "Bantuan pangan"}).status_code == 302

    refused = b.post(url, tick({**form_b, "budget": "275000000"}, aspiration))

    assert refused.status_code == 409
    assert 'data-testid="conflict"' in refused.content.decode()
    aspiration.refresh_from_db()
    assert aspiration.status == Status.RECOMMENDED  # nothing of B's yet
    again, _ = form_of(refused, url)
    assert ticked(again) == [str(aspiration.pk)]  # B's tick survives the merge
    assert b.post(url, again).status_code == 302
    aspiration.refresh_from_db()
    assert (aspiration.status, aspiration.activity_id) == (Status.ACCEPTED, world.plan.activity.pk)
    world.plan.activity.refresh_from_db()
    assert (world.plan.activity.name, world.plan.activity.budget) == ("Bantuan pangan", 275000000)


def test_a_funded_aspiration_of_a_reopened_plan_is_listed_without_a_box(world):
    aspiration = world.at("accepted")
    om.Aspiration.objects.filter(pk=aspiration.pk).update(status=Status.FUNDED)
    om.WorkPlan.objects.filter(pk=world.plan.work_plan.pk).update(
        status="reopened", submitted_at=timezone.now()
    )
    page = signed_in(world.plan.head).get(edit_url(world))
    assert page.status_code == 200
    assert choices(page) == {}
    assert 'data-testid="aspiration-settled"' in page.content.decode()


# --- query counts ----------------------------------------------------------------------

# Session, user, the user's permissions (own and group's), the plan, the membership, the
# activity, the indicators, the kelurahan, the stored contributions, the aspirations (one
# query: the open ones and this activity's), the comments, the programs (the field and its
# original), the OPD's Renstra lines to link the activity to: 15, whatever the number of
# aspirations.
EDIT_PAGE_QUERIES = 15


@pytest.mark.parametrize("count", [1, 10])
def test_the_edit_page_runs_the_same_queries_whatever_the_aspirations(
    world, count, django_assert_num_queries
):
    opd = world.plan.work_plan.opd
    for number in range(count):
        AspirationFactory(
            region=opd.region,
            kelurahan=world.plan.kelurahan,
            status=Status.RECOMMENDED if number % 2 else Status.ACCEPTED,
            recommended_opd=opd,
            activity=None if number % 2 else world.plan.activity,
        )
    client = signed_in(world.plan.head)
    with django_assert_num_queries(EDIT_PAGE_QUERIES):
        page = client.get(edit_url(world))
    assert len(choices(page)) == count
