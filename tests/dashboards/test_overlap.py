"""Bappeda's dashboard shows the deduplicated figures of design section 7 beside the gross ones.

The snapshot is stored through the ORM with the figures of the section's worked example
(gross 1,350, deduplicated 1,300.0000; Dinas Sosial 1,077.0833, Dinas Tenaga Kerja 179.5833,
Dinas Kesehatan 43.3333, which add up to 1,299.9999; backed by lists 0.4074; 880 distinct
persons; the matrix 150 / 20 / 10; off track by the deduplicated coverage 0.784 where the
gross one, 0.814, would be at risk), as the engine stores them. ``overlap_world`` is shared
by the other overlap tests and the browser check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any, cast

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opd import models as om
from opd.dashboards.overlap import SHADE_STEPS, shade_step
from tests.dashboards import scenario
from tests.factories import OpdFactory

D = Decimal
pytestmark = pytest.mark.django_db


@dataclass
class OverlapWorld:
    world: scenario.Scenario
    dinkes: om.Opd
    snapshot: om.ContributionSnapshot


def overlap_world(
    *,
    matrix: dict[str, int] | None = None,
    dinsos_part: str = "1077.0833",
    capped: bool = False,
    submitted: bool = True,
) -> OverlapWorld:
    """The worked example of section 7 stored as a snapshot, made current. ``matrix`` gives
    the persons of the pairs "sos-naker", "sos-kes", "naker-kes" (the example's by default);
    ``submitted=False`` has every plan approved, as the public page needs to show it."""
    world = scenario.build(hidden_plans=False, computed=True)
    dinkes = cast(
        om.Opd,
        OpdFactory(region=world.region, code="1.02", name="Dinas Kesehatan", short_name="Dinkes"),
    )
    old = om.ContributionSnapshot.objects.get(indicator=world.indicator, year=2018)
    pairs = matrix or {"sos-naker": 150, "sos-kes": 20, "naker-kes": 10}
    ids = {"sos": world.dinsos.pk, "naker": world.disnaker.pk, "kes": dinkes.pk}
    cells = []
    for name, persons in pairs.items():
        a, b = sorted(ids[part] for part in name.split("-"))
        cells.append({"opd_a": a, "opd_b": b, "persons": persons})
    copied = {
        f: getattr(old, f)
        for f in (
            "target_value",
            "target_kind",
            "reference_value",
            "reference_year",
            "required_change",
            "population",
            "population_year",
            "required",
            "projected_planned",
            "projected_achieved",
        )
    }
    snapshot = om.ContributionSnapshot.objects.create(
        indicator=world.indicator,
        year=2018,
        sequence=old.sequence + 1,
        computed_at=timezone.now(),
        fingerprint="section-7-worked-example",
        **copied,
        planned_total=D("1350.00"),
        planned_submitted_total=D(1350) if submitted else D(0),
        planned_approved_total=D(0) if submitted else D(1350),
        achieved_total=D(250),
        coverage=D("0.814234"),
        status=om.SnapshotStatus.OFF_TRACK,
        status_basis="deduplicated",
        planned_deduplicated=D("1300.0000"),
        planned_approved_deduplicated=D(0) if submitted else D("1300.0000"),
        achieved_deduplicated=D("250.0000"),
        overlap=D("50.0000"),
        coverage_deduplicated=D("0.784077"),
        backed_share=D("0.4074"),
        distinct_persons=880,
        low_desil_share=D("0.6250"),
        overlap_matrix=cells,
        capped_activities=[world.activities[0].pk] if capped else [],
    )
    status = om.WorkPlan.Status.SUBMITTED if submitted else om.WorkPlan.Status.APPROVED
    for opd, planned, part, achieved in (
        (world.dinsos, 1100, dinsos_part, 250),
        (world.disnaker, 200, "179.5833", 0),
        (dinkes, 50, "43.3333", 0),
    ):
        om.ContributionRow.objects.create(
            snapshot=snapshot,
            opd=opd,
            work_plan_status=status,
            planned=D(planned),
            planned_submitted=D(planned) if submitted else D(0),
            planned_approved=D(0) if submitted else D(planned),
            achieved=D(achieved),
            planned_deduplicated=D(part),
            achieved_deduplicated=D(achieved),
            share=D(planned) / D(1658),
        )
    if not submitted:
        om.WorkPlan.objects.filter(opd__region=world.region).update(status=status)
    om.ContributionState.objects.filter(indicator=world.indicator, year=2018).update(
        snapshot=snapshot, dirty=False
    )
    return OverlapWorld(world=world, dinkes=dinkes, snapshot=snapshot)


def english(user: Any = None) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def cell(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', html, re.S)
    assert match, testid
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def text_of(html: str) -> str:
    return " ".join(" ".join(re.findall(r">([^<]+)<", html)).split())


class TableReader(HTMLParser):
    """The table with ``data-testid=<testid>``: caption, header cells (scope, text) and body
    cells (tag, class, text, aria-hidden parts left out of the visible text)."""

    def __init__(self, testid: str) -> None:
        super().__init__()
        self.testid, self.depth, self.inside = testid, 0, False
        self.caption = ""
        self.rows: list[list[dict[str, str]]] = []
        self._cell: dict[str, str] | None = None
        self._in_caption = self._hidden = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "table" and a.get("data-testid") == self.testid:
            self.inside = True
        if not self.inside:
            return
        if tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = {"tag": tag, "scope": a.get("scope", ""), "class": a.get("class", "")}
            self._cell.update(text="", hidden="", label="")
        elif tag == "span" and self._cell is not None:
            self._hidden = a.get("aria-hidden") == "true"
            if "visually-hidden" in a.get("class", ""):
                self._hidden = False
                self._cell["label_next"] = "1"

    def handle_endtag(self, tag: str) -> None:
        if not self.inside:
            return
        if tag == "table":
            self.inside = False
        elif tag == "caption":
            self._in_caption = False
        elif tag in ("th", "td") and self._cell is not None:
            self._cell = {k: v.strip() for k, v in self._cell.items()}
            self.rows[-1].append(self._cell)
            self._cell = None
        elif tag == "span":
            self._hidden = False

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self.caption += data
        elif self._cell is not None:
            if self._cell.pop("label_next", None):
                self._cell["label"] += data
            elif self._hidden:
                self._cell["hidden"] += data
            else:
                self._cell["text"] += data


def read_table(html: str, testid: str) -> TableReader:
    reader = TableReader(testid)
    reader.feed(html)
    assert reader.rows, f"no table {testid}"
    return reader


def dashboard(ow: OverlapWorld, query: str = "") -> str:
    response = english(ow.world.reviewer).get(reverse("dashboards:dashboard") + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_shows_gross_and_deduplicated_side_by_side():
    ow = overlap_world()
    html = dashboard(ow)
    assert cell(html, "planned-gross") == "1,350"
    assert cell(html, "planned-deduplicated") == "1,300"
    assert cell(html, "coverage-gross") == "81.4%"
    assert cell(html, "coverage-deduplicated") == "78.4%"
    assert cell(html, "overlap-persons") == "50"
    assert cell(html, "backed-share") == "40.7%"
    assert cell(html, "distinct-persons") == "880"
    assert cell(html, "low-desil-share") == "62.5%"
    assert cell(html, "year-status") == "Off track"
    # The status card shows the coverage that decided it, the gross one beside it.
    assert cell(html, "coverage") == "78.4%"
    assert 'data-testid="coverage" data-basis="deduplicated"' in html
    assert cell(html, "planned-card-deduplicated") == "1,300"
    basis = cell(html, "status-basis")
    assert "deduplicated coverage (78.4%)" in basis and "sum of the claims (81.4%)" in basis
    assert 'data-testid="capped"' not in html  # no activity claims beyond its list


def test_the_opd_table_has_both_figures_per_opd_and_the_stored_totals():
    html = dashboard(ow := overlap_world())
    table = read_table(html, "opd-table")
    headers = [c["text"] for c in table.rows[0]]
    assert headers[2:6] == [
        "Planned",
        "Planned, deduplicated",
        "Achieved",
        "Achieved, deduplicated",
    ]
    assert all(c["scope"] == "col" for c in table.rows[0])
    body = {r[0]["text"]: [c["text"] for c in r[2:6]] for r in table.rows[1:-1]}
    assert body == {
        "Dinas Sosial": ["1,100", "1,077.0833", "250", "250"],
        "Dinas Tenaga Kerja": ["200", "179.5833", "0", "0"],
        "Dinas Kesehatan": ["50", "43.3333", "0", "0"],
    }
    # The total is the stored 1,300.0000, never the sum of the parts (1,299.9999).
    assert cell(html, "total-planned-deduplicated") == "1,300"
    assert "1,299.9999" not in html
    note = cell(html, "rounding-note")
    assert "rounded to 4 decimal places" in note and "1,300 planned" in note
    # Sorting by the deduplicated figure, ascending.
    html = dashboard(ow, "?urut=planned_deduplicated&arah=naik")
    order = re.findall(r'<tr data-opd="([^"]+)">', html.split('data-testid="opd-table"')[1])
    assert order[:3] == ["1.02", "2.07", "1.06"]


def test_the_rounding_note_appears_exactly_when_the_parts_miss_the_total():
    html = dashboard(overlap_world(dinsos_part="1077.0834"))  # 1,077.0834 + … = 1,300.0000
    assert 'data-testid="rounding-note"' not in html
    assert 'data-testid="total-planned-deduplicated"' in html


def test_the_matrix_is_a_table_with_headers_a_labelled_diagonal_and_shaded_cells():
    html = dashboard(overlap_world())
    matrix = read_table(html, "overlap-matrix")
    assert "Persons on the beneficiary lists of both" in matrix.caption
    head = matrix.rows[0]
    assert [c["scope"] for c in head] == ["col"] * 4
    # Only the OPDs of the matrix, in code order: Dinkes 1.02, Dinsos 1.06, Disnaker 2.07.
    assert [c["text"] for c in head[1:]] == ["Dinkes", "Dinsos", "Dinas Tenaga Kerja"]
    grid = {}
    for row in matrix.rows[1:]:
        assert row[0]["tag"] == "th" and row[0]["scope"] == "row"
        grid[row[0]["text"]] = row[1:]
    assert list(grid) == ["Dinkes", "Dinsos", "Dinas Tenaga Kerja"]
    for i, name in enumerate(grid):
        diagonal = grid[name][i]
        assert diagonal["hidden"] == "—" and diagonal["label"] == "the same OPD"
        assert diagonal["text"] == "" and "diagonal" in diagonal["class"]
    persons = {(a, b): grid[a][j]["text"] for a in grid for j, b in enumerate(grid) if a != b}
    assert persons[("Dinsos", "Dinas Tenaga Kerja")] == persons[("Dinas Tenaga Kerja", "Dinsos")]
    assert persons[("Dinsos", "Dinas Tenaga Kerja")] == "150"
    assert (
        persons[("Dinsos", "Dinkes")] == "20" and persons[("Dinkes", "Dinas Tenaga Kerja")] == "10"
    )
    # 150 is the largest: step 4; 20 and 10 are under a quarter of it: step 1.
    assert "shade-4" in grid["Dinsos"][2]["class"].split()
    assert "shade-1" in grid["Dinsos"][0]["class"].split()
    assert "shade-1" in grid["Dinkes"][2]["class"].split()


def test_the_shade_steps_at_their_boundaries():
    assert SHADE_STEPS == 4
    steps = {n: shade_step(n, 100) for n in (0, 1, 25, 26, 50, 51, 75, 76, 100)}
    assert steps == {0: 0, 1: 1, 25: 1, 26: 2, 50: 2, 51: 3, 75: 3, 76: 4, 100: 4}
    assert shade_step(5, 0) == 0 and shade_step(3, 3) == 4


def test_the_rendered_shade_changes_step_one_person_past_the_boundary():
    html = dashboard(overlap_world(matrix={"sos-naker": 100, "sos-kes": 25, "naker-kes": 26}))
    classes = {
        m.group(2): m.group(1).split()
        for m in re.finditer(r'<td class="([^"]+)" data-persons="(\d+)"', html)
    }
    assert "shade-4" in classes["100"]
    assert "shade-1" in classes["25"] and "shade-2" in classes["26"]


def test_capped_activities_are_named_by_their_code():
    ow = overlap_world(capped=True)
    notice = cell(dashboard(ow), "capped")
    assert ow.world.activities[0].code in notice
    assert "claims more persons than its beneficiary list holds" in notice


def test_the_explain_panel_states_the_rule_with_its_inputs():
    html = dashboard(overlap_world())
    assert "w = claim ÷ list size" in cell(html, "explain-w")
    assert cell(html, "explain-distinct") == "880" and cell(html, "explain-backed") == "40.7%"
    once = cell(html, "explain-once")
    assert "leaves poverty at most once" in once
    assert cell(html, "explain-deduplicated") == "1,300"
    assert "Shapley value" in cell(html, "explain-shapley")
    assert cell(html, "explain-coverage-deduplicated") == "78.4%"
    assert re.search(r'data-testid="explain-status-basis" data-basis="deduplicated"', html)
    assert cell(html, "explain-status-basis") == "Deduplicated by the beneficiary lists"


def test_without_lists_the_dashboard_says_so_and_shows_no_matrix():
    world = scenario.build(hidden_plans=False, computed=True)
    html = english(world.reviewer).get(reverse("dashboards:dashboard")).content.decode()
    assert "No counted activity has a beneficiary list yet" in cell(html, "no-lists")
    for absent in ("overlap-matrix", "dedup-table", "rounding-note", "planned-deduplicated"):
        assert f'data-testid="{absent}"' not in html, absent
    assert "Planned, deduplicated" not in html
    assert cell(html, "coverage") == "78.4%"  # 1,300 of 1,658: the gross coverage decides
    assert 'data-basis="deduplicated"' not in html
    assert re.search(r'data-testid="explain-status-basis" data-basis="gross"', html)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_dashboards_query_counts_stay_pinned_with_the_overlap():
    """The snapshot row holds every deduplicated figure and the rows name the matrix's OPDs:
    the pinned counts of tests/dashboards/test_queries.py (18, 9, 7) do not change (the public
    page's sixth query is the region's poverty record, its seventh the regions offered)."""
    ow = overlap_world()
    reviewer, head = english(ow.world.reviewer), english(ow.world.head)
    assert _queries(reviewer, reverse("dashboards:dashboard")) == 18
    assert _queries(head, reverse("dashboards:opd")) == 9
    assert _queries(Client(), reverse("dashboards:public")) == 7


def test_capped_activities_cost_one_query_for_their_codes():
    """The snapshot stores the capped activities by id; their codes are one more query, run
    only when there are any (a snapshot names none unless a claim exceeds its list)."""
    ow = overlap_world(capped=True)
    assert _queries(english(ow.world.reviewer), reverse("dashboards:dashboard")) == 19
