"""The public status of an aspiration (``/publik/usulan/``, ``/publik/usulan/<reference>/``):
the lookup and its answers, each stage's page, and the proposer's privacy on every page (the
list per kelurahan and the query counts are in test_public_list.py)."""

from __future__ import annotations

import html
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from opd import models as om
from opd.aspirations import selectors
from tests.aspirations.public_world import (
    CONTACT,
    LOOKUP,
    ON,
    PROPOSER,
    STAGES,
    PublicWorld,
    detail,
    shown,
    text,
)
from tests.factories import AspirationFactory

pytestmark = pytest.mark.django_db


NOT_YET = shown("Not reached yet")


@pytest.fixture
def world() -> PublicWorld:
    return PublicWorld.build()


def stage_cells(response: Any) -> dict[str, str]:
    """Each stage row of the stages table: its status → the text of its date cell."""
    rows = re.findall(
        r'<tr data-stage="(\w+)".*?</th>\s*<td>(.*?)</td>', response.content.decode(), re.S
    )
    return {stage: html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for stage, cell in rows}


# --- the reference as typed ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("MSR-2018-7QK4", "MSR-2018-7QK4"),
        ("msr-2018-7qk4", "MSR-2018-7QK4"),
        ("  msr-2018-7qk4 \t", "MSR-2018-7QK4"),
        ("MSR 2018 7QK4", "MSR-2018-7QK4"),
        ("MSR – 2018 – 7QK4", "MSR-2018-7QK4"),
        ("fgd-2018-oil1", "FGD-2018-0111"),  # Crockford: O is 0, I and L are 1
        ("usl-2018-0001", "USL-2018-0001"),
    ],
)
def test_a_typed_reference_is_normalised(typed: str, expected: str) -> None:
    assert selectors.normalise_reference(typed) == expected
    assert selectors.is_reference(expected)


@pytest.mark.parametrize(
    "typed", ["MSR-2018", "XYZ-2018-7QK4", "MSR-2018-7QK", "MSR-18-7QK4", "7QK4"]
)
def test_what_is_not_a_reference_is_refused(typed: str) -> None:
    assert not selectors.is_reference(selectors.normalise_reference(typed))


def test_a_reference_found_redirects_to_its_page(world: PublicWorld, client: Client) -> None:
    aspiration = world.at_stage("verified", reference="MSR-2018-7QK4")
    for typed in ("msr-2018-7qk4", "  MSR-2018-7QK4  ", "msr 2018 7qk4"):
        response = client.get(LOOKUP, {"nomor": typed})
        assert response.status_code == 302, typed
        assert response["Location"] == detail(aspiration.reference)


def test_a_reference_in_another_case_in_the_address_goes_to_its_own_address(
    world: PublicWorld, client: Client
) -> None:
    world.at_stage("verified", reference="MSR-2018-7QK4")
    response = client.get(detail("msr-2018-7qk4"))
    assert response.status_code == 301
    assert response["Location"] == detail("MSR-2018-7QK4")


def test_an_unknown_reference_stays_on_the_form_with_404(
    world: PublicWorld, client: Client
) -> None:
    world.at_stage("verified", reference="MSR-2018-7QK4")
    response = client.get(LOOKUP, {"nomor": "msr-2018-zzzz"})
    assert response.status_code == 404
    assert shown(
        "No aspiration has the reference number %(reference)s. Check it against the receipt "
        "from the forum, or ask your kelurahan.",
        reference="MSR-2018-ZZZZ",
    ) in text(response)
    assert 'aria-invalid="true"' in response.content.decode()
    assert 'value="msr-2018-zzzz"' in response.content.decode()  # the field keeps what was typed


@pytest.mark.parametrize("typed", ["hello", "MSR-2018", "<b>x</b>"])
def test_a_malformed_reference_stays_on_the_form_with_400(
    world: PublicWorld, client: Client, typed: str
) -> None:
    response = client.get(LOOKUP, {"nomor": typed})
    assert response.status_code == 400
    assert shown(
        "“%(typed)s” is not a reference number. A reference number has the forum, the year and "
        "four letters or digits, for example %(example)s.",
        typed=typed,
        example="MSR-2018-7QK4",
    ) in text(response)
    assert "<b>x</b>" not in response.content.decode()  # escaped


def test_nothing_typed_asks_for_the_number(world: PublicWorld, client: Client) -> None:
    response = client.get(LOOKUP, {"nomor": "   "})
    assert response.status_code == 400
    assert shown(
        "Type the reference number of the aspiration, for example %(example)s.",
        example="MSR-2018-7QK4",
    ) in text(response)


def test_an_unknown_reference_page_is_a_404_in_indonesian(
    world: PublicWorld, client: Client
) -> None:
    for reference in ("MSR-2018-ZZZZ", "bukan-nomor"):
        response = client.get(detail(reference))
        assert response.status_code == 404
        page = text(response)
        assert shown("Aspiration not found") in page
        assert (
            shown(
                "No aspiration has the reference number “%(shown_reference)s”. Check it against the "
                "receipt from the forum, or ask your kelurahan.",
                shown_reference=reference,
            )
            in page
        )
        assert '<html lang="id">' in response.content.decode()
        assert 'role="search"' in response.content.decode()  # a form to try again


# --- each stage's page ---------------------------------------------------------------------


def test_a_received_aspiration_shows_its_facts_and_the_stages_not_reached(
    world: PublicWorld, client: Client
) -> None:
    aspiration = world.at_stage("received")
    response = client.get(detail(aspiration.reference))
    assert response.status_code == 200
    page = text(response)
    for fact in (
        aspiration.title,
        aspiration.description,
        aspiration.reference,
        "Musrenbang kelurahan",
        "1 Februari 2017",
        "Kramat Utara (Kecamatan Magelang Utara)",
        "Infrastruktur",
    ):
        assert fact in page, fact
    assert stage_cells(response) == {
        "received": "1 Februari 2017",
        "verified": NOT_YET,
        "recommended": NOT_YET,
        "accepted": NOT_YET,
        "funded": NOT_YET,
        "realised": NOT_YET,
    }
    assert '<time datetime="2017-02-01">' in response.content.decode()
    assert 'data-testid="activity"' not in response.content.decode()
    assert 'data-testid="recommended-opd"' not in response.content.decode()


def test_a_recommended_aspiration_names_the_opd_but_no_activity(
    world: PublicWorld, client: Client
) -> None:
    aspiration = world.at_stage("recommended")
    response = client.get(detail(aspiration.reference))
    cells = stage_cells(response)
    assert cells["verified"] == "8 Februari 2017"
    assert cells["recommended"] == "3 Maret 2017"
    assert cells["accepted"] == NOT_YET
    assert 'data-testid="recommended-opd">Dinas Pekerjaan Umum<' in response.content.decode()
    assert world.activity.name not in text(response)
    assert 'aria-current="step"' in response.content.decode()


@pytest.mark.parametrize(
    ("plan_status", "words"),
    [
        (om.WorkPlan.Status.DRAFT, "Not funded yet: the OPD is drafting its work plan."),
        (
            om.WorkPlan.Status.SUBMITTED,
            "Not funded yet: Bappeda is reviewing the OPD's work plan.",
        ),
        (
            om.WorkPlan.Status.RETURNED,
            "Not funded yet: the work plan was returned to the OPD for changes.",
        ),
        (om.WorkPlan.Status.REOPENED, "Not funded yet: the work plan was reopened for changes."),
    ],
)
def test_an_accepted_aspiration_shows_the_activity_and_the_plan_in_words(
    client: Client, plan_status: str, words: str
) -> None:
    world = PublicWorld.build(plan_status=plan_status)
    aspiration = world.at_stage("accepted")
    response = client.get(detail(aspiration.reference))
    page = text(response)
    assert "Rehabilitasi saluran drainase lingkungan" in page
    assert "Dinas Pekerjaan Umum" in page
    assert shown(words) in page
    assert stage_cells(response)["accepted"] == "1 Agustus 2017"
    # The plan is not approved: no budget and no realisation of a draft.
    assert 'data-testid="realisation"' not in response.content.decode()
    assert "Rp" not in page


def test_a_funded_aspiration_shows_funded_and_the_realisation_still_empty(
    world: PublicWorld, client: Client
) -> None:
    aspiration = world.at_stage("funded")
    response = client.get(detail(aspiration.reference))
    page = text(response)
    assert shown("Funded: Bappeda approved the OPD's work plan.") in page
    assert stage_cells(response)["funded"] == "29 September 2017"
    assert stage_cells(response)["realised"] == NOT_YET
    assert shown("%(n)s of 4 quarters", n=0) in page
    assert (
        shown("%(achieved)s of %(target)s %(unit)s", achieved="0", target="1.200", unit="meter")
        in page
    )
    assert shown("%(spent)s of %(budget)s", spent="Rp 0", budget="Rp 350.000.000") in page


def test_a_realised_aspiration_sums_the_quarters_reported(
    world: PublicWorld, client: Client
) -> None:
    aspiration = world.at_stage("realised")
    world.report(quarters=3)
    response = client.get(detail(aspiration.reference))
    page = text(response)
    assert stage_cells(response)["realised"] == "10 April 2018"
    assert shown("%(n)s of 4 quarters", n=3) in page
    assert (
        shown("%(achieved)s of %(target)s %(unit)s", achieved="300", target="1.200", unit="meter")
        in page
    )
    assert shown("%(spent)s of %(budget)s", spent="Rp 120.000.000", budget="Rp 350.000.000") in page


def test_a_rejected_aspiration_shows_the_reason_and_ends_there(
    world: PublicWorld, client: Client
) -> None:
    other = world.at_stage("rejected")
    duplicate = world.at_stage("rejected", rejection_code="duplicate")
    response = client.get(detail(other.reference))
    page = text(response)
    assert shown("Reason for rejection") in page
    assert "<strong>Lainnya</strong>: Saluran ini milik provinsi.</p>" in response.content.decode()
    assert stage_cells(response) == {
        "received": "1 Februari 2017",
        "verified": "8 Februari 2017",
        "recommended": "3 Maret 2017",
        "rejected": "20 Maret 2017",
    }
    assert 'data-testid="activity"' not in response.content.decode()
    page = text(client.get(detail(duplicate.reference)))
    assert "Duplikat usulan lain" in page


def test_a_stage_reached_before_the_history_was_kept_has_no_date(
    world: PublicWorld, client: Client
) -> None:
    aspiration = AspirationFactory(
        region=world.region, status="verified", reference="USL-2017-0001", year=2018
    )
    response = client.get(detail(aspiration.reference))
    assert stage_cells(response) == {
        "received": "1 Februari 2017",  # the forum's date
        "verified": shown("Date not recorded"),
        "recommended": NOT_YET,
        "accepted": NOT_YET,
        "funded": NOT_YET,
        "realised": NOT_YET,
    }


def test_a_carried_aspiration_says_so_and_keeps_its_stage_dates(
    world: PublicWorld, client: Client
) -> None:
    aspiration = world.at_stage("verified", year=2019, first_year=2018)
    om.AspirationEvent.objects.create(
        aspiration=aspiration,
        kind=om.AspirationEvent.Kind.CARRY_OVER,
        from_status="recommended",
        to_status="verified",
        year=2019,
        at=ON["realised"].replace(year=2019, month=1, day=1),
    )
    response = client.get(detail(aspiration.reference))
    page = text(response)
    assert shown("first proposed for %(year)s", year=2018) in page
    assert "2019" in response.content.decode().split('data-testid="carried"')[1][:300]
    assert stage_cells(response)["verified"] == "8 Februari 2017"


# --- privacy -------------------------------------------------------------------------------


def test_no_page_shows_the_proposers_name_or_contact(world: PublicWorld, client: Client) -> None:
    aspirations = [world.at_stage(status) for status in STAGES]
    world.report(quarters=2)
    pages = [client.get(detail(a.reference)) for a in aspirations]
    pages += [
        client.get(LOOKUP),
        client.get(LOOKUP, {"kelurahan": world.kelurahan.code}),
        client.get(LOOKUP, {"nomor": "MSR-2018-ZZZZ"}),
        client.get(detail("MSR-2018-ZZZZ")),
    ]
    for response in pages:
        assert response.status_code in (200, 404)
        body = response.content.decode()
        assert aspirations[0].title in body or response.status_code == 404
        for private in (PROPOSER, CONTACT, "Wahyuningsih", "7788"):
            assert private not in body, (response.wsgi_request.path, private)


def test_the_demo_proposers_appear_on_no_public_page(client: Client) -> None:
    call_command("load_magelang", "--demo", stdout=StringIO())
    aspirations = list(om.Aspiration.objects.all())
    assert aspirations, "the demo has aspirations"
    private = {a.proposer for a in aspirations} | {
        a.proposer_contact for a in aspirations if a.proposer_contact
    }
    # A title or description may name a group in public words; only what is in neither counts.
    public = " ".join(f"{a.title} {a.description}" for a in aspirations)
    private = {p for p in private if p not in public}
    assert private
    years = sorted({a.year for a in aspirations})
    pages = [client.get(detail(a.reference)) for a in aspirations]
    pages += [client.get(LOOKUP, {"tahun": year}) for year in years]
    for response in pages:
        assert response.status_code == 200, response.wsgi_request.get_full_path()
        body = response.content.decode()
        for name in private:
            assert name not in body, (response.wsgi_request.get_full_path(), name)
