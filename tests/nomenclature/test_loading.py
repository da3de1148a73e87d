"""Loading a nomenclature version and a crosswalk from CSV: all or nothing, every bad row
named, a re-load replaces the codes and changes nothing the second time."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from opd.models import Crosswalk, NomenclatureCode, NomenclatureVersion
from opd.nomenclature.loading import LoadRefused, load_crosswalk, load_nomenclature

pytestmark = pytest.mark.django_db

CODES = (
    "kind,code,name\n"
    "program,1.06.01,PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH\n"
    "program,1.06.02,PROGRAM PEMBERDAYAAN SOSIAL\n"
    "activity,1.06.02.2.01,Pemberdayaan Sosial Komunitas Adat Terpencil\n"
    "sub kegiatan,1.06.02.2.01.01,Pemberian Penguatan Kelembagaan\n"
)


def load(text: str, *, name: str = "Permendagri 90/2019", first: int = 2020, last=None, **kw):
    return load_nomenclature(
        file_name=kw.pop("file_name", "kode.csv"),
        data=kw.pop("data", None) or text.encode(),
        name=name,
        regulation=kw.pop("regulation", "Permendagri 90/2019"),
        first_year=first,
        last_year=last,
    )


def stored(version_name: str = "Permendagri 90/2019") -> set[tuple[str, str, str]]:
    return set(
        NomenclatureCode.objects.filter(version__name=version_name).values_list(
            "kind", "code", "name"
        )
    )


def test_a_clean_file_is_loaded_with_its_kinds():
    result = load(CODES)

    assert (result.created, result.added, result.removed) == (True, 4, 0)
    version = NomenclatureVersion.objects.get()
    assert (version.regulation, version.first_year, version.last_year) == (
        "Permendagri 90/2019",
        2020,
        None,
    )
    assert stored() == {
        ("program", "1.06.01", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH"),
        ("program", "1.06.02", "PROGRAM PEMBERDAYAAN SOSIAL"),
        ("activity", "1.06.02.2.01", "Pemberdayaan Sosial Komunitas Adat Terpencil"),
        ("sub-activity", "1.06.02.2.01.01", "Pemberian Penguatan Kelembagaan"),
    }


def test_semicolons_and_a_bom_are_read_alike():
    load("\ufeff" + CODES.replace(",", ";"))
    assert len(stored()) == 4
    assert ("program", "1.06.01", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH") in stored()


def test_every_bad_row_is_named_and_nothing_is_stored():
    bad = (
        "kind;code;name\n"
        "program;1.06.01;Baik\n"  # row 2: good
        "urusan;1.06;Urusan Sosial\n"  # row 3: kind
        "program;1.06 01;Spasi\n"  # row 4: code format
        "activity;1.06.01.2.01;\n"  # row 5: no name
        "program;1.06.01;Lagi\n"  # row 6: repeats row 2
        "program;;Tanpa kode\n"  # row 7: no code
    )
    with pytest.raises(LoadRefused) as refused:
        load(bad)

    problems = refused.value.problems
    assert [p.split(":")[0] for p in problems] == ["Row 3", "Row 4", "Row 5", "Row 6", "Row 7"]
    assert "kind “urusan” is not program, activity or sub-activity" in problems[0]
    assert "“1.06 01” is not a code of digits and dots" in problems[1]
    assert "name is empty" in problems[2]
    assert "program 1.06.01 is also on row 2" in problems[3]
    assert "code is empty" in problems[4]
    assert not NomenclatureVersion.objects.exists()
    assert not NomenclatureCode.objects.exists()


def test_bad_years_and_a_wrong_header_are_refused():
    with pytest.raises(LoadRefused, match="last year comes before the first"):
        load(CODES, first=2020, last=2019)
    with pytest.raises(LoadRefused, match="The year 2101 is not between"):
        load(CODES, first=2101)
    with translation.override("en"), pytest.raises(LoadRefused, match="header row"):
        load("jenis_kode,code,name\nprogram,1.06.01,X\n")
    assert not NomenclatureVersion.objects.exists()


def test_an_overlapping_version_is_refused_and_a_following_one_taken():
    load(CODES, name="Permendagri 13/2006", first=2014, last=2019)
    with pytest.raises(LoadRefused, match="overlap those of Permendagri 13/2006 \\(2014–2019\\)"):
        load(CODES, first=2019)
    assert NomenclatureVersion.objects.count() == 1
    load(CODES, first=2020)
    assert NomenclatureVersion.objects.count() == 2


def test_a_reload_replaces_the_codes_and_is_idempotent():
    load(CODES)
    old = NomenclatureCode.objects.get(code="1.06.02")
    successor_of_removed = Crosswalk.objects.create(
        old=old, new=NomenclatureCode.objects.get(code="1.06.01")
    )
    changed = CODES.replace("PROGRAM PEMBERDAYAAN SOSIAL", "PROGRAM REHABILITASI SOSIAL")
    changed = changed.replace("program,1.06.01,", "program,1.06.03,")  # 1.06.01 dropped

    result = load(changed, last=2025)

    assert (result.created, result.added, result.renamed, result.removed, result.unchanged) == (
        False,
        1,
        1,
        1,
        2,
    )
    assert result.crosswalk_removed == 1
    assert not Crosswalk.objects.filter(pk=successor_of_removed.pk).exists()
    assert NomenclatureVersion.objects.get().last_year == 2025
    # The kept codes keep their rows (a crosswalk to them survives a re-load).
    assert NomenclatureCode.objects.get(code="1.06.02").pk == old.pk
    after_first = stored()

    again = load(changed, last=2025)

    assert (again.added, again.renamed, again.removed, again.unchanged) == (0, 0, 0, 4)
    assert stored() == after_first


def test_the_command_prints_counts_and_names_every_bad_row(tmp_path: Path):
    path = tmp_path / "kode.csv"
    path.write_text(CODES, encoding="utf-8")
    out = StringIO()
    call_command(
        "load_nomenclature",
        str(path),
        "--version-name=Permendagri 90/2019",
        "--regulation=Permendagri 90/2019",
        "--first-year=2020",
        stdout=out,
    )
    assert out.getvalue().strip() == (
        "Created Permendagri 90/2019 (Permendagri 90/2019, 2020–…): 4 codes added, 0 renamed, "
        "0 removed, 0 unchanged; 0 crosswalk lines removed."
    )
    path.write_text(CODES + "program;1.06,01;X\nprogram,1.06.09,\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command(
            "load_nomenclature",
            str(path),
            "--version-name=Permendagri 90/2019",
            "--regulation=Permendagri 90/2019",
            "--first-year=2020",
        )
    message = str(refused.value)
    assert message.startswith("Nothing was loaded:\nRow 6: ")
    assert "\nRow 7: name is empty." in message
    assert len(stored()) == 4


CROSSWALK = "kind;old_code;new_code\nprogram;15;1.06.02\nkegiatan;15.01;1.06.02.2.01\n"


def two_versions() -> None:
    load(
        "kind,code,name\nprogram,15,Program Pemberdayaan Fakir Miskin\n"
        "activity,15.01,Pelatihan keterampilan\nprogram,16,Program Lain\n",
        name="Permendagri 13/2006",
        first=2014,
        last=2019,
    )
    load(CODES)


def test_a_crosswalk_is_loaded_and_replaced_on_reload():
    two_versions()
    result = load_crosswalk(
        file_name="cw.csv",
        data=CROSSWALK.encode(),
        old_version="Permendagri 13/2006",
        new_version="Permendagri 90/2019",
    )
    assert (result.stored, result.replaced) == (2, 0)
    lines = set(Crosswalk.objects.values_list("old__code", "new__code", "new__version__name"))
    assert lines == {
        ("15", "1.06.02", "Permendagri 90/2019"),
        ("15.01", "1.06.02.2.01", "Permendagri 90/2019"),
    }
    again = load_crosswalk(
        file_name="cw.csv",
        data=CROSSWALK.encode(),
        old_version="Permendagri 13/2006",
        new_version="Permendagri 90/2019",
    )
    assert (again.stored, again.replaced) == (2, 2)
    assert (
        set(Crosswalk.objects.values_list("old__code", "new__code", "new__version__name")) == lines
    )


def test_a_crosswalk_names_every_bad_row_and_stores_nothing():
    two_versions()
    bad = (
        "kind,old_code,new_code\n"
        "program,15,1.06.02\n"  # row 2: good
        "program,99,1.06.02\n"  # row 3: old code unknown
        "program,16,9.99.99\n"  # row 4: new code unknown
        "activity,15,1.06.02\n"  # row 5: 15 is a program, not an activity
        "program,15,1.06.02\n"  # row 6: repeats row 2
        "program,x,1.06.02\n"  # row 7: format
    )
    with pytest.raises(LoadRefused) as refused:
        load_crosswalk(
            file_name="cw.csv",
            data=bad.encode(),
            old_version="Permendagri 13/2006",
            new_version="Permendagri 90/2019",
        )
    assert refused.value.problems == [
        "Row 3: program 99 is not in Permendagri 13/2006.",
        "Row 4: program 9.99.99 is not in Permendagri 90/2019.",
        "Row 5: activity 15 is not in Permendagri 13/2006; activity 1.06.02 is not in "
        "Permendagri 90/2019.",
        "Row 6: the same line is also on row 2.",
        "Row 7: old_code “x” is not a code of digits and dots (such as 1.06.01).",
    ]
    assert not Crosswalk.objects.exists()


def test_a_crosswalk_goes_from_a_known_older_version_to_a_later_one(tmp_path: Path):
    two_versions()
    path = tmp_path / "cw.csv"
    path.write_text(CROSSWALK, encoding="utf-8")
    with pytest.raises(CommandError, match="must start after Permendagri 90/2019"):
        call_command(
            "load_crosswalk",
            str(path),
            "--old-version=Permendagri 90/2019",
            "--new-version=Permendagri 13/2006",
        )
    with pytest.raises(CommandError, match="No nomenclature version is named Kepmendagri"):
        call_command("load_crosswalk", str(path), "--old-version=Kepmendagri", "--new-version=x")
    assert not Crosswalk.objects.exists()
    out = StringIO()
    call_command(
        "load_crosswalk",
        str(path),
        "--old-version=Permendagri 13/2006",
        "--new-version=Permendagri 90/2019",
        stdout=out,
    )
    assert out.getvalue().strip() == (
        "Crosswalk Permendagri 13/2006 → Permendagri 90/2019: 2 lines stored, 0 replaced."
    )
