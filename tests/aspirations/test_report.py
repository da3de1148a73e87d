"""Bappeda's summary of a year's aspirations (``/usulan/ringkasan/``): every count of the
tables per forum, kelurahan and OPD, the rejections by reason, the carried over, the median
days of each step, access, the year parameter and the pinned query counts.

The world (:func:`build`), figured by hand. Plan year 2018, forum dates 1 March 2017 unless
said, each step dated by its event (10:00 WIB):

====  =====================  ============  ============================  ======================
      forum                  kelurahan     way                           days per step
====  =====================  ============  ============================  ======================
A1    Musrenbang kelurahan   Kramat Utara  received                      –
A2    Musrenbang kelurahan   Kramat Utara  verified 3/3                  rv 2
A3    Musrenbang kecamatan   Kramat Utara  v 5/3, r 15/3 Dinsos, a 1/4,  rv 4, vr 10, ra 17,
                                           f 1/5, realised 1/7           af 30, fr 61
A4    Musrenbang kecamatan   Tidar Utara   v 7/3, r 10/3 Dinsos, a 21/3, rv 6, vr 3, ra 11, af 41
                                           f 1/5
A5    Public consultation    Tidar Utara   v 11/3, r 12/3 Dinsos,        rv 10, vr 1, ra 2
                                           rejected 14/3 over budget
A6    Musrenbang kota        (none)        rejected 2/3 duplicate        –
A7    Musrenbang kelurahan   Kramat Utara  2017 intake (forum 1/1/2017),  rv 5, vr 7, ra 8
                                           v 6/1, carried into 2018,
                                           r 13/1 DLH, rejected 21/1
                                           not the OPD's authority
A8    Musrenbang kelurahan   Kramat Utara  v 2/3, r 6/3 Dinsos, a 30/3   rv 1, vr 4, ra 24
A9    Musrenbang kelurahan   Kramat Utara  2017 only: rejected (other)   (plan year 2017)
====  =====================  ============  ============================  ======================

Medians for 2018: rv [1, 2, 4, 5, 6, 10] → 4.5 over 6; vr [1, 3, 4, 7, 10] → 4 over 5;
ra [2, 8, 11, 17, 24] → 11 over 5; af [30, 41] → 35.5 over 2; fr [61] → 61 over 1.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from opd import models as om
from opd.aspirations import report, services
from targets import models as tm
from tests.aspirations.world import AspirationWorld
from tests.factories import KelurahanFactory
from tests.workplans.plan_world import complete_activity

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
URL = "/usulan/ringkasan/"
Status = om.AspirationStatus
Forum = om.AspirationForum


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 10, tzinfo=WIB)


@dataclass
class ReportWorld:
    world: AspirationWorld
    a: dict[str, om.Aspiration]
    dinsos: om.Opd
    dlh: om.Opd
    tidar: Any

    def who(self, name: str) -> Any:
        return self.world.who(name)


@contextmanager
def clock(when: datetime) -> Iterator[None]:
    """Events written inside are dated ``when``: the history cannot be changed afterwards (a
    database rule), so the time an event takes by default is set while the services write."""
    field = om.AspirationEvent._meta.get_field("at")
    with mock.patch.dict(field.__dict__, {"_get_default": lambda: when}):
        yield


def build(settings: Any) -> ReportWorld:
    """The world of the module docstring; the portal's region is the world's."""
    world = AspirationWorld.build()
    plan = world.plan
    reviewer, head = plan.reviewer, plan.head
    region = plan.work_plan.opd.region
    settings.DEFAULT_REGION_CODE = region.code
    dinsos = plan.work_plan.opd
    dlh = plan.outsider.opd_memberships.get().opd
    om.Opd.objects.filter(pk=dlh.pk).update(code="2.11", name="Dinas Lingkungan Hidup")
    dlh.refresh_from_db()
    selatan = tm.Kecamatan.objects.get(name="Magelang Selatan")
    tidar = KelurahanFactory(kecamatan=selatan, name="Tidar Utara")
    second = complete_activity(
        plan.program, kelurahan=plan.kelurahan, code="1.06.01.002", name="Pelatihan kerja"
    )

    def record(name: str, forum: str, when: date, **values: Any) -> om.Aspiration:
        with clock(at(when.year, when.month, when.day)):
            return world.record(forum=forum, received_on=when, title=f"Usulan {name}", **values)

    def verify(x: om.Aspiration, when: datetime) -> om.Aspiration:
        with clock(when):
            return services.aspiration_verify(
                aspiration_id=x.pk, by=reviewer, seen_version=x.version
            )

    def recommend(x: om.Aspiration, opd: om.Opd, when: datetime) -> om.Aspiration:
        with clock(when):
            return services.aspiration_recommend(
                aspiration_id=x.pk, by=reviewer, seen_version=x.version, opd=opd
            )

    def accept(x: om.Aspiration, activity: om.Activity, when: datetime) -> om.Aspiration:
        with clock(when):
            return services.aspiration_accept(
                aspiration_id=x.pk, by=head, seen_version=x.version, activity=activity
            )

    def reject(x: om.Aspiration, by: Any, code: str, when: datetime, text: str = "") -> Any:
        with clock(when):
            return services.aspiration_reject(
                aspiration_id=x.pk, by=by, seen_version=x.version, code=code, text=text
            )

    march = date(2017, 3, 1)
    mk, mkec = Forum.MUSRENBANG_KELURAHAN, Forum.MUSRENBANG_KECAMATAN
    a: dict[str, om.Aspiration] = {}
    # 2017: A9 rejected (stays in 2017), A7 verified, then carried into 2018.
    a["A9"] = record("A9", mk, date(2016, 12, 1), year=2017)
    reject(a["A9"], reviewer, "other", at(2016, 12, 5), "Sudah ada program provinsi")
    a["A7"] = record("A7", mk, date(2017, 1, 1), year=2017)
    a["A7"] = verify(a["A7"], at(2017, 1, 6))
    with clock(at(2018, 1, 1)):
        assert services.carry_over(to_year=2018) == 1
    a["A7"].refresh_from_db()
    a["A7"] = recommend(a["A7"], dlh, at(2017, 1, 13))
    a["A7"] = reject(a["A7"], reviewer, "not_authority", at(2017, 1, 21))

    a["A1"] = record("A1", mk, march)
    a["A2"] = verify(record("A2", mk, march), at(2017, 3, 3))
    a["A3"] = record("A3", mkec, march)
    a["A3"] = verify(a["A3"], at(2017, 3, 5))
    a["A3"] = recommend(a["A3"], dinsos, at(2017, 3, 15))
    a["A3"] = accept(a["A3"], plan.activity, at(2017, 4, 1))
    a["A4"] = record("A4", mkec, march, kelurahan=tidar)
    a["A4"] = verify(a["A4"], at(2017, 3, 7))
    a["A4"] = recommend(a["A4"], dinsos, at(2017, 3, 10))
    a["A4"] = accept(a["A4"], second, at(2017, 3, 21))
    a["A5"] = record("A5", Forum.PUBLIC_CONSULTATION, march, kelurahan=tidar)
    a["A5"] = verify(a["A5"], at(2017, 3, 11))
    a["A5"] = recommend(a["A5"], dinsos, at(2017, 3, 12))
    a["A5"] = reject(a["A5"], head, "over_budget", at(2017, 3, 14))
    a["A6"] = record("A6", Forum.MUSRENBANG_KOTA, march, kelurahan=None, region=region)
    a["A6"] = reject(a["A6"], reviewer, "duplicate", at(2017, 3, 2))
    # Funded (A3, A4: the plan's accepted ones), then realised (A3: the first activity's).
    with clock(at(2017, 5, 1)):
        assert services.mark_funded(plan.work_plan) == 2
    with clock(at(2017, 7, 1)):
        assert services.mark_realised(plan.activity) == 1
    a["A8"] = record("A8", mk, march)
    a["A8"] = verify(a["A8"], at(2017, 3, 2))
    a["A8"] = recommend(a["A8"], dinsos, at(2017, 3, 6))
    a["A8"] = accept(a["A8"], plan.activity, at(2017, 3, 30))
    for x in a.values():
        x.refresh_from_db()
    return ReportWorld(world=world, a=a, dinsos=dinsos, dlh=dlh, tidar=tidar)


@pytest.fixture
def rw(settings: Any) -> ReportWorld:
    return build(settings)


def signed_in(client: Client, user: Any) -> Client:
    """``client`` signed in as ``user``, reading the pages in English."""
    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def table(body: str, key: str) -> dict[str, list[str]]:
    """The rows of the table ``key`` (row heading → the other cells' text), "Total" last."""
    found = re.search(rf'<table[^>]*data-testid="table-{key}".*?</table>', body, re.S)
    assert found, key
    rows = {}
    for line in re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(0), re.S):
        heading = re.search(r'<th scope="row">(.*?)</th>', line, re.S)
        if heading:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", line, re.S)
            rows[text(heading.group(1))] = [text(c) for c in cells]
    return rows


def counts(*values: int) -> list[str]:
    """Received, verified, recommended, accepted, funded, realised, rejected, then by reason
    (not the OPD's authority, duplicate, already funded, over budget, not feasible, other),
    then carried over."""
    assert len(values) == 14
    return [str(v) for v in values]


ZERO = counts(*[0] * 14)


# --- the figures ------------------------------------------------------------------------------


def test_the_table_per_forum(rw: ReportWorld, client: Client) -> None:
    body = signed_in(client, rw.who("reviewer")).get(URL).content.decode()
    rows = table(body, "forum")
    assert list(rows) == [
        "Musrenbang kelurahan",
        "Musrenbang kecamatan",
        "Musrenbang kota",
        "Public consultation",
        "Focus group discussion (FGD)",
        "Total",
    ]
    #                                          rec ver rcm acc fun rea rej  na dup af ob nf ot car
    assert rows["Musrenbang kelurahan"] == counts(4, 3, 2, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1)
    assert rows["Musrenbang kecamatan"] == counts(2, 2, 2, 2, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0)
    assert rows["Musrenbang kota"] == counts(1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0)
    assert rows["Public consultation"] == counts(1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0)
    assert rows["Focus group discussion (FGD)"] == ZERO
    assert rows["Total"] == counts(8, 6, 5, 3, 2, 1, 3, 1, 1, 0, 1, 0, 0, 1)


def test_the_table_per_kelurahan_with_its_kecamatan(rw: ReportWorld, client: Client) -> None:
    body = signed_in(client, rw.who("reviewer")).get(URL).content.decode()
    rows = table(body, "kelurahan")
    # By kecamatan (Selatan before Utara), then the aspirations without a kelurahan.
    assert list(rows) == ["Tidar Utara", "Kramat Utara", "No kelurahan (city-wide forum)", "Total"]
    assert rows["Tidar Utara"] == [
        "Magelang Selatan",
        *counts(2, 2, 2, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0),
    ]
    assert rows["Kramat Utara"] == [
        "Magelang Utara",
        *counts(5, 4, 3, 2, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1),
    ]
    assert rows["No kelurahan (city-wide forum)"] == [
        "",
        *counts(1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0),
    ]
    assert rows["Total"] == ["", *counts(8, 6, 5, 3, 2, 1, 3, 1, 1, 0, 1, 0, 0, 1)]


def test_a_kelurahan_without_aspirations_is_listed_with_zeros(
    rw: ReportWorld, client: Client
) -> None:
    KelurahanFactory(kecamatan=rw.tidar.kecamatan, name="Rejowinangun Selatan")
    rows = table(signed_in(client, rw.who("reviewer")).get(URL).content.decode(), "kelurahan")
    assert rows["Rejowinangun Selatan"] == ["Magelang Selatan", *ZERO]
    assert list(rows)[:2] == ["Rejowinangun Selatan", "Tidar Utara"]


def test_the_table_per_recommended_opd(rw: ReportWorld, client: Client) -> None:
    body = signed_in(client, rw.who("reviewer")).get(URL).content.decode()
    rows = table(body, "opd")
    assert list(rows) == [
        "Dinas Sosial",
        "Dinas Lingkungan Hidup",
        "Not recommended to an OPD",
        "Total",
    ]
    assert rows["Dinas Sosial"] == ["1.06", *counts(4, 4, 4, 3, 2, 1, 1, 0, 0, 0, 1, 0, 0, 0)]
    assert rows["Dinas Lingkungan Hidup"] == [
        "2.11",
        *counts(1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1),
    ]
    assert rows["Not recommended to an OPD"] == [
        "",
        *counts(3, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0),
    ]
    assert rows["Total"] == ["", *counts(8, 6, 5, 3, 2, 1, 3, 1, 1, 0, 1, 0, 0, 1)]


def test_the_reason_columns_follow_the_rejection_codes(rw: ReportWorld, client: Client) -> None:
    body = signed_in(client, rw.who("reviewer")).get(URL).content.decode()
    head = re.search(r'data-testid="table-forum".*?</thead>', body, re.S)
    assert head
    headings = [text(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", head.group(0), re.S)]
    assert headings == [
        "Forum",
        "Received",
        "Verified",
        "Recommended",
        "Accepted",
        "Funded",
        "Realised",
        "Rejected",
        "Carried over",
        "Total",
        *(str(label) for label in om.RejectionCode.labels),
    ]
    assert 'scope="colgroup"' in head.group(0) and "<caption>" in body


def test_the_median_days_of_each_step(rw: ReportWorld, client: Client) -> None:
    body = signed_in(client, rw.who("reviewer")).get(URL).content.decode()
    assert table(body, "times") == {
        "Received → verified": ["4.5", "6"],
        "Verified → recommended": ["4", "5"],
        "Recommended → accepted or rejected": ["11", "5"],
        "Accepted → funded": ["35.5", "2"],
        "Funded → realised": ["61", "1"],
    }


def test_a_step_nobody_made_is_a_dash(rw: ReportWorld, client: Client) -> None:
    """2017 holds A9 alone, rejected when received: no step was made."""
    response = signed_in(client, rw.who("reviewer")).get(URL, {"tahun": 2017})
    rows = table(response.content.decode(), "times")
    assert set(map(tuple, rows.values())) == {("–", "0")}
    forum = table(response.content.decode(), "forum")
    assert forum["Musrenbang kelurahan"] == counts(1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0)
    assert forum["Total"] == forum["Musrenbang kelurahan"]


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([], None),
        ([7], Decimal(7)),
        ([3, 1, 2], Decimal(2)),
        ([1, 2], Decimal("1.5")),
        ([4, 1, 5, 2], Decimal(3)),
        ([10, 1, 4, 5, 6, 2], Decimal("4.5")),
    ],
)
def test_median(days: list[int], expected: Decimal | None) -> None:
    assert report.median(days) == expected


def test_a_rejected_aspiration_without_its_event_counts_as_received_only(
    rw: ReportWorld, client: Client
) -> None:
    """The stages of a rejected one come from its rejection's event; without it (rows older
    than the history), received only."""
    om.AspirationEvent.objects.filter(aspiration=rw.a["A5"], to_status=Status.REJECTED).delete()
    rows = table(signed_in(client, rw.who("reviewer")).get(URL).content.decode(), "forum")
    assert rows["Public consultation"] == counts(1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0)


# --- the page ---------------------------------------------------------------------------------


def test_the_page_links_to_the_export_and_the_list(rw: ReportWorld, client: Client) -> None:
    response = signed_in(client, rw.who("reviewer")).get(URL)
    body = response.content.decode()
    assert reverse("aspirations:report") == URL
    # Both keep the region shown (the picker's ?wilayah=).
    region = rw.world.plan.work_plan.opd.region.code
    assert f'href="{reverse("aspirations:report_xlsx")}?tahun=2018&amp;wilayah={region}"' in body
    assert f'href="{reverse("aspirations:staff_list")}?wilayah={region}"' in body
    # The year picker offers the years with aspirations, latest first and chosen.
    assert re.findall(r'<option value="(\d+)"( selected)?', body) == [
        ("2018", " selected"),
        ("2017", ""),
    ]
    # The proposer's name and contact are never on the page.
    assert "Sri Lestari" not in body and "0812" not in body


def test_the_year_defaults_to_the_latest_with_aspirations(rw: ReportWorld, client: Client) -> None:
    services.carry_over(to_year=2019)  # A1, A2, A8 and nothing else move on
    browser = signed_in(client, rw.who("reviewer"))
    rows = table(browser.get(URL).content.decode(), "forum")
    assert rows["Total"] == counts(3, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3)
    rows = table(browser.get(URL, {"tahun": 2018}).content.decode(), "forum")
    assert rows["Total"][0] == "5"


@pytest.mark.parametrize("value", ["abc", "-1", "2018.5", "%00", "2016", "99999999999"])
def test_a_bad_year_is_a_400_naming_it(rw: ReportWorld, client: Client, value: str) -> None:
    browser = signed_in(client, rw.who("reviewer"))
    for url in (URL, reverse("aspirations:report_xlsx")):
        response = browser.get(f"{url}?tahun={value}")
        assert response.status_code == 400, (url, value)
        if value != "%00":
            assert "“tahun”" in text(response.content.decode())


@pytest.mark.parametrize("name", ["aspirations:report", "aspirations:report_xlsx"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("head", 403),
        ("staff", 403),
        ("outsider", 403),
        ("kelurahan_staff", 403),
        ("kecamatan_staff", 403),
        ("other_area_staff", 403),
        ("reviewer", 200),
    ],
)
def test_only_bappeda_sees_the_report(
    rw: ReportWorld, client: Client, name: str, who: str, status: int
) -> None:
    if who != "anonymous":
        client.force_login(rw.who(who))
    response = client.get(reverse(name))
    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_a_post_is_refused(rw: ReportWorld, client: Client) -> None:
    browser = signed_in(client, rw.who("reviewer"))
    for name in ("aspirations:report", "aspirations:report_xlsx"):
        assert browser.post(reverse(name)).status_code == 405


def test_the_page_writes_nothing(rw: ReportWorld, client: Client) -> None:
    before = (
        list(om.Aspiration.objects.order_by("pk").values_list("pk", "status", "version")),
        om.AspirationEvent.objects.count(),
    )
    browser = signed_in(client, rw.who("reviewer"))
    assert browser.get(URL).status_code == 200
    assert browser.get(reverse("aspirations:report_xlsx")).status_code == 200
    after = (
        list(om.Aspiration.objects.order_by("pk").values_list("pk", "status", "version")),
        om.AspirationEvent.objects.count(),
    )
    assert after == before
