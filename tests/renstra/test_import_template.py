"""The files to fill in for a Renstra's import: the workbook holds the Renstra's lines in the
layout of its period (sent back unchanged, it changes nothing), its text never becomes a
formula, its code columns are text; the guide explains the columns in English and Indonesian;
the CSV file is the header row alone."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook

from opd import models as om
from opd.renstra import import_run, services
from opd.renstra.import_template import template_csv, template_xlsx
from tests.renstra.import_world import HEADERS, PERIOD, World, upload

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil.example","klik")', "+1+2", "-2+3", "@SUM(A1)", "=1+1"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def lines(world: World) -> tuple[om.RenstraProgram, om.RenstraActivity]:
    years = {y: (Decimal("12.5"), Decimal("1725000000")) for y in PERIOD}
    program = services.renstra_program_save(
        renstra_id=world.renstra.pk,
        by=world.head,
        values={
            "code": "1.06.10",
            "name": FORMULAS[0],
            "outcome_indicator": FORMULAS[1],
            "outcome_unit": FORMULAS[3],
            "indicator": world.indicator,
        },
        years={**years, 2021: (None, None)},
    )
    activity = services.renstra_activity_save(
        renstra_id=world.renstra.pk,
        by=world.head,
        values={"program": program, "code": "1.06.10.001", "name": FORMULAS[2]},
        years={y: Decimal("300") for y in PERIOD},
    )
    return program, activity


def test_the_workbook_holds_the_lines_in_the_layout() -> None:
    world = World.build()
    lines(world)
    book = load_workbook(io.BytesIO(template_xlsx(world.renstra)))
    assert book.sheetnames == ["Renstra", "Petunjuk"]
    sheet = book["Renstra"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADERS
    assert rows[1][:7] == ["program", "1.06.10", None, FORMULAS[0], FORMULAS[1], FORMULAS[3], "KMS"]
    assert rows[1][7:13] == [12.5] * 5 + [None]  # targets 2016–2021, the last one empty
    assert rows[1][13:] == [1725000000] * 5 + [None]
    assert rows[2][:4] == ["kegiatan", "1.06.10", "1.06.10.001", FORMULAS[2]]
    assert rows[2][7:13] == [300] * 6 and rows[2][13:] == [None] * 6
    assert all(value is None for row in rows[3:] for value in row)  # formatted, empty
    # Code columns are text, also on the spare rows under the lines, so "1.10" stays "1.10".
    assert {sheet.cell(row=r, column=c).number_format for r in (2, 3, 50) for c in (2, 3, 7)} == {
        "@"
    }


def test_text_in_the_workbook_is_never_a_formula() -> None:
    world = World.build()
    lines(world)
    sheet = load_workbook(io.BytesIO(template_xlsx(world.renstra)))["Renstra"]
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    risky = [cell for cell in cells if cell.value.startswith(("=", "+", "-", "@"))]
    assert {cell.value for cell in risky} == {FORMULAS[0], FORMULAS[1], FORMULAS[2], FORMULAS[3]}
    for cell in cells:
        assert cell.data_type == "s", cell.coordinate
    for cell in risky:
        assert cell.quotePrefix, cell.coordinate  # Excel keeps it text once the cell is edited


def test_the_workbook_sent_back_unchanged_changes_nothing(client: Any) -> None:
    world = World.build()
    lines(world)
    client.force_login(world.head)
    data = client.get(world.url("import_template_xlsx")).content
    response = client.post(world.url("import_upload"), {"file": upload(data)})
    assert response.status_code == 302
    staged = import_run.staged_for(client.session, world.renstra.pk)
    assert staged is not None
    assert [(line.code, line.action) for line in staged.lines] == [
        ("1.06.10", "same"),
        ("1.06.10.001", "same"),
    ]
    assert staged.lines[0].name == FORMULAS[0]  # read back as the text it was


def test_the_guide_explains_every_column_in_both_languages() -> None:
    world = World.build()
    guide = load_workbook(io.BytesIO(template_xlsx(world.renstra)))["Petunjuk"]
    rows = [list(r) for r in guide.iter_rows(values_only=True)]
    assert rows[0] == ["Column", "Required", "English", "Bahasa Indonesia"]
    described = [r[0] for r in rows[1:10]]
    assert described == [
        "Jenis",
        "Kode program",
        "Kode kegiatan",
        "Nama",
        "Indikator",
        "Satuan",
        "Kode indikator RPJMD",
        "Target 2016 … Target 2021",
        "Pagu 2016 … Pagu 2021",
    ]
    assert all(r[2] and r[3] for r in rows[1:10])
    assert rows[1][2] == "program, or kegiatan for an activity."
    assert ["KMS", None, world.indicator.name, None] in rows  # the plan's indicator codes


def test_the_csv_template_is_the_header_row(client: Any) -> None:
    world = World.build()
    lines(world)  # the lines' text is not written to a CSV file: it has no cell types
    data = template_csv(world.renstra)
    assert data == ("\ufeff" + ";".join(HEADERS) + "\r\n").encode()
    client.force_login(world.reviewer)
    response = client.get(world.url("import_template_csv"))
    assert response.status_code == 200 and response.content == data
    assert response["Content-Disposition"] == 'attachment; filename="renstra-106-2016.csv"'
