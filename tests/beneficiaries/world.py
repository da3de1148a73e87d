"""Files of beneficiaries for the tests: synthetic NIKs (3371 99...), built in memory."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

from opd.beneficiaries.rows import HEADERS

TEST_KEY = "test-beneficiary-key-0123456789-abcdefghij"


def nik(n: int) -> str:
    """The n-th synthetic NIK: 3371 99 then ten digits."""
    return f"337199{n:010d}"


def kk(n: int) -> str:
    return f"337188{n:010d}"


Row = Sequence[object]


def csv_file(rows: Iterable[Row], header: Sequence[str] = HEADERS, delimiter: str = ";") -> bytes:
    lines = [delimiter.join(header)]
    lines += [delimiter.join("" if cell is None else str(cell) for cell in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def xlsx_file(rows: Iterable[Row], header: Sequence[str] = HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def persons(count: int, kelurahan: str, *, start: int = 1, desil: int | None = 1) -> list[Row]:
    """``count`` clean rows, one family per two persons."""
    return [(nik(n), kk(n // 2), kelurahan, desil) for n in range(start, start + count)]
