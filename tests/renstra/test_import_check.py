"""The check of a Renstra file, row by row, at its boundaries: every reason of every bad row
with its row number; and, for a clean file, what importing it would change. The checks run
without the database (``check_rows`` against a hand-made ``Existing``), but the comparison
with stored lines and the five-query load."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from opd.renstra.import_check import (
    CREATE,
    SAME,
    UPDATE,
    BadRow,
    Existing,
    Line,
    LineNow,
    check_rows,
    load_existing,
)
from opd.renstra.import_rows import ImportFileError, parse_number, read_file
from tests.renstra.import_world import (
    HEADERS,
    PERIOD,
    World,
    activity,
    csv_bytes,
    plan_rows,
    program,
    xlsx,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def existing(**values: Any) -> Existing:
    return Existing(
        period=tuple(PERIOD),
        programs=values.get("programs", {}),
        activities=values.get("activities", {}),
        indicators={"kms": (7, "KMS")},
    )


def check(rows: list[dict[str, Any]], found: Existing | None = None, *, as_csv: bool = False):
    data = csv_bytes(rows) if as_csv else xlsx(rows)
    raw = read_file("r.csv" if as_csv else "r.xlsx", data, PERIOD)
    return check_rows(raw, found or existing())


def reasons(bad: list[BadRow], row: int) -> list[str]:
    return next(b.reasons for b in bad if b.row == row)


def test_a_clean_file_gives_every_line_to_create() -> None:
    lines, bad = check(plan_rows(2, 2))
    assert bad == []
    assert [(line.kind, line.code, line.action) for line in lines] == [
        ("program", "1.06.01", CREATE),
        ("activity", "1.06.01.001", CREATE),
        ("activity", "1.06.01.002", CREATE),
        ("program", "1.06.02", CREATE),
        ("activity", "1.06.02.001", CREATE),
        ("activity", "1.06.02.002", CREATE),
    ]
    first = lines[0]
    assert first.indicator == 7 and first.indicator_code == "KMS"
    assert first.targets == {str(y): "100" for y in PERIOD}
    assert first.budgets == {str(y): "1000000" for y in PERIOD}
    assert lines[1].budgets == {} and lines[1].indicator is None


def test_every_reason_of_every_bad_row_with_its_row_number() -> None:
    rows = [
        program(),
        program("1.06.02", Jenis="proyek", **{"Target 2016": -1, "Pagu 2017": "banyak"}),
        activity("", "", Nama=""),
        program("1.06.03"),
    ]
    lines, bad = check(rows)
    assert [b.row for b in bad] == [3, 4]
    assert reasons(bad, 3) == [
        "Unknown kind “proyek”: write program or kegiatan.",
        "Target 2016 (-1) must not be negative.",
        "Pagu 2017: “banyak” is not a number.",
    ]
    assert reasons(bad, 4) == [
        "The program code is missing.",
        "The activity code is missing.",
        "The name is missing.",
    ]
    assert len(lines) == 2  # the clean rows are checked too, but a bad file imports nothing


def test_the_kind_is_required_and_read_in_either_word() -> None:
    lines, bad = check(
        [program(Jenis="  PROGRAM "), activity(Jenis="Activity"), program("1.06.09", Jenis="")]
    )
    assert [line.kind for line in lines] == ["program", "activity"]
    assert reasons(bad, 4) == ["The kind (Jenis) is missing: write program or kegiatan."]


def test_a_program_row_has_no_activity_code() -> None:
    _lines, bad = check([program(**{"Kode kegiatan": "1.06.01.001"})])
    assert reasons(bad, 2) == [
        "A program's row has no activity code: empty “Kode kegiatan”, or write kegiatan in “Jenis”."
    ]


def test_an_activity_program_must_be_in_the_file_or_in_the_renstra() -> None:
    stored = LineNow(1, 1, "P", "", "", None, "", {}, {})
    found = existing(programs={"1.06.05": stored})
    rows = [
        activity("1.06.01", "1.06.01.001"),  # its program comes later in the file: fine
        program("1.06.01"),
        activity("1.06.05", "1.06.05.001"),  # in the Renstra only: fine
        activity("1.06.07", "1.06.07.001"),  # nowhere
    ]
    lines, bad = check(rows, found)
    assert [b.row for b in bad] == [5]
    assert reasons(bad, 5) == [
        "Program 1.06.07 is neither in the file nor in the Renstra: add its row to the file."
    ]
    assert len(lines) == 3


def test_a_program_row_refused_for_another_reason_still_counts_as_in_the_file() -> None:
    """One mistake, one reason: the activity under a program row with a bad figure is not
    refused as well."""
    _lines, bad = check([program(**{"Target 2016": -5}), activity()])
    assert [b.row for b in bad] == [2]


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("0", None),
        ("0,01", None),
        ("0.01", None),
        ("999999999999.99", None),  # 12 digits before the point: the target's 14 digits, 2 places
        ("-0.01", "Target 2016 (-0.01) must not be negative."),
        ("0.001", "Target 2016 (0.001) has more than 2 decimal places."),
        ("1000000000000", "Target 2016 (1000000000000) has more than 12 digits before the "
         "decimal point."),
        ("lima", "Target 2016: “lima” is not a number."),
        ("1.25.000", "Target 2016: “1.25.000” is not a number."),
    ],
)  # fmt: skip
def test_a_target_at_its_boundaries(value: str, error: str | None) -> None:
    lines, bad = check([program(**{"Target 2016": value})], as_csv=True)
    if error is None:
        assert bad == [] and lines[0].targets["2016"] == format(
            Decimal(value.replace(",", ".")).normalize(), "f"
        )
    else:
        assert reasons(bad, 2) == [error]


@pytest.mark.parametrize(
    ("value", "result"),
    [
        ("9999999999999999.99", "9999999999999999.99"),  # MONEY: 18 digits, 2 places
        ("Rp 1.250.000,50", "1250000.5"),
        ("0", "0"),
        ("10000000000000000", "Pagu 2021 (10000000000000000) has more than 16 digits before "
         "the decimal point."),
        ("-1", "Pagu 2021 (-1) must not be negative."),
    ],
)  # fmt: skip
def test_a_budget_at_its_boundaries(value: str, result: str) -> None:
    lines, bad = check([program(**{"Pagu 2021": value})], as_csv=True)
    if result.startswith("Pagu"):
        assert reasons(bad, 2) == [result] and lines == []
    else:
        assert bad == [] and lines[0].budgets["2021"] == result


def test_an_empty_figure_is_empty_and_an_activity_has_no_pagu() -> None:
    lines, bad = check(
        [program(**{"Target 2016": None, "Pagu 2016": ""}), activity(**{"Pagu 2019": 5})]
    )
    assert reasons(bad, 3) == ["Pagu 2019: an activity has no pagu of its own: leave it empty."]
    assert lines[0].targets["2016"] is None and lines[0].budgets["2016"] is None


def test_figures_read_as_written() -> None:
    assert parse_number("1.250.000,50") == Decimal("1250000.50")
    assert parse_number("1.250") == Decimal("1250")  # Indonesian thousands, as Excel writes
    assert parse_number("12.5") == Decimal("12.5")
    assert parse_number("Rp. 2.000.000") == Decimal("2000000")
    assert parse_number(12.25) == Decimal("12.25")
    assert parse_number(7) == Decimal("7")
    assert parse_number("  ") is None and parse_number(None) is None


@pytest.mark.parametrize("year", [PERIOD[0] - 1, PERIOD[-1] + 1])
def test_a_year_column_outside_the_period_is_refused_by_name(year: int) -> None:
    headers = [*HEADERS, f"Target {year}"]
    with pytest.raises(ImportFileError) as error:
        read_file("r.xlsx", xlsx([program()], headers), PERIOD)
    assert str(error.value) == (
        f"The columns Target {year} are outside the Renstra's period 2016–2021: delete them, or "
        "download the template again."
    )


def test_a_year_of_the_period_missing_is_refused() -> None:
    headers = [h for h in HEADERS if h != "Pagu 2021"]
    with pytest.raises(ImportFileError, match="missing: Pagu 2021"):
        read_file("r.xlsx", xlsx([program()], headers), PERIOD)


def test_indicator_codes_must_be_the_plans() -> None:
    rows = [
        program(**{"Kode indikator RPJMD": " kms "}),
        program("1.06.02", **{"Kode indikator RPJMD": "XYZ"}),
        program("1.06.03", **{"Kode indikator RPJMD": ""}),
        activity(**{"Kode indikator RPJMD": "KMS"}),
    ]
    lines, bad = check(rows)
    assert [(line.code, line.indicator) for line in lines] == [("1.06.01", 7), ("1.06.03", None)]
    assert reasons(bad, 3) == [
        "Unknown RPJMD indicator code “XYZ”: it is not an indicator of this plan."
    ]
    assert reasons(bad, 5) == [
        "An activity serves its program's indicator: leave “Kode indikator RPJMD” empty."
    ]


def test_duplicates_within_the_file() -> None:
    rows = [
        program("1.06.01"),
        program("1.06.02"),
        activity("1.06.01", "001"),
        activity("1.06.02", "001"),  # the same code under another program: fine
        program("1.06.01"),
        activity("1.06.01", "001"),
    ]
    _lines, bad = check(rows)
    assert [(b.row, b.reasons) for b in bad] == [
        (6, ["Same program code as row 2."]),
        (7, ["Same activity code in program 1.06.01 as row 4."]),
    ]


def test_a_code_excel_turned_into_a_number_is_refused() -> None:
    lines, bad = check([program(**{"Kode program": 1.1}), program(**{"Kode program": 7})])
    assert reasons(bad, 2) == [
        "The code in “Kode program” was read as the number 1.1: format the column as text and "
        "type the code again."
    ]
    assert [line.code for line in lines] == ["7"]  # a whole number loses nothing


@pytest.mark.parametrize(
    ("column", "limit"),
    [("Kode program", 40), ("Nama", 300), ("Indikator", 300), ("Satuan", 50)],
)
def test_texts_at_their_length(column: str, limit: int) -> None:
    lines, bad = check([program("A" * 40, **{column: "x" * limit})])
    assert bad == [] and len(lines) == 1
    _lines, bad = check([program("A" * 40, **{column: "x" * (limit + 1)})])
    assert reasons(bad, 2) == [f"“{column}” is longer than {limit} characters."]


def test_a_control_character_is_named_by_its_column() -> None:
    _lines, bad = check([program(Nama="Program\x07 sosial")], as_csv=True)
    assert reasons(bad, 2) == [
        "The column “Nama” holds an invisible control character: type the cell again."
    ]
    assert bad[0].name == "Program sosial"


def test_formula_looking_text_is_kept_as_text() -> None:
    rows = [program(Nama='=HYPERLINK("http://x")', Indikator="+1", Satuan="@")]
    lines, bad = check(rows, as_csv=True)
    assert bad == []
    assert (lines[0].name, lines[0].indicator_text, lines[0].unit) == (
        '=HYPERLINK("http://x")',
        "+1",
        "@",
    )


# --- against the stored lines ---------------------------------------------------------


def line_of(lines: list[Line], code: str) -> Line:
    return next(line for line in lines if line.code == code)


@pytest.mark.django_db
def test_stored_lines_are_updated_or_left_and_new_codes_added() -> None:
    world = World.build()
    from opd.renstra.import_run import run_import, stage, staged_for

    session: dict[str, Any] = {}
    raw = read_file("r.xlsx", xlsx(plan_rows(1, 1)), PERIOD)
    lines, _bad = check_rows(raw, load_existing(world.renstra))
    world.renstra.refresh_from_db()
    stage(session, renstra=world.renstra, file_name="r.xlsx", lines=lines)
    run_import(
        renstra_id=world.renstra.pk, by=world.head, staged=staged_for(session, world.renstra.pk)
    )

    rows = [
        program(**{"Target 2016": "120", "Nama": "Program Baru"}),
        activity(),
        activity("1.06.01", "1.06.01.002"),
    ]
    lines, bad = check(rows, load_existing(world.renstra), as_csv=True)
    assert bad == []
    assert line_of(lines, "1.06.01").action == UPDATE
    assert line_of(lines, "1.06.01").changes == [
        ["Nama", "Program 1.06.01", "Program Baru"],
        ["Target 2016", "100", "120"],
    ]
    assert line_of(lines, "1.06.01.001").action == SAME
    assert line_of(lines, "1.06.01.002").action == CREATE


@pytest.mark.django_db
def test_the_load_is_five_queries_whatever_the_lines(django_assert_num_queries) -> None:
    world = World.build()
    plan = world.renstra.plan  # loaded with the Renstra by the views
    with django_assert_num_queries(5):
        found = load_existing(world.renstra)
    assert found.period == tuple(PERIOD) and plan.pk == world.plan.pk


def test_a_formula_cell_of_a_workbook_is_never_read_as_its_formula() -> None:
    """openpyxl writes "=..." as a formula without a computed value: the reader takes the
    value Excel showed (none here), never the formula's text."""
    _lines, bad = check([program(Nama="=1+1")])
    assert reasons(bad, 2) == ["The name is missing."]
