"""Bulk import, the check: reading XLSX and CSV in the layout, and every reason a row is refused,
named with its row number; a file with one bad row stores nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.urls import reverse

from opd import models as om
from opd.aspirations import imports
from opd.aspirations.import_rows import (
    HEADERS,
    MAX_ROWS,
    ImportFileError,
    parse_date,
    parse_whole,
    read_file,
)
from tests.aspirations.import_world import (
    ImportWorld,
    csv_bytes,
    good,
    many,
    upload,
    xlsx,
)

pytestmark = pytest.mark.django_db

URL = reverse("aspirations:import_upload")


@pytest.fixture
def world(settings: Any) -> ImportWorld:
    return ImportWorld.build(settings)


@pytest.fixture
def client(client: Any) -> Any:
    """The pages in English, as the messages asserted (the default language is Indonesian)."""
    client.cookies["django_language"] = "en"
    return client


def check(world: ImportWorld, rows: list[dict[str, Any]], who: str = "reviewer") -> Any:
    checked = imports.check_file(user=world.who(who), name="usulan.xlsx", data=xlsx(rows))
    return checked.clean, checked.bad


def reasons_of(world: ImportWorld, row: dict[str, Any], who: str = "reviewer") -> list[str]:
    clean, bad = check(world, [good(0), row], who)
    assert len(clean) == 1 and len(bad) == 1 and bad[0].row == 3
    return bad[0].reasons


# --- the values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("23/01/2018", (2018, 1, 23)),
        ("3/1/2018", (2018, 1, 3)),
        ("2018-01-23", (2018, 1, 23)),
        (datetime(2018, 1, 23, 0, 0), (2018, 1, 23)),
        ("31/02/2018", None),
        ("01-23-2018", None),
        ("23/01/18", None),
        ("", None),
        (43123, None),  # a serial number in a number cell is not taken for a date
    ],
)
def test_dates(value: Any, expected: tuple[int, int, int] | None) -> None:
    parsed = parse_date(value)
    assert (parsed.timetuple()[:3] if parsed else None) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, 1), (2.0, 2), ("3", 3), (" 4 ", 4), (2.5, None), ("2,5", None), ("-1", None), ("x", None)],
)
def test_whole_numbers(value: Any, expected: int | None) -> None:
    assert parse_whole(value) == expected


def test_semicolon_csv_with_bom_and_headers_in_any_case() -> None:
    headers = [h.upper() + " " for h in HEADERS]
    data = csv_bytes([good(1)], delimiter=";", bom=True, header_row=headers)
    assert data.startswith(b"\xef\xbb\xbf")
    (row,) = read_file("usulan.CSV", data)
    assert row.number == 2
    assert row.cells["forum"] == "Musrenbang kelurahan"
    assert row.cells["title"] == "Perbaikan saluran air RW 0001"


def test_comma_csv_keeps_semicolons_in_text() -> None:
    (row,) = read_file("u.csv", csv_bytes([good(1, Uraian="satu; dua; tiga")]))
    assert row.cells["description"] == "satu; dua; tiga"


def test_blank_rows_are_skipped_and_numbers_kept() -> None:
    rows = read_file("u.xlsx", xlsx([good(1), {}, good(2)]))
    assert [r.number for r in rows] == [2, 4]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("u.xlsx", b"", "empty"),
        ("u.pdf", b"%PDF", "XLSX or CSV"),
        ("u.xlsx", b"not a zip at all", "cannot be opened"),
        ("u.csv", "Forum,Judul".encode("utf-16"), "UTF-8"),
        ("u.csv", csv_bytes([]), "no aspiration"),
        ("u.csv", csv_bytes([good(1)], headers=[*HEADERS[:-4], "Prioritas"]), "Judul"),
        ("u.csv", csv_bytes([good(1)], headers=[*HEADERS, "Catatan"]), "Catatan"),
    ],
)
def test_a_file_that_cannot_be_taken_has_one_message(name: str, data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        read_file(name, data)


def test_too_many_rows_is_one_message() -> None:
    data = csv_bytes([good(1)] * (MAX_ROWS + 1))
    with pytest.raises(ImportFileError, match="more than"):
        read_file("u.csv", data)
    assert len(read_file("u.csv", csv_bytes([good(1)] * MAX_ROWS))) == MAX_ROWS


def test_excel_date_cells_and_number_cells(world: ImportWorld) -> None:
    row = good(1, **{"Tanggal forum": datetime(2018, 2, 5), "Tahun rencana": 2019.0})
    (clean,), bad = check(world, [row])
    assert bad == []
    assert clean.received_on == "2018-02-05" and clean.year == 2019


def test_choices_by_value_or_label_in_any_case(world: ImportWorld) -> None:
    rows = [
        good(1, Forum="musrenbang_kecamatan", Kategori="KESEHATAN", **{"Jenis pengusul": "Group"}),
        good(2, Forum="  FGD ", Kategori="sosial", **{"Jenis pengusul": "PERORANGAN"}),
        good(3, Forum="Konsultasi Publik", Kategori="", **{"Jenis pengusul": "person"}),
    ]
    clean, bad = check(world, rows)
    assert bad == []
    assert [(r.forum, r.category, r.proposer_kind) for r in clean] == [
        ("musrenbang_kecamatan", "kesehatan", "group"),
        ("fgd", "sosial", "person"),
        ("konsultasi_publik", "lainnya", "person"),
    ]


def test_kelurahan_matched_ignoring_case_and_spaces(world: ImportWorld) -> None:
    rows = [
        good(1, Kelurahan="  kramat   UTARA ", Kecamatan=""),
        good(2, Kelurahan="Tidar", Kecamatan="magelang selatan"),
    ]
    clean, bad = check(world, rows)
    assert bad == []
    assert clean[0].kelurahan == world.kelurahan.pk
    assert clean[1].kelurahan_name == "Tidar" and clean[1].kelurahan != world.kelurahan.pk


# --- every reason ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"Kelurahan": "Atlantis"}, "Unknown kelurahan “Atlantis” in kecamatan"),
        ({"Kelurahan": "Atlantis", "Kecamatan": ""}, "Unknown kelurahan “Atlantis”."),
        ({"Kelurahan": "Kramat Utara", "Kecamatan": "Mars"}, "Unknown kecamatan “Mars”"),
        ({"Kelurahan": "Jurangombo Utara"}, "Unknown kelurahan"),  # not in Magelang Utara
        ({"Kelurahan": "Tidar", "Kecamatan": ""}, "name the kecamatan"),
        ({"Kelurahan": ""}, "The kelurahan is missing."),
        ({"Judul": ""}, "The title is missing."),
        ({"Judul": "x" * 301}, "The title is longer than 300 characters."),
        ({"Nama pengusul": " "}, "The proposer's name is missing."),
        ({"Tanggal forum": "2018-13-01"}, "Bad forum date “2018-13-01”"),
        ({"Tanggal forum": ""}, "The forum date is missing."),
        ({"Forum": "Rapat RT"}, "Unknown forum “Rapat RT”."),
        ({"Forum": ""}, "The forum is missing."),
        ({"Kategori": "Olahraga"}, "Unknown category “Olahraga”."),
        ({"Jenis pengusul": "badan"}, "Unknown proposer kind “badan”"),
        ({"Prioritas": 0}, "Bad priority “0”"),
        ({"Prioritas": "1,5"}, "Bad priority “1,5”"),
        ({"Prioritas": 2.5}, "Bad priority “2.5”"),
        ({"Tahun rencana": "2019/2020"}, "Bad plan year “2019/2020”."),
        ({"Tahun rencana": 1900}, "Bad plan year “1900”."),
        ({"Kode indikator": "NOPE"}, "Unknown indicator code “NOPE” for the plan year."),
        ({"Kode indikator": "KMS", "Tahun rencana": 2022}, "Unknown indicator code “KMS”"),
    ],
)
def test_each_reason(world: ImportWorld, values: dict[str, Any], reason: str) -> None:
    reasons = reasons_of(world, good(1, **values))
    assert len(reasons) == 1, reasons
    assert reason in reasons[0]


def test_boundaries_that_pass(world: ImportWorld) -> None:
    rows = [
        good(1, Prioritas=1, Judul="x" * 300, **{"Kode indikator": "kms", "Tahun rencana": 2021}),
        good(2, Prioritas=None, **{"Tahun rencana": 2100}),
    ]
    clean, bad = check(world, rows)
    assert bad == []
    assert clean[0].indicator == world.aspirations.plan.indicator.pk
    assert clean[1].priority is None


def test_every_reason_of_a_row_is_listed(world: ImportWorld) -> None:
    row = good(1, Judul="", Forum="x", Prioritas=-3, **{"Tanggal forum": "kemarin"})
    assert len(reasons_of(world, row)) == 4


def test_duplicate_of_an_existing_aspiration(world: ImportWorld) -> None:
    world.aspirations.record(year=2019, title="Perbaikan  SALURAN air RW 0001")
    reasons = reasons_of(world, good(1))
    assert reasons == [
        "An aspiration with this title is already recorded for this kelurahan and year."
    ]
    # Another year, or another kelurahan, is not a duplicate.
    clean, bad = check(world, [good(1, **{"Tahun rencana": 2020})])
    assert bad == [] and len(clean) == 1


def test_duplicate_of_an_earlier_row_names_it(world: ImportWorld) -> None:
    clean, bad = check(world, [good(1), good(2), good(1, Judul=" perbaikan saluran air rw 0001")])
    assert len(clean) == 2
    assert [(b.row, b.reasons) for b in bad] == [(4, ["Same title, kelurahan and year as row 2."])]


def test_area_staff_import_only_for_their_area(world: ImportWorld) -> None:
    other = good(2, Kecamatan="Magelang Selatan", Kelurahan="Jurangombo Utara")
    for who in ("kelurahan_staff", "kecamatan_staff"):
        clean, bad = check(world, [good(1), other], who)
        assert len(clean) == 1
        assert (
            bad[0].row == 3 and "You do not act for kelurahan Jurangombo Utara" in bad[0].reasons[0]
        )
    clean, bad = check(world, [good(1), other], "other_area_staff")
    assert [b.row for b in bad] == [2] and len(clean) == 1
    clean, bad = check(world, [good(1), other], "reviewer")
    assert bad == [] and len(clean) == 2


# --- through the page: one bad row among many stores nothing ---------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_one_bad_row_among_many_imports_nothing_and_is_named(
    world: ImportWorld, client: Any, kind: str
) -> None:
    rows = many(200)
    rows[136]["Kelurahan"] = "Atlantis"  # row 138 of the sheet
    data = xlsx(rows) if kind == "xlsx" else csv_bytes(rows, delimiter=";", bom=True)
    client.force_login(world.who("kelurahan_staff"))
    response = client.post(URL, {"file": upload(f"usulan.{kind}", data)})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-row="138"' in html
    assert "Unknown kelurahan “Atlantis” in kecamatan Magelang Utara." in html
    assert "1 row of 200 must be corrected. Nothing was imported." in html
    assert not om.Aspiration.objects.exists()
    assert not om.AspirationImport.objects.exists()


def test_a_clean_file_is_staged_and_shown(world: ImportWorld, client: Any) -> None:
    rows = [*many(3), good(9, Kecamatan="Magelang Selatan", Kelurahan="Tidar", Forum="FGD")]
    client.force_login(world.who("reviewer"))
    response = client.post(URL, {"file": upload("usulan.xlsx", xlsx(rows))})
    batch = om.AspirationImport.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "aspirations:import_batch", args=[batch.pk]
    )
    assert (batch.row_count, batch.state, batch.uploaded_by) == (4, "ready", world.who("reviewer"))
    assert batch.summary == {
        "kelurahan": [["Kramat Utara", 3], ["Tidar", 1]],
        "forum": [["musrenbang_kelurahan", 3], ["fgd", 1]],
    }
    assert not om.Aspiration.objects.exists()
    page = client.get(response.url).content.decode()
    assert "4 aspirations, every row checked." in page
    assert 'data-testid="confirm"' in page
    assert '<th scope="row">Focus group discussion (FGD)</th><td>1</td>' in page


def test_a_file_problem_is_one_message(world: ImportWorld, client: Any) -> None:
    client.force_login(world.who("reviewer"))
    bad_header = csv_bytes([good(1)], headers=["Forum", "Judul"])
    response = client.post(URL, {"file": upload("usulan.csv", bad_header)})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count('data-testid="file-error"') == 1
    assert "missing: Tanggal forum, Tahun rencana, Kelurahan" in html
    response = client.post(URL, {})
    assert (
        response.status_code == 400 and "Choose the XLSX or CSV file" in response.content.decode()
    )
    assert not om.AspirationImport.objects.exists()


def test_checking_a_file_takes_a_fixed_number_of_queries(
    world: ImportWorld, client: Any, django_assert_num_queries: Any
) -> None:
    user = world.who("kecamatan_staff")
    client.force_login(user)
    for count in (3, 60):
        data = xlsx(many(count))
        # session, user, its 2 permission reads (is Bappeda?), its area, the region, the
        # kelurahan, the indicators, the stored titles of the years, the insert in a savepoint
        # (a refused insert is a message, not a broken request)
        with django_assert_num_queries(12):
            assert client.post(URL, {"file": upload("u.xlsx", data)}).status_code == 302


@pytest.mark.parametrize(
    ("who", "status"),
    [("outsider", 403), ("head", 403), ("kelurahan_staff", 200), ("reviewer", 200)],
)
def test_who_may_open_the_upload_page(
    world: ImportWorld, client: Any, who: str, status: int
) -> None:
    client.force_login(world.who(who))
    assert client.get(URL).status_code == status
    if status == 403:
        assert client.post(URL, {"file": upload("u.csv", csv_bytes([good(1)]))}).status_code == 403
        assert not om.AspirationImport.objects.exists()


def test_anonymous_is_sent_to_sign_in(client: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/akun/masuk/" in response.url
