"""The demo's beneficiary lists: on the claiming 2018 activities, overlapping between OPDs as in
design section 7, counted as the import counts, hashes only, and loaded once however often the
demo is."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count

from opd import models as om
from opd.beneficiaries import demo as demo_lists
from opd.engine.compute import recompute
from targets import seed_magelang as facts
from targets.models import Indicator, Kelurahan
from tests.beneficiaries.test_privacy import columns_holding

pytestmark = pytest.mark.django_db

DINSOS, DISNAKER, DINKES = "1.06", "2.07", "1.02"
COUNTED = (om.WorkPlan.Status.SUBMITTED, om.WorkPlan.Status.APPROVED)


def load() -> str:
    out = StringIO()
    call_command("load_magelang", "--demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo() -> None:
    load()


def persons_of(opd_code: str) -> set[bytes]:
    return {
        bytes(person)
        for person in om.Beneficiary.objects.filter(
            beneficiary_list__activity__program__work_plan__opd__code=opd_code,
            beneficiary_list__activity__program__work_plan__year=2018,
        ).values_list("person", flat=True)
    }


def test_the_claiming_activities_have_demo_lists_counted_as_an_import_counts(demo):
    lists = om.BeneficiaryList.objects.select_related("activity__program__work_plan")
    by_code = {bl.activity.code: bl for bl in lists}
    assert set(by_code) == {code for code, _opd, _numbers in demo_lists.DEMO_LISTS}
    sizes = {code: sum(map(len, numbers)) for code, _opd, numbers in demo_lists.DEMO_LISTS}
    assert sizes == {
        "1.06.01.001": 1000,
        "1.06.01.002": 500,
        "2.07.01.001": 600,
        "1.02.01.001": 250,
    }
    region = om.Opd.objects.get(code=DINSOS).region
    for code, beneficiary_list in by_code.items():
        rows = om.Beneficiary.objects.filter(beneficiary_list=beneficiary_list)
        assert beneficiary_list.is_demo, code
        assert beneficiary_list.persons == rows.count() == sizes[code]
        families = rows.exclude(family=None).values("family").distinct().count()
        assert beneficiary_list.families == families
        assert 0 < families < beneficiary_list.persons  # families of three, some without KK
        desils = Counter(rows.values_list("desil", flat=True))
        assert beneficiary_list.desil_counts == [desils[d] for d in range(1, 11)], code
        assert desils[None] > 0 and len([d for d in desils if d is not None]) >= 5, code
        assert beneficiary_list.persons_without_desil == desils[None]
        places = set(rows.values_list("kelurahan", flat=True))
        assert len(places) > 5
        assert Kelurahan.objects.filter(pk__in=places, kecamatan__region=region).count() == len(
            places
        )
        claim = om.ExpectedContribution.objects.get(activity=beneficiary_list.activity)
        assert claim.evidence == om.ContributionEvidence.LIST, code
        assert 0 < claim.amount <= beneficiary_list.persons, code
    counted = {
        code for code, bl in by_code.items() if bl.activity.program.work_plan.status in COUNTED
    }
    assert counted == {"1.06.01.001", "1.06.01.002", "2.07.01.001"}  # in the 2018 dashboard


def test_the_lists_overlap_between_opds_as_in_the_worked_example(demo):
    dinsos, disnaker, dinkes = persons_of(DINSOS), persons_of(DISNAKER), persons_of(DINKES)
    assert len(dinsos & disnaker) == 150
    assert len(dinsos & dinkes) == 20
    assert len(disnaker & dinkes) == 10
    assert len(dinsos & disnaker & dinkes) == 10
    # Dinas Sosial's two lists share 100 persons: an OPD's own activities overlap too.
    shared = (
        om.Beneficiary.objects.filter(
            beneficiary_list__activity__program__work_plan__opd__code=DINSOS
        )
        .values("person")
        .annotate(lists=Count("beneficiary_list"))
        .filter(lists=2)
    )
    assert shared.count() == 100
    assert len(dinsos | disnaker | dinkes) == 2080


@pytest.mark.postgres  # the search reads PostgreSQL's catalogue
def test_no_nik_or_kk_is_stored(demo):
    marker = demo_lists.NIK_PREFIX[:6]
    assert marker == demo_lists.KK_PREFIX[:6] == "337199"
    for table in (om.Beneficiary._meta.db_table, om.BeneficiaryList._meta.db_table):
        with connection.cursor() as cursor:
            # Every row as text (bytea as hex) and every hash as raw bytes.
            cursor.execute(f"SELECT t::text FROM {table} t")  # noqa: S608
            text = "\n".join(row[0] for row in cursor.fetchall())
        assert text and marker not in text, table
        assert marker.encode().hex() not in text, table  # the digits' ASCII inside a bytea
    for person, family in om.Beneficiary.objects.values_list("person", "family"):
        assert len(bytes(person)) == 32 and marker.encode() not in bytes(person)
        assert family is None or marker.encode() not in bytes(family)
    for number in (demo_lists.nik(0), demo_lists.nik(2079), demo_lists.kk(0)):
        assert number and columns_holding(number) == []


def test_loading_the_demo_again_changes_nothing(demo):
    before = (
        list(om.BeneficiaryList.objects.order_by("pk").values_list("pk", "persons", "families")),
        om.Beneficiary.objects.count(),
        sorted(bytes(p) for p in om.Beneficiary.objects.values_list("person", flat=True)),
    )
    assert "nothing changed" in load()
    after = (
        list(om.BeneficiaryList.objects.order_by("pk").values_list("pk", "persons", "families")),
        om.Beneficiary.objects.count(),
        sorted(bytes(p) for p in om.Beneficiary.objects.values_list("person", flat=True)),
    )
    assert after == before
    assert before[1] == 2350


def test_a_demo_list_changed_since_is_a_conflict_not_overwritten(demo):
    om.BeneficiaryList.objects.filter(activity__code="2.07.01.001").update(persons=599)
    rows = om.Beneficiary.objects.count()
    with pytest.raises(CommandError, match="beneficiary list"):
        load()
    assert om.BeneficiaryList.objects.get(activity__code="2.07.01.001").persons == 599
    assert om.Beneficiary.objects.count() == rows


def test_the_demo_year_recomputed_is_deduplicated_below_gross(demo):
    indicator = Indicator.objects.get(code=facts.POVERTY["code"])
    snapshot = recompute(indicator_id=indicator.pk, year=2018)
    # Counted (Dinsos approved, Disnaker submitted): 600 + 300 + 400 = 1,300 claimed. By pattern:
    # 1.06.01.001 only 750 × 0.6, both Dinsos lists 100 × 0.84, Dinsos and Disnaker
    # 150 × (1 − 0.4 × 1/3), 1.06.01.002 only 400 × 0.6, Disnaker only 450 × 2/3: 1,204.
    assert snapshot.planned_total == 1300
    assert snapshot.planned_deduplicated == 1204
    assert snapshot.planned_deduplicated < snapshot.planned_total
    assert snapshot.status_basis == "deduplicated"
    assert snapshot.distinct_persons == 1850
    opds = dict(om.Opd.objects.filter(code__in=[DINSOS, DISNAKER]).values_list("code", "pk"))
    pair = sorted([opds[DINSOS], opds[DISNAKER]])
    assert snapshot.overlap_matrix == [{"opd_a": pair[0], "opd_b": pair[1], "persons": 150}]
    assert snapshot.capped_activities == []
